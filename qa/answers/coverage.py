"""Which entries a topic covers: those *about* it, and those that only *mention* it.

One decision, used by overviews, comparisons, yes/no questions, topic lists and uncovered topics. For each
entry the ranking of the topic gives a few signals (``FEATURES``):

- ``entry``: the cosine of the entry's own vector with the question's;
- ``sentence``: the best cosine of one of its summary sentences;
- ``spread``: the share of its sentences within ``Settings.cover_spread`` of that best one: a topic that
  runs through the summary, not one sentence;
- ``words``: the share of the topic's words (weighted by rarity, IDF) that the entry uses anywhere;
- ``named``: 1 when its title or one sentence holds every word of the topic;
- ``title``: the share of the topic's words in its title, institution or category (a category name counts as
  the topic it names: "financing" is about the MSME Financing entries);
- ``relative``: its fused score over the best entry's.

``p(about) = sigmoid(w . features + b)``, with ``w`` and ``b`` in :class:`~qa.settings.Settings`
(``cover_weights``, ``cover_bias``), fitted by ``bench/fit_coverage.py`` with cross-validation; an entry is
about the topic at ``p >= cover_threshold``. An entry not about it *mentions* it when its title or a summary
sentence holds every word of the topic (folded and stemmed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from qa.catalogue.model import Entry
from qa.question.query import Query
from qa.question.text import tokens
from qa.search.retrieval import Retriever, Scored
from qa.settings import DEFAULT, Settings

FEATURES = ("entry", "sentence", "spread", "words", "named", "title", "relative")


@dataclass(frozen=True)
class Judged:
    """One entry's coverage: its features, ``p(about)``, and the decision."""

    scored: Scored
    features: dict[str, float]
    p: float
    about: bool
    mentions: bool

    @property
    def entry(self) -> Entry:
        return self.scored.entry


@dataclass(frozen=True)
class Coverage:
    """The entries about a topic (best first) and those that only mention it (date order)."""

    topic: str
    about: tuple[Judged, ...] = ()
    mentions: tuple[Judged, ...] = ()
    judged: tuple[Judged, ...] = field(default=(), repr=False)  # every entry considered, for --explain

    def about_entries(self) -> list[Entry]:
        return [j.entry for j in self.about]


def topic_text(query: Query) -> str:
    """The topic as the user wrote it: the explicit topic, else the question's words that make it up."""
    if query.topic:
        return query.topic.strip()
    wanted = set(topic_words(query))
    return " ".join(w for w in re.findall(r"[\w'’-]+", query.text) if set(tokens(w)) & wanted)


def topic_words(query: Query) -> list[str]:
    """The topic's tokens: the explicit topic ("... about cyber security") or the question's content."""
    return [t for t in (query.topic_content or query.content) if t not in FRAME_WORDS]


# Words of the question's frame, not of its topic ("What did the group hear about ...", "Has anyone briefed ...").
FRAME_WORDS = frozenset(
    tokens(
        "hear heard say said tell told talk talked present presented presentation presentations discuss discussed "
        "brief briefed briefing cover covered mention mentioned anyone anybody someone group members work "
        "overview summary summarise summarize everything anything all compare comparison differ difference "
        "between versus approach approaches view views session sessions talks"
    )
)


def judge(
    query: Query, retriever: Retriever, settings: Settings = DEFAULT, candidates: Sequence[int] | None = None
) -> Coverage:
    """The coverage decision for the question's topic, over ``candidates`` (default: every entry)."""
    words = topic_words(query)
    topic = topic_text(query)
    # The topic alone is ranked and encoded: "cyber security: what has been said?" and "What did the group
    # hear about cyber security?" are judged on the same words and the same vector.
    if not words or not topic:
        return Coverage(topic)
    focused = replace(query, content=tuple(words), vector=retriever.query_vector(topic))
    ranked = retriever.rank(focused, candidates)
    if not ranked or not words:
        return Coverage(topic)
    best_score = ranked[0].score if ranked[0].score > 0 else 1.0
    weights = dict(zip(FEATURES, settings.cover_weights, strict=True))
    judged = []
    for s in ranked:
        f = features(s, words, retriever, settings, best_score)
        z = settings.cover_bias + sum(weights[k] * f[k] for k in FEATURES)
        p = 1.0 / (1.0 + math.exp(-z))
        about = p >= settings.cover_threshold
        judged.append(Judged(s, f, p, about, not about and f["named"] > 0))
    about_ = tuple(j for j in judged if j.about)
    mentions = tuple(sorted((j for j in judged if j.mentions), key=lambda j: j.entry.date))
    return Coverage(topic, about_, mentions, tuple(judged))


def features(
    s: Scored, words: Sequence[str], retriever: Retriever, settings: Settings, best_score: float
) -> dict[str, float]:
    sentences = np.asarray(s.sentence_dense, dtype=float)
    best = float(sentences.max()) if sentences.size else 0.0
    spread = float((sentences >= best - settings.cover_spread).mean()) if sentences.size else 0.0
    e = s.entry
    named = set(tokens(f"{e.title} {e.institution} {e.category} {e.subcategory or ''}"))
    i = retriever.index_of[e.id]
    used = named.union(*map(set, retriever.sentence_tokens[i]))
    idf = retriever.bm25.idf
    mass = sum(idf.get(w, _RARE) for w in words)
    entry_cosine = float(s.signals.entry_dense[s.position]) if s.signals is not None else s.dense
    return {
        "entry": entry_cosine,
        "sentence": best,
        "spread": spread,
        "words": sum(idf.get(w, _RARE) for w in words if w in used) / mass if mass else 0.0,
        "named": 1.0 if names_topic(s, words, retriever) else 0.0,
        "title": sum(1 for w in words if w in named) / len(words),
        "relative": max(0.0, s.score) / best_score,
    }


_RARE = 4.0  # the IDF of a word the catalogue never uses


def names_topic(s: Scored, words: Sequence[str], retriever: Retriever) -> bool:
    """The title or one summary sentence holds every word of the topic."""
    need = set(words)
    i = retriever.index_of[s.entry.id]
    if need <= set(tokens(s.entry.title)):
        return True
    return any(need <= set(sentence) for sentence in retriever.sentence_tokens[i])
