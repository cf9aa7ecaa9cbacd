"""What kind of thing a question's form asks for: places, a share, a sum of money, a quantity, a date, a who.

Read once into :attr:`qa.question.query.Query.asked`; the answer stage decides whether a passage holds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.question import vocabulary as v
from qa.question.slots import Tok, toks
from qa.question.text import content_tokens, tokens

# The nouns that name a measure: "what flat duty rate", "what is the ITC's annual budget".
_MEASURES = (
    r"(?:share|percentage|proportion|number|amount|value|rates?|costs?|prices?|fees?|threshold|budget|revenue|funding)"
)
_ASKS_NUMBER = re.compile(
    r"\bhow (?:many|much|large|big|long|often|fast|quick)\b"
    rf"|\bwhat (?:[\w'’-]+ ){{0,2}}{_MEASURES}\b"
    rf"|\bwhat (?:are|is|were|was) the (?:[\w'’-]+ ){{0,3}}{_MEASURES}\b",
    re.IGNORECASE,
)
# "since when", "until when", "by when": the vocabulary's prepositions that bound a period.
_BOUNDS = "|".join(w for w, r in v.PERIOD_PREPOSITIONS.items() if r in ("since", "until"))
_ASKS_DATE = re.compile(rf"\s*(?:(?:{_BOUNDS}) )?when\b|\s*(?:in )?(?:what|which) (?:year|month|date)\b", re.IGNORECASE)
_ASKS_PLACES = re.compile(
    r"\b(?:which|what) (?:countries|economies|members|places|nations|governments)\b", re.IGNORECASE
)
_ASKS_WHO = re.compile(r"^\s*(?:who|by whom)\b", re.IGNORECASE)
_ASKS_SHARE = re.compile(
    r"\bwhat (?:[\w-]+ ){0,2}(?:share|percentage|proportion|fraction|rate)s?\b|\bwhat per ?cent\b"
    r"|\bhow much (?:more|less)\b|\bwhat (?:are|is|were|was) the (?:[\w-]+ ){0,3}rates?\b",
    re.IGNORECASE,
)
_ASKS_MONEY = re.compile(r"\b(?:fees?|costs?|price|prices|charges?|spend|spent|budget)\b", re.IGNORECASE)
_ASKS_EXPANSION = re.compile(r"\bstands? for\b|\bacronym\b|\babbreviat", re.IGNORECASE)
_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&/]{1,})\b")


def asked_for(question: str) -> str | None:
    """ "places", "share", "money", "quantity", "date" or "who"; None when the form asks for none of these."""
    if _ASKS_PLACES.search(question):
        return "places"
    if _ASKS_SHARE.search(question):
        return "share"
    if _ASKS_NUMBER.search(question):
        return "money" if _ASKS_MONEY.search(question) else "quantity"
    if _ASKS_DATE.match(question):
        return "date"
    if _ASKS_WHO.match(question):
        return "who"
    return None


# Words that name the measure itself ("what share of ...", "what proportion ..."), not the thing measured.
MEASURE_WORDS = frozenset(tokens("share proportion percentage percent rate number amount figure level total value"))


def counted_tokens(question: str, asked: str | None, ts: Sequence[Tok] | None = None) -> tuple[str, ...]:
    """What a count, an amount or a share is of: the wh-phrase's words ("How many banks" -> bank), without
    the measure's own words; for a count of common words ("How many SMEs"), those words."""
    if asked not in ("quantity", "money", "share"):
        return ()
    phrase = focus_phrase(question, ts)
    counted = [t for t in content_tokens(phrase) if t not in MEASURE_WORDS]
    if not counted and asked == "quantity":
        counted = [t for t in tokens(phrase) if t not in MEASURE_WORDS]
    return tuple(dict.fromkeys(counted))


def expanded_acronyms(question: str) -> tuple[str, ...]:
    """The acronyms a "what does X stand for?" question asks to expand (none for other questions)."""
    return tuple(_ACRONYM.findall(question)) if _ASKS_EXPANSION.search(question) else ()


def ordinal_words(ts: Sequence[Tok]) -> frozenset[str]:
    """Ordinal words the question's tokens hold ("What was the first option?" -> {"first"})."""
    ordinals = {w for w in v.ORDINALS if w.isalpha()} | {"final", "last"}
    return frozenset(t.low for t in ts if t.low in ordinals)


_LEADS = frozenset("and so then but".split())
_SKIPPED = frozenset("is are was were does do did the a an exactly".split())
_KIND_OF = frozenset("kind type sort".split())


def focus_phrase(text: str, ts: Sequence[Tok] | None = None) -> str:
    """The words right after the wh-word: what is asked for ("penalty" in "What penalty does ..."); ``ts``: the
    text's tokens, when already read."""
    ts = toks(text) if ts is None else ts
    i = 0
    while i < len(ts) and ts[i].low in _LEADS:
        i += 1
    if i >= len(ts) or ts[i].low not in ("what", "which", "how"):
        return ""
    if ts[i].low == "how":
        if i + 1 >= len(ts) or ts[i + 1].low not in ("many", "much", "long"):
            return ""
        i += 1
    i += 1
    while i < len(ts) and (
        ts[i].low in _SKIPPED or ts[i].low in _KIND_OF and i + 1 < len(ts) and ts[i + 1].low == "of"
    ):
        i += 2 if ts[i].low in _KIND_OF else 1
    head = ts[i : i + 2]
    if len(head) == 2 and head[1].low in v.AUXILIARIES.split():
        head = head[:1]
    return text[head[0].start : head[-1].end] if head else ""
