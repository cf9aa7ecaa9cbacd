"""Periods in questions, as plain functions of a text: "in October 2022", "since 2022", "before May 2021",
"between July and December 2021", "on 8 February 2022", "Q2 2022", "the first half of 2022", "early 2022",
"last year", "two years ago", "December" (of any year).

The period is one slot of :mod:`qa.question.slots`; these wrappers read it from a whole text.
"""

from __future__ import annotations

from datetime import date

from qa.catalogue.dates import parse_date
from qa.errors import UsageError
from qa.question import slots as sl
from qa.question.slots import Period

__all__ = ["Period", "find_period", "find_points", "read_bound", "read_bounds"]

# What neither `list` nor `list_presentations` can read gets the same words from both.
_NOT_A_DATE = "is not a date; use forms like 2022, 2022-05, May 2022 or 2022-05-04"


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


def read_bound(text: str, *, end: bool, today: date | None = None) -> date:
    """A date bound of `list` (its `--since` or its `--until`) in the words questions use: "2022",
    "May 2021", "Q2 2022", "2022-05-04", "the first half of 2022", "last year". A lower bound is the
    period's first day, an upper bound its last. The whole text must name the period; ValueError with a
    sentence a user can act on."""
    ts = sl.toks(text)
    found = sl.find_period(ts, text, set(), today)
    if found is None:
        parse_date(text)  # InvalidDate (a ValueError) for a day that does not exist: "is not a real date"
        raise ValueError(f"{text.strip()!r} {_NOT_A_DATE}")
    period, lo, hi, _ = found
    rest = [t.low for k, t in enumerate(ts) if not lo <= k < hi and t.low not in ("the", "of")]
    if rest:
        extra = " ".join(rest)
        raise ValueError(f"{text.strip()!r} is not only a date ({extra!r}); give the date alone: 2022, Q2 2022, ...")
    bound = period.end if end else period.start
    if period.month is not None:
        raise ValueError(f"{text.strip()!r} names a month of no year; add the year: {period.text} 2022")
    if bound is None:
        side = "end" if end else "start"
        raise ValueError(f"{text.strip()!r} has no {side}; give a date such as 2022 or May 2022")
    return bound


def read_bounds(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """``--since``/``--until`` as dates (:func:`read_bound`); UsageError (exit 2) for one that cannot be read."""
    try:
        return (
            read_bound(since, end=False) if since is not None else None,
            read_bound(until, end=True) if until is not None else None,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
