"""Retriever.rank as it was before it was vectorised: a Python loop over every entry. The reference that
tests/test_rank_vectorised.py checks the vectorised code against and bench/rank_scale.py times it against."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from qa.question.query import Query
from qa.search.bm25 import BM25
from qa.search.retrieval import Retriever, Scored, zscore


def reference_bm25(bm25: BM25, query: Sequence[str], weights: Mapping[str, float] | None = None) -> np.ndarray:
    out = np.zeros(len(bm25.tf), dtype=np.float64)
    if not bm25.tf:
        return out
    norm = bm25.k1 * (1 - bm25.b + bm25.b * bm25.len / (bm25.avgdl or 1.0))
    for term in set(query):
        idf = bm25.idf.get(term)
        if idf is None:
            continue
        tf = np.array([c.get(term, 0) for c in bm25.tf], dtype=np.float64)
        out += (weights.get(term, 1.0) if weights else 1.0) * idf * tf * (bm25.k1 + 1) / (tf + norm)
    return out


def reference_boosts(r: Retriever, intent: Query) -> np.ndarray:
    w = r.settings
    boost = np.zeros(len(r.entries))
    for i, e in enumerate(r.entries):
        if intent.institutions and e.institution in intent.institutions:
            boost[i] += w.boost_institution
        if intent.economies and set(intent.economies) & r.mentions[i]:
            boost[i] += w.boost_economy
        if intent.period and intent.period.contains(e.date):
            boost[i] += w.boost_period
    return boost


def reference_rank(r: Retriever, query: Query, candidates: Sequence[int] | None = None) -> list[Scored]:
    w = r.settings
    qvec = query.vector
    words, extra = list(query.content), list(query.expansions)
    lexical = reference_bm25(r.bm25, [*words, *extra], {t: w.w_expansion for t in extra})
    n = len(r.entries)
    entry_dense = np.zeros(n)
    sentence_best = np.zeros(n)
    per_sentence: list[np.ndarray] = [np.zeros(len(s)) for s in r.sentences]
    if r.dense is not None and qvec is not None:
        found = r.dense.scores(qvec)
        floor = min((float(v.min()) for v in found.values() if len(v)), default=0.0)
        for i, e in enumerate(r.entries):
            sims = found.get(e.id)
            if sims is None or not len(sims):
                entry_dense[i] = sentence_best[i] = floor
                continue
            entry_dense[i] = sims[0]
            per_sentence[i] = np.asarray(sims[1:], dtype=np.float64)
            sentence_best[i] = float(sims[1:].max()) if len(sims) > 1 else float(sims[0])
    fused = w.w_lexical * zscore(lexical)
    if r.dense is not None and qvec is not None:
        fused = fused + w.w_dense_entry * zscore(entry_dense) + w.w_dense_sentence * zscore(sentence_best)
    fused = fused + reference_boosts(r, query)
    order = list(candidates) if candidates is not None else list(range(n))
    order.sort(key=lambda i: -fused[i])
    return [
        Scored(
            entry=r.entries[i],
            score=float(fused[i]),
            dense=float(max(entry_dense[i], sentence_best[i])),
            lexical=float(lexical[i]),
            sentence_dense=per_sentence[i],
        )
        for i in order
    ]
