"""Date expressions in questions: "in October 2022", "since 2022", "before May 2021",
"between July and December 2021", "on 8 February 2022", "autumn 2021", "early 2022", quarters and halves as people say
them ("Q2 2022", "the third quarter of 2021", "the first half of 2022", "H2 2021")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from qa.catalogue.dates import MONTHS, month_end

_M = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_DAY = (
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_M})\.?"
    rf"|(?P<m2>{_M})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?)\s+(?P<y1>\d{{4}})"
)
_MONTH = rf"(?P<m3>{_M})\.?,?\s+(?:of\s+)?(?P<y2>\d{{4}})"
_SEASON = rf"(?:the\s+)?(?P<s>{'|'.join(_SEASONS)})\s+(?:of\s+)?(?P<y3>\d{{4}})"
_OF_YEAR = r"\s+(?:of\s+)?(?:the\s+year\s+)?"
_HALF = rf"(?:the\s+)?(?P<h>first|second|1st|2nd|last)\s+half{_OF_YEAR}(?P<y4>\d{{4}})"
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4}
_QUARTER = (
    rf"(?:the\s+)?(?P<q>{'|'.join(_ORDINAL)})\s+quarter{_OF_YEAR}(?P<y6>\d{{4}})"
    r"|\bQ(?P<qn>[1-4])\s*(?:of\s+|,\s*|-|/)?(?P<y7>\d{4})|\bH(?P<hn>[12])\s*(?:of\s+|,\s*|-|/)?(?P<y8>\d{4})"
    r"|\b(?P<y10>\d{4})[\s/-]?(?:Q(?P<qn2>[1-4])|H(?P<hn2>[12]))\b"
    r"|(?:the\s+)?(?P<fl>first|last)\s+(?P<nm>two|three|four|five|six|2|3|4|5|6)\s+months\s+of\s+(?:the\s+year\s+)?(?P<y11>\d{4})"
)
# "early 2022", "mid-2022", "late 2021": the year's thirds.
_PART = {"early": (1, 4), "mid": (5, 8), "middle of": (5, 8), "late": (9, 12)}
_PART_OF = r"(?:the\s+)?(?P<part>early|mid|middle\s+of|late)[\s-]+(?:of\s+)?(?P<y9>\d{4})"
_MONTHS_N = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, **{str(n): n for n in range(2, 7)}}
_YEAR = r"(?P<y5>(?:19|20)\d{2})"
_POINT = re.compile(rf"(?:{_DAY}|{_MONTH}|{_SEASON}|{_HALF}|{_QUARTER}|{_PART_OF}|{_YEAR})(?![\d-])", re.IGNORECASE)
_RANGE = re.compile(
    rf"\b(?:between|from)\s+(?P<a>{_M}|\d{{1,2}}\s+(?:{_M}))(?:\s+(?P<ay>\d{{4}}))?\s+(?:and|to|until|till)\s+(?P<b>{_M}|\d{{1,2}}\s+(?:{_M}))\s+(?P<by>\d{{4}})",
    re.IGNORECASE,
)
_THE = r"\s+(?:the\s+)?(?:(?:start|beginning|end)\s+of\s+)?$"
_BEFORE = re.compile(r"\b(?:before|prior to|earlier than)" + _THE, re.IGNORECASE)
_AFTER = re.compile(r"\b(?:after|later than)" + _THE, re.IGNORECASE)
_SINCE = re.compile(r"\b(?:since|starting(?: in| from)?|as of|on or after|from)" + _THE, re.IGNORECASE)
_ONWARDS = re.compile(r"^\s*(?:on(?:wards?)?|forward|and later)\b", re.IGNORECASE)
_UNTIL = re.compile(r"\b(?:until|till|up to|through|by|no later than|to)" + _THE, re.IGNORECASE)
# A year that is part of a name ("World Trade Report 2020", "the December 2020 Package") is no period.
_NAME_AFTER = re.compile(r"^\s+(?:package|decision|report|agenda|forum|edition|programme|program)\b", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"\b(?!(?:" + _M + r")\b)[A-Z][\w-]*\s+$")


@dataclass(frozen=True)
class Period:
    """An inclusive date range; either end may be open."""

    start: date | None
    end: date | None
    text: str  # the words that named it, for messages ("in October 2022")

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _span(m: re.Match[str]) -> tuple[date, date]:
    g = m.groupdict()
    if g.get("y1"):
        month = MONTHS[(g["m1"] or g["m2"]).lower()]
        day = date(int(g["y1"]), month, int(g["d1"] or g["d2"]))
        return day, day
    if g.get("y2"):
        year, month = int(g["y2"]), MONTHS[g["m3"].lower()]
        return date(year, month, 1), month_end(year, month)
    if g.get("y3"):
        first, last = _SEASONS[g["s"].lower()]
        return date(int(g["y3"]), first, 1), month_end(int(g["y3"]), last)
    if g.get("y4"):
        year, first = int(g["y4"]), g["h"].lower() in ("first", "1st")
        return (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
    if g.get("y6") or g.get("y7"):
        year, q = int(g["y6"] or g["y7"]), _ORDINAL[g["q"].lower()] if g.get("q") else int(g["qn"])
        return date(year, 3 * q - 2, 1), month_end(year, 3 * q)
    if g.get("y8"):
        year, first = int(g["y8"]), g["hn"] == "1"
        return (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
    if g.get("y10"):
        year, n = int(g["y10"]), int(g["qn2"] or g["hn2"])
        first, last = (3 * n - 2, 3 * n) if g["qn2"] else (6 * n - 5, 6 * n)
        return date(year, first, 1), month_end(year, last)
    if g.get("y11"):
        year, n = int(g["y11"]), _MONTHS_N[g["nm"].lower()]
        first, last = (1, n) if g["fl"].lower() == "first" else (13 - n, 12)
        return date(year, first, 1), month_end(year, last)
    if g.get("y9"):
        year, (first, last) = int(g["y9"]), _PART[" ".join(g["part"].lower().split())]
        return date(year, first, 1), month_end(year, last)
    year = int(g["y5"])
    return date(year, 1, 1), date(year, 12, 31)


def _bound(text: str, year: int, *, end: bool) -> date:
    parts = text.split()
    month = MONTHS[parts[-1].lower()]
    if len(parts) == 2:
        return date(year, month, int(parts[0]))
    return month_end(year, month) if end else date(year, month, 1)


def find_period(question: str) -> Period | None:
    """The period a question restricts to, or None. Invalid dates (31 February) are ignored."""
    try:
        return _find(question)
    except ValueError:
        return None


def find_points(question: str) -> list[Period]:
    """Every date the question names, each on its own ("the July 2021 and November 2021 presentations")."""
    out = []
    for m in _POINT.finditer(question):
        if _part_of_name(question, m):
            continue
        try:
            start, end = _span(m)
        except ValueError:
            continue
        out.append(Period(start, end, m.group(0)))
    return out


def _find(question: str) -> Period | None:
    if r := _RANGE.search(question):
        year_b = int(r.group("by"))
        year_a = int(r.group("ay")) if r.group("ay") else year_b
        start, end = _bound(r.group("a"), year_a, end=False), _bound(r.group("b"), year_b, end=True)
        return Period(start, end, r.group(0))
    points = [m for m in _POINT.finditer(question) if not _part_of_name(question, m)]
    if not points:
        return None
    if len(points) >= 2:
        (s1, _), (_, e2) = _span(points[0]), _span(points[-1])
        between = question[points[0].end() : points[-1].start()]
        if re.search(r"\b(and|to|until|till|through)\b|[-\u2013]", between):
            return Period(min(s1, e2), max(s1, e2), question[points[0].start() : points[-1].end()])
    m = points[0]
    start, end = _span(m)
    before = question[: m.start()]
    for pattern, make in (
        (_BEFORE, lambda: (None, start - timedelta(days=1))),
        (_AFTER, lambda: (end + timedelta(days=1), None)),
        (_SINCE, lambda: (start, None)),
        (_UNTIL, lambda: (None, end)),
    ):
        if p := pattern.search(before):
            if p.group(0).lower().startswith("from") and not _ONWARDS.match(question[m.end() :]):
                break  # "presentations from December 2021" means in December 2021
            lo, hi = make()
            return Period(lo, hi, question[p.start() : m.end()])
    return Period(start, end, m.group(0))


def _part_of_name(question: str, m: re.Match[str]) -> bool:
    if _NAME_AFTER.match(question[m.end() :]):
        return True
    return bool(m.group("y5")) and bool(_NAME_BEFORE.search(question[: m.start()]))
