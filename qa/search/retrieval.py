"""Hybrid retrieval: BM25 over entries and dense similarity, fused on standardised scores, with a
preference for entries that match what the question names (institution, economy, period)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from qa.catalogue.institutions import institution_aliases
from qa.catalogue.model import Catalogue, Entry
from qa.catalogue.sentences import split_sentences
from qa.question.places import economies_in
from qa.question.query import Query
from qa.question.text import tokens
from qa.question.when import Period
from qa.search.bm25 import BM25
from qa.search.dense import DenseIndex, MatrixDense
from qa.settings import DEFAULT, Settings


@dataclass(frozen=True)
class Scored:
    entry: Entry
    score: float  # fused, for ranking
    dense: float  # best cosine over the entry's texts
    lexical: float  # raw BM25
    sentence_dense: np.ndarray  # cosine per summary sentence
    position: int = -1  # the entry's position in the retriever
    signals: Signals | None = field(default=None, compare=False, repr=False)  # what the fused score was made of

    def parts(self) -> dict[str, float]:
        """The fused score's parts, read from the arrays the ranking summed (for --explain)."""
        if self.signals is None:
            return {}
        return self.signals.parts(self.position)


@dataclass(frozen=True)
class Signals:
    """One ranking's per-entry arrays, kept so that an explanation reads the numbers the ranking used."""

    lexical: np.ndarray  # weighted z-score contribution of BM25
    entry_dense: np.ndarray  # raw cosines
    sentence_best: np.ndarray
    dense_entry_part: np.ndarray  # weighted z-score contributions
    dense_sentence_part: np.ndarray
    boost: np.ndarray

    def parts(self, i: int) -> dict[str, float]:
        return {
            "lexical": float(self.lexical[i]),
            "dense_entry": float(self.dense_entry_part[i]),
            "dense_sentence": float(self.dense_sentence_part[i]),
            "boost": float(self.boost[i]),
            "entry_cosine": float(self.entry_dense[i]),
            "best_sentence_cosine": float(self.sentence_best[i]),
        }


def zscore(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 1e-9 else np.zeros_like(x)


class Retriever:
    """Built once per catalogue; answers many questions."""

    def __init__(self, catalogue: Catalogue, dense: DenseIndex | None, settings: Settings = DEFAULT) -> None:
        self.settings = settings
        self.entries = list(catalogue.entries)
        self.index_of = {e.id: i for i, e in enumerate(self.entries)}
        self.dense = dense
        self.aliases = institution_aliases(self.entries)
        self.sentences = [split_sentences(e.summary) for e in self.entries]
        self.bm25 = BM25([self._entry_tokens(e) for e in self.entries])
        self.sentence_tokens = [[tokens(s) for s in sents] for sents in self.sentences]
        self.title_tokens = [tokens(e.title) for e in self.entries]
        self.mentions = [economies_in(f"{e.institution} {e.title}") for e in self.entries]
        self.mentions_text = [m | economies_in(e.summary) for m, e in zip(self.mentions, self.entries, strict=True)]
        # What rank() and _boosts() need as arrays, so a question costs numpy work, not a loop over entries.
        by_institution: dict[str, list[int]] = {}
        by_economy: dict[str, list[int]] = {}
        positions: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            by_institution.setdefault(e.institution, []).append(i)
            positions.setdefault(e.id, []).append(i)
            for economy in self.mentions[i]:
                by_economy.setdefault(economy, []).append(i)
        self._by_institution = {k: np.array(v, dtype=np.intp) for k, v in by_institution.items()}
        self._by_economy = {k: np.array(v, dtype=np.intp) for k, v in by_economy.items()}
        self._positions = positions  # entry id -> positions (more than one only if ids repeat)
        self._days = sorted({e.date for e in self.entries})  # distinct dates; an entry's date is _days[_day_of[i]]
        day_index = {d: k for k, d in enumerate(self._days)}
        self._day_of = np.array([day_index[e.date] for e in self.entries], dtype=np.intp)
        # Summary sentences laid end to end: rank() gives entry i zeros[_zero_slices[i]] when no vector has it.
        ends = np.cumsum([len(s) for s in self.sentences], dtype=np.intp)
        self._sentence_total = int(ends[-1]) if len(ends) else 0
        self._zero_slices = [slice(int(e) - len(s), int(e)) for e, s in zip(ends, self.sentences, strict=True)]
        self._rows = _RowLayout(dense, self.entries, self.sentences) if _RowLayout.fits(dense) else None

    def _entry_tokens(self, e: Entry) -> list[str]:
        names = " ".join(sorted(self.aliases.get(e.institution, ())))
        return tokens(e.title) * 2 + tokens(f"{e.institution} {names}") + tokens(e.summary)

    def query_vector(self, question: str) -> np.ndarray | None:
        return self.dense.encode(question) if self.dense else None

    def closest(self, text: str) -> float:
        """The best cosine of ``text`` to any entry or summary sentence (0.0 without a dense index)."""
        qvec = self.query_vector(text)
        if qvec is None:
            return 0.0
        if self._rows is not None and self._rows.dense is self.dense:
            entry_dense, sentence_best, _ = self._rows.scores(qvec, len(self.entries))
            return float(max(entry_dense.max(initial=0.0), sentence_best.max(initial=0.0)))
        assert self.dense is not None
        return float(max((float(v.max()) for v in self.dense.scores(qvec).values() if len(v)), default=0.0))

    def rank(self, query: Query, candidates: Sequence[int] | None = None, limit: int | None = None) -> list[Scored]:
        """Entries best first. ``candidates`` restricts to those positions (a structural filter); ``limit``
        returns only the best that many (the ranking is the same, only shorter, and cheaper at scale)."""
        weights = self.settings
        extra = list(query.expansions)
        lexical = self.bm25.scores([*query.content, *extra], {t: weights.w_expansion for t in extra})
        qvec = query.vector
        n = len(self.entries)
        entry_dense = np.zeros(n)
        sentence_best = np.zeros(n)
        # Entry i's cosine per summary sentence is buffer[slices[i]] unless ``own`` has it.
        buffer = np.zeros(self._sentence_total)
        slices = self._zero_slices
        own: dict[int, np.ndarray] = {}
        if self.dense is not None and qvec is not None:
            layout = self._rows
            if layout is not None and layout.dense is self.dense:
                entry_dense, sentence_best, buffer = layout.scores(qvec, n)
                slices = layout.sentence_slices
            else:  # any other DenseIndex (FaissDense: a few hundred entries): walk what it found
                found = self.dense.scores(qvec)
                floor = min((float(v.min()) for v in found.values() if len(v)), default=0.0)
                entry_dense[:] = floor
                sentence_best[:] = floor
                for key, sims in found.items():
                    if not len(sims):
                        continue
                    for i in self._positions.get(key, ()):
                        entry_dense[i] = sims[0]
                        own[i] = np.asarray(sims[1:], dtype=np.float64)
                        sentence_best[i] = float(sims[1:].max()) if len(sims) > 1 else float(sims[0])
        lexical_part = weights.w_lexical * zscore(lexical)
        fused = lexical_part
        zero = np.zeros(n)
        dense_entry_part, dense_sentence_part = zero, zero
        if self.dense is not None and qvec is not None:
            dense_entry_part = weights.w_dense_entry * zscore(entry_dense)
            dense_sentence_part = weights.w_dense_sentence * zscore(sentence_best)
            fused = fused + dense_entry_part
            fused = fused + dense_sentence_part
        boost = self._boosts(query)
        fused = fused + boost
        signals = Signals(lexical_part, entry_dense, sentence_best, dense_entry_part, dense_sentence_part, boost)
        if candidates is None:
            order = np.argsort(-fused, kind="stable")  # stable: ties keep their order, as list.sort did
        else:
            chosen = np.array(list(candidates), dtype=np.intp)
            keys = -fused[chosen]  # IndexError for a position out of range, as before
            chosen = np.where(chosen < 0, chosen + n, chosen)
            order = chosen[np.argsort(keys, kind="stable")]
        if limit is not None:
            order = order[: max(0, limit)]
        # max(a, b) as Python computes it: b only if b > a.
        best = np.where(sentence_best > entry_dense, sentence_best, entry_dense)
        at = order.tolist()
        values = zip(at, fused[order].tolist(), best[order].tolist(), lexical[order].tolist(), strict=True)
        entries = self.entries
        # One Scored per returned entry (positional: entry, score, dense, lexical, sentence_dense): the O(n)
        # Python left when a caller takes the whole ranking; answering takes ``limit`` entries.
        if own:
            return [
                Scored(entries[i], f, d, x, own[i] if i in own else buffer[slices[i]], i, signals)
                for i, f, d, x in values
            ]
        return [Scored(entries[i], f, d, x, buffer[slices[i]], i, signals) for i, f, d, x in values]

    def _boosts(self, intent: Query) -> np.ndarray:
        weights = self.settings
        boost = np.zeros(len(self.entries))
        if intent.institutions:
            for name in dict.fromkeys(intent.institutions):
                rows = self._by_institution.get(name)
                if rows is not None:
                    boost[rows] += weights.boost_institution
        if intent.economies:
            named = np.zeros(len(self.entries), dtype=bool)
            for economy in dict.fromkeys(intent.economies):
                rows = self._by_economy.get(economy)
                if rows is not None:
                    named[rows] = True
            boost[named] += weights.boost_economy
        if period := intent.period:
            if type(period) is Period:  # contains() is an inclusive range: the days in it are a run of _days
                lo = 0 if period.start is None else bisect_left(self._days, period.start)
                hi = len(self._days) if period.end is None else bisect_right(self._days, period.end)
                inside = (self._day_of >= lo) & (self._day_of < hi)
            else:
                inside = np.array([period.contains(d) for d in self._days], dtype=bool)[self._day_of]
            boost[inside] += weights.boost_period
        return boost


class _RowLayout:
    """Where each entry's vectors sit among a :class:`MatrixDense`'s rows, so that rank() reads the
    similarities of all rows with numpy instead of going through ``scores()``'s dict by entry id.

    Reproduces exactly what rank() would take from ``dense.scores(q)``: row 0 of an entry's rows is the
    entry, the rest its sentences; an entry without rows gets the lowest similarity of any key's rows.
    """

    @staticmethod
    def fits(dense: DenseIndex | None) -> bool:
        return isinstance(dense, MatrixDense) and type(dense).scores is MatrixDense.scores

    def __init__(self, dense: DenseIndex | None, entries: Sequence[Entry], sentences: Sequence[list[str]]) -> None:
        assert isinstance(dense, MatrixDense)
        self.dense = dense
        self.size = len(dense.vectors)
        spans = [range(*s.indices(self.size)) for s in dense.slices.values()]
        covered = np.zeros(self.size, dtype=bool)
        for span in spans:
            covered[span.start : span.stop] = True
        # The floor is the minimum over every key's rows (all rows, unless some key's rows were repeated).
        self.floor_rows: np.ndarray | None = None if covered.all() else np.flatnonzero(covered)
        has_rows = any(len(span) for span in spans)
        self.has_rows = has_rows
        present: list[int] = []
        first: list[int] = []
        single: list[int] = []
        single_row: list[int] = []
        multi: list[int] = []
        gather: list[int] = []
        starts: list[int] = []
        self.sentence_slices: list[slice] = []
        tail = self.size  # zeros for entries without rows, after the rows in the per-question buffer
        for i, e in enumerate(entries):
            s = dense.slices.get(e.id)
            span = range(*s.indices(self.size)) if s is not None else range(0)
            if not len(span):
                self.sentence_slices.append(slice(tail, tail + len(sentences[i])))
                tail += len(sentences[i])
                continue
            present.append(i)
            first.append(span.start)
            self.sentence_slices.append(slice(span.start + 1, span.stop))
            if len(span) == 1:
                single.append(i)
                single_row.append(span.start)
            else:
                multi.append(i)
                starts.append(len(gather))
                gather.extend(range(span.start + 1, span.stop))
        self.length = tail

        def array(values: list[int]) -> np.ndarray:
            return np.array(values, dtype=np.intp)

        self.present, self.first = array(present), array(first)
        self.single, self.single_row = array(single), array(single_row)
        self.multi, self.gather, self.starts = array(multi), array(gather), array(starts)

    def scores(self, qvec: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """entry_dense, sentence_best, and the buffer that ``sentence_slices`` cut per entry."""
        sims = self.dense.similarities(qvec)
        floor = 0.0
        if self.has_rows:
            floor = float((sims if self.floor_rows is None else sims[self.floor_rows]).min())
        entry_dense = np.full(n, floor)
        entry_dense[self.present] = sims[self.first]
        sentence_best = np.full(n, floor)
        sentence_best[self.single] = sims[self.single_row]
        if len(self.multi):
            sentence_best[self.multi] = np.maximum.reduceat(sims[self.gather], self.starts)
        buffer = np.zeros(self.length)
        buffer[: self.size] = sims
        return entry_dense, sentence_best, buffer
