"""What each command loads: the light ones, and `ask` on a fresh index, never import torch.

Importing torch + sentence-transformers costs ~5 s; the query path (onnxruntime + tokenizers) does
without them. Each command runs in a real subprocess behind a launcher that makes torch,
transformers and sentence_transformers unimportable *and* records every attempt, so an import that
some code catches and shrugs off (``try: import torch except ImportError``) is still caught.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

BLOCKED = ("torch", "transformers", "sentence_transformers")
WATCHED = (*BLOCKED, "numpy", "faiss", "onnxruntime", "tokenizers", "pydantic", "docx", "mcp", "anyio")

# argv: report-file, then the msme-qa arguments (or `--import NAME` to try one import and exit 0).
LAUNCHER = r"""
import atexit, importlib.abc, json, sys

report, args = sys.argv[1], sys.argv[2:]
blocked, watched = BLOCKED, WATCHED
tried = []


class Unimportable(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            tried.append(name)
            raise ModuleNotFoundError(f"{name} is unimportable in this test", name=name)
        return None


sys.meta_path.insert(0, Unimportable())
for name in list(sys.modules):
    if name.partition(".")[0] in blocked:
        del sys.modules[name]


def write_report():
    with open(report, "w") as fh:
        json.dump({"tried": tried, "loaded": sorted(m for m in watched if m in sys.modules)}, fh)


atexit.register(write_report)
if args[:1] == ["--import"]:
    try:
        __import__(args[1])
    except ImportError:
        pass
    sys.exit(0)
sys.argv = ["msme-qa", *args]
from cli.app import main

main()
""".replace("BLOCKED, WATCHED", f"{BLOCKED!r}, {WATCHED!r}")


def launch(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    report = tmp_path / "imports.json"
    report.unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(report), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100"},
        timeout=300,
    )
    assert report.exists(), result.stderr
    return result, json.loads(report.read_text())


def test_the_launcher_catches_an_import_even_when_it_is_caught(tmp_path):
    _result, report = launch(tmp_path, "--import", "sentence_transformers")
    assert report["tried"] == ["sentence_transformers"]


LIGHT = {
    "--help": (["--help"], 0, "Commands"),
    "list": (["list", "--catalogue", str(SEED)], 0, "48 presentations"),
    "show": (["show", "2021-05-04-australias", "--catalogue", str(SEED)], 0, "AUD 1,000"),
    "check": (["check", "--catalogue", str(SEED)], 0, "48 entries"),  # exit 0: the seed's one problem is a warning
}


@pytest.mark.parametrize("name", list(LIGHT))
def test_light_commands_load_no_model_library_nor_numpy(tmp_path, name):
    args, code, shown = LIGHT[name]
    result, report = launch(tmp_path, *args)
    assert result.returncode == code, result.stderr
    assert shown in result.stdout
    assert report["tried"] == []
    # Nothing numeric at all: no numpy, FAISS, onnxruntime; no pydantic (see cli/params.py), no MCP SDK.
    assert report["loaded"] == [], report


def test_a_rebuild_with_nothing_to_do_never_imports_torch(tmp_path, built_index):
    result, report = launch(tmp_path, "rebuild", "--json", "--index", str(built_index), "--catalogue", str(SEED))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["encoded"] == 0
    assert report["tried"] == []
    assert not set(report["loaded"]) & {*BLOCKED, "pydantic"}, report


def test_ask_on_a_fresh_index_never_imports_torch(tmp_path, built_index):
    question = "What is Australia's de minimis threshold?"
    result, report = launch(tmp_path, "ask", "--json", "--index", str(built_index), "--catalogue", str(SEED), question)
    assert result.returncode == 0, result.stderr
    assert "AUD 1,000" in json.loads(result.stdout)["answer"]
    assert result.stderr == ""  # fresh: nothing was rebuilt
    assert report["tried"] == []
    assert {"onnxruntime", "tokenizers"} <= set(report["loaded"])
    assert not set(report["loaded"]) & {*BLOCKED, "pydantic"}, report


def test_mcp_on_a_fresh_index_answers_without_torch(tmp_path, built_index):
    """The server loads the SDK (pydantic included) but, with the index up to date, never torch."""
    from .test_mcp import Pipe

    report = tmp_path / "imports.json"
    args = ["mcp", "--index", str(built_index), "--catalogue", str(SEED)]
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(report), *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    pipe = Pipe(proc)
    hello = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}
    pipe.send({"id": 1, "method": "initialize", "params": hello})
    pipe.response(1)
    pipe.send({"method": "notifications/initialized"})
    question = {"name": "ask", "arguments": {"question": "What is Australia's de minimis threshold?"}}
    pipe.send({"id": 2, "method": "tools/call", "params": question})
    assert "AUD 1,000" in pipe.response(2)["result"]["structuredContent"]["answer"]
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.close()
    assert proc.wait(timeout=60) == 0
    stderr = proc.stderr.read().decode()
    assert "building" not in stderr and "updating" not in stderr, stderr  # fresh: nothing was rebuilt
    loaded = json.loads(report.read_text())
    assert loaded["tried"] == []
    assert {"mcp", "pydantic", "onnxruntime"} <= set(loaded["loaded"])
    assert not set(loaded["loaded"]) & set(BLOCKED), loaded
