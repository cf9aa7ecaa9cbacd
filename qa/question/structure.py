"""What a question asks of the catalogue's order and shape, as plain functions of a text: the latest or
earliest presentation or meeting, totals, and list requests worded without a list question's usual words.

The slots are found by :mod:`qa.question.slots` and read into :class:`~qa.question.query.Query` fields
(``order``, ``meeting``, ``total``) by :mod:`qa.question.reader`; these wrappers read one of them.
"""

from __future__ import annotations

from qa.question import reader
from qa.question import slots as sl
from qa.question import vocabulary as v


def find_order(question: str) -> str | None:
    """ "latest" or "earliest" when the question asks for an end of the date order, else None."""
    ts = sl.toks(question)
    taken: set[int] = set()
    if found := sl.find_period(ts, question, taken):
        taken = set(range(found[1], found[2]))
    return sl.find_order(ts, taken)[0]


def find_total(question: str) -> str | None:
    """What a totals question counts: "meetings", "categories", "institutions" (or "institutions-repeat"),
    or who or what has the most ("most", "most-category", "most-meeting", "most-year"); None otherwise."""
    ts = sl.toks(question)
    return sl.find_total(ts, question, sl.find_count(ts)[0])


def list_form(question: str) -> bool:
    """The question asks for presentations."""
    return reader.read(question, {}, ()).listing


def period_is_when(question: str, period_text: str) -> bool:
    """The period says when something was presented ("in 2024?"), not which thing is meant ("the 2020 package")."""
    found = sl.find_period(sl.toks(question), question, set())
    return found is not None and found[3] and period_text in found[0].text


def without_order(topic: str) -> str:
    """A topic without the order words that end it ("payments came last" -> "payments")."""
    ts = sl.toks(topic)
    drop = (
        set(v.LATEST.split())
        | set(v.EARLIEST.split())
        | {"came", "come", "was", "were", "given", "presented", "held", "delivered", "the", "one", "most"}
    )
    drop |= set(v.MEETING_NOUNS.split())
    while ts and ts[-1].low in drop:
        ts = ts[:-1]
    return topic[: ts[-1].end].strip() if ts else ""
