"""Faults during rebuilds, tried through the real CLI: SIGKILL, a full disk, two writers, a chat reading.

The guarantees: the index a reader loads is always a complete generation (the previous one until the
new one is swapped in); the next command repairs or finishes the work; a failure is one clear line and
exit 1, never a traceback. The embeddings tests (test_embeddings_crash.py) kill update_index at every
durable step with a fake encoder; these kill `python -m cli rebuild` with the real model at random
moments of its encoding and of its write/swap, and run chat and rebuild side by side.
"""

from __future__ import annotations

import errno
import json
import os
import pathlib
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import embeddings._fs
from embeddings import open_index
from embeddings._fs import exclusive_lock
from qa.catalogue.load import load_catalogue
from qa.service import documents

from .conftest import ROOT
from .test_reliability_support import (
    QUESTION,
    SMALL,
    answer,
    assert_cites_existing,
    assert_clean_failure,
    bundled,
    cli,
    ids_of,
    leftovers,
    live_generation,
    live_keys,
    small_index,
    subset,
    write_catalogue,
)

pytestmark = pytest.mark.slow
ADDED = (  # ten more entries: about a second of encoding, time enough to be killed in
    "2021-07-26-tools-on-intellectual-property-for",
    "2021-11-08-ip-tools-and-support-for",
    "2021-02-18-a-proposal-to-simplify-duty",
    "2021-09-24-canadas-low-value-shipments-policy",
    "2022-10-12-low-value-shipment-duty-tax",
    "2021-06-24-msme-provisions-in-regional-trade",
    "2022-02-08-unlocking-financial-inclusion-for-msmes",
    "2022-10-13-cross-border-payments-for-msmes",
    "2022-02-08-greentocompete",
    "2021-09-24-sme-africa-strategies",
)


@pytest.fixture
def small(built_index: Path, tmp_path: Path) -> tuple[Path, Path]:
    return small_index(built_index, tmp_path)


def start_cli(*args: str, env: dict[str, str] | None = None, stdin: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )


class Drain:
    """Reads a pipe on a thread so the child never blocks and the test can watch what it wrote."""

    def __init__(self, stream) -> None:
        self.text = ""
        self.lines: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        buffer = ""
        while chunk := stream.read(1):
            self.text += chunk
            buffer += chunk
            if chunk == "\n":
                self.lines.put(buffer)
                buffer = ""

    def join(self) -> str:
        self._thread.join(timeout=30)
        return self.text


def wait_for(condition, timeout: float, interval: float = 0.001) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def assert_complete(index: Path, allowed: list[list[str]], catalogue_docs: dict[str, list]) -> list[str]:
    """The index a reader would load now is whole: one of the allowed key lists, hashes as built."""
    loaded = open_index(index)
    keys = loaded.keys()
    assert keys in allowed, f"a half-updated index: {keys}"
    for doc in catalogue_docs[tuple(keys)]:
        assert loaded.content_hash(doc.key) == doc.content_hash()
    return keys


# --- SIGKILL ----------------------------------------------------------------------------------------


def phase_started(moment: str, proc: subprocess.Popen[str], err: Drain, index: Path):
    """When the rebuild has reached ``moment`` (or ended): a condition for :func:`wait_for`."""
    if moment == "encoding":  # the bar shows "encoding N texts of 10 entries" once the model is loaded
        return lambda: "texts of 10 entries" in err.text or proc.poll() is not None
    # a generation being written shows up as a temp dir beside the live one (not one a killed writer left)
    left = {p.name for p in index.iterdir()}
    return lambda: (
        proc.poll() is not None or any(p.name.startswith(".tmp-gen") and p.name not in left for p in index.iterdir())
    )


def test_rebuilds_killed_while_encoding_or_swapping_leave_a_usable_index(small: tuple[Path, Path]) -> None:
    """Kill `msme-qa rebuild` at random moments; after each, the index is the old or the new one, whole."""
    catalogue, index = small
    old_docs = documents(load_catalogue(catalogue))
    write_catalogue(catalogue, subset(SMALL + ADDED))
    new_docs = documents(load_catalogue(catalogue))
    allowed = [[d.key for d in old_docs], [d.key for d in new_docs]]
    by_keys = {tuple(allowed[0]): old_docs, tuple(allowed[1]): new_docs}
    seed = int(os.environ.get("MSME_QA_KILL_SEED") or random.randrange(1 << 30))
    print(f"kill moments drawn with MSME_QA_KILL_SEED={seed}")  # shown when the test fails: rerun with it
    rng = random.Random(seed)
    # (phase, delay range in seconds): encoding ten entries takes about a second; the write and swap
    # about 0.1-0.2 s (vectors, documents, manifest, fsyncs, rename, CURRENT replaced): the last range often
    # falls after the swap, and the index must then be the new one, whole.
    moments = [("encoding", 0.0, 0.8), ("encoding", 0.0, 0.8), ("writing", 0.0, 0.02), ("writing", 0.02, 0.5)]
    outcomes = []
    for moment, low, high in moments:
        proc = start_cli("rebuild", "--catalogue", str(catalogue), "--index", str(index), env={"TTY_COMPATIBLE": "1"})
        err = Drain(proc.stderr)
        assert wait_for(phase_started(moment, proc, err, index), timeout=120), err.text
        time.sleep(rng.uniform(low, high))
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        err.join()
        assert "Traceback" not in err.text, err.text
        keys = assert_complete(index, allowed, by_keys)
        outcomes.append((moment, "finished" if finished else "killed", "new" if keys == allowed[1] else "old"))
        if keys == allowed[1]:  # the kill came after the swap: start the next round from the old index again
            write_catalogue(catalogue, subset(SMALL))
            assert cli("rebuild", "--catalogue", str(catalogue), "--index", str(index)).exit_code == 0
            write_catalogue(catalogue, subset(SMALL + ADDED))
    print("kill outcomes:", outcomes)
    assert any(o[1] == "killed" for o in outcomes)

    # The next command notices the catalogue is ahead of the index, updates it and answers from it.
    result = cli("ask", QUESTION, "--json", "--catalogue", str(catalogue), "--index", str(index))
    data = answer(result, catalogue)
    assert data["citations"][0]["id"] == SMALL[0]
    assert live_keys(index) == allowed[1]
    assert not leftovers(index), leftovers(index)


# --- a full disk -----------------------------------------------------------------------------------


class FullDisk:
    """Every way a rebuild writes bytes (numpy.save, the fsynced writes, the manifest, hard links, fsync)
    counted; the ``fail_at``-th fails with ENOSPC as a full disk would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_at: int = 0) -> None:
        self.calls = 0
        self.fail_at = fail_at
        self.swapped = False  # whether CURRENT was replaced before the failure
        for owner, name in [
            (np, "save"),
            (embeddings._fs, "write_bytes"),
            (pathlib.Path, "write_text"),
            (os, "link"),
            (os, "fsync"),
        ]:
            monkeypatch.setattr(owner, name, self._failing(getattr(owner, name)))
        real_replace = os.replace

        def replace_noting(src, dst, *args, **kwargs):
            if str(dst).endswith("CURRENT"):
                self.swapped = True
            return real_replace(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "replace", replace_noting)

    def _failing(self, real):
        def write(*args, **kwargs):
            self.calls += 1
            if self.calls == self.fail_at:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(*args, **kwargs)

        return write


def touch(path: Path) -> None:
    """A new modification time: the index's record of its source is out of date, nothing to encode."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_full_disk_during_a_rebuild_keeps_the_previous_index_and_says_so(
    small: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue, index = small
    args = ["rebuild", "--catalogue", str(catalogue), "--index", str(index)]
    touch(catalogue)
    with monkeypatch.context() as patch:
        counting = FullDisk(patch)
        assert cli(*args).exit_code == 0
    writes = counting.calls
    assert writes >= 8, writes

    for fail_at in range(1, writes + 1):  # every write of a rebuild with nothing to encode
        touch(catalogue)
        before = live_generation(index)
        with monkeypatch.context() as patch:
            disk = FullDisk(patch, fail_at)
            result = cli(*args)
        assert_clean_failure(result, 1, "no space left on device", "free some disk space")
        assert live_generation(index) == before or disk.swapped, f"write {fail_at} changed the live index"
        assert live_keys(index) == ids_of(catalogue)

    # A rebuild that encodes: the disk fills when the new vectors are saved.
    cat = bundled()
    edited = replace(
        cat,
        entries=tuple(
            replace(e, summary=e.summary + " Figures were updated in 2023.") if e.id == SMALL[1] else e
            for e in cat.entries
            if e.id in SMALL
        ),
    )
    write_catalogue(catalogue, edited)
    before = live_generation(index)
    with monkeypatch.context() as patch:
        patch.setattr(np, "save", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left")))
        result = cli("ask", QUESTION, "--json", *args[1:])
    assert_clean_failure(result, 1, "updating the index", "no space left on device", "free some disk space")
    assert live_generation(index) == before and not leftovers(index)
    wanted = {d.key: d.content_hash() for d in documents(load_catalogue(catalogue))}[SMALL[1]]
    assert open_index(index).content_hash(SMALL[1]) != wanted

    # Space again: the next command updates the index and answers.
    data = answer(cli("ask", QUESTION, "--json", *args[1:]), catalogue)
    assert data["citations"][0]["id"] == SMALL[0]
    assert open_index(index).content_hash(SMALL[1]) == wanted


# --- two writers -----------------------------------------------------------------------------------


def test_two_rebuilds_at_once_take_turns(small: tuple[Path, Path]) -> None:
    catalogue, index = small
    write_catalogue(catalogue, subset(SMALL + ADDED))
    args = ["rebuild", "--json", "--catalogue", str(catalogue), "--index", str(index)]
    first, second = start_cli(*args), start_cli(*args)
    out1, err1 = first.communicate(timeout=180)
    out2, err2 = second.communicate(timeout=180)
    assert (first.returncode, second.returncode) == (0, 0), (err1, err2)
    reports = [json.loads(out1), json.loads(out2)]
    assert sorted(r["encoded"] for r in reports) == [0, len(ADDED)], "the second saw the first one's work"
    assert live_keys(index) == ids_of(catalogue)
    assert not leftovers(index)


def test_a_rebuild_that_cannot_get_the_lock_says_what_to_do(
    small: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue, index = small
    touch(catalogue)
    monkeypatch.setattr("embeddings.build.exclusive_lock", lambda path, timeout: exclusive_lock(path, 0.3))
    with exclusive_lock(index / ".lock", timeout=1):
        result = cli("rebuild", "--catalogue", str(catalogue), "--index", str(index))
    assert_clean_failure(result, 1, "another rebuild is updating the index", "msme-qa rebuild")
    assert live_keys(index) == ids_of(catalogue)


# --- a chat session while the index is swapped -------------------------------------------------------


def test_a_chat_keeps_answering_while_rebuilds_swap_the_index_under_it(small: tuple[Path, Path]) -> None:
    catalogue, index = small
    chat = start_cli("chat", "--json", "--catalogue", str(catalogue), "--index", str(index), stdin=True)
    out, err = Drain(chat.stdout), Drain(chat.stderr)
    assert chat.stdin is not None
    asked: list[tuple[str, float]] = []
    answers: list[tuple[dict, float]] = []

    def ask(question: str) -> None:
        asked.append((question, time.monotonic()))
        chat.stdin.write(question + "\n")
        chat.stdin.flush()

    def collect(seconds: float) -> None:
        """Gather answers for ``seconds`` (questions are fed slowly), then wait for any still due."""
        deadline = time.monotonic() + seconds
        while (pending := len(asked) - len(answers)) or time.monotonic() < deadline:
            try:
                line = out.lines.get(timeout=90 if pending else max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                assert not pending, f"no answer within 90 s: {err.text}"
                continue
            answers.append((json.loads(line), time.monotonic()))

    questions = [QUESTION, "Who presented on cyber security?", "What is Bahrain's ETR law?", "What is MLETR?"]
    ask(questions[0])
    collect(0)  # the session is up: index verified, query encoder loaded

    # 1. A full rebuild of the same catalogue swaps in a new generation; the chat does not reload.
    rebuild = start_cli("rebuild", "--full", "--catalogue", str(catalogue), "--index", str(index))
    k = 0
    while rebuild.poll() is None:
        ask(questions[k % len(questions)])
        k += 1
        collect(0.3)
    assert rebuild.returncode == 0, rebuild.stderr.read()

    # 2. The catalogue loses an entry and gains two; a second rebuild swaps again (the chat's
    # generation is collected) while the chat notices the file changed and reloads.
    removed = SMALL[0]
    staged = write_catalogue(catalogue.with_name("staged.txt"), subset(SMALL[1:] + ADDED[:2]))
    os.replace(staged, catalogue)  # as an editor saves: the chat never reads a half-written file
    edited_at = time.monotonic()
    rebuild = start_cli("rebuild", "--catalogue", str(catalogue), "--index", str(index))
    while rebuild.poll() is None or k < 12:
        ask(questions[k % len(questions)])
        k += 1
        collect(0.3)
    assert rebuild.returncode == 0, rebuild.stderr.read()
    ask(QUESTION)
    collect(0)
    chat.stdin.close()
    assert chat.wait(timeout=60) == 0, err.join()
    stderr = err.join()

    assert len(answers) == len(asked), (asked, stderr)
    assert "Traceback" not in stderr and "unexpected error" not in stderr, stderr
    old_ids, new_ids = list(SMALL), ids_of(catalogue)
    for (question, sent), (data, _) in zip(asked, answers, strict=True):
        assert "error" not in data, data
        assert data["question"] == question
        assert_cites_existing(data, new_ids if sent > edited_at else old_ids + new_ids)
    assert answers[0][0]["citations"][0]["id"] == removed
    assert removed not in [c["id"] for c in answers[-1][0]["citations"]]
    assert "reloading" in stderr
    assert live_keys(index) == new_ids
