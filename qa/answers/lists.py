"""List and count questions: the complete set of matching entries, in date order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from qa.answers.facts import compose_fact
from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date, month_end
from qa.catalogue.filters import Filter
from qa.catalogue.model import Entry
from qa.question.periods import Period
from qa.question.query import Query
from qa.question.text import tokens
from qa.question.vocabulary import PERIOD_PREPOSITIONS
from qa.search.retrieval import Retriever
from qa.settings import DEFAULT, Settings

# A topic list ("Who presented on cyber security?") holds the entries the relevance judgment finds about the topic.
TYPE_WORDS = {
    "Member": "members",
    "IO": "international organizations",
    "Secretariat": "the Secretariat",
    "Other": "other institutions",
    "organized by Member": "institutions invited by a member",
}


def answer_list(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer | None:
    """The complete answer to a list or count question; "No presentation is about X" when nothing is."""
    chosen = select(query, retriever, settings)
    if chosen is None:  # nothing is about the topic: say so, with where it is mentioned or the nearest entries
        from qa.answers.relevance import judge
        from qa.answers.spans import uncovered

        topical = replace(query, topic_content=tuple(_topic_words(query)))
        said = uncovered(topical, judge(topical, retriever, settings), retriever=retriever)
        return replace(said, kind=query.kind)
    entries, on_topic, matched = chosen
    if query.category_text and not all(Filter(categories=query.categories).passes(e) for e in entries):
        # the category and entries elsewhere whose titles name it: the heading says both
        heading = f"{query.category_text} ({_join(list(query.categories))} and titles that name it)"
        query, on_topic = replace(query, categories=(), topic=heading), True
    if len(entries) == 1:
        return _single(query, retriever, settings, entries[0], on_topic)
    return _compose(query, entries, on_topic=on_topic, matched=matched, nearest=_nearest(query, retriever))


def _nearest(query: Query, retriever: Retriever) -> str:
    """ "; the nearest meetings were 8 February 2022 and 7 April 2022.": around a period with no presentation."""
    p = query.period
    if p is None or p.month is not None:
        return ""
    days = sorted({e.date for e in retriever.entries})
    before = [d for d in days if p.start and d < p.start]
    after = [d for d in days if p.end and d > p.end]
    near = ([before[-1]] if before else []) + ([after[0]] if after else [])
    if not near:
        return ""
    said = " and ".join(format_date(d) for d in near)
    return f"; the nearest meeting{'s were' if len(near) > 1 else ' was'} {said}."


def select(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> tuple[list[Entry], bool, bool] | None:
    """The entries a list question means, in date order: those its filters keep (narrowed by its topic, if
    one stands out: ``on_topic``), else those about its topic (``matched``), else all. None when nothing is
    about its topic (a fact question)."""
    on_topic = matched = False
    if query.structural:
        entries = query.filter.apply(retriever.entries)
        if len(entries) > 1 and _topic_of(query, retriever):
            refined = _refine(
                replace(query, topic_content=tuple(_topic_of(query, retriever))), retriever, settings, entries
            )
            on_topic = len(refined) < len(entries)  # the topic picked some: say so in the heading
            entries = refined
        elif query.category_words:  # "talks on intellectual property": also those elsewhere whose title names it
            pool = replace(query.filter, categories=()).apply(retriever.entries)
            entries += [e for e in _titled(retriever, query.category_words, pool) if e not in entries]
    elif _topic_words(query):
        entries = _topic_entries(query, retriever, settings)
        if not entries:
            return None
        matched = True
    else:
        entries = list(retriever.entries)
    return sorted(entries, key=lambda e: e.date), on_topic, matched


def _single(query: Query, retriever: Retriever, settings: Settings, entry: Entry, on_topic: bool = False) -> Answer:
    """One match: say so, and let its summary answer ("What did WIPO present in November 2021?")."""
    ranked = retriever.rank(query, candidates=[retriever.index_of[entry.id]])
    fact = compose_fact(query, ranked, retriever, settings)
    scope = describe(query, on_topic=on_topic)
    scope = f" {scope}" if scope else ""
    head = f"The catalogue has 1 presentation{scope}: {entry.title} ({entry.institution}, {format_date(entry.date)})."
    return replace(fact, text=f"{head} {fact.text}".strip(), count=1, kind=query.kind)


_LIST_WORDS = {"list", "which", "who", "all", "every", "name", "give", "many", "time", "often", "number", "count"}
# Words for the whole catalogue, not a topic ("How many presentations does the catalogue hold?").
_LIST_WORDS |= set(tokens("catalogue catalog total altogether overall hold contain ever group heard"))


def _topic_words(query: Query) -> list[str]:
    return [t for t in query.topic_content if t not in _LIST_WORDS]


def _topic_of(query: Query, retriever: Retriever) -> list[str]:
    """Words of an explicit topic ("... on the Global Trade Helpdesk") that no filter already covers."""
    if not query.topic:
        return []
    covered = set(_LIST_WORDS)
    for inst in query.institutions:
        covered.update(tokens(inst + " " + " ".join(retriever.aliases.get(inst, ()))))
    for name in query.categories:
        covered.update(tokens(name))
    covered.update(query.period_tokens)
    return [t for t in query.topic_content if t not in covered and not t.isdigit()]


def _titled(retriever: Retriever, words: Sequence[str], pool: Sequence[Entry]) -> list[Entry]:
    """The entries of ``pool`` whose titles hold every one of ``words`` (content tokens); none for no words."""
    want = set(words)
    index = retriever.index_of
    return [e for e in pool if want and want <= set(retriever.title_tokens[index[e.id]])]


def _refine(query: Query, retriever: Retriever, settings: Settings, entries: list[Entry]) -> list[Entry]:
    """The filtered entries about the question's topic or naming it (qa.answers.coverage); may be none."""
    from qa.answers.relevance import judge

    positions = [retriever.index_of[e.id] for e in entries]
    cov = judge(query.on_topic(), retriever, settings, positions)
    kept = {j.entry.id for j in cov.about} | {j.entry.id for j in cov.mentions}
    return [e for e in entries if e.id in kept]


def _topic_entries(query: Query, retriever: Retriever, settings: Settings) -> list[Entry]:
    """ "Who presented on X?": the entries the relevance judgment (qa.answers.relevance) finds about X;
    "Which talks touched on X?" (a question about mentions): also those that mention it in passing."""
    from qa.answers.relevance import judge

    cov = judge(replace(query, topic_content=tuple(_topic_words(query))), retriever, settings)
    return cov.about_entries() + ([j.entry for j in cov.mentions] if query.mentions else [])


def describe(intent: Query, by: str | None = None, on_topic: bool = False) -> str:
    """ "by the ITC in October 2022", in words a person would use; ``on_topic``: the topic narrowed the list."""
    parts = []
    if by:
        parts.append(f"by {by}")
    elif intent.institutions:
        parts.append("by " + _join(list(intent.institutions)))
    if intent.types:
        parts.append("by " + _join([TYPE_WORDS[t] for t in intent.types]))
    if intent.categories:
        parts.append("in " + _join(list(intent.categories)))
    elif intent.topic and (on_topic or not (intent.institutions or intent.types or intent.period)):
        parts.append(f"on {_without_period(intent)}")
    if intent.period:
        parts.append(period_words(intent.period))
    return " ".join(parts)


def _without_period(intent: Query) -> str:
    """The topic without the words that named the period, which the heading gives on its own."""
    topic = intent.topic
    if intent.period and intent.period.text and intent.period.text in topic:
        topic = topic.replace(intent.period.text, " ")
        words = topic.split()
        while words and words[-1].lower() in PERIOD_PREPOSITIONS:
            words.pop()
        topic = " ".join(words)
    return topic.strip() or intent.topic


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def period_words(p: Period) -> str:
    if p.month is not None:
        return f"in {date(2000, p.month, 1):%B}" + (
            f" {period_words(replace(p, month=None))}" if p.start or p.end else ""
        )
    lo, hi = p.start, p.end
    if lo and hi:
        if lo == hi:
            return f"on {format_date(lo)}"
        if lo.day == 1 and hi == month_end(hi.year, hi.month):
            if (lo.year, lo.month) == (hi.year, hi.month):
                return f"in {lo:%B %Y}"
            if lo.month == 1 and hi.month == 12:
                return f"in {lo.year}" if lo.year == hi.year else f"from {lo.year} to {hi.year}"
            return f"from {lo:%B %Y} to {hi:%B %Y}"
        return f"from {format_date(lo)} to {format_date(hi)}"
    if lo:
        return f"since {format_date(lo)}"
    assert hi is not None
    return f"up to {format_date(hi)}"


def others(query: Query, entries: list[Entry], question: str | None = None) -> Answer:
    """ "Who else ...?": the rest of a list, in date order; "no other presentations" when none is left."""
    return _compose(query, sorted(entries, key=lambda e: e.date), on_topic=True, other=True, question=question)


def _compose(
    intent: Query,
    entries: list[Entry],
    by: str | None = None,
    matched: bool = False,
    on_topic: bool = False,
    other: bool = False,
    question: str | None = None,
    nearest: str = "",
) -> Answer:
    n = len(entries)
    noun = ("other " if other else "") + ("presentation" if n == 1 else "presentations")
    scope = describe(intent, by, on_topic)
    scope = f" {scope}" if scope else (" that match" if matched and n != 1 else "")
    citations = tuple(Citation(i + 1, e) for i, e in enumerate(entries))
    if n == 0:
        text = f"The catalogue has no {'other ' if other else ''}presentations{scope}."
        if nearest and intent.period and not (intent.institutions or intent.types or intent.categories or intent.topic):
            text = text[:-1] + nearest
    else:
        lines = [f"The catalogue has {n} {noun}{scope}:"]
        lines += [f"[{c.n}] {format_date(c.entry.date)}: {c.entry.title} ({c.entry.institution})" for c in citations]
        text = "\n".join(lines)
    return Answer(question or intent.text, text, count=n, citations=citations, kind=intent.kind)
