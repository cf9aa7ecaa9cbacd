"""Whether the best entries hold what a question asks about: the evidence features of an answer, and the
fitted model that weighs them (coefficients in ``abstain_model.json``, fitted by ``bench/fit_abstain.py``).

Each feature is computed from the objects the answer is made from (the Query and the ranked entries):
closeness in meaning, the words matched, the question's salient aspects found or missing in the best
entry and in its best passage (weighted by rarity, a thesaurus word counting for the word it stands for),
the asked-for type (a number, a date, a place, a name) and names the catalogue never uses.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa.answers.facts import DATE_WORD, lacks_asked_type
from qa.question.glossary import expansions
from qa.question.query import Query
from qa.search.retrieval import Retriever, Scored

MODEL_FILE = Path(__file__).with_name("abstain_model.json")
FEATURES = (
    "closest",
    "best_dense",
    "lexical",
    "margin",
    "cover_entry",
    "cover_passage",
    "missing_rare",
    "unknown_names",
    "lacks_type",
    "asked",
    "focus_missing",
    "focus_missing_passage",
)


@dataclass(frozen=True)
class Evidence:
    """The features of one answer, and the aspects of the question the best entry does not contain."""

    values: dict[str, float]
    missing: tuple[str, ...]  # subject tokens found nowhere in the best entry, rarest first


def aspects(query: Query) -> list[str]:
    """The question's salient words: its subject (no forum, no date words), each once."""
    return list(dict.fromkeys(t for t in query.subject if not DATE_WORD.match(t) and not t.isdigit()))


def evidence(query: Query, ranked: Sequence[Scored], retriever: Retriever) -> Evidence:
    idf = retriever.bm25.idf
    rare = max(idf.values(), default=1.0)
    words = aspects(query)
    weight = {t: idf.get(t, rare) for t in words}
    total = sum(weight.values()) or 1.0
    best = ranked[0]
    i = retriever.index_of[best.entry.id]
    in_entry = set(retriever.bm25.tf[i])
    found = {t for t in words if _matched(t, in_entry)}
    passage = 0.0
    previous: set[str] = set()
    for sentence in retriever.sentence_tokens[i]:
        here = set(sentence)
        passage = max(passage, sum(weight[t] for t in words if _matched(t, here | previous)) / total)
        previous = here
    missing = sorted((t for t in words if t not in found), key=lambda t: -weight[t])
    focus = [t for t in query.focus if t in weight]
    focus_passage = 0.5
    if focus:
        focus_passage = 1.0
        previous = set()
        for sentence in retriever.sentence_tokens[i]:
            here = set(sentence)
            if all(_matched(t, here | previous) for t in focus):
                focus_passage = 0.0
            previous = here
    values = {
        "closest": max(s.dense for s in ranked[:5]),
        "best_dense": best.dense,
        "lexical": math.log1p(max(best.lexical, 0.0)),
        "margin": best.score - ranked[1].score if len(ranked) > 1 else 1.0,
        "cover_entry": sum(weight[t] for t in found) / total if words else 1.0,
        "cover_passage": passage if words else 1.0,
        "missing_rare": weight[missing[0]] / rare if missing else 0.0,
        "unknown_names": float(len(query.unknown_names)),
        "lacks_type": float(lacks_asked_type(query, ranked, retriever)),
        "asked": float(query.asked is not None),
        "focus_missing": (float(not all(_matched(t, in_entry) for t in focus)) if focus else 0.5),
        "focus_missing_passage": focus_passage,
    }
    return Evidence(values, tuple(missing))


def _matched(token: str, present: set[str]) -> bool:
    return token in present or bool(_synonyms(token) & present)


@lru_cache(maxsize=4096)
def _synonyms(token: str) -> frozenset[str]:
    return frozenset(expansions([token]))


@dataclass(frozen=True)
class AbstainModel:
    """Logistic regression: the probability that the best entries answer the question."""

    coefficients: dict[str, float]
    intercept: float
    means: dict[str, float]
    scales: dict[str, float]
    threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AbstainModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["coefficients"], data["intercept"], data["means"], data["scales"], data["threshold"])

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept + sum(
            c * (values[name] - self.means[name]) / self.scales[name] for name, c in self.coefficients.items()
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def answers(self, values: dict[str, float]) -> bool:
        return self.probability(values) >= self.threshold


@lru_cache(maxsize=1)
def default_model() -> AbstainModel | None:
    return AbstainModel.load() if MODEL_FILE.exists() else None
