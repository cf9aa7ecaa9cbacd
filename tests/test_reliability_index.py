"""A damaged, foreign or hand-edited index, tried through the real CLI: never an answer from it.

Each test damages the index of a small catalogue, then runs `ask` (or `rebuild`): the damage is
detected from the manifest before anything reads the file, one line on stderr says so, the index is
rebuilt, and the answer cites only entries of the catalogue. The embeddings package's own tests
(test_embeddings_integrity.py) prove detection file by file; these prove what a user sees.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from embeddings.layout import manifest_checksum

from .test_reliability_support import (
    OTHER,
    QUESTION,
    answer,
    cli,
    ids_of,
    live_generation,
    live_keys,
    private,
    small_index,
)

pytestmark = pytest.mark.slow  # the real model re-encodes the small catalogue in each test


@pytest.fixture
def small(built_index: Path, tmp_path: Path) -> tuple[Path, Path]:
    return small_index(built_index, tmp_path)


def manifest_bytes(index: Path) -> bytes | None:
    try:
        return (live_generation(index) / "manifest.json").read_bytes()
    except FileNotFoundError:
        return None


def ask_repairs(catalogue: Path, index: Path, *expected_words: str) -> dict:
    """`ask` on a damaged index: says it rebuilds, then answers from the rebuilt index only."""
    before = manifest_bytes(index)
    result = cli("ask", QUESTION, "--json", "--catalogue", str(catalogue), "--index", str(index))
    data = answer(result, catalogue)
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("msme-qa: ") for line in lines), result.stderr
    for word in expected_words:
        assert word in result.stderr, (word, result.stderr)
    assert manifest_bytes(index) != before, "a new generation was written"
    assert live_keys(index) == ids_of(catalogue)
    assert data["citations"] and data["citations"][0]["id"] == "2021-05-04-australias-experience-on-goods-and"
    return data


def test_a_truncated_vectors_file_is_rebuilt_before_answering(small: tuple[Path, Path]) -> None:
    catalogue, index = small
    vectors = private(live_generation(index) / "vectors.npy")
    vectors.write_bytes(vectors.read_bytes()[:1000])
    ask_repairs(catalogue, index, "damaged", "vectors.npy", "truncated", "building the index")


def test_a_bit_flipped_vectors_file_is_rebuilt_before_answering(small: tuple[Path, Path]) -> None:
    """FAISS would read flipped bytes as a slightly different vector: only the sha256 catches it."""
    catalogue, index = small
    vectors = private(live_generation(index) / "vectors.npy")
    data = bytearray(vectors.read_bytes())
    data[-100] ^= 0x10
    vectors.write_bytes(bytes(data))
    ask_repairs(catalogue, index, "damaged", "vectors.npy", "sha256")


def test_a_deleted_document_table_is_rebuilt_before_answering(small: tuple[Path, Path]) -> None:
    catalogue, index = small
    (live_generation(index) / "documents.json").unlink()
    ask_repairs(catalogue, index, "damaged", "documents.json", "missing")


def test_a_deleted_generation_is_rebuilt_before_answering(small: tuple[Path, Path]) -> None:
    catalogue, index = small
    shutil.rmtree(live_generation(index))
    ask_repairs(catalogue, index, "damaged", "missing")


def test_an_index_swapped_for_another_catalogues_is_updated_before_answering(
    built_index: Path, tmp_path: Path, small: tuple[Path, Path]
) -> None:
    """The whole index directory replaced by the index of a catalogue with none of the same entries."""
    catalogue, index = small
    _, other_index = small_index(built_index, tmp_path, OTHER, name="other")
    shutil.rmtree(index)
    shutil.copytree(other_index, index)
    assert set(live_keys(index)) == set(OTHER)
    data = ask_repairs(catalogue, index, "the catalogue changed", "index updated: 5 added")
    assert not {c["id"] for c in data["citations"]} & set(OTHER)


def test_a_file_swapped_in_from_another_catalogues_index_is_caught(
    built_index: Path, tmp_path: Path, small: tuple[Path, Path]
) -> None:
    """A well-formed vectors file of the right shape, from another catalogue: its sha256 gives it away."""
    catalogue, index = small
    _, other_index = small_index(built_index, tmp_path, OTHER, name="other")
    target = live_generation(index) / "vectors.npy"
    target.unlink()
    shutil.copyfile(live_generation(other_index) / "vectors.npy", target)
    ask_repairs(catalogue, index, "damaged", "vectors.npy")


def edit_manifest(index: Path, edit, *, keep_checksum_valid: bool) -> None:
    path = private(live_generation(index) / "manifest.json")
    manifest = json.loads(path.read_text())
    edit(manifest)
    if keep_checksum_valid:  # a careful hand-editor who also fixed the checksum
        manifest["manifest_sha256"] = manifest_checksum(manifest)
    path.write_text(json.dumps(manifest, indent=1))


def test_a_manifest_that_is_not_json_any_more(small: tuple[Path, Path]) -> None:
    catalogue, index = small
    path = private(live_generation(index) / "manifest.json")
    path.write_text(path.read_text()[:-40] + "\n  # TODO check this\n")
    ask_repairs(catalogue, index, "manifest.json", "is not valid JSON")


def test_a_manifest_with_hand_edited_counts(small: tuple[Path, Path]) -> None:
    catalogue, index = small

    def more_vectors(manifest: dict) -> None:
        manifest["counts"]["vectors"] += 3

    edit_manifest(index, more_vectors, keep_checksum_valid=False)
    ask_repairs(catalogue, index, "manifest.json", "checksum")
    edit_manifest(index, more_vectors, keep_checksum_valid=True)
    ask_repairs(catalogue, index, "damaged", "documents.json does not cover the vectors")


def test_a_manifest_naming_another_model_is_rebuilt_with_the_right_one(small: tuple[Path, Path]) -> None:
    catalogue, index = small

    def other_model(manifest: dict) -> None:
        manifest["model"].update(id="paraphrase-multilingual-MiniLM-L12-v2", fingerprint="0" * 64)

    edit_manifest(index, other_model, keep_checksum_valid=True)
    result = cli("rebuild", "--json", "--catalogue", str(catalogue), "--index", str(index))
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["full"] and report["encoded"] == len(ids_of(catalogue))
    assert "paraphrase-multilingual-MiniLM-L12-v2" in report["reason"]
    assert json.loads((live_generation(index) / "manifest.json").read_text())["model"]["id"] == "all-MiniLM-L6-v2"
    answer(cli("ask", QUESTION, "--json", "--catalogue", str(catalogue), "--index", str(index)), catalogue)
