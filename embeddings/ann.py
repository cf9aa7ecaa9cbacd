"""Which FAISS index serves a given number of vectors, and how to build one.

Every index scores by inner product over L2-normalised vectors (= cosine), and its ids are row
numbers. Figures from ``bench/scale.py`` (2-core AMD EPYC, real all-MiniLM-L6-v2 embeddings; see
docs/scale.md):

- ``IndexFlatIP`` (exact) costs time linear in the vectors: one query takes 0.26 ms at 10k, 6.3 ms
  at 100k, 60 ms at 1M (quiet machine). It is used up to :data:`FLAT_MAX_VECTORS`, about 3 ms a query.
- Above that, ``IndexIVFFlat`` with nlist = 4 sqrt(n) and nprobe = 32: recall@10 0.986 at 50k, 0.985
  at 100k, 0.998 at 1M; 0.14-1.0 ms per query; built in 12 s (50k), 22 s (100k), 142 s (1M).
  HNSW (M=32, efConstruction=80, efSearch=128) reached only 0.939 at 1M, took 193 s to build and
  more memory; it stays available through ``index_type=HNSW``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import faiss

FLAT = "IndexFlatIP"
IVF = "IndexIVFFlat"
HNSW = "IndexHNSWFlat"
INDEX_TYPES = (FLAT, IVF, HNSW)

FLAT_MAX_VECTORS = 50_000
IVF_NPROBE = 32
IVF_LISTS_PER_SQRT = 4
IVF_TRAIN_PER_LIST = 64  # k-means sample: 64 vectors per list (FAISS warns below 39)
HNSW_PARAMS: dict[str, int] = {"M": 32, "efConstruction": 80, "efSearch": 128}


def choose_index_type(n_vectors: int) -> str:
    """The exact flat index while it stays fast, IVF above the measured threshold."""
    return FLAT if n_vectors <= FLAT_MAX_VECTORS else IVF


def default_params(index_type: str, n_vectors: int) -> dict[str, int]:
    """Build and search parameters for ``index_type`` holding ``n_vectors``."""
    if index_type == FLAT:
        return {}
    if index_type == IVF:
        nlist = max(1, min(int(IVF_LISTS_PER_SQRT * math.sqrt(n_vectors)), n_vectors // 39))
        return {"nlist": nlist, "nprobe": min(IVF_NPROBE, nlist), "train_size": IVF_TRAIN_PER_LIST * nlist}
    if index_type == HNSW:
        return dict(HNSW_PARAMS)
    raise ValueError(f"unknown index type {index_type!r}; expected one of {INDEX_TYPES}")


def build_index(vectors: np.ndarray, index_type: str, params: dict[str, Any] | None = None) -> faiss.Index:
    """An index of ``vectors`` (float32, unit rows) whose ids are row numbers 0..n-1."""
    import faiss

    from embeddings.encoder import available_cores

    params = default_params(index_type, len(vectors)) if params is None else params
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = int(vectors.shape[1])
    index: Any
    with omp_threads(available_cores()):  # building parallelises a little over 2 cores; searching does not
        if index_type == FLAT:
            index = faiss.IndexFlatIP(dim)
        elif index_type == IVF:
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, int(params["nlist"]), faiss.METRIC_INNER_PRODUCT)
            # A fixed sample keeps the trained lists (and so search results) reproducible.
            sample = np.random.default_rng(0).permutation(len(vectors))[: int(params["train_size"])]
            index.train(vectors[np.sort(sample)])
        elif index_type == HNSW:
            index = faiss.IndexHNSWFlat(dim, int(params["M"]), faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = int(params["efConstruction"])
        else:
            raise ValueError(f"unknown index type {index_type!r}; expected one of {INDEX_TYPES}")
        configure(index, index_type, params)
        if len(vectors):
            index.add(vectors)
    return index


def configure(index: faiss.Index, index_type: str, params: dict[str, Any]) -> None:
    """Apply search-time parameters (after building, and after loading from a file)."""
    import faiss

    if index_type == IVF:
        faiss.extract_index_ivf(index).nprobe = int(params["nprobe"])
    elif index_type == HNSW:
        hnsw: Any = faiss.downcast_index(index)
        hnsw.hnsw.efSearch = int(params["efSearch"])


def search(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores and row ids of the ``k`` best rows per query, searched on one OpenMP thread.

    Measured on 2 cores: with 2 OpenMP threads one exact query over 100k vectors took 39 ms instead
    of 6.4 ms, and a batch of 200 queries was no faster either, so searches always use one.
    """
    with omp_threads(1):
        scores, rows = index.search(queries, k)
    return scores, rows


@contextlib.contextmanager
def omp_threads(n: int) -> Iterator[None]:
    """Run FAISS with ``n`` OpenMP threads, restoring the previous setting afterwards."""
    import faiss

    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)
