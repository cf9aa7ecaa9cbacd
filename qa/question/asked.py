"""What kind of thing a question's form asks for: places, a share, a sum of money, a quantity, a date, a who.

Read once into :attr:`qa.question.query.Query.asked`; the answer stage decides whether a passage holds it.
"""

from __future__ import annotations

import re

_ASKS_NUMBER = re.compile(
    r"\bhow (?:many|much|large|big|long|often|fast|quick)\b"
    r"|\bwhat (?:\w+ )?(?:share|percentage|proportion|number|amount|value|rate|cost|price|fees?|threshold)\b"
    r"|\bwhat (?:are|is|were|was) the (?:\w+ )?(?:fees?|costs?|price|rates?)\b",
    re.IGNORECASE,
)
_ASKS_DATE = re.compile(
    r"\s*(?:since |until |by )?when\b|\s*(?:in )?(?:what|which) (?:year|month|date)\b", re.IGNORECASE
)
_ASKS_PLACES = re.compile(
    r"\b(?:which|what) (?:countries|economies|members|places|nations|governments)\b", re.IGNORECASE
)
_ASKS_WHO = re.compile(r"^\s*(?:who|by whom)\b", re.IGNORECASE)
_ASKS_SHARE = re.compile(
    r"\bwhat (?:\w+ )?(?:share|percentage|proportion|fraction|rate)\b|\bwhat per ?cent\b|\bhow much (?:more|less)\b",
    re.IGNORECASE,
)
_ASKS_MONEY = re.compile(r"\b(?:fees?|costs?|price|prices|charges?|spend|spent|budget)\b", re.IGNORECASE)
_ASKS_EXPANSION = re.compile(r"\bstands? for\b|\bacronym\b|\babbreviat", re.IGNORECASE)
_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&/]{1,})\b")
ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "final", "last")
_ORDINAL_WORD = re.compile(rf"\b(?:{'|'.join(ORDINAL_WORDS)})\b", re.IGNORECASE)


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


def expanded_acronyms(question: str) -> tuple[str, ...]:
    """The acronyms a "what does X stand for?" question asks to expand (none for other questions)."""
    return tuple(_ACRONYM.findall(question)) if _ASKS_EXPANSION.search(question) else ()


def ordinal_words(question: str) -> frozenset[str]:
    """Ordinal words the question uses ("What was the first option?" -> {"first"})."""
    return frozenset(m.group(0).lower() for m in _ORDINAL_WORD.finditer(question))
