"""An index you did not build: a manifest whose checksum is valid but which names files outside its
generation (``../``, absolute paths, symlinks that lead out) is refused as corrupt before any of them is
opened, and is never used to decide what to delete. First the embeddings package, then the real CLI."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from embeddings import Document, IndexCorrupt, open_index, update_index
from embeddings._fs import sha256_file
from embeddings.layout import manifest_checksum
from embeddings.testing import HashEncoder, shared_export_cache, shared_onnx_dir

from .test_reliability_support import QUESTION, answer, cli, live_generation, small_index

DOCS = [Document(f"k{i}", (f"Sentence {i} about trade.",)) for i in range(10)]
GEN = "gen-000001"


def fake(ref: object) -> HashEncoder:
    return HashEncoder()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared_onnx_dir(None)
    index_dir = tmp_path_factory.mktemp("pristine") / "index"
    update_index(index_dir, DOCS, encoder_factory=fake, encoder_cache=shared_export_cache())
    return index_dir


@pytest.fixture
def index_dir(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "index", copy_function=os.link))


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file of the user's, outside the index, that a hostile manifest points at."""
    path = tmp_path / "secret.txt"
    path.write_text("the user's own file\n")
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the index code hashes, and a failure if numpy or FAISS is asked to read one."""
    import faiss
    import numpy as np

    from embeddings import layout

    seen: list[Path] = []

    def recording(path: Path) -> str:
        seen.append(Path(path))
        return sha256_file(path)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file of a refused index was read")

    monkeypatch.setattr(layout, "sha256_file", recording)
    monkeypatch.setattr(np, "load", refuse)
    monkeypatch.setattr(faiss, "read_index", refuse)
    return seen


def sign(gen: Path, **files: dict) -> None:
    """Add ``files`` to the manifest of ``gen`` and give it a valid checksum, as a careful forger would."""
    path = gen / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["files"].update(files)
    manifest["manifest_sha256"] = manifest_checksum(manifest)
    path.unlink()  # the file is hard-linked with the pristine copy: replace it, do not write into it
    path.write_text(json.dumps(manifest))


def record(path: Path) -> dict:
    return {"size": path.stat().st_size, "sha256": sha256_file(path)}


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "encoder-dotdot"])
def test_a_signed_manifest_naming_a_file_outside_is_refused_before_anything_is_read(index_dir, secret, opened, kind):
    name = {
        "dotdot": "../../secret.txt",
        "absolute": str(secret),
        "encoder-dotdot": "encoder/../../../secret.txt",
    }[kind]
    sign(index_dir / GEN, **{name: record(secret)})  # size and sha256 right: only the name is wrong
    with pytest.raises(IndexCorrupt, match="names a file outside its generation") as caught:
        open_index(index_dir)
    assert "\n" not in str(caught.value) and "msme-qa rebuild --full" in str(caught.value)
    assert opened == [], "nothing listed was hashed, let alone read"


def test_a_symlink_that_leaves_the_generation_is_refused(index_dir, tmp_path, opened):
    vectors = index_dir / GEN / "vectors.npy"
    outside = tmp_path / "outside-vectors.npy"
    shutil.copyfile(vectors, outside)  # the same bytes: size and sha256 still match the manifest
    vectors.unlink()
    vectors.symlink_to(outside)
    with pytest.raises(IndexCorrupt, match=r"names a file outside its generation \('vectors.npy'\)"):
        open_index(index_dir)
    assert opened == []


def test_a_generation_that_is_a_symlink_is_refused(index_dir, tmp_path):
    elsewhere = Path(shutil.copytree(index_dir / GEN, tmp_path / "elsewhere"))
    shutil.rmtree(index_dir / GEN)
    (index_dir / GEN).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(IndexCorrupt, match="is a symbolic link"):
        open_index(index_dir)


def test_a_rebuild_over_a_hostile_index_deletes_nothing_outside_it(index_dir, tmp_path, secret):
    """Links planted where the writer cleans up (old generations, temp dirs) are unlinked, not followed."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep me\n")
    (index_dir / "gen-000000").symlink_to(victim, target_is_directory=True)
    (index_dir / ".tmp-gen-planted").symlink_to(victim, target_is_directory=True)
    sign(index_dir / GEN, **{"../../secret.txt": record(secret)})
    report = update_index(index_dir, DOCS, encoder_factory=fake, encoder_cache=shared_export_cache())
    assert report.full and "outside its generation" in (report.reason or "")
    assert open_index(index_dir).keys() == [d.key for d in DOCS]
    assert (victim / "keep.txt").read_text() == "keep me\n" and secret.read_text() == "the user's own file\n"
    assert not (index_dir / "gen-000000").is_symlink() and not (index_dir / ".tmp-gen-planted").exists()


# --- through the real CLI ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_cli_refuses_a_hostile_index_says_so_and_answers_from_a_fresh_one(built_index, tmp_path, secret):
    catalogue, index = small_index(built_index, tmp_path)
    gen = live_generation(index)
    sign(gen, **{"../../secret.txt": record(secret)})
    result = cli("ask", QUESTION, "--json", "--catalogue", str(catalogue), "--index", str(index))
    data = answer(result, catalogue)  # exit 0, every citation an entry of the catalogue
    assert "AUD 1,000" in data["answer"]
    assert "the index is damaged (manifest.json names a file outside its generation" in result.stderr
    assert "building the index again" in result.stderr
    assert live_generation(index) != gen and secret.read_text() == "the user's own file\n"

    # The rebuilt index, then a symlink planted in it: `rebuild` replaces it and says why.
    vectors = live_generation(index) / "vectors.npy"
    outside = tmp_path / "vectors-outside.npy"
    shutil.copyfile(vectors, outside)
    vectors.unlink()
    vectors.symlink_to(outside)
    rebuilt = cli("rebuild", "--json", "--catalogue", str(catalogue), "--index", str(index))
    assert rebuilt.exit_code == 0, rebuilt.stderr
    report = json.loads(rebuilt.stdout)
    assert report["full"] and "outside its generation ('vectors.npy')" in report["reason"]
    assert outside.exists() and open_index(index).keys()
