"""The dense side of retrieval as qa sees it: question vector in, cosine per entry text out.

qa decides what is embedded for an entry (:func:`entry_texts`); the embeddings package stores and
searches the vectors without knowing what they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Protocol

import numpy as np

from qa.catalogue.model import Entry
from qa.catalogue.sentences import split_sentences


def entry_texts(entry: Entry) -> tuple[str, ...]:
    """Position 0: the whole entry; then one text per summary sentence, titled so it stands alone.

    Measured on the dev set (bench/eval.py): title + institution + summary for the entry and
    "title: sentence" for sentences beat summary-only and bare sentences for both retrieval and
    sentence choice.
    """
    sentences = split_sentences(entry.summary)
    whole = f"{entry.title}, {entry.institution}. {entry.summary}"
    return (whole, *[f"{entry.title}: {s}" for s in sentences])


class DenseIndex(Protocol):
    def encode(self, text: str) -> np.ndarray: ...

    def scores(self, query: np.ndarray) -> dict[str, np.ndarray]:
        """Cosine of the query with every stored text, by entry id (position order)."""
        ...


class MatrixDense:
    """All vectors in one matrix; exact scores for every row (fine up to a few hundred thousand rows)."""

    def __init__(
        self,
        vectors: np.ndarray,
        rows: Sequence[tuple[str, int]],
        encode: Callable[[list[str]], np.ndarray],
    ) -> None:
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._encode = encode
        self._slices: dict[str, slice] = {}
        start = 0
        for i, (key, _) in enumerate(rows):
            if i > 0 and rows[i - 1][0] != key:
                self._slices[rows[i - 1][0]] = slice(start, i)
                start = i
        if rows:
            self._slices[rows[-1][0]] = slice(start, len(rows))

    def encode(self, text: str) -> np.ndarray:
        return np.asarray(self._encode([text])[0], dtype=np.float32)

    @property
    def slices(self) -> Mapping[str, slice]:
        """The rows of each key (read-only view): ``scores(q)[key]`` is ``similarities(q)[slices[key]]``."""
        return MappingProxyType(self._slices)

    def similarities(self, query: np.ndarray) -> np.ndarray:
        """Cosine of the query with every row, in row order (what :meth:`scores` cuts up by key)."""
        return self.vectors @ query.astype(np.float32)

    def scores(self, query: np.ndarray) -> dict[str, np.ndarray]:
        sims = self.similarities(query)
        return {key: sims[s] for key, s in self._slices.items()}
