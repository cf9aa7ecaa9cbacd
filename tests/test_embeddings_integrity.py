"""Damaged, missing or foreign index files are detected from the manifest before FAISS or onnxruntime
read them, and the next rebuild repairs them."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from embeddings import (
    Document,
    EmbeddingsError,
    IndexCorrupt,
    IndexMismatch,
    IndexMissing,
    open_index,
    update_index,
)
from embeddings.ann import HNSW
from embeddings.layout import manifest_checksum
from embeddings.testing import HashEncoder, shared_export_cache, shared_onnx_dir

DOCS = [Document(f"k{i}", (f"Sentence {i} about trade.", f"Another sentence {i}.")) for i in range(30)]
GEN = "gen-000001"
FILES = [
    "manifest.json",
    "documents.json",
    "vectors.npy",
    "index.faiss",
    "encoder/model.onnx",
    "encoder/tokenizer.json",
    "encoder/encoder.json",
]


def fake(ref: object) -> HashEncoder:
    return HashEncoder()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An HNSW index (so index.faiss exists) with a real query encoder, built once."""
    shared_onnx_dir(None)
    index_dir = tmp_path_factory.mktemp("pristine") / "index"
    update_index(index_dir, DOCS, encoder_factory=fake, encoder_cache=shared_export_cache(), index_type=HNSW)
    return index_dir


@pytest.fixture
def index_dir(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "index", copy_function=os.link))


@pytest.fixture
def no_binary_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if FAISS or onnxruntime opens a file: damage must be caught before that."""
    import faiss
    import onnxruntime

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a damaged file reached FAISS or onnxruntime")

    monkeypatch.setattr(faiss, "read_index", refuse)
    monkeypatch.setattr(onnxruntime, "InferenceSession", refuse)


def private(path: Path) -> Path:
    """Give ``path`` its own inode so damaging it leaves the hard-linked original intact."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)
    return path


def truncate(path: Path) -> None:
    private(path).write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_a_byte(path: Path) -> None:
    data = bytearray(private(path).read_bytes())
    data[len(data) * 2 // 3] ^= 0x01
    path.write_bytes(bytes(data))


def delete(path: Path) -> None:
    path.unlink()


DAMAGE: dict[str, Callable[[Path], None]] = {"truncated": truncate, "bit-flipped": flip_a_byte, "missing": delete}


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("how", list(DAMAGE))
def test_damage_is_detected_before_binary_reads(index_dir: Path, name: str, how: str, no_binary_reads: None) -> None:
    DAMAGE[how](index_dir / GEN / name)
    with pytest.raises(IndexCorrupt) as caught:
        open_index(index_dir)
    assert caught.value.path.name == Path(name).name
    message = str(caught.value)
    assert "msme-qa rebuild --full" in message and "\n" not in message


@pytest.mark.parametrize("name", ["vectors.npy", "documents.json", "manifest.json"])
def test_the_next_rebuild_re_encodes_when_vectors_are_in_doubt(index_dir: Path, name: str) -> None:
    flip_a_byte(index_dir / GEN / name)
    report = update_index(index_dir, DOCS, encoder_factory=fake, encoder_cache=shared_export_cache(), index_type=HNSW)
    assert report.full and report.encoded == len(DOCS)
    assert report.reason is not None and name in report.reason
    index = open_index(index_dir)
    assert index.generation == "gen-000002" and index.keys() == [d.key for d in DOCS]


@pytest.mark.parametrize("name", ["index.faiss", "encoder/model.onnx"])
def test_derived_files_are_replaced_without_re_encoding(index_dir: Path, name: str) -> None:
    """The FAISS index and the query encoder derive from intact vectors and model: rebuilt, not re-encoded."""
    flip_a_byte(index_dir / GEN / name)
    report = update_index(index_dir, DOCS, encoder_factory=fake, encoder_cache=shared_export_cache(), index_type=HNSW)
    assert (report.encoded, report.written, report.generation) == (0, True, "gen-000002")
    hit = open_index(index_dir).search(HashEncoder().vector("Sentence 3 about trade."), k=1)[0]
    assert (hit.key, hit.position) == ("k3", 0)


def test_no_current_pointer_means_no_index(index_dir: Path) -> None:
    (index_dir / "CURRENT").unlink()
    with pytest.raises(IndexMissing, match="run `msme-qa rebuild`"):
        open_index(index_dir)


def test_a_garbled_current_pointer_is_corruption(index_dir: Path) -> None:
    private(index_dir / "CURRENT").write_text("../../etc\n")
    with pytest.raises(IndexCorrupt, match="does not name a generation"):
        open_index(index_dir)


def test_a_pointer_to_a_vanished_generation_is_corruption(index_dir: Path) -> None:
    shutil.rmtree(index_dir / GEN)
    with pytest.raises(IndexCorrupt, match="is missing"):
        open_index(index_dir)


def rewrite_manifest(index_dir: Path, **changes: object) -> None:
    path = index_dir / GEN / "manifest.json"
    manifest = {**json.loads(path.read_text()), **changes}
    manifest["manifest_sha256"] = manifest_checksum(manifest)
    path.unlink()
    path.write_text(json.dumps(manifest))


def test_an_unknown_format_version_is_a_mismatch(index_dir: Path, no_binary_reads: None) -> None:
    rewrite_manifest(index_dir, format_version=99)
    with pytest.raises(IndexMismatch, match="format version 99"):
        open_index(index_dir)


def test_another_model_is_a_mismatch(index_dir: Path, no_binary_reads: None) -> None:
    manifest = json.loads((index_dir / GEN / "manifest.json").read_text())
    rewrite_manifest(index_dir, model={**manifest["model"], "id": "other", "fingerprint": "0" * 64})
    with pytest.raises(IndexMismatch, match="built with the model 'other'"):
        open_index(index_dir)


def test_a_manifest_that_is_not_json_is_corruption(index_dir: Path) -> None:
    private(index_dir / GEN / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorrupt, match="is not valid JSON"):
        open_index(index_dir)


def test_a_wrong_dimension_is_caught(index_dir: Path, no_binary_reads: None) -> None:
    manifest = json.loads((index_dir / GEN / "manifest.json").read_text())
    rewrite_manifest(index_dir, model={**manifest["model"], "dim": 768})
    with pytest.raises(EmbeddingsError, match="expected float32"):
        open_index(index_dir)
