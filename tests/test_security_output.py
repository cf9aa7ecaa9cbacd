"""Whatever text is injected into whatever field of the real catalogue (text export or Word form), what
`list`, `show`, `check`, `ask` and `chat` print holds no control character but the renderer's own
styling (SGR colours, OSC 8 links to http(s) URLs), and their --json output holds none at all.

Property tests through the real CLI (CliRunner, in-process), with Rich forced to style its output as
for a terminal, and plain. `ask` and `chat` use the real model and a copy of the session's real index:
each example re-encodes the one entry it changed, so those examples are few.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli.app import app
from qa.catalogue.links import is_web_link

from .hostile import FIELDS, entry_date, write_catalogue
from .test_reliability_support import clone_index

runner = CliRunner()
FORMS = ("text", "docx")
# What attackers write, whole; hypothesis mixes them with any other characters.
ATTACKS = (
    "\x1b]8;;http://evil.example\x07",  # OSC 8 hyperlink
    "\x1b]8;;\x1b\\",
    "\x1b[2J",  # clear screen
    "\x1b[8m",  # hidden text
    "\x07",
    "\u009b31m",  # C1 CSI
    "\u009d0;title\u009c",  # C1 OSC ... ST
    "\r\x1b[K",  # back to the start of the line, erase it
    "[bold red]markup[/]",
    "\x00",
    "\u202etxet desrever",
)
PAYLOADS = st.lists(
    st.one_of(st.sampled_from(ATTACKS), st.text(st.characters(blacklist_categories=("Cs",)), max_size=4)),
    min_size=1,
    max_size=5,
).map("".join)
SGR = re.compile(r"\x1b\[[0-9;]*m")
OSC8 = re.compile(r"\x1b\]8;[^\x1b\x07;]*;([^\x1b\x07]*)\x1b\\")
CATALOGUE_KEYS = {"id", "title", "institution", "institution_type", "category", "subcategory", "summary", "note"}
CATALOGUE_KEYS |= {"link", "links", "text"}


def controls(text: str, allowed: str = "") -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in allowed]


def assert_terminal_clean(output: str) -> None:
    """Only Rich's own styling: SGR colours and OSC 8 links to http(s); nothing else but newlines."""
    for url in OSC8.findall(output):
        assert url == "" or is_web_link(url), url
    rest = SGR.sub("", OSC8.sub("", output))
    assert controls(rest, "\n") == [], repr(rest)


def assert_json_clean(output: str, *, lines: bool = False) -> None:
    """No control character in the JSON text, raw or escaped; only an answer's own line breaks."""
    assert controls(output, "\n") == [], repr(output)
    # An escape is a backslash not itself escaped: in JSON text, "\\toolkit" is a backslash, then "toolkit".
    escape = r"(?<!\\)(?:\\\\)*\\(?:u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F]|[btfr])"
    assert not re.search(escape, output), output
    for chunk in output.splitlines() if lines else [output]:
        if chunk.strip():
            _walk(json.loads(chunk))


def _walk(data: Any, key: str = "") -> None:
    if isinstance(data, str):
        assert controls(data, "" if key in CATALOGUE_KEYS else "\n") == [], (key, data)
    elif isinstance(data, dict):
        for k, v in data.items():
            _walk(v, k)
    elif isinstance(data, list):
        for v in data:
            _walk(v, key)


def run(*args: str, terminal: bool = False, stdin: str | None = None):
    env = {"COLUMNS": "160", "FORCE_COLOR": "1" if terminal else ""}
    result = runner.invoke(app, list(args), env=env, input=stdin)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert controls(result.stderr, "\n") == [], repr(result.stderr)
    return result


# --- list, show, check: no model ------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.slow  # runs every browsing command on each generated catalogue
@given(form=st.sampled_from(FORMS), field=st.sampled_from(FIELDS), payload=PAYLOADS)
@example(form="text", field="title", payload="\x1b]8;;http://evil.example\x07\x1b[2J\u009b31m")
@example(form="docx", field="summary", payload="\u009d8;;http://evil.example\u009c\u009b2J")
def test_browsing_a_hostile_catalogue_prints_no_control_characters(form, field, payload):
    with tempfile.TemporaryDirectory() as tmp:
        catalogue = str(write_catalogue(Path(tmp), form, field, payload))
        day = entry_date(field)
        listed = run("list", "--json", "--catalogue", catalogue)
        assert_json_clean(listed.stdout)
        for terminal in (False, True):
            assert_terminal_clean(
                run("list", "--since", day, "--until", day, "--catalogue", catalogue, terminal=terminal).stdout
            )
            assert_terminal_clean(run("check", "--catalogue", catalogue, terminal=terminal).stdout)
        ids = [e["id"] for e in json.loads(listed.stdout) if e["date"] == day] if listed.exit_code == 0 else []
        for entry_id in ids:
            assert_json_clean(run("show", entry_id, "--json", "--catalogue", catalogue).stdout)
            for terminal in (False, True):
                assert_terminal_clean(run("show", entry_id, "--catalogue", catalogue, terminal=terminal).stdout)


# --- ask and chat: the real model and index -------------------------------------------------------

QUESTIONS = {
    "note": ["What were the outcomes of the Global MSME Forum 2021?", "/sources"],
}
DEFAULT_QUESTIONS = ["Who presented on cyber security?", "What does the GCA cybersecurity toolkit offer?", "/sources"]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-answers")


@pytest.mark.slow
@settings(
    max_examples=4,  # each example costs a re-encode with the real model (about 4 s)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(form=st.sampled_from(FORMS), field=st.sampled_from(FIELDS), payload=PAYLOADS)
@example(form="text", field="title", payload="\x1b]8;;http://evil.example\x07\x1b[2J\x1b[8m\u009b31m\x07")
@example(form="docx", field="summary", payload="\u009d8;;http://evil.example\u009c\u009b2J\u0085")
def test_answers_from_a_hostile_catalogue_print_no_control_characters(built_index, scratch, form, field, payload):
    work = Path(tempfile.mkdtemp(dir=scratch))
    try:
        catalogue = str(write_catalogue(work, form, field, payload))
        index = str(clone_index(built_index, work / "index"))
        lines = QUESTIONS.get(field, DEFAULT_QUESTIONS)
        where = ("--catalogue", catalogue, "--index", index)
        asked = run("ask", lines[0], "--json", *where)  # the first command brings the index up to date
        assert_json_clean(asked.stdout)
        assert_terminal_clean(run("ask", lines[-2], *where, terminal=True).stdout)
        piped = "\n".join([*lines, f"/list --since {entry_date(field)} --until {entry_date(field)}"]) + "\n"
        assert_json_clean(run("chat", "--json", *where, stdin=piped).stdout, lines=True)
        assert_terminal_clean(run("chat", *where, stdin=piped, terminal=True).stdout)
        if asked.exit_code == 0:
            assert json.loads(asked.stdout)["citations"], "the question reached the catalogue"
    finally:
        shutil.rmtree(work, ignore_errors=True)
