"""Model resolution is offline and cheap; the fingerprint follows content, not location."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from embeddings import DEFAULT_MODEL_ID, ModelNotFound, resolve_model
from embeddings.model import fingerprint

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "sentence_transformers", "optimum")


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def linked_copy(src: Path, dst: Path) -> Path:
    """A copy of a model directory made of hard links (fast); replace a file before editing it."""
    shutil.copytree(src, dst, copy_function=os.link)
    return dst


def rewrite(path: Path, data: bytes) -> None:
    path.unlink()  # break the hard link so the original model stays untouched
    path.write_bytes(data)


def test_default_model_is_the_packaged_minilm() -> None:
    ref = resolve_model(None)
    assert ref.id == DEFAULT_MODEL_ID == "all-MiniLM-L6-v2"
    assert (ref.path / "model.safetensors").is_file()
    assert len(ref.fingerprint) == 64


@pytest.mark.parametrize("alias", ["all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"])
def test_its_hub_names_resolve_to_the_packaged_copy(alias: str) -> None:
    assert resolve_model(alias) == resolve_model(None)


def test_resolving_imports_neither_torch_nor_the_hub() -> None:
    out = run_python(
        "import sys, json; from embeddings import resolve_model; r = resolve_model(None); "
        f"print(json.dumps([r.id, sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})]))"
    )
    model_id, heavy = json.loads(out)
    assert model_id == DEFAULT_MODEL_ID
    assert heavy == []


def test_a_model_directory_is_identified_by_its_path(tmp_path: Path) -> None:
    copy = linked_copy(resolve_model(None).path, tmp_path / "mini")
    ref = resolve_model(str(copy))
    assert ref.id == str(copy.resolve())
    assert ref.path == copy.resolve()


def test_an_unknown_name_says_what_was_tried() -> None:
    with pytest.raises(ModelNotFound) as caught:
        resolve_model("no-such-model-3f9a")
    message = str(caught.value)
    assert "no-such-model-3f9a" in message
    assert "Hugging Face cache entry sentence-transformers/no-such-model-3f9a" in message
    assert "directory no-such-model-3f9a (does not exist)" in message
    assert "--model" in message
    assert "\n" not in message


def test_a_missing_directory_is_not_looked_up_on_the_hub(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match="does not exist") as caught:
        resolve_model(str(tmp_path / "nowhere"))
    assert "Hugging Face" not in str(caught.value)


def test_a_directory_without_a_model_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a model")
    with pytest.raises(ModelNotFound, match="no modules.json or config.json"):
        resolve_model(str(tmp_path))


def test_fingerprint_ignores_location_and_readme_but_not_config_or_weights(tmp_path: Path) -> None:
    original = resolve_model(None)
    copy = linked_copy(original.path, tmp_path / "mini")
    assert fingerprint(copy) == original.fingerprint, "a copy of the same files is the same model"

    rewrite(copy / "README.md", b"edited")
    assert fingerprint(copy) == original.fingerprint, "the README does not shape vectors"

    config = json.loads((copy / "sentence_bert_config.json").read_text())
    rewrite(copy / "sentence_bert_config.json", json.dumps({**config, "max_seq_length": 128}).encode())
    changed_config = fingerprint(copy)
    assert changed_config != original.fingerprint

    weights = bytearray((copy / "model.safetensors").read_bytes())
    weights[-10] ^= 0xFF  # the tail block is always sampled
    rewrite(copy / "model.safetensors", bytes(weights))
    assert fingerprint(copy) not in (original.fingerprint, changed_config)
