"""Answers that span the catalogue: overviews, yes/no questions and uncovered topics, all on the one relevance
judgment (qa.answers.relevance); comparisons are in qa.answers.compare.

- overview: a heading with the number of entries and their date span, then every entry about the topic in
  date order with its best sentence and its citation; a series (one title, or one presenter with near-same
  titles, over time) as a timeline; then a line naming the entries that only mention the topic.
- uncovered: "No presentation is about X.", then where it is mentioned in passing, else the nearest entries,
  marked as not an answer.
- yes/no: from the fact path's ranking of the whole question: "Yes: ..." with the entries about the topic,
  the best passage first; "No presentation is about X; it is mentioned in passing by ..." when entries only
  mention it; else "No." with the nearest entries as related, not an answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.answers.model import Answer, Citation, Sentence
from qa.answers.relevance import Coverage, Judged, restricted, topic_words
from qa.catalogue.dates import format_date
from qa.catalogue.model import Entry
from qa.question.phrasing import describe
from qa.question.query import Query
from qa.question.text import content_tokens, tokens
from qa.search.retrieval import Retriever, Scored
from qa.settings import DEFAULT, Settings

SERIES_TITLES = 0.5  # one presenter's entries whose titles share this much (token Jaccard) are one series


@dataclass(frozen=True)
class Line:
    entry: Entry
    sentences: tuple[str, ...]


def best_sentences(scored: Scored, retriever: Retriever, most: int = 1, within: float = 0.05) -> tuple[str, ...]:
    """The entry's most relevant sentence (and the next ones up to ``most`` when nearly as close)."""
    i = retriever.index_of[scored.entry.id]
    sentences = retriever.sentences[i]
    if not sentences:
        return ()
    cos = np.asarray(scored.sentence_dense, dtype=float)
    order = [int(k) for k in np.argsort(-cos)] if cos.size == len(sentences) else list(range(len(sentences)))
    chosen = [order[0]] + [k for k in order[1:most] if cos.size and cos[k] >= cos[order[0]] - within]
    return tuple(sentences[k] for k in sorted(chosen))


def _span(entries: Sequence[Entry]) -> str:
    first, last = min(e.date for e in entries), max(e.date for e in entries)
    return f"on {format_date(first)}" if first == last else f"from {format_date(first)} to {format_date(last)}"


def _plural(n: int) -> str:
    return f"{n} presentation{'s' if n != 1 else ''}"


def _cite(e: Entry) -> str:
    return f"{e.title} ({e.institution}, {format_date(e.date)})"


def series(entries: Sequence[Entry]) -> list[list[Entry]]:
    """Entries grouped into series (one title, or one presenter with near-same titles), each in date order;
    groups in the date order of their first entry. A group of one is not a series."""
    groups: list[list[Entry]] = []
    for e in sorted(entries, key=lambda e: (e.date, e.title)):
        for g in groups:
            if _same_series(g[0], e):
                g.append(e)
                break
        else:
            groups.append([e])
    return groups


def _same_series(a: Entry, b: Entry) -> bool:
    if a.title.casefold() == b.title.casefold():
        return True
    ta, tb = set(content_tokens(a.title)), set(content_tokens(b.title))
    return a.institution == b.institution and bool(ta | tb) and len(ta & tb) / len(ta | tb) >= SERIES_TITLES


def compose(query: Query, head: str, lines: Sequence[Line], mentions: Sequence[Entry], kind: str,
            timeline: bool = True) -> Answer:  # fmt: skip
    """Heading, every line (date order, series as timelines unless ``timeline`` is off: then in the given
    order), and the entries that only mention the topic; citations hold every line's entry."""
    by_id = {line.entry.id: line for line in lines}
    groups = series([line.entry for line in lines]) if timeline else [[line.entry] for line in lines]
    out: list[str] = [head]
    sentences: list[Sentence] = []
    citations: list[Citation] = []
    for group in groups:
        if len(group) > 1:
            out.append(f"{group[0].title} ({group[0].institution}), {len(group)} presentations over time:")
        for e in group:
            n = len(citations) + 1
            citations.append(Citation(n, e))
            said = " ".join(by_id[e.id].sentences)
            where = (
                f"{format_date(e.date)}" if len(group) > 1 else f"{format_date(e.date)}, {e.title} ({e.institution})"
            )
            out.append(f"{'  ' if len(group) > 1 else ''}[{n}] {where}: {said}")
            sentences += [Sentence(s, n) for s in by_id[e.id].sentences]
    related: tuple[Citation, ...] = ()
    if mentions:
        out.append("Mentioned in passing by: " + "; ".join(_cite(e) for e in mentions) + ".")
        related = tuple(Citation(n, e) for n, e in enumerate(mentions, 1))
    return Answer(query.text, "\n".join(out), count=len(lines), sentences=tuple(sentences),
                  citations=tuple(citations), kind=kind, related=related)  # fmt: skip


def topic_name(query: Query, cov: Coverage, leave: Sequence[str] = (), fallback: str = "this") -> str:
    """The topic as the user wrote it: the explicit topic, else the question's words that make it up; words
    of its frame ("Compare", "said about") and of ``leave`` (the sides of a comparison) are not part of it."""
    left = set(tokens(" ".join(leave))) - {"s"}
    wanted = set(topic_words(query)) - left
    for source in (query.topic, query.text):  # the topic as written, from its first topic word to its last
        words = re.findall(r"[\w'’-]+", source)
        at = [k for k, w in enumerate(words) if set(tokens(w)) & wanted and not set(tokens(w)) <= left]
        if at:
            return " ".join(words[at[0] : at[-1] + 1])
    return cov.topic or fallback


def uncovered(
    query: Query, cov: Coverage, opening: str = "", retriever: Retriever | None = None, nearest: Sequence[Entry] = ()
) -> Answer:
    """No entry is about the topic: say so, then where it is mentioned in passing, else the entries that use
    its rarest word, else the nearest entries, each marked as not an answer."""
    topic = topic_name(query, cov)
    text = f"{opening}No presentation is about {topic}."
    named = [j.entry for j in cov.mentions]
    if named:
        text += " It is mentioned in passing by: " + _listed(named) + "."
    elif retriever is not None and (found := _rarest_mention(query, retriever))[1]:
        said, named = found
        text += f" '{said}' is mentioned in: " + _listed(named) + "."
    else:
        # the nearest, among entries close enough in meaning to be near at all (Settings.abstain_floor)
        close = {j.entry.id for j in cov.judged if j.scored.dense >= DEFAULT.abstain_floor}
        named = [e for e in nearest[:3] if e.id in close] or [j.entry for j in cov.judged[:3] if j.entry.id in close]
        if named:
            text += " The nearest, not an answer: " + _listed(named) + "."
    related = tuple(Citation(n, e) for n, e in enumerate(named, 1))
    return Answer(query.text, text, count=0, kind="overview", related=related)


def _listed(entries: Sequence[Entry]) -> str:
    more = f"; and {len(entries) - 5} more" if len(entries) > 5 else ""
    return "; ".join(_cite(e) for e in entries[:5]) + more


def _rarest_mention(query: Query, retriever: Retriever) -> tuple[str, list[Entry]]:
    """The topic's rarest word that some summary uses, as the user wrote it, and the entries using it."""
    idf = retriever.bm25.idf
    for word in sorted(set(topic_words(query)), key=lambda w: -idf.get(w, 0.0)):
        if word not in idf or len(word) < 3:
            continue
        found = [e for i, e in enumerate(retriever.entries) if any(word in s for s in retriever.sentence_tokens[i])]
        if 0 < len(found) <= 5:
            return query.surface(word) or word, sorted(found, key=lambda e: e.date)
    return "", []


def _lines(judged: Sequence[Judged], retriever: Retriever) -> list[Line]:
    return [Line(j.entry, best_sentences(j.scored, retriever)) for j in judged]


def _mentions(cov: Coverage, about: Sequence[Judged]) -> list[Entry]:
    shown = {j.entry.id for j in about}
    return [j.entry for j in cov.mentions if j.entry.id not in shown]


def overview(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer:
    cov, about = restricted(query, retriever, settings)
    if not about:
        return uncovered(query, cov, retriever=retriever)
    entries = [j.entry for j in about]
    if not topic_words(query) and query.structural:  # "Run me through UNCTAD's contributions": every one of them
        head = f"{_plural(len(about))} {describe(query)}, {_span(entries)}:"
    else:
        topic = topic_name(query, cov)
        head = f"{_plural(len(about))} {_span(entries)} {'is' if len(about) == 1 else 'are'} about {topic}:"
    return compose(query, head, _lines(about, retriever), _mentions(cov, about), "overview")


def yes_no(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer:
    """Yes or no from the fact path's ranking of the whole question and the judgment of its topic."""
    cov, about = restricted(query, retriever, settings)
    candidates = [retriever.index_of[e.id] for e in query.filter.apply(retriever.entries)] if query.structural else None
    ranked = retriever.rank(query, candidates)  # the fact path: its best passages come first
    topic = topic_name(query, cov)
    if about:
        place = {s.entry.id: k for k, s in enumerate(ranked)}
        scored = {s.entry.id: s for s in ranked}
        ordered = sorted(about, key=lambda j: place.get(j.entry.id, len(place)))
        lines = [Line(j.entry, best_sentences(scored.get(j.entry.id, j.scored), retriever)) for j in ordered]
        entries = [j.entry for j in about]
        head = f"Yes: {_plural(len(about))} {_span(entries)} {'is' if len(about) == 1 else 'are'} about {topic}:"
        return compose(query, head, lines, _mentions(cov, about), "overview", timeline=False)
    if cov.mentions:
        return uncovered(query, cov, retriever=retriever)
    return uncovered(query, cov, opening="No. ", retriever=retriever, nearest=[s.entry for s in ranked[:3]])
