"""Dates as the catalogue writes them ("24 September 2021") and as people ask for them."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_LINE = re.compile(
    rf"^\s*(?:\d{{1,2}}\s+(?:{_MONTH})\.?,?\s+\d{{4}}|(?:{_MONTH})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\s*\.?\s*$",
    re.IGNORECASE,
)


# What a paragraph standing where an entry's date should be says instead ("Date to be confirmed",
# "TBC", "March 2022"): it speaks of a date, as a sub-section heading ("Cross-border Payments") does not.
_DATE_NOTE = re.compile(
    rf"\b(?:{_MONTH}|(?:19|20)\d{{2}}|dates?|dated|undated|tb[acd]|to be (?:confirmed|determined|announced|decided)"
    r"|forthcoming|postponed)\b",
    re.IGNORECASE,
)


class InvalidDate(ValueError):
    """Looks like a date but names a day that does not exist (31 February)."""


def is_date_line(text: str) -> bool:
    """True for a paragraph that is nothing but a date."""
    return bool(_DATE_LINE.match(text))


def is_date_note(text: str) -> bool:
    """True for a paragraph that speaks of a date without being one ("Date to be confirmed", "TBC")."""
    return bool(_DATE_NOTE.search(text))


def parse_date(text: str) -> date | None:
    """The first full date in ``text``; None if there is none; InvalidDate if it does not exist."""
    found: list[tuple[int, int, int, int]] = []  # (position, year, month, day)
    for m in DAY_MONTH_YEAR.finditer(text):
        found.append((m.start(), int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1))))
    for m in MONTH_DAY_YEAR.finditer(text):
        found.append((m.start(), int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2))))
    for m in ISO.finditer(text):
        found.append((m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if not found:
        return None
    _, year, month, day = min(found)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidDate(f"{text.strip()!r} is not a real date") from exc


def parse_period(text: str) -> tuple[date, date] | None:
    """The two dates of "18 February 2021 – 13 March 2023"; None unless there are two valid ones."""
    spans = sorted(
        [m.span() for m in DAY_MONTH_YEAR.finditer(text)]
        + [m.span() for m in MONTH_DAY_YEAR.finditer(text)]
        + [m.span() for m in ISO.finditer(text)]
    )
    dates = []
    for start, end in spans:
        try:
            parsed = parse_date(text[start:end])
        except InvalidDate:
            return None
        if parsed:
            dates.append(parsed)
    if len(dates) < 2:
        return None
    return dates[0], dates[-1]


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(first_of_next.toordinal() - 1)


_YEAR_ONLY = re.compile(r"^\s*(\d{4})\s*$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_MONTH_YEAR = re.compile(rf"^\s*({_MONTH})\.?,?\s+(\d{{4}})\s*$", re.IGNORECASE)


def parse_bound(text: str, *, end: bool) -> date:
    """A filter bound: "2022", "2022-05", "May 2022", "2022-05-04" or "4 May 2022".

    A year or month stands for its first day as a lower bound and its last day as an upper bound.
    Raises ValueError with a sentence a user can act on.
    """
    if m := _YEAR_ONLY.match(text):
        year = int(m.group(1))
        return date(year, 12, 31) if end else date(year, 1, 1)
    month_year = None
    if m := _YEAR_MONTH.match(text):
        month_year = (int(m.group(1)), int(m.group(2)))
    elif m := _MONTH_YEAR.match(text):
        month_year = (int(m.group(2)), MONTHS[m.group(1).lower()])
    if month_year:
        year, month = month_year
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a month")
        return month_end(year, month) if end else date(year, month, 1)
    try:
        parsed = parse_date(text)
    except InvalidDate as exc:
        raise ValueError(str(exc)) from None
    if parsed is None or not is_date_line(text):
        raise ValueError(f"{text!r} is not a date; use forms like 2022, 2022-05, May 2022 or 2022-05-04")
    return parsed


_MONTH_NAMES = "January February March April May June July August September October November December".split()


def format_date(day: date) -> str:
    """ "4 May 2021": the catalogue's own spelling, independent of the locale."""
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"
