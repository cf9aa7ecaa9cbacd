"""How Retriever.rank scales with the number of entries: the per-entry loops it used to run (kept here as
the reference) against the vectorised code, in the same run, on synthetic catalogues.

    .venv/bin/python bench/rank_scale.py                       # 1k, 10k, 100k entries, 40 questions
    .venv/bin/python bench/rank_scale.py --sizes 1000 --questions 10

Catalogues: the real entries copied until the size is reached, each copy with its own id, its date moved
by a few weeks per round and its institution (with type) taken from another real entry, so institutions,
economies and periods in the questions still match some entries. Dense side: a MatrixDense of random unit
vectors (one row per entry text, as the real index lays them out), and, as the production path above
qa.service.EXACT_LIMIT rows, a dict-only index that, like FaissDense, returns only 256 entries. Questions:
bench/devset.jsonl, analysed for real; their vectors are random. Prints figures only; never a test.
Each ranking is also checked against the reference (same ids, scores within 1e-9).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rank_reference import reference_bm25, reference_boosts, reference_rank  # noqa: E402

from qa.catalogue.load import load_catalogue  # noqa: E402
from qa.catalogue.model import Catalogue  # noqa: E402
from qa.question.query import Lexicon, read_query  # noqa: E402
from qa.search.dense import MatrixDense, entry_texts  # noqa: E402
from qa.search.retrieval import (  # noqa: E402
    Retriever,
    Scored,
)

DEVSET = ROOT / "bench" / "devset.jsonl"


# --- synthetic catalogues and indexes ------------------------------------------------------------------


def synthetic(real: Catalogue, size: int) -> Catalogue:
    base = real.entries
    entries = []
    for k in range(size):
        e, donor = base[k % len(base)], base[(k * 7 + k // len(base)) % len(base)]
        copy = k // len(base)
        entries.append(
            replace(
                e,
                id=f"{e.id}-{copy}" if copy else e.id,
                date=e.date + timedelta(days=23 * copy),
                institution=donor.institution if copy else e.institution,
                institution_type=donor.institution_type if copy else e.institution_type,
            )
        )
    return Catalogue(real.path, tuple(entries), real.categories, real.period)


def random_dense(catalogue: Catalogue, dim: int, rng: np.random.Generator) -> MatrixDense:
    rows = [(e.id, j) for e in catalogue.entries for j in range(len(entry_texts(e)))]
    vectors = rng.standard_normal((len(rows), dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return MatrixDense(vectors, rows, lambda texts: np.zeros((len(texts), dim), np.float32))


class FoundOnly:
    """Like qa.service.FaissDense: scores only the ``k`` entries whose whole-entry vector is nearest."""

    def __init__(self, inner: MatrixDense, k: int = 256) -> None:
        self.inner, self.k = inner, k
        self.keys = list(inner.slices)
        self.entry_vectors = inner.vectors[[inner.slices[key].start for key in self.keys]]

    def encode(self, text: str) -> np.ndarray:
        return self.inner.encode(text)

    def scores(self, query: np.ndarray) -> dict[str, np.ndarray]:
        near = self.entry_vectors @ query  # a stand-in for the FAISS search; old and new code both pay it
        top = np.argpartition(-near, min(self.k, len(near) - 1))[: self.k]
        return {self.keys[t]: self.inner.vectors[self.inner.slices[self.keys[t]]] @ query for t in top}


# --- timing ----------------------------------------------------------------------------------------------


def ms(fn: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) * 1000 / repeat


def check(new: list[Scored], old: list[Scored]) -> float:
    """Largest score difference; raises if the entries or their order differ."""
    if [s.entry.id for s in new] != [s.entry.id for s in old]:
        raise SystemExit("rankings differ")
    return max((abs(a.score - b.score) for a, b in zip(new, old, strict=True)), default=0.0)


def run(real: Catalogue, size: int, questions: list[str], dim: int, rng: np.random.Generator) -> None:
    catalogue = synthetic(real, size)
    matrix = random_dense(catalogue, dim, rng)
    started = time.perf_counter()
    found = FoundOnly(matrix)
    retrievers = {"matrix": Retriever(catalogue, matrix), "found-256": Retriever(catalogue, found)}
    build = (time.perf_counter() - started) * 1000 / 2
    r = retrievers["matrix"]
    lexicon = Lexicon.of(catalogue, r.aliases)
    qvecs = [v / np.linalg.norm(v) for v in rng.standard_normal((len(questions), dim), dtype=np.float32)]
    queries = [read_query(q, lexicon).with_vector(v) for q, v in zip(questions, qvecs, strict=True)]
    print(f"\n{size:,} entries, {len(matrix.vectors):,} rows x {dim}; Retriever() {build:.0f} ms")
    print(
        "| index | old ms/q (median) | new ms/q (median) | new/old | new, limit=5 ms/q | limit/old | max |score diff| |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, retriever in retrievers.items():
        old_t, new_t, top_t, diff = [], [], [], 0.0
        reference_rank(retriever, queries[0])  # warm-up (BLAS threads, first touch), untimed
        retriever.rank(queries[0])
        for query in queries:
            t0 = time.perf_counter()
            old = reference_rank(retriever, query)
            t1 = time.perf_counter()
            new = retriever.rank(query)
            t2 = time.perf_counter()
            top = retriever.rank(query, limit=5)  # what answering a fact question asks for
            t3 = time.perf_counter()
            old_t.append(t1 - t0)
            new_t.append(t2 - t1)
            top_t.append(t3 - t2)
            diff = max(diff, check(new, old), check(top, old[:5]))
        o, n, t = (statistics.median(x) * 1000 for x in (old_t, new_t, top_t))
        print(f"| {name} | {o:.2f} | {n:.2f} | {n / o:.3f} | {t:.2f} | {t / o:.3f} | {diff:.1e} |")
    # Where the new time goes (averaged over the questions; same inputs as above).
    qvec = qvecs[0]
    terms = [*queries[0].content, *queries[0].expansions]
    entries = r.entries
    floats = [0.5] * len(entries)
    empty = np.zeros(0)
    reps = max(1, 20_000 // max(1, size // 100))
    parts = {
        "BM25 old": ms(lambda: reference_bm25(r.bm25, terms), reps),
        "BM25 new": ms(lambda: r.bm25.scores(terms), reps),
        "boosts old": ms(lambda: [reference_boosts(r, i) for i in queries[:5]], reps) / 5,
        "boosts new": ms(lambda: [r._boosts(i) for i in queries[:5]], reps) / 5,
        "matrix @ q": ms(lambda: matrix.similarities(qvec), reps),
        "found-256 search": ms(lambda: found.scores(qvec), reps),
        "n Scored objects": ms(lambda: [Scored(e, f, f, f, empty) for e, f in zip(entries, floats, strict=True)], reps),
    }
    print("parts (ms): " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--dim", type=int, default=384, help="vector size (all-MiniLM-L6-v2: 384)")
    args = parser.parse_args(argv)
    real = load_catalogue(None)
    lines = DEVSET.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()][: args.questions]
    rng = np.random.default_rng(0)
    print(f"{len(questions)} questions from {DEVSET.name}; real catalogue {len(real.entries)} entries")
    for size in (int(s) for s in args.sizes.split(",")):
        run(real, size, questions, args.dim, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
