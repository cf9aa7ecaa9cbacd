"""Crash safety and concurrency: SIGKILL at every durable step, concurrent writers, readers during writes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from embeddings import Document, IndexLocked, open_index, update_index
from embeddings._fs import exclusive_lock
from embeddings.layout import iter_generations
from embeddings.testing import HashEncoder, shared_export_cache, shared_onnx_dir

REPO = Path(__file__).resolve().parents[1]
OLD = [Document(f"k{i}", (f"Old sentence {i}.", f"Second old sentence {i}.")) for i in range(40)]
NEW = [*OLD[5:20], Document("k20", ("A corrected sentence.",)), *OLD[21:], Document("n1", ("A new entry.",))]

# Runs update_index in a child process that SIGKILLs itself just before its Nth durable filesystem
# step (fsync, rename, replace, link), or sleeps inside the encoder so the parent can kill it.
CHILD = """
import json, os, signal, sys, time
from embeddings import Document, update_index
from embeddings.testing import HashEncoder
index_dir, docs_file, cache, kill_at, delay = sys.argv[1:6]
kill_at, delay, steps = int(kill_at), float(delay), 0
def killing(real):
    def step(*args, **kwargs):
        global steps
        steps += 1
        if steps == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return step
for name in ("fsync", "rename", "replace", "link"):
    setattr(os, name, killing(getattr(os, name)))
class Announcing(HashEncoder):
    def encode(self, texts):
        print("encoding", flush=True)
        return super().encode(texts)
docs = [Document(k, tuple(t)) for k, t in json.load(open(docs_file))]
report = update_index(index_dir, docs, encoder_factory=lambda ref: Announcing(delay=delay),
                      encoder_cache=cache, lock_timeout=60)
print(json.dumps({"steps": steps, "encoded": report.encoded, "generation": report.generation}), flush=True)
"""


def fake(ref: object) -> HashEncoder:
    return HashEncoder()


def child(index_dir: Path, docs: list[Document], tmp_path: Path, kill_at: int = 0, delay: float = 0.0):
    docs_file = tmp_path / f"docs-{len(docs)}-{kill_at}-{delay}.json"
    docs_file.write_text(json.dumps([[d.key, list(d.texts)] for d in docs]))
    args = [str(index_dir), str(docs_file), str(shared_export_cache()), str(kill_at), str(delay)]
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def assert_consistent(index_dir: Path, allowed: list[list[Document]]) -> list[Document]:
    """The index loads, holds exactly one of the allowed document sets, with the right vectors."""
    index = open_index(index_dir)
    matching = [docs for docs in allowed if index.keys() == [d.key for d in docs]]
    assert matching, f"unexpected keys {index.keys()[:5]}..."
    encoder = HashEncoder()
    for doc in matching[0]:
        np.testing.assert_allclose(index.vectors(doc.key), encoder.encode(list(doc.texts)), atol=1e-6)
    return matching[0]


def assert_clean(index_dir: Path) -> None:
    assert not [p.name for p in index_dir.iterdir() if p.name.startswith(".tmp")]
    assert len(iter_generations(index_dir)) <= 2


@pytest.fixture
def old_index(tmp_path: Path) -> Path:
    shared_onnx_dir(None)
    index_dir = tmp_path / "index"
    update_index(index_dir, OLD, encoder_factory=fake, encoder_cache=shared_export_cache())
    return index_dir


def test_sigkill_at_every_durable_step_leaves_a_usable_index(old_index: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    update_index(probe, OLD, encoder_factory=fake, encoder_cache=shared_export_cache())
    proc = child(probe, NEW, tmp_path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    steps = json.loads(out.splitlines()[-1])["steps"]
    assert steps >= 8, steps
    print("durable steps:", steps)

    for kill_at in range(1, steps + 1):
        proc = child(old_index, NEW, tmp_path, kill_at=kill_at)
        proc.communicate(timeout=120)
        assert proc.returncode == -signal.SIGKILL, f"step {kill_at} did not kill"
        assert_consistent(old_index, [OLD, NEW])

    report = update_index(old_index, NEW, encoder_factory=fake, encoder_cache=shared_export_cache())
    assert assert_consistent(old_index, [NEW]) == NEW
    assert report.entries == len(NEW)
    assert_clean(old_index)


def test_sigkill_while_encoding_then_the_next_rebuild_finishes(old_index: Path, tmp_path: Path) -> None:
    proc = child(old_index, NEW, tmp_path, delay=30)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "encoding"
    proc.kill()
    proc.communicate(timeout=30)
    assert [d.key for d in assert_consistent(old_index, [OLD])] == [d.key for d in OLD]
    report = update_index(old_index, NEW, encoder_factory=fake, encoder_cache=shared_export_cache())
    assert (report.added, report.changed, report.removed) == (1, 1, 5)
    assert_consistent(old_index, [NEW])
    assert_clean(old_index)


def test_two_concurrent_rebuilds_take_turns(old_index: Path, tmp_path: Path) -> None:
    other = [*NEW, Document("n2", ("Another new entry.",))]
    first = child(old_index, NEW, tmp_path, delay=1.0)
    assert first.stdout is not None and first.stdout.readline().strip() == "encoding"
    second = child(old_index, other, tmp_path, delay=0.2)  # waits for the lock
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=120)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    report1, report2 = json.loads(out1.splitlines()[-1]), json.loads(out2.splitlines()[-1])
    assert (report1["generation"], report2["generation"]) == ("gen-000002", "gen-000003")
    assert report2["encoded"] == 1, "the second rebuild saw the first one's result"
    assert_consistent(old_index, [other])
    assert_clean(old_index)


def test_a_held_lock_times_out_with_a_clear_message(old_index: Path) -> None:
    with exclusive_lock(old_index / ".lock", timeout=1), pytest.raises(IndexLocked) as caught:
        update_index(old_index, NEW, encoder_factory=fake, lock_timeout=0.3)
    message = str(caught.value)
    assert "Another rebuild is updating the index" in message and "msme-qa rebuild" in message
    assert_consistent(old_index, [OLD])


def test_readers_never_see_a_half_written_index(old_index: Path, tmp_path: Path) -> None:
    """A reader process loads the index in a loop while this process rebuilds it repeatedly."""
    reader = f"""
import time, sys
from embeddings import open_index
loads, deadline = 0, time.monotonic() + 4
while time.monotonic() < deadline:
    index = open_index({str(old_index)!r}, with_encoder=False)
    assert len(index.keys()) in ({len(OLD)}, {len(NEW)}), len(index.keys())
    loads += 1
print(loads)
"""
    proc = subprocess.Popen([sys.executable, "-c", reader], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    time.sleep(0.5)
    rebuilds = 0
    while proc.poll() is None and rebuilds < 40:
        update_index(old_index, NEW if rebuilds % 2 == 0 else OLD, encoder_factory=fake,
                     encoder_cache=shared_export_cache())  # fmt: skip
        rebuilds += 1
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert int(out) > 5 and rebuilds > 5
    assert_clean(old_index)


def test_garbage_from_a_killed_writer_is_collected(old_index: Path) -> None:
    (old_index / ".tmp-gen-left-behind").mkdir()
    (old_index / ".tmp-gen-left-behind" / "vectors.npy").write_bytes(b"partial")
    (old_index / "gen-000099").mkdir()  # renamed but never made current
    update_index(old_index, NEW, encoder_factory=fake, encoder_cache=shared_export_cache())
    assert sorted(p.name for p in old_index.iterdir() if not p.name.startswith(".lock")) == [
        "CURRENT",
        "gen-000001",
        "gen-000002",
    ]
    assert_consistent(old_index, [NEW])
