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


_MONTH_NAMES = "January February March April May June July August September October November December".split()


def format_date(day: date) -> str:
    """ "4 May 2021": the catalogue's own spelling, independent of the locale."""
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"
