"""Hybrid retrieval: BM25 over entries and dense similarity, fused on standardised scores, with a
preference for entries that match what the question names (institution, economy, period)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.bm25 import BM25
from qa.dense import DenseIndex
from qa.glossary import expansions
from qa.institutions import institution_aliases
from qa.intent import Intent
from qa.model import Catalogue, Entry
from qa.places import economies_in
from qa.sentences import split_sentences
from qa.text import content_tokens, tokens

# Fusion weights (z-score units), chosen on bench/devset.jsonl; see bench/eval.py --sweep.
W_LEXICAL = 0.9
W_EXPANSION = 0.5  # a thesaurus word (qa.glossary) counts this much of a word the question used
W_DENSE_ENTRY = 1.0
W_DENSE_SENTENCE = 1.0
BOOST_INSTITUTION = 2.0
BOOST_ECONOMY = 1.0
BOOST_PERIOD = 2.0


@dataclass(frozen=True)
class Scored:
    entry: Entry
    score: float  # fused, for ranking
    dense: float  # best cosine over the entry's texts
    lexical: float  # raw BM25
    sentence_dense: np.ndarray  # cosine per summary sentence


def zscore(x: np.ndarray) -> np.ndarray:
    sd = float(x.std())
    return (x - x.mean()) / sd if sd > 1e-9 else np.zeros_like(x)


class Retriever:
    """Built once per catalogue; answers many questions."""

    def __init__(self, catalogue: Catalogue, dense: DenseIndex | None) -> None:
        self.entries = list(catalogue.entries)
        self.index_of = {e.id: i for i, e in enumerate(self.entries)}
        self.dense = dense
        self.aliases = institution_aliases(self.entries)
        self.sentences = [split_sentences(e.summary) for e in self.entries]
        self.bm25 = BM25([self._entry_tokens(e) for e in self.entries])
        self.sentence_tokens = [[tokens(s) for s in sents] for sents in self.sentences]
        self.mentions = [economies_in(f"{e.institution} {e.title}") for e in self.entries]
        self.mentions_text = [m | economies_in(e.summary) for m, e in zip(self.mentions, self.entries, strict=True)]

    def unknown_names(self, question: str) -> list[str]:
        """Names in the question (capitalised after its first word, or with digits) the catalogue never uses."""
        words = re.findall(r"[A-Za-z][\w&/-]*", question)[1:]
        names = [
            w
            for w in words
            if (w[0].isupper() and not w.isupper() or re.search(r"\d", w)) or len(w) > 1 and w.isupper()
        ]
        return [w for w in names if not all(self.bm25.known(t) for t in tokens(w)) and not economies_in(w)]

    def sentences_of(self, entry: Entry) -> list[str]:
        return self.sentences[self.index_of[entry.id]]

    def _entry_tokens(self, e: Entry) -> list[str]:
        names = " ".join(sorted(self.aliases.get(e.institution, ())))
        return tokens(e.title) * 2 + tokens(f"{e.institution} {names}") + tokens(e.summary)

    def query_vector(self, question: str) -> np.ndarray | None:
        return self.dense.encode(question) if self.dense else None

    def rank(
        self,
        question: str,
        intent: Intent,
        qvec: np.ndarray | None = None,
        candidates: Sequence[int] | None = None,
    ) -> list[Scored]:
        """Entries best first. ``candidates`` restricts to those positions (a structural filter)."""
        words = content_tokens(question)
        extra = expansions(words)
        lexical = self.bm25.scores([*words, *extra], {t: W_EXPANSION for t in extra})
        n = len(self.entries)
        entry_dense = np.zeros(n)
        sentence_best = np.zeros(n)
        per_sentence: list[np.ndarray] = [np.zeros(len(s)) for s in self.sentences]
        if self.dense is not None and qvec is not None:
            found = self.dense.scores(qvec)
            floor = min((float(v.min()) for v in found.values() if len(v)), default=0.0)
            for i, e in enumerate(self.entries):
                sims = found.get(e.id)
                if sims is None or not len(sims):
                    entry_dense[i] = sentence_best[i] = floor
                    continue
                entry_dense[i] = sims[0]
                per_sentence[i] = np.asarray(sims[1:], dtype=np.float64)
                sentence_best[i] = float(sims[1:].max()) if len(sims) > 1 else float(sims[0])
        fused = W_LEXICAL * zscore(lexical)
        if self.dense is not None and qvec is not None:
            fused = fused + W_DENSE_ENTRY * zscore(entry_dense) + W_DENSE_SENTENCE * zscore(sentence_best)
        fused = fused + self._boosts(intent)
        order = list(candidates) if candidates is not None else list(range(n))
        order.sort(key=lambda i: -fused[i])
        return [
            Scored(
                entry=self.entries[i],
                score=float(fused[i]),
                dense=float(max(entry_dense[i], sentence_best[i])),
                lexical=float(lexical[i]),
                sentence_dense=per_sentence[i],
            )
            for i in order
        ]

    def _boosts(self, intent: Intent) -> np.ndarray:
        boost = np.zeros(len(self.entries))
        for i, e in enumerate(self.entries):
            if intent.institutions and e.institution in intent.institutions:
                boost[i] += BOOST_INSTITUTION
            if intent.economies and set(intent.economies) & self.mentions[i]:
                boost[i] += BOOST_ECONOMY
            if intent.period and intent.period.contains(e.date):
                boost[i] += BOOST_PERIOD
        return boost
