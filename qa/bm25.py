"""Okapi BM25 over short documents (entries or sentences), in plain Python + numpy."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np


class BM25:
    """Scores token lists against a fixed collection of token lists."""

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

    def scores(self, query: Sequence[str], weights: Mapping[str, float] | None = None) -> np.ndarray:
        """BM25 of every document; ``weights`` scales some query terms (default 1)."""
        out = np.zeros(len(self.tf), dtype=np.float64)
        if not self.tf:
            return out
        norm = self.k1 * (1 - self.b + self.b * self.len / (self.avgdl or 1.0))
        for term in set(query):
            idf = self.idf.get(term)
            if idf is None:
                continue
            tf = np.array([c.get(term, 0) for c in self.tf], dtype=np.float64)
            out += (weights.get(term, 1.0) if weights else 1.0) * idf * tf * (self.k1 + 1) / (tf + norm)
        return out

    def known(self, term: str) -> bool:
        return term in self.idf
