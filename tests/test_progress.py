"""Progress on long work, through the real CLI: plain phase lines when stderr is a pipe, a bar on a terminal.

Building the index loads the model, encodes every text, exports the query encoder (once per model) and
writes the index. Those phases go to stderr, never stdout: `--json` output stays parseable.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from .conftest import ROOT, SEED
from .test_reliability_support import clone_index

pytestmark = pytest.mark.slow
TIMEOUT = 300  # seconds: two full builds with the real model on a slow, shared machine
TEXTS = "288 texts of 48 entries"  # the bundled catalogue: 48 entries, each embedded whole and sentence by sentence


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
        timeout=TIMEOUT,
    )


def test_off_a_terminal_a_first_build_and_a_rebuild_print_one_plain_line_per_phase(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = run("ask", "--json", "--catalogue", str(SEED), "--index", str(index), "What is MLETR?")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["citations"], "stdout is the answer object alone"
    assert first.stderr.splitlines() == [
        "msme-qa: no index for this catalogue and model yet; building the index (10-20 s, once)",
        "msme-qa: exporting the query encoder (once per model)",  # a fresh cache dir: nothing to reuse
        "msme-qa: loading the model",  # the export, which then encodes the catalogue too
        f"msme-qa: encoding {TEXTS}",
        "msme-qa: writing the index",
        "msme-qa: index updated: 48 added, 0 changed, 0 removed",
    ]

    again = run("rebuild", "--full", "--json", "--catalogue", str(SEED), "--index", str(index))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["encoded"] == 48, "stdout is the report alone"
    # The query encoder is reused from the live index: no export this time.
    assert again.stderr.splitlines() == [
        "msme-qa: loading the model",
        f"msme-qa: encoding {TEXTS}",
        "msme-qa: writing the index",
    ]
    assert "\x1b" not in again.stderr, "no escape codes in a log"

    nothing = run("rebuild", "--catalogue", str(SEED), "--index", str(index))
    assert nothing.returncode == 0 and nothing.stderr == "", "a rebuild with nothing to do says only its result"
    assert "(nothing to do)" in nothing.stdout


def test_on_a_terminal_rebuild_shows_a_bar_that_follows_the_phases(built_index: Path, tmp_path: Path) -> None:
    index = clone_index(built_index, tmp_path / "index")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TTY_COMPATIBLE")}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "cli", "rebuild", "--full", "--catalogue", str(SEED), "--index", str(index)],
        cwd=str(ROOT),
        env={**env, "TERM": "xterm"},
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(24, 120),
    )
    child.logfile_read = transcript = io.StringIO()
    child.expect_exact("loading the model")
    child.expect_exact(f"encoding {TEXTS}")
    child.expect(r"(\d+)/288 texts")  # the count advances chunk by chunk
    counts = [int(child.match.group(1))]
    while counts[-1] < 288:
        child.expect(r"(\d+)/288 texts")
        counts.append(int(child.match.group(1)))
    assert counts == sorted(counts) and len(set(counts)) > 2, counts
    child.expect_exact("writing the index")
    child.expect_exact("48 entries: 0 added, 0 changed, 0 removed, 48 unchanged (48 embedded)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    # Drawn in place (erase line, carriage return), and erased before the report is printed.
    drawn, _, report = transcript.getvalue().rpartition("48 entries: ")
    assert "\x1b[2K" in drawn and "\r" in drawn
    assert "texts" not in report and "\x1b[2K" in drawn.rsplit("writing the index", 1)[1]
