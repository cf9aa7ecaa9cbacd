"""Periods in questions, as plain functions of a text: "in October 2022", "since 2022", "before May 2021",
"between July and December 2021", "on 8 February 2022", "Q2 2022", "the first half of 2022", "early 2022",
"last year", "two years ago", "December" (of any year).

The period is one slot of :mod:`qa.question.slots`; these wrappers read it from a whole text.
"""

from __future__ import annotations

from datetime import date

from qa.question import slots as sl
from qa.question.slots import Period

__all__ = ["Period", "find_period", "find_points"]


def find_period(question: str, today: date | None = None) -> Period | None:
    """The period a question restricts to, or None. Invalid dates (31 February) are ignored."""
    found = sl.find_period(sl.toks(question), question, set(), today)
    return found[0] if found else None


def find_points(question: str, today: date | None = None) -> list[Period]:
    """Every date the question names, each on its own ("the July 2021 and November 2021 presentations")."""
    ts = sl.toks(question)
    out: list[Period] = []
    taken: set[int] = set()
    while (found := sl.find_period(ts, question, taken, today, ranges=False)) is not None:
        period, lo, hi, _ = found
        out.append(period)
        taken |= set(range(lo, hi))
    return out
