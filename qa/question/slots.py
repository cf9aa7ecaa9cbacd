"""Slots found anywhere in a question: the period, presenters, institution types, categories, order,
meeting and totals, each read from folded, stemmed tokens with the words of :mod:`qa.question.vocabulary`.

A question is split into :class:`Tok` (one per folded token, with where it stands in the text). Each finder
claims the tokens it reads, so a word is read once: the year of "In 2021, ..." is the period wherever it
stands, and the words left over, once the slots and the frame's words are taken out, are the topic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from qa.catalogue.dates import month_end
from qa.catalogue.institutions import norm
from qa.question import vocabulary as v
from qa.question.places import economies_in
from qa.question.text import stem, words

_CODE = re.compile(r"([qh])([1-4])")  # Q3, H1
_WORD = re.compile(r"[^\W_]+(?:[&'\u2019./-][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Tok:
    low: str  # folded word ("december", "2022", "icc")
    stem: str  # its stem ("present" for "presented")
    start: int  # where its word stands in the text
    end: int
    upper: bool  # written with a capital letter first


def toks(text: str) -> list[Tok]:
    """The text's folded tokens, each with the span of the word it came from."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word[-2:] in ("'s", "\u2019s"):
            word = word[:-2]  # the possessive is no part of the name; the word ends before it
        for low in words(word):
            out.append(Tok(low, stem(low), m.start(), m.start() + len(word), word[:1].isupper()))
    return out


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


# Phrase matching --------------------------------------------------------------------------------------


def find_phrase_forms(
    ts: Sequence[Tok], table: tuple[tuple[str, ...], ...], skip: set[int]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """As :func:`find_phrase`, on written forms (``table`` of lower-case words): for words whose stems collide."""
    return find_phrase([replace(t, stem=t.low) for t in ts], table, skip)


@lru_cache(maxsize=256)
def _by_first(table: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The table's phrases by their first word, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(table, key=len, reverse=True):
        out.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


def find_phrase(
    ts: Sequence[Tok], table: tuple[tuple[str, ...], ...], skip: set[int]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Every non-overlapping match of the table's phrases (stems), longest first, left to right."""
    stems = [t.stem for t in ts]
    by_first = _by_first(table)
    found = []
    i = 0
    while i < len(ts):
        for phrase in by_first.get(stems[i], ()):
            n = len(phrase)
            if tuple(stems[i : i + n]) == phrase and not any(k in skip for k in range(i, i + n)):
                found.append((i, i + n, phrase))
                i += n
                break
        else:
            i += 1
    return found


# Periods ----------------------------------------------------------------------------------------------


def _year(t: Tok | None) -> int | None:
    return int(t.low) if t is not None and len(t.low) == 4 and t.low.isdigit() and t.low[:2] in ("19", "20") else None


def _day(t: Tok | None) -> int | None:
    if t is None:
        return None
    digits = t.low[:-2] if t.low[-2:] in ("st", "nd", "rd", "th") else t.low
    return int(digits) if digits.isdigit() and 1 <= len(digits) <= 2 and 1 <= int(digits) <= 31 else None


def _month(t: Tok | None) -> int | None:
    return v.month_number(t.low) if t is not None else None


def _at(ts: Sequence[Tok], i: int) -> Tok | None:
    return ts[i] if 0 <= i < len(ts) else None


def _skip_of(ts: Sequence[Tok], i: int, *fillers: str) -> int:
    """Past the filler words ("of", "the", "year") at ``i``."""
    while (t := _at(ts, i)) is not None and t.low in fillers:
        i += 1
    return i


def _point(ts: Sequence[Tok], i: int, today: date) -> tuple[date, date, int, int | None] | None:
    """A date named at token ``i``: (first day, last day, end token, month-of-any-year)."""
    t = ts[i]
    # day month year | day of month year | month day year
    if (d := _day(t)) is not None:
        j = _skip_of(ts, i + 1, "of")
        if (m := _month(_at(ts, j))) is not None and (y := _year(_at(ts, j + 1))) is not None:
            return date(y, m, d), date(y, m, d), j + 2, None
    if (m := _month(t)) is not None:
        if (d := _day(_at(ts, i + 1))) is not None and (y := _year(_at(ts, i + 2))) is not None:
            return date(y, m, d), date(y, m, d), i + 3, None
        j = _skip_of(ts, i + 1, "of")
        if (y := _year(_at(ts, j))) is not None:
            return date(y, m, 1), month_end(y, m), j + 1, None
        if t.low != "may" or (i > 0 and ts[i - 1].low in v.MAY_PREPOSITIONS.split()):
            return date(1, 1, 1), date(1, 1, 1), i + 1, m  # a month of any year
        return None
    if t.low in v.SEASONS:
        j = _skip_of(ts, i + 1, "of")
        if (y := _year(_at(ts, j))) is not None:
            first, last = v.SEASONS[t.low]
            return date(y, first, 1), month_end(y, last), j + 1, None
    if t.low in v.PARTS_OF_YEAR:
        j = _skip_of(ts, i + 1, "of", "the")
        if (y := _year(_at(ts, j))) is not None:
            first, last = v.PARTS_OF_YEAR[t.low]
            return date(y, first, 1), month_end(y, last), j + 1, None
    # the first half of 2022, the third quarter of 2021, the last two months of 2021
    n = v.ORDINALS.get(t.low) or (4 if t.low in ("last", "final") else None)
    if n is not None:
        nxt = _at(ts, i + 1)
        if nxt is not None and nxt.low in ("half", "quarter"):
            j = _skip_of(ts, i + 2, "of", "the", "year")
            if (y := _year(_at(ts, j))) is not None:
                if nxt.low == "half":
                    if n == 1:
                        return date(y, 1, 1), date(y, 6, 30), j + 1, None
                    return date(y, 7, 1), date(y, 12, 31), j + 1, None
                if n <= 4:
                    return date(y, 3 * n - 2, 1), month_end(y, 3 * n), j + 1, None
        following = _at(ts, i + 1)
        count = v.NUMBERS.get(following.low if following else "") or _day(following)
        if t.low in ("first", "last") and count and _at(ts, i + 2) and ts[i + 2].low == "months":
            j = _skip_of(ts, i + 3, "of", "the", "year")
            if (y := _year(_at(ts, j))) is not None and 1 <= count <= 12:
                lo, hi = (1, count) if t.low == "first" else (13 - count, 12)
                return date(y, lo, 1), month_end(y, hi), j + 1, None
    # Q3 2021, H1 2022, 2022 Q1
    code = _CODE.fullmatch(t.low)
    j = _skip_of(ts, i + 1, "of")
    if code and (y := _year(_at(ts, j))) is not None and (span := _coded(code.group(1), int(code.group(2)), y)):
        return span + (j + 1, None)
    if (y := _year(t)) is not None:
        nxt = _at(ts, i + 1)
        day = _at(ts, i + 2)
        if nxt is not None and day is not None and nxt.start == t.start == day.start and nxt.low.isdigit():
            return date(y, int(nxt.low), int(day.low)), date(y, int(nxt.low), int(day.low)), i + 3, None  # 2021-05-04
        if nxt is not None and nxt.start == t.start and nxt.low.isdigit() and len(nxt.low) <= 2:
            return date(y, int(nxt.low), 1), month_end(y, int(nxt.low)), i + 2, None  # 2022-05
        code = _CODE.fullmatch(nxt.low) if nxt else None
        if code and (span := _coded(code.group(1), int(code.group(2)), y)):
            return span + (i + 2, None)
        return date(y, 1, 1), date(y, 12, 31), i + 1, None
    # last year, this year, next month, two years ago
    if t.low in v.RELATIVE_NEAR and (unit := _at(ts, i + 1)) is not None and unit.low in ("year", "month"):
        shift = v.RELATIVE_NEAR[t.low]
        if unit.low == "year":
            y = today.year + shift
            return date(y, 1, 1), date(y, 12, 31), i + 2, None
        y, m = divmod(today.year * 12 + today.month - 1 + shift, 12)
        return date(y, m + 1, 1), month_end(y, m + 1), i + 2, None
    amount = v.NUMBERS.get(t.low) or (int(t.low) if t.low.isdigit() and len(t.low) <= 2 else None)
    unit, ago = _at(ts, i + 1), _at(ts, i + 2)
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
    after = _at(ts, j)
    if after is not None and after.stem in v.stems(v.NAME_AFTER_YEAR):
        return True
    before = _at(ts, i - 1)
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
        if i > 0 and ts[i - 1].low in v.PERIOD_PREPOSITIONS:
            relation, k = v.PERIOD_PREPOSITIONS[ts[i - 1].low], i - 1
    after = _at(ts, j)
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


# Presenters, types, categories ---------------------------------------------------------------------------


_ALIASES: dict[int, tuple[Mapping[str, set[str]], list[tuple[str, list[str]]]]] = {}


def _alias_words(aliases: Mapping[str, set[str]]) -> list[tuple[str, list[str]]]:
    """Each (institution, alias as words), word by word as the question's tokens; kept per aliases table."""
    kept = _ALIASES.get(id(aliases))
    if kept is None or kept[0] is not aliases:
        pairs = [
            (inst, [w for part in a.split() for w in words(part)]) for inst, names in aliases.items() for a in names
        ]
        kept = (aliases, [(inst, parts) for inst, parts in pairs if parts])
        _ALIASES.clear()
        _ALIASES[id(aliases)] = kept
    return kept[1]


def find_institutions(
    ts: Sequence[Tok], text: str, aliases: Mapping[str, set[str]], taken: set[int], family: bool = True
) -> tuple[list[str], set[int]]:
    """Institutions named by name, acronym or alias, and economies' institutions ("Canada"), anywhere.

    An acronym names every institution whose name starts with it ("ICC" is ICC and ICC-UK); a longer name
    that matched ("ICC-UK") keeps the shorter out.
    """
    # Names are compared without "the", as their aliases are ("Brazil Mission to the WTO" = "... to WTO").
    keep = [i for i, t in enumerate(ts) if t.low != "the"]
    lows = [ts[i].low for i in keep]
    found: list[str] = []
    used: set[int] = set()
    spans: list[tuple[int, int, str]] = []
    starts: dict[str, list[int]] = {}
    for i, w in enumerate(lows):
        starts.setdefault(w, []).append(i)
    for inst, parts in _alias_words(aliases):
        n = len(parts)
        for i in starts.get(parts[0], ()):
            lo, hi = keep[i], keep[min(i + n, len(keep)) - 1] + 1
            if lows[i : i + n] == parts and not any(k in taken for k in range(lo, hi)):
                spans.append((lo, hi, inst))
    for i, j, inst in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        inside = any(i >= a and j <= b and (b - a) > (j - i) for a, b, _ in spans)
        if inside:
            continue
        used.update(range(i, j))
        if inst not in found:
            found.append(inst)
    # An acronym alone names the institutions whose names start with it ("ICC" -> ICC, ICC-UK).
    for inst in list(found) if family else []:
        key = norm(inst)
        for other in aliases:
            if (
                other not in found
                and norm(other).startswith(key + " ")
                and len(key) <= 6
                and not any(norm(other) == a for a in aliases.get(inst, ()))
                and not any(lows[i : i + len(norm(other).split())] == norm(other).split() for i in range(len(ts)))
            ):
                found.append(other)
    for economy in economies_in(text):
        key = norm(economy)
        for inst in aliases:
            if f" {key} " in f" {norm(inst)} " and inst not in found:
                found.append(inst)
        for i, t in enumerate(ts):
            if norm(t.low) in key.split() and i not in taken:
                used.add(i)
    # An acronym inside a longer name that also matched ("ICC" in "ICC-UK" said as ICC-UK) is the longer one's.
    said = {norm(" ".join(t.low for t in ts[i:j] if t.low != "the")) for i, j, _ in spans}
    out = [
        i for i in found
        if not any(norm(i) != norm(j) and f" {norm(i)} " in f" {norm(j)} " and norm(j) in said for j in found)
    ]  # fmt: skip
    return out, used


@lru_cache(maxsize=1)
def _type_tables() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """Each type with its phrases as written forms, longest first."""
    out = []
    for name, table in v.TYPES.items():
        forms = {tuple(words(p)) for p in v.alternatives(table) if words(p)}
        out.append((name, tuple(sorted(forms, key=len, reverse=True))))
    return tuple(out)


def find_types(ts: Sequence[Tok], taken: set[int]) -> tuple[list[str], set[int]]:
    """Institution types named by the words of :data:`vocabulary.TYPES` ("IOs", "private sector", "members")."""
    hits = [(i, j, name) for name, forms in _type_tables() for i, j, _ in find_phrase_forms(ts, forms, taken)]
    found, used = _claim(hits)
    cues = v.forms(v.TYPE_CUES)
    for i, t in enumerate(ts):  # "the Other presentations", "listed as Other", "presenter type is other"
        after = ts[i + 1].low if i + 1 < len(ts) else ""
        near = {x.low for x in ts[max(0, i - 3) : i + 3]}
        capital = t.upper and i > 0 and after in v.forms(v.LIST_NOUNS)
        if t.low == "other" and i not in taken | used and (capital or near & cues):
            used.add(i)
            found += [] if "Other" in found else ["Other"]
    # "members or organisations": a type joined by "or" to any presenter is no restriction.
    for i in sorted(used):
        joined = {x.low for x in ts[max(0, i - 2) : i + 3]}
        if "or" in joined and joined & v.forms(v.PRESENTER_NOUNS):
            hit = next((n for a, b, n in hits if a <= i < b), None)
            if hit is not None and hit in found:
                found.remove(hit)
    if "organized by Member" in found and "Member" in found:
        found.remove("Member")
    return found, used


@lru_cache(maxsize=8)
def category_phrases(categories: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each category's phrases: its own name (and the part before a bracket), and its everyday words."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for name in categories:
        own = [re.sub(r"\(.*?\)", "", name), *re.findall(r"\((.*?)\)", name)]
        table = "|".join(own)
        name_stems = {t for part in own for t in (tok.stem for tok in toks(part))}
        for key, words_ in v.CATEGORY_WORDS.items():
            if {tok.stem for tok in toks(key)} <= name_stems:
                table += "|" + words_
        out[name] = v.phrases(table)
    return out


def find_categories(
    ts: Sequence[Tok], phrases_of: Mapping[str, tuple[tuple[str, ...], ...]], taken: set[int], everyday: bool
) -> tuple[list[str], set[int]]:
    """Categories named by their own names (always) or everyday words (``everyday``), longest phrase first."""
    hits = []
    for name, table in phrases_of.items():
        own = v.phrases(re.sub(r"\(.*?\)", "", name))
        for i, j, phrase in find_phrase(ts, table, taken):
            if everyday or phrase in own:
                hits.append((i, j, name))
    return _claim(hits)


def _claim(hits: list[tuple[int, int, str]]) -> tuple[list[str], set[int]]:
    """Names found by overlapping phrase matches: the longest match claims its tokens first."""
    found: list[str] = []
    used: set[int] = set()
    for i, j, name in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
        if any(k in used for k in range(i, j)):
            continue
        used.update(range(i, j))
        if name not in found:
            found.append(name)
    return found, used


# Order, meeting, totals ---------------------------------------------------------------------------------

def _things() -> frozenset[str]:
    return v.stems(v.PRESENTATION_NOUNS) | v.stems(v.MEETING_NOUNS) | v.stems(v.PRESENTER_NOUNS) | {"time"}


def find_order(ts: Sequence[Tok], taken: set[int]) -> tuple[str | None, set[int]]:
    """ "latest" or "earliest" when an order word qualifies a presentation, a meeting or presenting itself."""
    verbs = v.forms(v.PRESENT_VERBS) | v.forms(v.MENTION_VERBS) | v.forms("came come met held hear heard")
    things = _things()
    for i, t in enumerate(ts):
        if i in taken:
            continue
        pair = f"{t.low} {ts[i + 1].low}" if i + 1 < len(ts) else ""
        if pair in v.ORDER_PHRASES:
            return v.ORDER_PHRASES[pair], {i, i + 1}
        order = "latest" if t.low in v.LATEST.split() else "earliest" if t.low in v.EARLIEST.split() else None
        if order is None:
            continue
        nxt = _at(ts, i + 1)
        if nxt is not None and nxt.low in v.NOT_ORDER_AFTER.split():
            continue
        ahead, behind = ts[i + 1 : i + 6], ts[max(0, i - 6) : i]
        if ahead[:1] and ahead[0].stem == "time" and not any(x.low in verbs for x in ts):
            continue  # "made a transfer for the first time"
        at_end = i == len(ts) - 1
        if (
            any(x.stem in things for x in ahead)
            or (ahead and ahead[0].low in verbs)
            or (at_end and any(x.low in verbs for x in behind))
            or (behind and behind[-1].low in verbs)
        ):
            return order, {i}
    return None, set()


def find_meeting(ts: Sequence[Tok], taken: set[int]) -> tuple[bool, set[int]]:
    """A meeting of the group is what is asked about: "the last meeting", "which meeting", "the agenda"."""
    nouns = v.stems(v.MEETING_OBJECTS)
    orders = set(v.LATEST.split()) | set(v.EARLIEST.split()) | {"most", "which", "what"}
    used = set()
    for i, t in enumerate(ts):
        if t.stem not in nouns or i in taken:
            continue
        before = {x.low for x in ts[max(0, i - 3) : i]}
        if t.low == "agenda" or before & orders:
            used.add(i)
    return bool(used), used


def find_count(ts: Sequence[Tok]) -> tuple[bool, bool, set[int]]:
    """("how many"/"how often"/"number of" asked, it counts presentations, the tokens it took)."""
    lows = [t.low for t in ts]
    things = v.stems(v.PRESENTATION_NOUNS) | {"time", "times"}
    verbs = v.forms(v.PRESENT_VERBS)
    for i in range(len(ts)):
        pair = " ".join(lows[i : i + 2])
        single = lows[i]
        if pair in v.HOW_MANY:
            k = i + 2
        elif single in ("count", "tally") and i == 0:
            k = i + 1
        else:
            continue
        if pair == "how often":  # "how often did the ITC present?", not "how often has innovation come up?"
            return True, any(t.low in verbs for t in ts), {i, i + 1}
        auxiliaries = set(v.AUXILIARIES.split())
        about = False
        for t in ts[k : k + 5]:
            if t.stem in things:
                about = True
                break
            if t.low in auxiliaries:  # "how many did the ITC give", not "how many economies does it cover"
                about = t is ts[k] and any(x.low in verbs for x in ts[k:])
                break
        return True, about, set(range(i, k))
    return False, False, set()


def find_total(ts: Sequence[Tok], text: str, how_many: bool) -> str | None:
    """What a totals question counts ("meetings", "institutions", "categories"), or who/what has the most."""
    stems = [t.stem for t in ts]
    lows = [t.low for t in ts]
    joined = " " + " ".join(lows) + " "
    heads = {w for table in v.TOTAL_NOUNS.values() for w in table.split()}
    about_catalogue = (
        any(t.low in v.forms(v.PRESENT_VERBS) | v.forms(v.LIST_NOUNS) for t in ts)
        or any(s in v.stems(v.MEETING_NOUNS) | v.stems(v.WHOLE_CATALOGUE) for s in stems)
        or any(f" {p} " in joined for p in v.alternatives(v.TOTAL_CONTEXT))
        or any(s in v.stems(v.TOTAL_CONTEXT.replace("|", " ")) for s in stems)  # "appears", "participating"
    )
    if about_catalogue:
        for phrase in v.alternatives(v.MOST):
            at = joined.find(f" {phrase} ")
            if at < 0:
                continue
            after = joined[at + len(phrase) + 2 :].split()
            if phrase == "most" and after and after[0] not in v.MOST_AFTER.split():
                continue  # "the most recent", "the most important"
            return None if set(lows) & set(v.UNRANKED_PERIODS.split()) else _most_of(stems)
        repeat = any(f" {p} " in joined for p in v.alternatives(v.REPEAT))
        if repeat and (lows[:1] == ["who"] or any(w in v.forms(v.PRESENTER_NOUNS) for w in lows)):
            return "institutions-repeat"  # "who presented more than once?"
    if how_many:
        at = next(
            i for i in range(len(lows)) if " ".join(lows[i : i + 2]) in v.HOW_MANY or lows[i] in ("count", "tally")
        )
        ahead = lows[at + 1 : at + 6]
        forum = {k - at - 1 for i, j, _ in find_phrase(ts, v.phrases(v.FORUM), set()) for k in range(i, j)}
        for k, w in enumerate(ahead):  # the counted noun, past adjectives ("different", "thematic")
            if k in forum:
                return None  # "how many WTO members ...": the forum's members, not presenters
            if w not in heads and w in set(v.AUXILIARIES.split()) | v.forms(v.LIST_NOUNS):
                if w in ("session", "sessions") and set(lows) & set(v.MEETING_VERBS.split()):
                    return "meetings"  # "how many sessions were held": meetings of the group
                break
            if w in heads and (about_catalogue or w in v.forms(v.PRESENTER_NOUNS)):
                if k + 1 < len(ahead) and ahead[k + 1] in v.forms(v.LIST_NOUNS):
                    return None  # "how many IO presentations": a count of presentations
                name = next(n for n, table in v.TOTAL_NOUNS.items() if w in table.split())
                repeat = any(f" {p} " in joined for p in v.alternatives(v.REPEAT))
                return "institutions-repeat" if name == "institutions" and repeat else name
        if set(lows) & set(v.MEETING_VERBS.split()) - {"held", "place"}:
            return "meetings"  # "how many times has the group met?"
        return None
    return None


def _most_of(stems: list[str]) -> str:
    """Who or what has the most: the presenter, unless the question names categories, meetings or years."""
    for name, table in v.MOST_OF.items():
        if set(stems) & v.stems(table):
            return name
    return "most"
