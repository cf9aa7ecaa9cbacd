"""Order questions: the latest or earliest presentation (or meeting) among those a list question would
match, and periods the catalogue does not cover."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from qa.answers.facts import compose_fact
from qa.answers.lists import select
from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date
from qa.catalogue.model import Entry
from qa.question.glossary import expansions
from qa.question.phrasing import describe, period_words
from qa.question.query import Query
from qa.question.text import content_tokens, tokens
from qa.search.retrieval import Retriever
from qa.settings import DEFAULT, Settings

# Words that ask for the order or a meeting, not for a topic ("the most recent talk").
_ORDER_WORDS = frozenset(
    tokens(
        "latest most recent recently newest last final lately earliest oldest first very meeting meetings summary "
        "gave given came come delivered made held took take place happen happened occur occurred date day spoke speak"
    )
)
_PICKED = {"latest": "most recent", "earliest": "earliest"}


def answer_order(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer | None:
    """The latest or earliest matching presentation(s), or every presentation of that meeting; None when
    nothing is about the question's topic (then it is answered as a fact)."""
    assert query.order is not None
    topical = _without_order_words(query)
    chosen = select(topical, retriever, settings)
    if chosen is None:
        return None
    entries, on_topic, _ = chosen
    scope = describe(topical, on_topic=on_topic)
    scope = f" {scope}" if scope else ""
    if not entries:
        text = f"The catalogue has no presentations{scope}."
        return Answer(query.text, text, count=0, kind="list")
    day = entries[-1].date if query.order == "latest" else entries[0].date
    word = _PICKED[query.order]
    if query.meeting:
        ones = [e for e in retriever.entries if e.date == day]
        head = f"The {word} meeting{scope} was on {format_date(day)}, with {_presentations(len(ones))}:"
        return _listed(query, ones, head)
    ones = [e for e in entries if e.date == day]
    if len(ones) > 1:
        return _listed(query, ones, f"The {word} presentations{scope} were given on {format_date(day)}:")
    return _one(query, topical, retriever, settings, ones[0], f"The {word} presentation{scope}")


def answer_meeting(query: Query, retriever: Retriever) -> Answer | None:
    """ "What else was presented at the same meeting as Bahrain's ETR Law?": the other presentations of the
    date of the one the question names; None when no entry stands out as the one named."""
    candidates = [i for i, x in enumerate(retriever.entries) if x.institution in query.institutions] or None
    if query.topic:
        query = replace(query.on_topic(), vector=retriever.query_vector(query.topic))
    ranked = retriever.rank(query, candidates, limit=2)
    if not ranked:
        return None
    anchor = ranked[0]
    named = set(content_tokens(f"{anchor.entry.title} {anchor.entry.institution}"))
    words = set(query.topic_content)
    if candidates is None and (not words or len(words & named) * 2 < len(words)):  # the topic names the talk
        return None
    if candidates is not None and len({retriever.entries[i].date for i in candidates}) > 1 and not words & named:
        return None  # a presenter of several meetings, and nothing says which
    e = anchor.entry
    others = [x for x in retriever.entries if x.date == e.date and x.id != e.id]
    head = (
        f"The catalogue has {_presentations(len(others))} besides {e.title} ({e.institution}) "
        f"at the meeting of {format_date(e.date)}" + (":" if others else ".")
    )
    listed = _listed(query, others, head)
    return replace(listed, count=len(others))


def outside(query: Query, entries: Sequence[Entry]) -> Answer | None:
    """For a period the catalogue does not reach: what it covers, and that nothing is in the period."""
    period = query.period
    if period is None or not entries:
        return None
    first, last = min(e.date for e in entries), max(e.date for e in entries)
    if (period.start is None or period.start <= last) and (period.end is None or period.end >= first):
        return None
    text = f"The catalogue covers {format_date(first)} to {format_date(last)}; nothing {period_words(period)}."
    if query.kind in ("list", "count") or query.total:
        # Nothing the catalogue could say: a refusal, with the count a list or count question expects (0).
        return Answer(query.text, text, abstained=True, count=0, kind="abstain")
    if query.order or query.period_when and query.presenting:
        return Answer(query.text, text, abstained=True, kind="abstain")
    return None  # "the 2020 package" names a thing, "transfers in 2020" a time in the world, not a presentation's


def _without_order_words(query: Query) -> Query:
    """The query a list question would be: no order words in its content or topic."""
    content = tuple(t for t in query.content if t not in _ORDER_WORDS)
    topic = query.order_topic
    if topic == query.topic:
        return replace(query, content=content, kind="list")
    topic_content = content_tokens(topic)
    return replace(
        query, content=content, kind="list", topic=topic, topic_tokens=tuple(tokens(topic)),
        topic_content=tuple(topic_content), topic_expansions=tuple(expansions(topic_content)),
    )  # fmt: skip


def _one(query: Query, topical: Query, retriever: Retriever, settings: Settings, entry: Entry, head: str) -> Answer:
    """One presentation: name it, then its summary's best sentences, as a fact answer gives them."""
    ranked = retriever.rank(topical, candidates=[retriever.index_of[entry.id]])
    fact = compose_fact(topical, ranked, retriever, settings)
    text = f"{head} is {entry.title} ({entry.institution}, {format_date(entry.date)}). {fact.text}".strip()
    return replace(fact, question=query.text, text=text, count=None, kind="fact", abstained=False)


def _listed(query: Query, entries: Sequence[Entry], head: str) -> Answer:
    citations = tuple(Citation(i + 1, e) for i, e in enumerate(entries))
    lines = [head] + [f"[{c.n}] {c.entry.title} ({c.entry.institution})" for c in citations]
    return Answer(query.text, "\n".join(lines), count=len(entries), citations=citations, kind="list")


def _presentations(n: int) -> str:
    return f"{n} presentation" + ("" if n == 1 else "s")
