"""The question's own words, as clauses an answer can say back: "what the ITC's budget is", "anything about
crypto assets", "WIPO did discontinue the programme". Computed once, when the question is read
(:class:`~qa.question.query.Query` ``clause``, ``about_clause``, ``premises``, ``written``).
"""

from __future__ import annotations

import re
from functools import cache

from qa.question import vocabulary as v
from qa.question.text import tokens

_WHY = re.compile(r"^\s*why\s+(did|does|do|was|were|is|are|has|have|had)\s+(.+?)[?!.\s]*$", re.IGNORECASE)
_ABOUT = re.compile(r"\b(?:about|on|regarding|concerning)\s+(.+?)[?!.\s]*$", re.IGNORECASE)


def indirect_topic(question: str) -> str:
    """ "anything about crypto assets" from "What did UNCITRAL say about crypto assets?"; "" without one."""
    m = _ABOUT.search(question)
    return f"anything about {m.group(1)}" if m else ""


def premise(question: str, verb: str) -> str:
    """What "Why did X <verb> Y?" takes for granted, as a clause: "X did <verb> Y"; otherwise the question
    as an indirect clause."""
    m = _WHY.match(question)
    if m:
        aux, rest = m.group(1).lower(), m.group(2)
        where = re.search(rf"(?<![\w'-]){re.escape(verb)}(?![\w'-])", rest)
        if where and where.start() > 0:
            return f"{rest[: where.start()]}{aux} {rest[where.start() :]}"
    return indirect(question)


def indirect(question: str, most: int = 140) -> str:
    """The question as a clause after "does not say": first word lowered (unless a name), no end mark."""
    text = question.strip().rstrip("?!. ")
    copula = _WHAT_IS.match(text)
    if copula:  # "What is the ITC's budget" -> "what the ITC's budget is"
        text = f"{copula.group(1)} {copula.group(3)} {copula.group(2)}"
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and not first.isupper() and first.lower() in _QUESTION_WORDS:
        text = f"{first.lower()} {rest}".strip()
    if len(text) > most:
        text = text[:most].rsplit(" ", 1)[0] + " …"
    return text


_WHAT_IS = re.compile(r"^(what|who|which \w+)\s+(is|are|was|were)\s+((?:the|its|their|his|her)\b.+)$", re.IGNORECASE)
_QUESTION_WORDS = frozenset(
    "how what which who whom whose when where why is are was were do does did can could has have had".split()
)


WRITTEN = re.compile(r"[\w'-]+")  # a word as the user wrote it


def surface(text: str, token: str) -> str | None:
    """The word of ``text`` that folds and stems to ``token``, as written."""
    return next((word for word in WRITTEN.findall(text) if token in tokens(word)), None)


@cache
def change_verbs() -> frozenset[str]:
    """The vocabulary's verbs of change, as stems."""
    return v.stems(v.CHANGE_VERBS)
