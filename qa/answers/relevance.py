"""One relevance judgment: entry x topic -> about / mentions / no, with probabilities.

Every answer that spans the catalogue (overviews, yes/no, comparisons, topic lists and counts, "first/latest
on X", uncovered topics) asks it of each entry. The topic alone is judged (its words and its own vector), so
every wording of one topic gets the same answer. For each entry the topic's ranking gives the signals of
``FEATURES`` (:func:`features`); two logistic regressions, fitted by ``bench/fit_relevance.py`` on the FIT
half of the relevance corpus (bench/relevance/), give

- ``p_about``: the entry is about the topic (``Settings.rel_about_weights``, ``rel_about_bias``);
- ``p_any``: it is about the topic or mentions it (``rel_any_weights``, ``rel_any_bias``).

An entry is *about* the topic at ``p_about >= rel_about_threshold``; else it *mentions* it at
``p_any >= rel_any_threshold``; else neither. A weight of 0 is a feature the fit dropped (its sign changed
under resampling topics).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from qa.catalogue.model import Entry
from qa.question import vocabulary as v
from qa.question.glossary import expansions
from qa.question.query import Query
from qa.question.text import content_tokens, tokens
from qa.search.retrieval import Retriever, Scored, zscore
from qa.settings import DEFAULT, Settings

FEATURES = (
    "entry",  # the cosine of the entry's own vector with the topic's
    "sentence",  # the best cosine of one of its summary sentences
    "entry_z",  # the entry cosine, standardised over every entry (how it stands among them)
    "sentence_z",  # the same for the best sentence
    "spread",  # the share of its sentences within 0.1 of that best one: the topic runs through the summary
    "words",  # the share of the topic's words (weighted by IDF) that the entry uses anywhere
    "thesaurus",  # the share of the topic's thesaurus words it uses (paraphrases reach the officials' words)
    "named",  # 1 when its title or one sentence holds every word of the topic
    "title",  # the share of the topic's words in its title, institution or category
    "density",  # the share of its sentences that hold a rare word of the topic
    "lexical",  # BM25 of the topic, standardised over every entry
)
_SPREAD = 0.1
_RARE = 4.0  # the IDF of a word the catalogue never uses


@dataclass(frozen=True)
class Topic:
    """What is judged: the topic as written, its content tokens, their thesaurus words and its vector."""

    text: str
    words: tuple[str, ...]
    extra: tuple[str, ...] = ()
    vector: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def of_text(cls, text: str, retriever: Retriever) -> Topic:
        """A topic written on its own ("Global Trade Helpdesk"), as the relevance corpus gives it."""
        words = tuple(dict.fromkeys(content_tokens(text)))
        return cls(text.strip(), words, tuple(sorted(expansions(list(words)))), retriever.query_vector(text.strip()))


@dataclass(frozen=True)
class Judged:
    """One entry's judgment: its features, the two probabilities, and the label."""

    scored: Scored
    features: dict[str, float]
    p: float  # p(about)
    p_any: float  # p(about or mentions)
    about: bool
    mentions: bool

    @property
    def entry(self) -> Entry:
        return self.scored.entry

    @property
    def label(self) -> str:
        return "about" if self.about else "mentions" if self.mentions else "no"


@dataclass(frozen=True)
class Coverage:
    """The entries about a topic (best first) and those that only mention it (date order)."""

    topic: str
    about: tuple[Judged, ...] = ()
    mentions: tuple[Judged, ...] = ()
    judged: tuple[Judged, ...] = field(default=(), repr=False)  # every entry considered, best first

    def about_entries(self) -> list[Entry]:
        return [j.entry for j in self.about]


# Words of the question's frame, not of its topic ("What did the group hear about ...", "Has anyone briefed ...").
FRAME_WORDS = frozenset(
    tokens(
        "hear heard say said tell told talk talked present presented presentation presentations discuss discussed "
        "brief briefed briefing cover covered mention mentioned anyone anybody someone group members work "
        "overview summary summarise summarize everything anything all between approach approaches view views "
        "session sessions talks"
    )
) | v.stems(v.COMPARE_WORDS)


def topic_words(query: Query) -> list[str]:
    """The topic's tokens: the topic the reader found ("... about cyber security"); when it found none, a
    question with filters has none (its presenters, period or categories say what is asked: "Run me through
    UNCTAD's contributions"), and one without falls back on its content words."""
    unused = set(tokens(" ".join(query.unused)))  # words no entry grounds ("thx", "stuff") judge nothing
    topic = [t for t in query.topic_content if t not in FRAME_WORDS and t not in unused]
    if topic or query.structural:
        return topic
    return [t for t in query.content if t not in FRAME_WORDS]


def topic_text(query: Query) -> str:
    """The topic as the user wrote it: the explicit topic, else the question's words that make it up."""
    if query.topic:
        return query.topic.strip()
    wanted = set(topic_words(query))
    return " ".join(w for w in re.findall(r"[\w'’-]+", query.text) if set(tokens(w)) & wanted)


def topic_of(query: Query, retriever: Retriever) -> Topic:
    words = tuple(dict.fromkeys(topic_words(query)))
    text = topic_text(query)
    return Topic(text, words, tuple(sorted(expansions(list(words)))), retriever.query_vector(text) if text else None)


def judge(
    query: Query, retriever: Retriever, settings: Settings = DEFAULT, candidates: Sequence[int] | None = None
) -> Coverage:
    """The judgment for the question's topic, over ``candidates`` (default: every entry)."""
    return judge_topic(topic_of(query, retriever), retriever, settings, candidates)


def judge_topic(
    topic: Topic, retriever: Retriever, settings: Settings = DEFAULT, candidates: Sequence[int] | None = None
) -> Coverage:
    if not topic.words or not topic.text:
        return Coverage(topic.text)
    rows = features(topic, retriever, candidates)
    about_w = dict(zip(FEATURES, settings.rel_about_weights, strict=True))
    any_w = dict(zip(FEATURES, settings.rel_any_weights, strict=True))
    judged = []
    for s, f in rows:
        p = _sigmoid(settings.rel_about_bias + sum(about_w[k] * f[k] for k in FEATURES))
        p_any = max(p, _sigmoid(settings.rel_any_bias + sum(any_w[k] * f[k] for k in FEATURES)))
        about = p >= settings.rel_about_threshold
        judged.append(Judged(s, f, p, p_any, about, not about and p_any >= settings.rel_any_threshold))
    judged.sort(key=lambda j: -j.p)
    about_ = tuple(j for j in judged if j.about)
    mentions = tuple(sorted((j for j in judged if j.mentions), key=lambda j: j.entry.date))
    return Coverage(topic.text, about_, mentions, tuple(judged))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def features(
    topic: Topic, retriever: Retriever, candidates: Sequence[int] | None = None
) -> list[tuple[Scored, dict[str, float]]]:
    """Each entry of the topic's ranking (best first) with its features."""
    query = Query(topic.text, content=topic.words, expansions=topic.extra, vector=topic.vector)
    ranked = retriever.rank(query)
    if not ranked:
        return []
    words = topic.words
    idf = retriever.bm25.idf
    mass = sum(idf.get(w, _RARE) for w in words)
    rare = {w for w in words if idf.get(w, _RARE) >= _median([idf.get(t, _RARE) for t in words])}
    extra = set(topic.extra)
    sig = ranked[0].signals
    at = np.array([s.position for s in ranked], dtype=np.intp)
    entry_cos = sig.entry_dense[at] if sig is not None else np.array([s.dense for s in ranked])
    sentence_cos = sig.sentence_best[at] if sig is not None else np.array([s.dense for s in ranked])
    lexical = zscore(np.array([s.lexical for s in ranked]))
    entry_z, sentence_z = zscore(entry_cos), zscore(sentence_cos)
    out = []
    for k, s in enumerate(ranked):
        e = s.entry
        i = retriever.index_of[e.id]
        sentences = np.asarray(s.sentence_dense, dtype=float)
        best = float(sentences.max()) if sentences.size else 0.0
        named = set(tokens(f"{e.title} {e.institution} {e.category} {e.subcategory or ''}"))
        per_sentence = [set(t) for t in retriever.sentence_tokens[i]]
        used = named.union(*per_sentence)
        out.append((s, {
            "entry": float(entry_cos[k]),
            "sentence": best,
            "entry_z": float(entry_z[k]),
            "sentence_z": float(sentence_z[k]),
            "spread": float((sentences >= best - _SPREAD).mean()) if sentences.size else 0.0,
            "words": sum(idf.get(w, _RARE) for w in words if w in used) / mass if mass else 0.0,
            "thesaurus": len(extra & used) / len(extra) if extra else 0.0,
            "named": 1.0 if _names(words, retriever.title_tokens[i], per_sentence) else 0.0,
            "title": sum(1 for w in words if w in named) / len(words),
            "density": sum(1 for t in per_sentence if t & rare) / len(per_sentence) if per_sentence else 0.0,
            "lexical": float(lexical[k]),
        }))  # fmt: skip
    if candidates is not None:  # judged against the whole catalogue, then kept to the candidates
        keep = {int(i) % len(retriever.entries) for i in candidates}
        out = [(s, f) for s, f in out if s.position in keep]
    return out


def _median(values: list[float]) -> float:
    return float(np.median(values)) if values else 0.0


def _names(words: Sequence[str], title: Sequence[str], sentences: Sequence[set[str]]) -> bool:
    """The title or one summary sentence holds every word of the topic."""
    need = set(words)
    return need <= set(title) or any(need <= sentence for sentence in sentences)


def restricted(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> tuple[Coverage, list[Judged]]:
    """The judgment within the question's filters; a question naming presenters, a period or categories keeps
    their entries (all of them when no topic is left, else those about the topic)."""
    candidates = None
    if query.structural:
        candidates = [retriever.index_of[e.id] for e in query.filter.apply(retriever.entries)]
    cov = judge(query, retriever, settings, candidates)
    if candidates is not None and (not topic_words(without_filters(query, retriever)) or not cov.about):
        everything = judge_topic(_content_topic(query, retriever), retriever, settings, candidates).judged
        return cov, sorted(everything, key=lambda j: -j.p)
    return cov, list(cov.about)


def _content_topic(query: Query, retriever: Retriever) -> Topic:
    """The question's content words as a topic: what ranks the entries its filters keep."""
    words = tuple(dict.fromkeys(t for t in query.content if t not in FRAME_WORDS))
    text = " ".join(words)
    return Topic(text, words, tuple(sorted(expansions(list(words)))), retriever.query_vector(text) if text else None)


def without_filters(query: Query, retriever: Retriever) -> Query:
    """The query without the words that named its filters (institutions, categories, period)."""
    named: set[str] = set()
    for inst in query.institutions:
        named.update(tokens(inst + " " + " ".join(retriever.aliases.get(inst, ()))))
    for cat in query.categories:
        named.update(tokens(cat))
    named.update(query.period_tokens)
    return replace(query, topic_content=tuple(t for t in topic_words(query) if t not in named), content=())
