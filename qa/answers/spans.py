"""Answers that span the catalogue: overviews, comparisons and yes/no questions, all on one coverage decision.

- overview: a heading with the number of entries and their date span, then every covered entry in date order
  with its one or two most relevant sentences and its citation; past ``Settings.overview_most``, the best ones
  (in date order) and how many more there are. ``citations`` and ``count`` hold every covered entry.
- uncovered: "No presentation is about X." and, when some entries name it, where it is mentioned (related).
- yes/no: "Yes: 2 presentations ..." with the overview's lines, or "No presentation is about X." with the
  nearest entries as related, marked as not an answer.
- compare: the sides (two institutions, two economies, two periods), each answered on the shared topic, one
  after the other, each cited; a side with nothing says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from qa.answers.model import Answer, Citation, Sentence
from qa.answers.relevance import Coverage, Judged, judge, topic_words
from qa.catalogue.dates import format_date
from qa.catalogue.model import Entry
from qa.question.places import economies_in
from qa.question.query import Query
from qa.search.retrieval import Retriever, Scored
from qa.settings import DEFAULT, Settings


@dataclass(frozen=True)
class Line:
    entry: Entry
    sentences: tuple[str, ...]


def best_sentences(scored: Scored, retriever: Retriever, most: int = 2, within: float = 0.05) -> tuple[str, ...]:
    """The entry's most relevant sentence, and the next one when it is nearly as close."""
    i = retriever.index_of[scored.entry.id]
    sentences = retriever.sentences[i]
    if not sentences:
        return ()
    cos = np.asarray(scored.sentence_dense, dtype=float)
    order = [int(k) for k in np.argsort(-cos)] if cos.size == len(sentences) else list(range(len(sentences)))
    chosen = [order[0]] + [k for k in order[1:most] if cos.size and cos[k] >= cos[order[0]] - within]
    return tuple(sentences[k] for k in sorted(chosen))


def _lines(judged: Sequence[Judged], retriever: Retriever) -> list[Line]:
    return [Line(j.entry, best_sentences(j.scored, retriever)) for j in judged]


def _span(entries: Sequence[Entry]) -> str:
    first, last = min(e.date for e in entries), max(e.date for e in entries)
    return f"on {format_date(first)}" if first == last else f"from {format_date(first)} to {format_date(last)}"


def _compose(query: Query, head: str, lines: list[Line], shown: int, kind: str) -> Answer:
    """Heading, then the shown lines (best ones, in date order); citations hold every line's entry."""
    ordered = sorted(lines, key=lambda line: (line.entry.date, line.entry.title))
    citations = tuple(Citation(n, line.entry) for n, line in enumerate(ordered, 1))
    keep = {id(line) for line in lines[:shown]}  # ``lines`` come best first
    out, sentences = [head], []
    for c, line in zip(citations, ordered, strict=True):
        if id(line) not in keep:
            continue
        said = " ".join(line.sentences)
        out.append(f"[{c.n}] {format_date(line.entry.date)}, {line.entry.title} ({line.entry.institution}): {said}")
        sentences += [Sentence(s, c.n) for s in line.sentences]
    hidden = len(lines) - min(shown, len(lines))
    if hidden:
        out.append(f"... and {hidden} more (/more in chat shows them).")
    return Answer(
        query.text, "\n".join(out), count=len(lines), sentences=tuple(sentences), citations=citations, kind=kind
    )


def _plural(n: int) -> str:
    return f"{n} presentation{'s' if n != 1 else ''}"


def _topic_name(query: Query, cov: Coverage, leave: Sequence[str] = ()) -> str:
    """The topic as the user wrote it: the explicit topic, else the question's words that make it up."""
    if query.topic:
        return query.topic.strip()
    from qa.question.text import tokens

    left = set(tokens(" ".join(leave))) - {"s"}
    wanted = set(topic_words(query)) - left
    kept = [w for w in re.findall(r"[\w'’-]+", query.text) if set(tokens(w)) & wanted and not set(tokens(w)) & left]
    return " ".join(kept).strip() or cov.topic or "this"


def uncovered(query: Query, cov: Coverage, opening: str = "", retriever: Retriever | None = None) -> Answer:
    """No entry is about the topic: say so, and where it is only mentioned: the whole topic, else its rarest
    word that the catalogue uses ("'insurance' is mentioned in: ...")."""
    topic = _topic_name(query, cov)
    text = f"{opening}No presentation is about {topic}."
    named = [j.entry for j in cov.mentions]
    said = topic
    if not named and retriever is not None:
        said, named = _rarest_mention(query, retriever)
    related: tuple[Citation, ...] = ()
    if named:
        where = "; ".join(f"{e.title} ({e.institution}, {format_date(e.date)})" for e in named[:5])
        more = f"; and {len(named) - 5} more" if len(named) > 5 else ""
        text += f" '{said}' is mentioned in: {where}{more}."
        related = tuple(Citation(n, e) for n, e in enumerate(named, 1))
    return Answer(query.text, text, count=0, kind="overview", related=related)


def _rarest_mention(query: Query, retriever: Retriever) -> tuple[str, list[Entry]]:
    """The topic's rarest word that some summary uses, as the user wrote it, and the entries using it."""
    from qa.answers.abstain import surface

    idf = retriever.bm25.idf
    for word in sorted(set(topic_words(query)), key=lambda w: -idf.get(w, 0.0)):
        if word not in idf or len(word) < 3:
            continue
        found = [
            e
            for i, e in enumerate(retriever.entries)
            if any(word in sentence for sentence in retriever.sentence_tokens[i])
        ]
        if 0 < len(found) <= 5:
            return surface(query.text, word) or word, sorted(found, key=lambda e: e.date)
    return "", []


def covered(query: Query, retriever: Retriever, settings: Settings) -> tuple[Coverage, list[Judged]]:
    """The coverage decision; a question naming presenters, economies as presenters or categories keeps
    their entries (all of them when no topic is left, else those about the topic)."""
    candidates = None
    if query.structural:
        candidates = [retriever.index_of[e.id] for e in query.filter.apply(retriever.entries)]
    cov = judge(query, retriever, settings, candidates)
    if candidates is not None and (not topic_words(_without_filters(query, retriever)) or not cov.about):
        everything = judge(replace(query, topic="", topic_content=()), retriever, settings, candidates).judged
        return cov, sorted(everything, key=lambda j: -j.p)
    return cov, list(cov.about)


def _without_filters(query: Query, retriever: Retriever) -> Query:
    from qa.question.text import tokens

    named: set[str] = set()
    for inst in query.institutions:
        named.update(tokens(inst + " " + " ".join(retriever.aliases.get(inst, ()))))
    for cat in query.categories:
        named.update(tokens(cat))
    named.update(query.period_tokens)
    return replace(query, topic_content=tuple(t for t in topic_words(query) if t not in named), content=())


def overview(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer:
    cov, about = covered(query, retriever, settings)
    if not about:
        return uncovered(query, cov, retriever=retriever)
    entries = [j.entry for j in about]
    topic = _topic_name(query, cov)
    head = f"{_plural(len(about))} {_span(entries)} {'is' if len(about) == 1 else 'are'} about {topic}:"
    return _compose(query, head, _lines(about, retriever), settings.overview_most, "overview")


def yes_no(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer:
    cov, about = covered(query, retriever, settings)
    topic = _topic_name(query, cov)
    if about:
        entries = [j.entry for j in about]
        head = f"Yes: {_plural(len(about))} {_span(entries)} {'is' if len(about) == 1 else 'are'} about {topic}:"
        return _compose(query, head, _lines(about, retriever), settings.overview_most, "overview")
    answer = uncovered(query, cov, opening="No. ", retriever=retriever)
    if answer.related:
        return answer
    nearest = [j.entry for j in cov.judged[:2]]
    if nearest:
        where = "; ".join(f"{e.title} ({e.institution}, {format_date(e.date)})" for e in nearest)
        text = f"{answer.text} The nearest, not an answer: {where}."
        return replace(answer, text=text, related=tuple(Citation(n, e) for n, e in enumerate(nearest, 1)))
    return answer


# Comparisons -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    name: str
    positions: tuple[int, ...]


def sides(query: Query, retriever: Retriever) -> list[Side]:
    """The two sides a comparison names: two institutions or economies, else two dates (of one party, if
    one is named: "WIPO's July 2021 and November 2021 presentations")."""
    parties: list[Side] = []
    economies = set(query.economies)
    for economy in query.economies:  # "Canada" is one side, however many Canadian institutions presented
        own = tuple(i for i in range(len(retriever.entries)) if economy in retriever.mentions[i])
        parties.append(Side(economy, own))
    for inst in query.institutions:
        if economies & economies_in(inst):
            continue
        parties.append(Side(inst, tuple(i for i, e in enumerate(retriever.entries) if e.institution == inst)))
    if len(parties) >= 2:
        return parties[:2]
    points = _periods(query, retriever)
    if len(points) >= 2:
        if parties:
            keep = set(parties[0].positions)
            points = [Side(f"{parties[0].name} {p.name}", tuple(i for i in p.positions if i in keep)) for p in points]
        return points[:2]
    return []


def _periods(query: Query, retriever: Retriever) -> list[Side]:
    """Two dates named in the question ("the February 2022 and March 2023 updates", "2021 ... 2022")."""
    from qa.question.periods import find_points

    out = []
    for p in find_points(query.text):
        keep = tuple(
            i
            for i, e in enumerate(retriever.entries)
            if (p.start is None or e.date >= p.start) and (p.end is None or e.date <= p.end)
        )
        out.append(Side(p.text, keep))
    return out


def compare(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer | None:
    """Each side answered on the shared topic; None when fewer than two sides are found (an overview instead)."""
    found = sides(query, retriever)
    if len(found) < 2:
        return None
    plain = replace(query, institutions=(), economies=(), period=None, categories=(), types=())
    parts: list[tuple[Side, Scored | None]] = []
    lines: list[Line] = []
    for side in found:
        if not side.positions:
            parts.append((side, None))
            continue
        ranked = retriever.rank(plain, list(side.positions), limit=3)
        best = ranked[0] if ranked else None
        parts.append((side, best))
        if best is not None:
            lines.append(Line(best.entry, best_sentences(best, retriever)))
    entries = {line.entry.id: n for n, line in enumerate(lines, 1)}
    citations = tuple(Citation(n, line.entry) for n, line in enumerate(lines, 1))
    leave = [side.name for side in found] + list(query.economies)
    topic = _topic_name(replace(plain, topic=query.topic), Coverage(""), leave=leave)
    head = f"Comparing {found[0].name} and {found[1].name}" + (f" on {topic}" if topic else "") + ":"
    out: list[str] = [head]
    sentences: list[Sentence] = []
    for side, best in parts:
        if best is None:
            out.append(
                f"{side.name}: the catalogue has no presentation by or about {side.name}"
                + (f" on {topic}." if topic else ".")
            )
            continue
        n = entries[best.entry.id]
        line = lines[n - 1]
        e = best.entry
        out.append(f"{side.name} [{n}] ({e.title}, {e.institution}, {format_date(e.date)}): {' '.join(line.sentences)}")
        sentences += [Sentence(s, n) for s in line.sentences]
    return Answer(query.text, "\n".join(out), sentences=tuple(sentences), citations=citations, kind="compare")
