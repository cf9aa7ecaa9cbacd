"""Roles: who a question names as its presenter. A name is the presenter only in a presenter's role.

Everything here reads tokens with the words of :mod:`qa.question.vocabulary`; the slots themselves are
found in :mod:`qa.question.slots` and the whole line is read by :mod:`qa.question.reader`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qa.question import slots as sl
from qa.question import vocabulary as v
from qa.question.spelling import COMMON, english_count

if TYPE_CHECKING:
    from qa.question.reader import Reading

_OPENERS = v.forms(v.WH_WORDS) | v.forms(v.AUXILIARIES)
_JOINERS = ("of", "for", "and", "on", "the", "de", "&")
_NOT_A_NAME = frozenset(v.REFERENCES.split()) | frozenset(
    "anyone someone somebody anybody each all any presentations presentation talks talk sessions members "
    "presenters speakers institutions organisations organizations group meeting a an the there i we you other".split()
)


def presenter_phrase(text: str, reading: Reading | None = None) -> str | None:
    """The presenter a question names in its own words ("the World Bank" in "What did the World Bank present?").

    A run of capitalised words (with "of", "for", "and" between them) that presents: after did/has/have and
    before a presenting verb or "say", after "by"/"from", or before "'s presentation". Lower-case words and
    the question's first word are never a name, so "what did they present" names no one.
    """
    ts = reading.toks if reading is not None else sl.toks(text)
    skip: set[int] = set()
    if reading is not None and reading.period_span:
        skip |= set(range(*reading.period_span))
    verbs = v.forms(v.PRESENTER_VERBS)
    lower = not any(c.isupper() for c in text)  # "how many times has the wco presented?": typed in lower case
    i = 0
    while i < len(ts):
        name = _capital(ts[i]) or (lower and _rare_short(ts[i]))
        if not name or i in skip or ts[i].low in _OPENERS:  # "Did Singapore present?": no "Did"
            i += 1
            continue
        j = i + 1
        while (
            j < len(ts)
            and j not in skip
            and (_capital(ts[j]) or ts[j].low in _JOINERS and j + 1 < len(ts) and _capital(ts[j + 1]))
        ):
            j += 1
        words = [t.low for t in ts[i:j]]
        region = set(words) <= v.stems(v.REGIONS) | {"the"} or {t.stem for t in ts[i:j]} <= v.stems(v.REGIONS)
        if not set(words) <= _NOT_A_NAME and v.month_number(words[0]) is None and not region:  # a region is a place
            k = i - 1
            while k >= 0 and ts[k].low == "the":
                k -= 1
            before = ts[k].low if k >= 0 else ""
            end = j
            possessive = text[ts[j - 1].end : ts[j - 1].end + 2] in ("'s", "\u2019s")
            if possessive and j + 1 < len(ts) and not _capital(ts[j]) and ts[j + 1].low in verbs:
                end = j + 1  # "Singapore's government present"
            after = ts[end] if end < len(ts) else None
            presents = before in ("did", "has", "have", "does", "do") and after is not None and after.low in verbs
            talk = possessive and after is not None and after.stem in v.stems(v.PRESENTATION_NOUNS)
            role = presents or before in ("by", "from")
            if not _capital(ts[i]):  # a lower-case acronym: only where presenting is said ("did the wco present")
                role = presents or before == "by"
            if (i > 0 and role) or talk:
                return text[ts[i].start : ts[end - 1].end].strip(" .,'")
        i = j
    return None


def _capital(t: sl.Tok) -> bool:
    return t.upper or t.low[:1].isdigit()


def _rare_short(t: sl.Tok) -> bool:
    """A short word English text seldom uses, typed in lower case: an acronym ("wco") in a presenter's role."""
    return t.low.isalpha() and 2 <= len(t.low) <= 6 and english_count(t.low) < COMMON // 20
