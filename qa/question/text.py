"""Text as compared (never as shown): case, Unicode forms, typography and MSME vocabulary folded.

What the user sees always comes from the catalogue as written; these forms only decide matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Multi-word variants first: each becomes one canonical token sequence. The third field is a literal every
# match contains: a pattern whose literal is absent cannot match, so it is not run (fold is on the hot path).
_PHRASES = [
    (r"\bmicro,? small,? and medium[- ]sized enterprises\b", "msme", "micro"),
    (r"\bmicro,? small,? and medium enterprises\b", "msme", "micro"),
    (r"\bsmall and medium[- ]sized enterprises\b", "msme", "small and medium"),
    (r"\bsmall and medium enterprises\b", "msme", "small and medium"),
    (
        r"\bsmall(?:er)?[- ](?:and medium[- ]sized )?(?:business(?:es)?|firms?|compan(?:y|ies)|enterprises?)\b",
        "msme",
        "small",
    ),
    (r"\bm?smes?'?s?\b", "msme", "sme"),
    (r"\bcyber[- ]?security\b", "cyber security", "cyber"),
    (r"\bcyber[- ]?readiness\b", "cyber readiness", "cyber"),
    (r"\be[- ]commerce\b", "ecommerce", "commerce"),
    (r"\be[- ]?ping\b", "eping", "ping"),
    (r"\bunited nations\b", "un", "united nations"),
    (r"\bintellectual property\b", "ip", "intellectual property"),
    (r"\bregional trade agreements?\b", "rta", "regional trade agreement"),
    (r"\brtas?\b", "rta", "rta"),
    (r"\bsupply chain finance\b", "scf", "supply chain finance"),
]
_PHRASE_RES = [(re.compile(p), r, needle) for p, r, needle in _PHRASES]
_TYPOGRAPHY = {0x2019: "'", 0x2018: "'", 0x2011: "-", 0x2010: "-", 0x2013: " ", 0x2014: " ", 0xA0: " "}
_TOKEN = re.compile(r"[a-z0-9]+(?:[.&][a-z0-9]+)*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing done down during each either else ever every few for from
    further get give given gives had has have having he her here hers him his how i if in into is it its itself
    just know let like made make many may me more most much must my no nor not now of off on once only or other
    our ours out over own please same say said says she should show so some such tell than that the their theirs
    them then there these they this those through to too under until up upon us very was we were what when where
    whether which while who whom whose why will with would you your yours""".split()
)
# Words that carry the question's form rather than its subject.
QUESTION_WORDS = frozenset(
    """anything everything something one ones thing things information info talk talks presentation presentations
    present presents presented presenting presenter presenters talked talking group groups meeting meetings msme
    msmes wto""".split()
)


def fold(text: str) -> str:
    """Lower case, accents off, typographic quotes and dashes plain, MSME variants as one word."""
    if text.isascii():  # NFKD and combining marks cannot change ASCII; casefold is lower()
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
        text = text.translate(_TYPOGRAPHY)
    for pattern, replacement, needle in _PHRASE_RES:
        if needle in text:
            text = pattern.sub(replacement, text)
    return text


_SNOWBALL = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) English stem: "inefficient" and "inefficiencies" meet, as do "regulation(s)"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_SNOWBALL.stemWord(word))


def words(text: str) -> list[str]:
    """Folded word tokens, not stemmed."""
    return _TOKEN.findall(fold(text).replace("'s ", " "))


def tokens(text: str) -> list[str]:
    """Folded, stemmed word tokens, stopwords kept (callers decide)."""
    return [stem(t) for t in words(text)]


def content_tokens(text: str) -> list[str]:
    """Tokens that say what a question is about: no stopwords, no question-form words.

    Words are dropped by their written form, before stemming: Porter stems "information" and
    "informal" alike, and only the first is a question-form word.
    """
    return [stem(t) for t in words(text) if t not in _DROP]


_DROP = STOPWORDS | QUESTION_WORDS
