"""Encoders turn texts into float32, L2-normalised vectors: the build path (sentence-transformers).

The query path lives in :mod:`embeddings.query_encoder` (onnxruntime + tokenizers, no torch). Torch and
sentence-transformers are imported inside the functions that need them: importing them costs ~5 s,
which only a rebuild that actually encodes should pay.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from embeddings.model import ModelRef, resolve_model

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Measured on 2 cores (358 catalogue sentences): batch 16 with 2 torch threads 4.1 s, batch 8 4.0 s,
# batch 32 5.4 s (more padding), 1 thread 6.6 s. Larger batches lose to padding on short sentences.
DEFAULT_BATCH_SIZE = 16


@runtime_checkable
class Encoder(Protocol):
    """Anything that embeds a batch of texts into an (n, dim) float32 array of unit-length rows."""

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def available_cores() -> int:
    """CPUs this process may run on (respects taskset/cgroup affinity, unlike os.cpu_count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise each row in float32; an all-zero row stays zero instead of becoming NaN."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


@contextlib.contextmanager
def quiet_libraries() -> Iterator[None]:
    """Silence library chatter (tracer warnings, 'save the exported model') that users cannot act on."""
    loggers = [logging.getLogger(name) for name in ("sentence_transformers", "transformers", "optimum")]
    levels = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def load_sentence_transformer(model: ModelRef, **kwargs: Any) -> SentenceTransformer:
    """Load a sentence-transformers model from its local directory on the CPU (imports torch)."""
    from sentence_transformers import SentenceTransformer

    with quiet_libraries():
        return SentenceTransformer(str(model.path), device="cpu", local_files_only=True, **kwargs)


def embedding_dimension(st: SentenceTransformer) -> int:
    """The model's output dimension (the method was renamed in sentence-transformers 5.7)."""
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    dim = getter()
    if not dim:
        raise ValueError("the model does not declare its embedding dimension")
    return int(dim)


class SentenceTransformerEncoder:
    """Encodes documents with sentence-transformers; the model loads on first use, not at construction."""

    def __init__(
        self,
        model: ModelRef | str | None = None,
        *,
        threads: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.model = model if isinstance(model, ModelRef) else resolve_model(model)
        # torch's thread count is per process; oversubscribing 2 cores is slower than matching them.
        self.threads = threads or available_cores()
        self.batch_size = batch_size
        self._st: SentenceTransformer | None = None

    def _loaded(self) -> SentenceTransformer:
        if self._st is None:
            import torch

            torch.set_num_threads(self.threads)
            self._st = load_sentence_transformer(self.model)
        return self._st

    @property
    def dim(self) -> int:
        return embedding_dimension(self._loaded())

    @property
    def max_seq_length(self) -> int:
        return int(self._loaded().max_seq_length or 0)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` in batches; returns (len(texts), dim) float32 with unit-length rows."""
        st = self._loaded()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = st.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return normalize_rows(np.asarray(vectors, dtype=np.float32))
