"""Text as compared (never as shown): case, Unicode forms, typography and MSME vocabulary folded.

What the user sees always comes from the catalogue as written; these forms only decide matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Multi-word variants first: each becomes one canonical token sequence.
_PHRASES = [
    (r"\bmicro,? small,? and medium[- ]sized enterprises\b", "msme"),
    (r"\bmicro,? small,? and medium enterprises\b", "msme"),
    (r"\bsmall and medium[- ]sized enterprises\b", "msme"),
    (r"\bsmall and medium enterprises\b", "msme"),
    (r"\bsmall (?:and medium[- ]sized )?(?:business(?:es)?|firms?|companies|enterprises)\b", "msme"),
    (r"\bm?smes?'?s?\b", "msme"),
    (r"\bcyber[- ]?security\b", "cyber security"),
    (r"\bcyber[- ]?readiness\b", "cyber readiness"),
    (r"\be[- ]commerce\b", "ecommerce"),
    (r"\be[- ]?ping\b", "eping"),
    (r"\bunited nations\b", "un"),
    (r"\bintellectual property\b", "ip"),
    (r"\bregional trade agreements?\b", "rta"),
    (r"\brtas?\b", "rta"),
    (r"\bsupply chain finance\b", "scf"),
]
_PHRASE_RES = [(re.compile(p), r) for p, r in _PHRASES]
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
    present presented presenting presenter presenters group meeting meetings msme wto""".split()
)


def fold(text: str) -> str:
    """Lower case, accents off, typographic quotes and dashes plain, MSME variants as one word."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.translate({0x2019: "'", 0x2018: "'", 0x2011: "-", 0x2010: "-", 0x2013: " ", 0x2014: " ", 0xA0: " "})
    for pattern, replacement in _PHRASE_RES:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plurals, possessives, -ing/-ed/-ly; enough for BM25 on short texts."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl, min_len in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ness", "", 6),
        ("ments", "ment", 6),
        ("ings", "", 6),
        ("ing", "", 6),
        ("ized", "ize", 6),
        ("ised", "ize", 6),
        ("ise", "ize", 6),
        ("ed", "", 5),
        ("ly", "", 6),
        ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_len:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


def tokens(text: str) -> list[str]:
    """Folded, stemmed word tokens, stopwords kept (callers decide)."""
    return [stem(t) for t in _TOKEN.findall(fold(text).replace("'s ", " "))]


def content_tokens(text: str) -> list[str]:
    """Tokens that say what a question is about: no stopwords, no question-form words."""
    drop = STOPWORDS | QUESTION_WORDS
    return [t for t in tokens(text) if t not in drop and stem(t) not in {stem(w) for w in drop}]
