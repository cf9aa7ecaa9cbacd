"""The reading said in plain words: "by the ITC in October 2022", "Which presentations by UNCTAD?".

What a person would type, never an internal descriptor: headings, ``read_as`` and the conversation's
history all say a reading with these functions.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from qa.catalogue.dates import format_date, month_end
from qa.question.vocabulary import PERIOD_PREPOSITIONS
from qa.question.when import Period

if TYPE_CHECKING:
    from qa.question.query import Query

# Institution types as a person says them.
TYPE_WORDS = {
    "Member": "members",
    "IO": "international organizations",
    "Secretariat": "the Secretariat",
    "Other": "other institutions",
    "organized by Member": "institutions invited by a member",
}


def describe(intent: Query, by: str | None = None, on_topic: bool = False) -> str:
    """ "by the ITC in October 2022", in words a person would use; ``on_topic``: the topic narrowed the list."""
    parts = []
    if by:
        parts.append(f"by {by}")
    elif intent.institutions:
        parts.append("by " + join(list(intent.institutions)))
    elif intent.presenter:
        parts.append(f"by {intent.presenter}")
    if intent.types:
        parts.append("by " + join([TYPE_WORDS[t] for t in intent.types]))
    if intent.categories:
        parts.append("in " + join(list(intent.categories)))
    elif (
        intent.topic
        and intent.topic.removeprefix("the ") != (intent.presenter or "").removeprefix("the ")
        and (on_topic or not (intent.institutions or intent.types or intent.period))
    ):
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


def join(items: list[str]) -> str:
    """ "A, B or C"."""
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


def as_question(query: Query) -> str:
    """The question as it was read, as a person would type it ("Which presentations by UNCTAD?"), naming the
    words that were not used ("(not used: thx)")."""
    if query.kind in ("list", "count"):
        scope = describe(query)
        opening = "How many presentations" if query.kind == "count" else "Which presentations"
        said = f"{opening}{' ' + scope if scope else ''}?"
    elif query.topic and query.topic.casefold() not in query.text.casefold():  # a follow-up, made to stand alone
        who = join(list(query.institutions)) if query.institutions else query.presenter
        when = f" {period_words(query.period)}" if query.period else ""
        said = f"What did {who} say about {query.topic}{when}?" if who else f"What about {query.topic}{when}?"
    else:
        said = query.text
    if query.unused:
        said += f" (not used: {', '.join(query.unused)})"
    return said
