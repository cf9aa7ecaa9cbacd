"""Helpers shared by the tests/test_reliability_*.py files (this module holds no tests).

The reliability tests run the real CLI (CliRunner in-process, or ``python -m cli`` in a subprocess)
against small catalogues cut from the bundled one. Their indexes start as hard-linked copies of the
session's real index (``built_index``), trimmed by a rebuild that only removes entries: no model load,
no ONNX export. Generation files are immutable, so sharing inodes is safe as long as damage is done
by replacing a file (see :func:`private`), never by writing into it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner, Result

from cli.app import app
from embeddings import open_index
from embeddings.layout import iter_generations
from qa.catalogue.export import to_text
from qa.catalogue.load import load_catalogue
from qa.catalogue.model import Catalogue

from .conftest import ROOT, SEED

runner = CliRunner()
QUESTION = "What is Australia's de minimis threshold?"
# Two small catalogues with no entry in common, cut from the bundled one (entries keep their ids).
SMALL = (
    "2021-05-04-australias-experience-on-goods-and",
    "2021-06-24-bahrains-etr-law",
    "2022-04-07-gca-cybersecurity-toolkit-for-small",
    "2021-06-24-overview-of-the-uncitral-model",
    "2023-03-13-the-climate-impact-of-smes",
)
OTHER = (
    "2021-09-24-global-trade-helpdesk-update",
    "2022-10-13-cross-border-payments-for-msmes",
    "2021-02-18-canadian-sme-cybersecurity-initiatives-programs",
    "2022-02-08-greentocompete",
    "2021-07-26-tools-on-intellectual-property-for",
)


def bundled() -> Catalogue:
    return load_catalogue(SEED)


def subset(ids: tuple[str, ...] | list[str]) -> Catalogue:
    full = bundled()
    return replace(full, entries=tuple(e for e in full.entries if e.id in ids))


def write_catalogue(path: Path, catalogue: Catalogue) -> Path:
    path.write_text(to_text(catalogue), encoding="utf-8")
    return path


def ids_of(path: Path) -> list[str]:
    return [e.id for e in load_catalogue(path).entries]


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """The CLI in-process; stdout and stderr apart."""
    return runner.invoke(app, list(args), env=env)


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 180):
    """``python -m cli ARGS`` in a subprocess (the environment, XDG dirs included, is the test's)."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=timeout,
    )


def assert_clean_failure(result, code: int, *words: str) -> str:
    """Exit ``code`` with one or two lines on stderr, no traceback; returns stderr."""
    stderr = result.stderr
    exit_code = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert exit_code == code, (exit_code, stderr, getattr(result, "stdout", ""))
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 2, stderr
    assert lines[0].startswith("msme-qa: "), stderr
    for word in words:
        assert word.lower() in stderr.lower(), (word, stderr)
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    return stderr


def answer(result, catalogue: Path) -> dict:
    """The JSON answer of a successful ``ask --json``; every citation names an entry of ``catalogue``."""
    exit_code = getattr(result, "exit_code", getattr(result, "returncode", None))
    assert exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    data = json.loads(result.stdout)
    assert_cites_existing(data, ids_of(catalogue))
    return data


def assert_cites_existing(data: dict, ids: list[str]) -> None:
    cited = [c["id"] for c in data["citations"]]
    assert set(cited) <= set(ids), f"cites {set(cited) - set(ids)}, not in the catalogue"
    for sentence in data["sentences"]:
        assert 1 <= sentence["citation"] <= len(cited)


def clone_index(source: Path, dest: Path) -> Path:
    """A copy of an index directory sharing the (immutable) generation files' inodes."""
    shutil.copytree(source, dest, copy_function=os.link)
    return dest


def small_index(built_index: Path, tmp_path: Path, ids: tuple[str, ...] = SMALL, name: str = "small"):
    """(catalogue path, index dir): a small catalogue and its index, trimmed from the real one."""
    catalogue = write_catalogue(tmp_path / f"{name}.txt", subset(ids))
    assert ids_of(catalogue) == [e.id for e in subset(ids).entries]
    index = clone_index(built_index, tmp_path / f"{name}-index")
    result = cli("rebuild", "--json", "--catalogue", str(catalogue), "--index", str(index))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["encoded"] == 0 and report["removed"] == 48 - len(ids)
    return catalogue, index


def live_keys(index: Path) -> list[str]:
    """The keys of the index a reader would load now (fully verified, with the query encoder)."""
    return open_index(index).keys()


def live_generation(index: Path) -> Path:
    return index / (index / "CURRENT").read_text().strip()


def private(path: Path) -> Path:
    """Give ``path`` its own inode, so damaging it leaves hard-linked copies (the session index) intact."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)
    return path


def leftovers(index: Path) -> list[str]:
    """What a killed or failed writer may leave behind: temp dirs, and generations beyond the two kept."""
    temps = [p.name for p in index.iterdir() if p.name.startswith(".tmp")]
    extra = [p.name for p in iter_generations(index)][:-2]
    return temps + extra
