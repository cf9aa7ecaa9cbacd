"""Helpers for tests of embeddings and of its callers: a fake encoder and once-per-process caches.

:class:`HashEncoder` gives deterministic unit vectors without a model, for bookkeeping tests.
:func:`shared_encoder` and :func:`shared_export_cache` load the real model and export its ONNX
query encoder once per test process, however many test modules ask for them.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from embeddings.encoder import SentenceTransformerEncoder, normalize_rows
from embeddings.model import ModelRef, resolve_model
from embeddings.placement import cached_export
from embeddings.store import Document


class HashEncoder:
    """A fake encoder: each text maps to a fixed pseudo-random unit vector (seeded by its sha256).

    ``delay`` seconds are slept per call (to hold a rebuild open in concurrency and crash tests);
    ``calls`` counts calls, so a test can prove the encoder was (not) used.
    """

    def __init__(self, dim: int = 384, delay: float = 0.0) -> None:
        self.dim = dim
        self.delay = delay
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        return np.stack([self.vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
        raw = np.random.default_rng(seed).standard_normal((1, self.dim)).astype(np.float32)
        return normalize_rows(raw)[0]


@functools.cache
def shared_encoder(model: str | None = None) -> SentenceTransformerEncoder:
    """The real sentence-transformers encoder, loaded once per process."""
    return SentenceTransformerEncoder(resolve_model(model))


def shared_encoder_factory(ref: ModelRef) -> SentenceTransformerEncoder:
    """An ``encoder_factory`` for update_index that reuses :func:`shared_encoder` for the default model."""
    if ref.fingerprint == resolve_model(None).fingerprint:
        return shared_encoder(None)
    return SentenceTransformerEncoder(ref)


@functools.cache
def shared_export_cache() -> Path:
    """A temp dir for ``update_index(encoder_cache=...)``: each model is exported once per process."""
    path = Path(tempfile.mkdtemp(prefix="embeddings-export-cache-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def shared_onnx_dir(model: str | None = None) -> Path:
    """The ONNX query encoder of ``model`` in :func:`shared_export_cache`, exported on first use."""
    ref = resolve_model(model)
    reference = shared_encoder(None) if model is None else None
    return cached_export(shared_export_cache(), ref, reference)


def documents_from_text(text: str, limit: int | None = None, *, min_chars: int = 40) -> list[Document]:
    """Generic documents from prose: one per paragraph (line), one text per sentence; keys d0000, d0001..."""
    paragraphs = [p.strip() for p in text.splitlines() if len(p.strip()) >= min_chars]
    docs = []
    for i, paragraph in enumerate(paragraphs[:limit]):
        sentences = tuple(s for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip())
        docs.append(Document(f"d{i:04d}", sentences))
    return docs
