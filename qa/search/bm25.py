"""Okapi BM25 over short documents (entries or sentences), in plain Python + numpy."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np


class BM25:
    """Scores token lists against a fixed collection of token lists.

    Postings (term -> documents that contain it, with the term's count in each) are built once, so a
    query costs numpy work over the documents that contain its terms, not a Python loop over all of them.
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = np.array([len(d) for d in docs], dtype=np.float64)
        self.avgdl = float(self.len.mean()) if len(docs) else 0.0
        df: Counter[str] = Counter()
        for counts in self.tf:
            df.update(counts.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        docs_of: dict[str, list[int]] = {}
        counts_of: dict[str, list[int]] = {}
        for i, counts in enumerate(self.tf):
            for term, count in counts.items():
                docs_of.setdefault(term, []).append(i)
                counts_of.setdefault(term, []).append(count)
        # term -> (document positions, ascending; the term's count in each, as float64)
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {
            t: (np.array(ids, dtype=np.intp), np.array(counts_of[t], dtype=np.float64)) for t, ids in docs_of.items()
        }
        self._norm = self.k1 * (1 - self.b + self.b * self.len / (self.avgdl or 1.0))

    def scores(self, query: Sequence[str], weights: Mapping[str, float] | None = None) -> np.ndarray:
        """BM25 of every document; ``weights`` scales some query terms (default 1)."""
        out = np.zeros(len(self.tf), dtype=np.float64)
        if not self.tf:
            return out
        # Terms are added in the same order, with the same arithmetic, as a loop over every document
        # would: documents without the term would only add 0.0, so the sums are bit-for-bit the same.
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            ids, tf = self.postings[term]
            weight = weights.get(term, 1.0) if weights else 1.0
            out[ids] += weight * idf * tf * (self.k1 + 1) / (tf + self._norm[ids])
        return out

    def known(self, term: str) -> bool:
        return term in self.idf

    def containing(self, terms: Sequence[str]) -> np.ndarray:
        """Positions (ascending) of the documents that hold every one of ``terms``."""
        found: np.ndarray | None = None
        for term in set(terms):
            if term not in self.postings:
                return np.zeros(0, dtype=np.intp)
            ids = self.postings[term][0]
            found = ids if found is None else np.intersect1d(found, ids, assume_unique=True)
        return found if found is not None else np.arange(len(self.tf), dtype=np.intp)
