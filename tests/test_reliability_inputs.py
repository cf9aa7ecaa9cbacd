"""Input limits through the CLI: odd questions and odd catalogues get an answer or a clear message.

The contract (INTERFACE.md): exit 0 for an answer or an abstention, 2 for bad input with one or two
lines on stderr; never a traceback unless MSME_QA_DEBUG=1.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED
from .test_reliability_support import (
    assert_cites_existing,
    assert_clean_failure,
    bundled,
    cli,
    clone_index,
    ids_of,
    run_cli,
)

AUSTRALIA = "2021-05-04-australias-experience-on-goods-and"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def ask(index: Path, question: str, *extra: str):
    return cli("ask", question, "--json", "--index", str(index), *extra)


def answered(result, catalogue: Path = SEED) -> dict:
    """Exit 0 with a JSON answer (or abstention) citing only entries of the catalogue; nothing on stderr."""
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert data["answer"].strip()
    assert data["abstained"] == (not data["citations"] and data["count"] is None)
    assert_cites_existing(data, ids_of(catalogue))
    return data


# --- questions --------------------------------------------------------------------------------------

LONG = "What is Australia's de minimis threshold? " + "Please explain in detail. " * 3900  # ~100,000 characters


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("a", id="one-character"),
        pytest.param(LONG, id="100000-characters"),
        pytest.param("x" * 100_000, id="100000-of-one-letter"),
        pytest.param("What\x00 is\x07 Australia's\x1b[0m de\r minimis\x7f threshold?\x0c", id="control-characters"),
        pytest.param("\u202eWhat is the\u200b Model Law\u200f on Electronic Transferable Records?", id="format-marks"),
        pytest.param("What is \udcff\udcfe MLETR?", id="undecodable-bytes-from-argv"),
        pytest.param("澳大利亚的最低限额门槛是多少？", id="chinese"),
        pytest.param("ما هو الحد الأدنى للإعفاء الجمركي في أستراليا؟", id="arabic"),
        pytest.param(
            "Qu'est-ce que la loi type de la CNUDCI sur les documents transférables électroniques ?", id="french"
        ),
        pytest.param("📦🇦🇺 What is Australia's de minimis threshold? 💰", id="emoji-and-words"),
        pytest.param("Who presented on cyber security?" + "?" * 5000, id="punctuation-tail"),
    ],
)
def test_any_question_with_words_gets_an_answer_or_an_abstention(built_index: Path, question: str) -> None:
    data = answered(ask(built_index, question))
    assert len(data["question"]) <= 2000 and "\x00" not in data["question"]


@pytest.mark.parametrize(
    ("question", "says"),
    [
        pytest.param("", "the question is empty", id="zero-characters"),
        pytest.param(" \t\n ", "the question is empty", id="blank"),
        pytest.param("\x00\x01\x1b\x7f", "the question is empty", id="control-characters-only"),
        pytest.param("?", "no words", id="one-punctuation-mark"),
        pytest.param("?!...;:—«»", "no words", id="punctuation-only"),
        pytest.param("🤔💭🤷", "no words", id="emoji-only"),
    ],
)
def test_a_question_without_words_exits_2_with_one_line(tmp_path: Path, question: str, says: str) -> None:
    never_built = tmp_path / "never-built"
    result = ask(never_built, question)
    assert_clean_failure(result, 2, says, "ask something like")
    assert not never_built.exists(), "refused before anything was loaded or built"


@pytest.mark.slow
def test_odd_arguments_in_a_real_process_never_show_a_traceback(built_index: Path) -> None:
    """argv as the OS delivers it: 100,000 characters, bytes that are not UTF-8, only emoji."""
    base = [sys.executable, "-m", "cli", "ask", "--json", "--index", str(built_index)]
    for question, code in [("x" * 100_000, 0), (b"What is \xff\xfe MLETR?", 0), ("🤔🤷", 2)]:
        run = subprocess.run([*base, question], capture_output=True, cwd=ROOT, timeout=120)
        stderr = run.stderr.decode("utf-8", "replace")
        assert run.returncode == code, stderr
        assert "Traceback" not in stderr
        if code == 0:
            assert json.loads(run.stdout)["answer"]
        else:
            assert len(stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_chat_survives_odd_lines(built_index: Path) -> None:
    """Piped lines with NUL, escape codes, bytes that are not UTF-8, nothing but punctuation: one reply each."""
    lines = [
        b"What is MLETR?",
        b"What \xff\xfe is \x00 MLETR\x1b[31m?",
        b"???",
        b"\xf0\x9f\xa4\x94",
        b"x" * 100_000,
        "澳大利亚的最低限额是多少？".encode(),
        b"Who presented on cyber security?",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "cli", "chat", "--json", "--index", str(built_index)],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 0 and "Traceback" not in stderr, stderr
    replies = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert len(replies) == len(lines)
    assert [("error" in r) for r in replies] == [False, False, True, True, False, False, False]
    assert replies[-1]["citations"], "the session still answers after the odd lines"
    assert stderr.count("msme-qa: the question has no words") == 2


@pytest.mark.slow
def test_debug_mode_shows_the_traceback_to_developers(tmp_path: Path) -> None:
    run = run_cli("ask", "?!", "--index", str(tmp_path / "index"), env={"MSME_QA_DEBUG": "1"})
    assert run.returncode != 0
    assert "Traceback" in run.stderr and "UsageError" in run.stderr


# --- catalogues -------------------------------------------------------------------------------------


def entry_block(title: str) -> str:
    """The heading, date and summary lines of one entry of the bundled export, as they stand in it."""
    start = next(m.start() for m in re.finditer(r"(?m)^.*$", SEED_TEXT) if title in m.group(0))
    end = SEED_TEXT.index("\n[bookmark", start + 1)
    return SEED_TEXT[start : end + 1]


def catalogue_file(tmp_path: Path, text: str | bytes, name: str = "catalogue.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.fixture
def index(built_index: Path, tmp_path: Path) -> Path:
    """A copy of the real index: a changed catalogue updates it incrementally."""
    return clone_index(built_index, tmp_path / "index")


def test_a_catalogue_with_a_duplicated_entry(tmp_path: Path, index: Path) -> None:
    block = entry_block("GCA Cybersecurity Toolkit for Small Business, Global Cyber Alliance (Other)")
    catalogue = catalogue_file(tmp_path, SEED_TEXT.replace(block, block + block))
    listed = json.loads(cli("list", "--json", "--catalogue", str(catalogue)).stdout)
    ids = [e["id"] for e in listed]
    assert len(ids) == 49 and len(set(ids)) == 49 and "2022-04-07-gca-cybersecurity-toolkit-for-small-2" in ids
    check = cli("check", "--catalogue", str(catalogue), env={"COLUMNS": "200"})
    assert check.exit_code == 1 and "2 entries are titled" in check.stdout
    result = ask(index, "What is the GCA cybersecurity toolkit?", "--catalogue", str(catalogue))
    assert "index updated: 1 added" in result.stderr
    assert answered(result, catalogue)["citations"]


def test_a_catalogue_with_a_missing_date(tmp_path: Path, index: Path) -> None:
    """The entry without a date is left out and reported; its neighbour's summary is not touched."""
    block = entry_block("Bahrain's ETR Law, Economic Development Board")
    assert "24 June 2021\n" in block
    catalogue = catalogue_file(tmp_path, SEED_TEXT.replace(block, block.replace("24 June 2021\n", "", 1)))
    listed = {e["id"]: e for e in json.loads(cli("list", "--json", "--catalogue", str(catalogue)).stdout)}
    assert len(listed) == 47 and "2021-06-24-bahrains-etr-law" not in listed
    before = {e.id: e for e in bundled().entries}
    for entry_id, entry in listed.items():
        assert entry["summary"] == before[entry_id].summary, f"{entry_id} took in the dateless entry's text"
    check = cli("check", "--catalogue", str(catalogue), env={"COLUMNS": "300"})
    assert check.exit_code == 1 and "has no date line" in check.stdout and "Bahrain's ETR Law" in check.stdout
    result = ask(index, "What did Bahrain present?", "--catalogue", str(catalogue))
    assert "index updated: 0 added, 0 changed, 1 removed" in result.stderr
    answered(result, catalogue)


def test_a_catalogue_with_a_day_that_does_not_exist(tmp_path: Path, index: Path) -> None:
    block = entry_block("Australia's experience on Goods and Service Tax")
    catalogue = catalogue_file(tmp_path, SEED_TEXT.replace(block, block.replace("4 May 2021", "31 February 2021")))
    assert AUSTRALIA not in ids_of(catalogue) and len(ids_of(catalogue)) == 47
    check = cli("check", "--catalogue", str(catalogue), env={"COLUMNS": "300"})
    assert check.exit_code == 1 and "'31 February 2021' is not a real date" in check.stdout
    data = answered(ask(index, "What is Australia's de minimis threshold?", "--catalogue", str(catalogue)), catalogue)
    assert AUSTRALIA not in [c["id"] for c in data["citations"]]


def test_a_utf8_catalogue_with_a_paragraph_pasted_from_cp1252(tmp_path: Path, index: Path) -> None:
    """Most of the file is UTF-8 ("Cyber‑Readiness", "–"); one summary was pasted in as cp1252 bytes."""
    original = "Australia has a de minimis threshold of AUD 1,000"
    pasted = "Australia\u2019s caf\u00e9 \u2013 de minimis threshold of AUD 1,000".encode("cp1252")
    data = SEED_TEXT.encode("utf-8").replace(original.encode(), pasted)
    catalogue = catalogue_file(tmp_path, data)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    entries = {e["id"]: e for e in json.loads(cli("list", "--json", "--catalogue", str(catalogue)).stdout)}
    reference = bundled()
    assert set(entries) == {e.id for e in reference.entries}
    assert "Australia's café – de minimis threshold of AUD 1,000" in entries[AUSTRALIA]["summary"]
    changed = [e.id for e in reference.entries if entries[e.id]["summary"] != e.summary]
    assert changed == [AUSTRALIA], "the UTF-8 text around the pasted paragraph reads as before"
    assert {e["category"] for e in entries.values()} == set(reference.categories)
    result = ask(index, "What is Australia's de minimis threshold?", "--catalogue", str(catalogue))
    assert "index updated: 0 added, 1 changed, 0 removed" in result.stderr
    assert answered(result, catalogue)["citations"][0]["id"] == AUSTRALIA


@pytest.mark.parametrize(
    ("make", "says"),
    [
        pytest.param(lambda: SEED_TEXT.encode("utf-16")[:-1], "UTF-16", id="utf16-cut-short"),
        pytest.param(
            lambda: b"\xff\xfe" + "Title, ITC (IO)".encode("utf-16-le") + b"\x00\xd8",
            "UTF-16",
            id="utf16-lone-surrogate",
        ),
        pytest.param(lambda: b"\x00" * 10 + SEED_TEXT.encode(), "binary", id="nul-bytes"),
        pytest.param(
            lambda: SEED_TEXT.split("Implementation of the December")[0].encode(), "no presentations", id="header-only"
        ),
    ],
)
def test_an_unusable_catalogue_exits_2_with_one_line(tmp_path: Path, make, says: str) -> None:
    catalogue = catalogue_file(tmp_path, make())
    for command in (["list"], ["check"], ["ask", "What is MLETR?", "--index", str(tmp_path / "index")]):
        assert_clean_failure(cli(*command, "--catalogue", str(catalogue)), 2, says, str(catalogue))
    assert not (tmp_path / "index").exists()
