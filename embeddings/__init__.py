"""Embeddings: a crash-safe, incrementally updated FAISS index of generic documents.

This package knows nothing about the catalogue: it indexes :class:`Document` objects (a key and
texts) and answers vector searches. The public API, as qa calls it::

    report = update_index(index_dir, docs, model, source={...}, on_step=cb)    # rebuild; cb(Step) per phase
    if not check_fresh(index_dir, model, source={...}): ...                     # cheap check
    index = open_index(index_dir, model)                                        # verified load
    hits = index.search(index.encode_queries(["question"])[0], k=10)

Nothing here imports torch unless a rebuild actually encodes.
"""

from __future__ import annotations

from embeddings._fs import private_dir
from embeddings.build import DEFAULT_LOCK_TIMEOUT, RebuildReport, update_index
from embeddings.encoder import Encoder, SentenceTransformerEncoder
from embeddings.errors import (
    EmbeddingsError,
    IndexCorrupt,
    IndexLocked,
    IndexMismatch,
    IndexMissing,
    ModelNotFound,
)
from embeddings.freshness import Freshness, check_fresh, open_index
from embeddings.model import DEFAULT_MODEL_ID, ModelRef, resolve_model
from embeddings.query_encoder import OnnxEncoder, export_onnx
from embeddings.steps import PHASES, Step, StepFn
from embeddings.store import Document, Hit, Index

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "DEFAULT_MODEL_ID",
    "Document",
    "EmbeddingsError",
    "Encoder",
    "Freshness",
    "Hit",
    "Index",
    "IndexCorrupt",
    "IndexLocked",
    "IndexMismatch",
    "IndexMissing",
    "ModelNotFound",
    "ModelRef",
    "OnnxEncoder",
    "PHASES",
    "RebuildReport",
    "SentenceTransformerEncoder",
    "Step",
    "StepFn",
    "check_fresh",
    "export_onnx",
    "open_index",
    "private_dir",
    "resolve_model",
    "update_index",
]
