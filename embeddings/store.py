"""Documents, hits, and a loaded, verified index generation that answers searches.

A :class:`Document` is a key plus texts; each text gets its own vector (row). ``vectors.npy`` is the
source of truth; the FAISS index is derived from it (IVF and HNSW are stored as ``index.faiss`` because
they take long to build; the exact flat index is rebuilt from the verified vectors at load, a memory copy).
Every file is checked against the manifest before numpy or FAISS reads it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from embeddings import ann, layout
from embeddings.errors import IndexCorrupt, IndexMismatch, IndexMissing

if TYPE_CHECKING:
    import faiss

    from embeddings.query_encoder import OnnxEncoder

VECTORS = "vectors.npy"
DOCUMENTS = "documents.json"
FAISS_FILE = "index.faiss"
ENCODER_DIR = "encoder"


@dataclass(frozen=True)
class Document:
    """What gets indexed: an opaque key and the texts to embed (one vector per text)."""

    key: str
    texts: tuple[str, ...]

    def content_hash(self) -> str:
        """sha256 of the texts, unambiguous about boundaries; a change means re-encoding."""
        return hashlib.sha256(json.dumps(list(self.texts), ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Hit:
    """One matching vector: the document's key, which of its texts, and the cosine similarity."""

    key: str
    position: int
    score: float


@dataclass(frozen=True)
class DocRecord:
    key: str
    sha256: str
    start: int
    count: int


class Index:
    """One generation of the index, verified and loaded; read-only, so threads may search it at once."""

    def __init__(
        self,
        gen: Path,
        manifest: dict[str, Any],
        *,
        fingerprint: str | None = None,
        with_encoder: bool = False,
        with_faiss: bool = True,
    ) -> None:
        """Verify and load a generation; normally called through :func:`embeddings.open_index`.

        Every file to be read (the encoder's too, with ``with_encoder``) is checked against the
        manifest before numpy, FAISS or onnxruntime opens any of them. ``with_faiss=False`` (used by
        rebuilds, which only copy vectors) neither verifies nor loads the FAISS index; search then fails.
        """
        self.path = gen
        self.manifest = manifest
        layout.check_model(gen, manifest, fingerprint)
        self.dim = int(manifest["model"]["dim"])
        self.index_type = str(manifest["faiss"]["type"])
        if self.index_type not in ann.INDEX_TYPES:
            raise IndexMismatch(gen.parent, f"unknown FAISS index type {self.index_type!r}")
        stored_faiss = [FAISS_FILE] if with_faiss and FAISS_FILE in manifest["files"] else []
        data_files = [DOCUMENTS, VECTORS, *stored_faiss]
        encoder_files = self._encoder_files() if with_encoder else []
        layout.verify_files(gen, manifest, data_files + encoder_files)
        self._docs = _read_documents(gen / DOCUMENTS, int(manifest["counts"]["vectors"]))
        self._by_key = {d.key: d for d in self._docs}
        self._vectors = _read_vectors(gen / VECTORS, int(manifest["counts"]["vectors"]), self.dim)
        counts = np.array([d.count for d in self._docs], dtype=np.int64)
        self._row_doc = np.repeat(np.arange(len(self._docs), dtype=np.int64), counts)
        # A stored index (IVF, HNSW) is read now; the exact flat one is built from the vectors on the
        # first search: callers that score the vectors themselves never pay for importing FAISS.
        self._with_faiss = with_faiss
        self._faiss = self._load_faiss() if with_faiss and stored_faiss else None
        self._encoder: OnnxEncoder | None = None
        if with_encoder:
            self._encoder = self._load_encoder(verified=True)

    # --- what is in it -------------------------------------------------------------------------
    @property
    def model_id(self) -> str:
        return str(self.manifest["model"]["id"])

    @property
    def model_fingerprint(self) -> str:
        return str(self.manifest["model"]["fingerprint"])

    @property
    def source(self) -> dict[str, Any]:
        """The caller's metadata stored at build time (qa: the catalogue's path, size, mtime, sha256)."""
        return dict(self.manifest["source"])

    @property
    def generation(self) -> str:
        return self.path.name

    def keys(self) -> list[str]:
        """Document keys in the order they were given to the build."""
        return [d.key for d in self._docs]

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def content_hash(self, key: str) -> str:
        return self._by_key[key].sha256

    def vectors(self, key: str) -> np.ndarray:
        """All vectors of one document, (n_texts, dim), read-only; KeyError for an unknown key."""
        doc = self._by_key[key]
        return self._vectors[doc.start : doc.start + doc.count]

    # --- search --------------------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int = 10) -> list[Hit]:
        """The ``k`` best rows for one unit-length query vector, best first."""
        return self.search_batch(np.asarray(query, dtype=np.float32).reshape(1, -1), k)[0]

    def search_batch(self, queries: np.ndarray, k: int = 10) -> list[list[Hit]]:
        """The ``k`` best rows for each row of ``queries`` (n, dim)."""
        if self._faiss is None:
            if not self._with_faiss:
                raise RuntimeError("this Index was opened with with_faiss=False")
            self._faiss = self._load_faiss()
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if queries.ndim != 2 or queries.shape[1] != self.dim:
            raise ValueError(f"queries must have shape (n, {self.dim}), got {queries.shape}")
        k = min(k, int(self._faiss.ntotal))
        if k <= 0:
            return [[] for _ in range(len(queries))]
        scores, rows = ann.search(self._faiss, queries, k)
        return [self._hits(r, s) for r, s in zip(rows, scores, strict=True)]

    def _hits(self, rows: np.ndarray, scores: np.ndarray) -> list[Hit]:
        hits = []
        for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
            if row < 0:  # FAISS pads with -1 when fewer than k results exist
                continue
            doc = self._docs[int(self._row_doc[row])]
            hits.append(Hit(doc.key, row - doc.start, float(score)))
        return hits

    def search_text(self, text: str, k: int = 10) -> list[Hit]:
        """Encode ``text`` with the index's query encoder, then :meth:`search`."""
        return self.search(self.encode_queries([text])[0], k)

    # --- query encoder -------------------------------------------------------------------------
    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions with the ONNX encoder stored in this generation (no torch)."""
        return self.query_encoder().encode(texts)

    def query_encoder(self) -> OnnxEncoder:
        """The generation's ONNX encoder, verified against the manifest on first use."""
        if self._encoder is None:
            self._encoder = self._load_encoder(verified=False)
        return self._encoder

    def _encoder_files(self) -> list[str]:
        names = [n for n in self.manifest["files"] if n.startswith(f"{ENCODER_DIR}/")]
        if not names:
            raise IndexMissing(self.path.parent, "it was built without a query encoder")
        return names

    def _load_encoder(self, *, verified: bool) -> OnnxEncoder:
        from embeddings.query_encoder import OnnxEncoder

        if not verified:
            layout.verify_files(self.path, self.manifest, self._encoder_files())
        encoder = OnnxEncoder(self.path / ENCODER_DIR, verify=False)
        if encoder.dim != self.dim:
            raise IndexMismatch(self.path.parent, f"query encoder dim {encoder.dim} != index dim {self.dim}")
        return encoder

    def _load_faiss(self) -> faiss.Index:
        import faiss

        params = dict(self.manifest["faiss"].get("params", {}))
        if FAISS_FILE not in self.manifest["files"]:
            return ann.build_index(np.asarray(self._vectors), self.index_type, params)
        index = faiss.read_index(str(self.path / FAISS_FILE))
        ann.configure(index, self.index_type, params)
        if index.ntotal != len(self._vectors) or index.d != self.dim:
            problem = f"holds {index.ntotal}x{index.d} vectors, not {self._vectors.shape}"
            raise IndexCorrupt(self.path / FAISS_FILE, problem)
        return index


def _read_documents(path: Path, n_vectors: int) -> list[DocRecord]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        docs = [DocRecord(str(d["key"]), str(d["sha256"]), int(d["start"]), int(d["count"])) for d in raw["documents"]]
    except (ValueError, KeyError, TypeError):
        raise IndexCorrupt(path, "is not a valid document table") from None
    expected = 0
    for doc in docs:
        if doc.start != expected or doc.count < 0:
            raise IndexCorrupt(path, f"has a bad row range for {doc.key!r}")
        expected += doc.count
    if expected != n_vectors or len({d.key for d in docs}) != len(docs):
        raise IndexCorrupt(path, "does not cover the vectors exactly once")
    return docs


def _read_vectors(path: Path, n_vectors: int, dim: int) -> np.ndarray:
    try:
        vectors = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError):
        raise IndexCorrupt(path, "is not a valid .npy file") from None
    if vectors.dtype != np.float32 or vectors.shape != (n_vectors, dim):
        raise IndexCorrupt(path, f"holds {vectors.dtype} {vectors.shape}, expected float32 ({n_vectors}, {dim})")
    return vectors
