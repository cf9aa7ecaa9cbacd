"""Totals: how many meetings, institutions or categories (among the entries a question's filters keep),
and who presented most often (or which category, meeting or year had the most). Counted from the
catalogue's structure, never refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date
from qa.catalogue.institutions import norm
from qa.catalogue.model import Entry
from qa.question.phrasing import TYPE_WORDS, describe
from qa.question.query import Query
from qa.search.retrieval import Retriever


def name_key(name: str) -> str:
    """One key for names that differ only by articles, case or punctuation
    ("Brazil Mission to the WTO" and "Brazil Mission to WTO")."""
    return " ".join(w for w in norm(name).split() if w not in ("a", "an"))


# What a total groups by: the key of an entry, and the noun for one group and for several.
_BY: dict[str, tuple[Callable[[Entry], str], str, str]] = {
    "institutions": (lambda e: name_key(e.institution), "institution", "institutions"),
    "meetings": (lambda e: format_date(e.date), "meeting", "meetings"),
    "categories": (lambda e: e.category, "category", "categories"),
    "year": (lambda e: str(e.date.year), "year", "years"),
}


_MOST_BY = {"most": "institutions", "most-category": "categories", "most-meeting": "meetings"}


def groups_of(entries: Sequence[Entry], by: str) -> dict[str, list[Entry]]:
    """Entries grouped (presenters' names merged by :func:`name_key`, shown in their most used spelling),
    largest group first, then in order of first appearance."""
    key = _BY[by][0]
    grouped: dict[str, list[Entry]] = {}
    for e in entries:
        grouped.setdefault(key(e), []).append(e)
    named: dict[str, list[Entry]] = {}
    for k, members in grouped.items():
        spellings = [e.institution for e in members]
        name = max(dict.fromkeys(spellings), key=spellings.count) if by == "institutions" else k
        named[name] = members
    return dict(sorted(named.items(), key=lambda kv: -len(kv[1])))


def answer_total(query: Query, retriever: Retriever) -> Answer:
    """The total the question asks for, over the entries its filters keep."""
    entries = query.filter.apply(retriever.entries)
    assert query.total is not None
    if query.total.startswith("most"):
        return _most(query, entries, _MOST_BY.get(query.total, "year"))
    repeat = query.total == "institutions-repeat"  # "How many institutions presented more than once?"
    by = "institutions" if repeat else query.total
    groups = groups_of(entries, by)
    if repeat:
        groups = {name: members for name, members in groups.items() if len(members) > 1}
        entries = sorted((e for members in groups.values() for e in members), key=lambda e: e.date)
    if by == "meetings":
        groups = dict(sorted(groups.items(), key=lambda kv: kv[1][0].date))
    n = len(groups)
    _, one, several = _BY[by]
    noun = one if n == 1 else several
    if by == "institutions" and query.types:
        noun = " or ".join(TYPE_WORDS[t] for t in query.types)
        if n == 1:
            noun = noun.removesuffix("s")
        query = replace(query, types=())
    scope = describe(query)
    scope = f" {scope}" if scope else ""
    parts = [f"{name} ({len(members)})" for name, members in groups.items()]
    text = f"The catalogue has {n} {noun}{scope}" + (": " + "; ".join(parts) + "." if parts else ".")
    if by == "institutions":
        more = " more than once" if repeat else ""
        text = f"{n} {noun} presented{scope}{more}" + (": " + "; ".join(parts) + "." if parts else ".")
    return Answer(query.text, text, count=n, citations=_cite(entries), kind="count")


def _most(query: Query, entries: Sequence[Entry], by: str) -> Answer:
    scope = describe(query)
    scope = f" {scope}" if scope else ""
    groups = groups_of(entries, by)
    if not groups:
        return Answer(query.text, f"The catalogue has no presentations{scope}.", count=0, kind="count")
    top = max(len(m) for m in groups.values())
    leaders = [name for name, members in groups.items() if len(members) == top]
    chosen = sorted((e for name in leaders for e in groups[name]), key=lambda e: e.date)
    who = leaders[0] if len(leaders) == 1 else ", ".join(leaders[:-1]) + " and " + leaders[-1]
    each = "" if len(leaders) == 1 else " each"
    times = f"{top} presentation{'s' if top != 1 else ''}"
    among = f"Among the presentations{scope}, " if scope else ""
    if by == "institutions":
        head = f"{who}{each} presented most often: {times}."
    else:
        noun = _BY[by][1] if len(leaders) == 1 else _BY[by][2]
        head = f"{'the' if among else 'The'} {noun} with the most{each} had {times}: {who}."
    head = among + head
    runners = [f"{name} ({len(m)})" for name, m in groups.items() if len(m) < top][:3]
    if runners:
        head += " Next: " + ", ".join(runners) + "."
    citations = _cite(chosen)
    rows = (f"[{c.n}] {format_date(c.entry.date)}: {c.entry.title} ({c.entry.institution})" for c in citations)
    lines = [head, *rows]
    return Answer(query.text, "\n".join(lines), count=top, citations=citations, kind="count")


def _cite(entries: Sequence[Entry]) -> tuple[Citation, ...]:
    return tuple(Citation(i + 1, e) for i, e in enumerate(entries))
