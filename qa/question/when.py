"""The period slot: one grammar of time expressions, wherever they stand in a question ("in October 2022",
"since 2022", "between July and December 2021", "Q2 2022", "the first half of 2022", "early 2022", "last year",
"two years ago", "December" of any year), also read by the period options of `list`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from qa.catalogue.dates import month_end, parse_date
from qa.errors import UsageError
from qa.question import vocabulary as v
from qa.question.slots import Tok, toks

_CODE = re.compile(r"([qh])([1-4])")  # Q3, H1


@dataclass(frozen=True)
class Period:
    """An inclusive date range; either end may be open; or one month of every year ("in December")."""

    start: date | None
    end: date | None
    text: str  # the words that named it, for messages ("in October 2022")
    month: int | None = None  # a month named without a year

    def contains(self, day: date) -> bool:
        if self.month is not None and day.month != self.month:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _year(t: Tok | None) -> int | None:
    return int(t.low) if t is not None and len(t.low) == 4 and t.low.isdigit() and t.low[:2] in ("19", "20") else None


def _day(t: Tok | None) -> int | None:
    if t is None:
        return None
    digits = t.low[:-2] if t.low[-2:] in ("st", "nd", "rd", "th") else t.low
    return int(digits) if digits.isdigit() and 1 <= len(digits) <= 2 and 1 <= int(digits) <= 31 else None


def _month(t: Tok | None) -> int | None:
    return v.month_number(t.low) if t is not None else None


def at(ts: Sequence[Tok], i: int) -> Tok | None:
    return ts[i] if 0 <= i < len(ts) else None


def _skip_of(ts: Sequence[Tok], i: int, *fillers: str) -> int:
    """Past the filler words ("of", "the", "year") at ``i``."""
    while (t := at(ts, i)) is not None and t.low in fillers:
        i += 1
    return i


def _point(ts: Sequence[Tok], i: int, today: date) -> tuple[date, date, int, int | None] | None:
    """A date named at token ``i``: (first day, last day, end token, month-of-any-year)."""
    t = ts[i]
    # day month year | day of month year | month day year
    if (d := _day(t)) is not None:
        j = _skip_of(ts, i + 1, "of")
        if (m := _month(at(ts, j))) is not None and (y := _year(at(ts, j + 1))) is not None:
            return date(y, m, d), date(y, m, d), j + 2, None
    if (m := _month(t)) is not None:
        if (d := _day(at(ts, i + 1))) is not None and (y := _year(at(ts, i + 2))) is not None:
            return date(y, m, d), date(y, m, d), i + 3, None
        j = _skip_of(ts, i + 1, "of")
        if (y := _year(at(ts, j))) is not None:
            return date(y, m, 1), month_end(y, m), j + 1, None
        if t.low != "may" or (i > 0 and ts[i - 1].low in v.MAY_PREPOSITIONS.split()):
            return date(1, 1, 1), date(1, 1, 1), i + 1, m  # a month of any year
        return None
    if t.low in v.SEASONS:
        j = _skip_of(ts, i + 1, "of")
        if (y := _year(at(ts, j))) is not None:
            first, last = v.SEASONS[t.low]
            return date(y, first, 1), month_end(y, last), j + 1, None
    if t.low in v.PARTS_OF_YEAR:
        j = _skip_of(ts, i + 1, "of", "the")
        if (y := _year(at(ts, j))) is not None:
            first, last = v.PARTS_OF_YEAR[t.low]
            return date(y, first, 1), month_end(y, last), j + 1, None
    # the first half of 2022, the third quarter of 2021, the last two months of 2021
    n = v.ORDINALS.get(t.low) or (4 if t.low in ("last", "final") else None)
    if n is not None:
        nxt = at(ts, i + 1)
        if nxt is not None and nxt.low in ("half", "quarter"):
            j = _skip_of(ts, i + 2, "of", "the", "year")
            if (y := _year(at(ts, j))) is not None:
                if nxt.low == "half":
                    if n == 1:
                        return date(y, 1, 1), date(y, 6, 30), j + 1, None
                    return date(y, 7, 1), date(y, 12, 31), j + 1, None
                if n <= 4:
                    return date(y, 3 * n - 2, 1), month_end(y, 3 * n), j + 1, None
        following = at(ts, i + 1)
        count = v.NUMBERS.get(following.low if following else "") or _day(following)
        if t.low in ("first", "last") and count and at(ts, i + 2) and ts[i + 2].low == "months":
            j = _skip_of(ts, i + 3, "of", "the", "year")
            if (y := _year(at(ts, j))) is not None and 1 <= count <= 12:
                lo, hi = (1, count) if t.low == "first" else (13 - count, 12)
                return date(y, lo, 1), month_end(y, hi), j + 1, None
    # Q3 2021, H1 2022, 2022 Q1
    code = _CODE.fullmatch(t.low)
    j = _skip_of(ts, i + 1, "of")
    if code and (y := _year(at(ts, j))) is not None and (span := _coded(code.group(1), int(code.group(2)), y)):
        return span + (j + 1, None)
    if (y := _year(t)) is not None:
        nxt = at(ts, i + 1)
        day = at(ts, i + 2)
        if nxt is not None and day is not None and nxt.start == t.start == day.start and nxt.low.isdigit():
            return date(y, int(nxt.low), int(day.low)), date(y, int(nxt.low), int(day.low)), i + 3, None  # 2021-05-04
        if nxt is not None and nxt.start == t.start and nxt.low.isdigit() and len(nxt.low) <= 2:
            return date(y, int(nxt.low), 1), month_end(y, int(nxt.low)), i + 2, None  # 2022-05
        code = _CODE.fullmatch(nxt.low) if nxt else None
        if code and (span := _coded(code.group(1), int(code.group(2)), y)):
            return span + (i + 2, None)
        return date(y, 1, 1), date(y, 12, 31), i + 1, None
    # last year, this year, next month, two years ago
    if t.low in v.RELATIVE_NEAR and (unit := at(ts, i + 1)) is not None and unit.low in ("year", "month"):
        shift = v.RELATIVE_NEAR[t.low]
        if unit.low == "year":
            y = today.year + shift
            return date(y, 1, 1), date(y, 12, 31), i + 2, None
        y, m = divmod(today.year * 12 + today.month - 1 + shift, 12)
        return date(y, m + 1, 1), month_end(y, m + 1), i + 2, None
    amount = v.NUMBERS.get(t.low) or (int(t.low) if t.low.isdigit() and len(t.low) <= 2 else None)
    unit, ago = at(ts, i + 1), at(ts, i + 2)
    if amount and unit and ago and unit.low in ("year", "years") and ago.low == v.AGO:
        y = today.year - amount
        return date(y, 1, 1), date(y, 12, 31), i + 3, None
    return None


def _coded(letter: str, n: int, y: int) -> tuple[date, date] | None:
    if letter == "q":
        return date(y, 3 * n - 2, 1), month_end(y, 3 * n)
    if n <= 2:
        return (date(y, 1, 1), date(y, 6, 30)) if n == 1 else (date(y, 7, 1), date(y, 12, 31))
    return None


def _names_a_thing(ts: Sequence[Tok], i: int, j: int, text: str = "") -> bool:
    """ "the December 2020 Package", "World Trade Report 2020": a date that is part of a name."""
    after = at(ts, j)
    if after is not None and after.stem in v.stems(v.NAME_AFTER_YEAR):
        return True
    before = at(ts, i - 1)
    return (
        _year(ts[i]) is not None
        and before is not None
        and before.upper
        and text[before.end : before.end + 2] not in ("'s", "\u2019s")  # "the GEA's 2021 proposal": a date
        and before.low not in v.STOP_WORDS.split()
        and before.low not in v.PERIOD_PREPOSITIONS
        and _month(before) is None
        and not (text and all(c.isupper() for c in text if c.isalpha()))
    )


def find_period(
    ts: Sequence[Tok], text: str, taken: set[int], today: date | None = None, ranges: bool = True
) -> tuple[Period, int, int, bool] | None:
    """The period a question restricts to, the tokens it takes, and whether it says when (not "the 2020 package")."""
    today = today or date.today()
    points: list[tuple[int, int, date, date, int | None]] = []
    i = 0
    while i < len(ts):
        if i in taken:
            i += 1
            continue
        try:
            found = _point(ts, i, today)
        except ValueError:  # 31 February: no date, and no month of it either
            i += 3
            continue
        if found is None or _names_a_thing(ts, i, found[2], text):
            i += 1
            continue
        lo, hi, j, month = found
        points.append((i, j, lo, hi, month))
        i = j
    if not points:
        return None
    first = points[0]
    lo, hi, i, j, month = first[2], first[3], first[0], first[1], first[4]
    if ranges and len(points) >= 2 and points[1][4] is None:  # between A and B, A to B
        between = {t.low for t in ts[first[1] : points[1][0]]}
        if between and between <= set(v.RANGE_JOINERS.split()):
            second = points[1]
            begin = first[2] if first[4] is None else date(second[2].year, first[4], 1)
            lo, hi, j = min(begin, second[3]), max(begin, second[3]), second[1]
            if i > 0 and ts[i - 1].low in v.RANGE_OPENERS.split():
                i -= 1
            return Period(lo, hi, text[ts[i].start : ts[j - 1].end]), i, j, True
    if month is not None:  # a month of any year ("anything from december?")
        start = i - 1 if i > 0 and ts[i - 1].low in v.PERIOD_PREPOSITIONS else i
        return Period(None, None, text[ts[i].start : ts[j - 1].end], month), start, j, True
    # The preposition before it: "before May 2021", "since 2022", "up to March 2022".
    relation, k = "in", i
    for phrase, meaning in v.PERIOD_PHRASES.items():
        n = len(phrase.split())
        if i - n >= 0 and " ".join(t.low for t in ts[i - n : i]) == phrase:
            relation, k = meaning, i - n
            break
    else:
        if i > 0 and ts[i - 1].low in v.PERIOD_PREPOSITIONS and i - 1 not in taken:  # not "narrow it to 2021"
            relation, k = v.PERIOD_PREPOSITIONS[ts[i - 1].low], i - 1
    after = at(ts, j)
    if k < i and ts[k].low == "from":
        relation = "since" if after is not None and after.low in v.ONWARDS.split() else "in"
    if after is not None and after.low in v.ONWARDS.split() and relation == "in" and k < i:
        relation, j = "since", j + 1
    first_day: date | None = lo
    last_day: date | None = hi
    if relation == "before":
        first_day, last_day = None, lo - timedelta(days=1)
    elif relation == "after":
        first_day, last_day = hi + timedelta(days=1), None
    elif relation == "since":
        last_day = None
    elif relation == "until":
        first_day = None
    said_from = k if relation != "in" else i
    words_said = text[ts[said_from].start : ts[j - 1].end]
    when = k < i or i == 0 or not ts[i].low.isdigit() or (after is None or after.stem in v.stems(v.TOPIC_PREPOSITIONS))
    return Period(first_day, last_day, words_said), k, j, when


def find_points(ts: Sequence[Tok], text: str, today: date | None = None) -> list[Period]:
    """Every date the question names, each on its own ("the July 2021 and November 2021 presentations")."""
    out: list[Period] = []
    taken: set[int] = set()
    while (found := find_period(ts, text, taken, today, ranges=False)) is not None:
        period, lo, hi, _ = found
        out.append(period)
        taken |= set(range(lo, hi))
    return out


# What neither `list` nor `list_presentations` can read gets the same words from both.
_NOT_A_DATE = "is not a date; use forms like 2022, 2022-05, May 2022 or 2022-05-04"


def read_bound(text: str, *, end: bool, today: date | None = None) -> date:
    """A date bound of `list` (its `--since` or its `--until`) in the words questions use: "2022",
    "May 2021", "Q2 2022", "2022-05-04", "the first half of 2022", "last year". A lower bound is the
    period's first day, an upper bound its last. The whole text must name the period; ValueError with a
    sentence a user can act on."""
    ts = toks(text)
    found = find_period(ts, text, set(), today)
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
