"""Comparisons: two sides (institutions, economies, dates, or one party's dates: one of a series), each
answered on the shared topic with the relevance judgment (qa.answers.relevance) within its own entries.

The heading names the sides and the shared topic in the user's words ("Comparing ITC and UNCTAD on green
growth for small firms"); a side's entries about the topic are cited with their best sentence, else one that
mentions it in passing (said so), else its closest entry when that is close in meaning at all (said to be only the
closest), else the side says it has nothing about the topic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from qa.answers.model import Answer, Citation, Sentence
from qa.answers.relevance import Coverage, Judged, judge
from qa.answers.spans import best_sentences, topic_name
from qa.catalogue.dates import format_date
from qa.question.places import economies_in
from qa.question.query import Query
from qa.question.text import content_tokens
from qa.search.retrieval import Retriever
from qa.settings import DEFAULT, Settings

MOST_PER_SIDE = 2


@dataclass(frozen=True)
class Side:
    name: str
    positions: tuple[int, ...]


def sides(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> list[Side]:
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
    if len(points) < 2 and {"earliest", "latest"} <= set(query.ends):
        points = _first_and_last(query, retriever, settings, parties[0].positions if parties else None)
        if len(points) == 2:
            return points
    if len(points) >= 2:
        if parties:
            keep = set(parties[0].positions)
            points = [Side(f"{parties[0].name} {p.name}", tuple(i for i in p.positions if i in keep)) for p in points]
        return points[:2]
    return []


def _periods(query: Query, retriever: Retriever) -> list[Side]:
    """Two dates named in the question ("the February 2022 and March 2023 updates", "2021 ... 2022")."""
    out = []
    for p in query.points:
        keep = tuple(
            i
            for i, e in enumerate(retriever.entries)
            if (p.start is None or e.date >= p.start) and (p.end is None or e.date <= p.end)
        )
        out.append(Side(p.text, keep))
    return out


def _first_and_last(
    query: Query, retriever: Retriever, settings: Settings, within: tuple[int, ...] | None
) -> list[Side]:
    """ "Compare the first and the last Global Trade Helpdesk updates": the earliest and the latest entry about
    the topic (of the one party named, if any)."""
    plain = replace(query, institutions=(), economies=(), period=None, categories=(), types=())
    about = judge(plain, retriever, settings, list(within) if within is not None else None).about_entries()
    if len(about) < 2 and within is not None:  # "the earliest and latest GEA proposals": the party's own
        about = [retriever.entries[i] for i in within]
    if len(about) < 2:
        return []
    first, last = min(about, key=lambda e: e.date), max(about, key=lambda e: e.date)
    index = retriever.index_of
    return [
        Side(f"the first ({format_date(first.date)})", (index[first.id],)),
        Side(f"the last ({format_date(last.date)})", (index[last.id],)),
    ]


def compare(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer | None:
    """Each side answered on the shared topic; None when fewer than two sides are found (an overview instead)."""
    found = sides(query, retriever, settings)
    if len(found) < 2:
        return None
    plain = replace(query, institutions=(), economies=(), period=None, categories=(), types=())
    leave = [side.name for side in found] + list(query.economies) + list(query.institutions)
    # the shared topic: the topic as the reader left it and the category's words when it took them ("on low-value
    # shipments"), less the sides' names ("overall contributions" of the ITC and UNCTAD leaves none: each side's own)
    wording = " ".join(x for x in (query.topic, query.category_text or " ".join(query.categories)) if x)
    topic = topic_name(replace(plain, text=wording), Coverage(""), leave=leave, fallback="") if wording else ""
    shared = replace(plain, topic=topic, topic_content=tuple(content_tokens(topic)), content=())
    out = [f"Comparing {found[0].name} and {found[1].name}" + (f" on {topic}" if topic else "") + ":"]
    citations: list[Citation] = []
    sentences: list[Sentence] = []
    for side in found:
        if not side.positions:
            out.append(f"{side.name}: the catalogue has no presentation by or about {side.name}.")
            continue
        cov = judge(shared, retriever, settings, list(side.positions)) if topic else Coverage("")
        # the fact path's order within the side: its best passage for the whole question comes first
        place = {s.entry.id: k for k, s in enumerate(retriever.rank(plain, list(side.positions)))}
        chosen: list[Judged] = sorted(cov.about, key=lambda j: place.get(j.entry.id, len(place)))[:MOST_PER_SIDE]
        note = ""
        if not chosen and cov.mentions:
            chosen, note = [max(cov.mentions, key=lambda j: j.p_any)], " (in passing)"
        if not topic:  # "Compare WIPO's July 2021 and November 2021 presentations": each side's own entries
            ranked = retriever.rank(plain, list(side.positions), limit=MOST_PER_SIDE)
            chosen = [Judged(s, {}, 1.0, 1.0, True, False) for s in ranked]
        if not chosen and cov.judged:  # nothing judged about it: the side's closest entry, if it is close at all
            close = [j for j in cov.judged if j.scored.dense >= settings.abstain_floor or j.scored.lexical > 0]
            best = min(close, key=lambda j: place.get(j.entry.id, len(place)), default=None)
            if best is not None:  # close in meaning, if not judged about it: cited, and said to be the closest
                chosen, note = [best], f" (the closest it came to {topic})"
        if not chosen:
            out.append(f"{side.name}: no presentation by {side.name} is about {topic}.")
            continue
        for j in chosen:
            n = len(citations) + 1
            e = j.entry
            said = best_sentences(j.scored, retriever)
            citations.append(Citation(n, e))
            sentences += [Sentence(s, n) for s in said]
            out.append(f"{side.name}{note} [{n}] ({e.title}, {e.institution}, {format_date(e.date)}): {' '.join(said)}")
    answer = "\n".join(out)
    return Answer(query.text, answer, sentences=tuple(sentences), citations=tuple(citations), kind="compare")
