"""The frame of a question that spans the catalogue: an overview, a comparison, or a yes/no about it.

Read once into :attr:`qa.question.query.Query.frame`. The words are data, here and nowhere else; they match
on folded, stemmed tokens, wherever they stand in the question.

- compare: a comparison word ("compare", "contrast", "differ", "versus", "vs", "similarities").
- yesno: the question opens with an auxiliary and asks whether something happened or exists ("Has anyone
  briefed the group on X?", "Was there a session on X?", "Did the OECD present?", "has bahrain presented").
- overview: a word that asks for what was said across the catalogue ("overview", "summarise", "what did the
  group hear about", "what has been said", "what came up", "how did X feature", "anything on X").
"""

from __future__ import annotations

import re

from qa.question.text import tokens

COMPARE_WORDS = frozenset(
    tokens("compare compared comparison contrast differ differed differs difference differences versus vs")
)
# Opening auxiliaries of a yes/no question, and what follows when it asks whether something was presented.
YESNO_OPENERS = frozenset(tokens("has have had did does do was were is are"))
YESNO_CUES = frozenset(
    tokens(
        "presentation presentations session sessions talk talks briefing "
        "present presented presenting brief briefed discuss discussed cover covered subject report give gave "
        "talk talked speak spoke mention mentioned raise raised"
    )
)
OVERVIEW_WORDS = frozenset(tokens("overview summary summarise summarize summarised summarized recap"))
# Phrases (token sequences) that ask what was said across the catalogue.
OVERVIEW_PHRASES = tuple(
    tuple(tokens(p))
    for p in (
        "the group hear",
        "been said",
        "was said",
        "were said",
        "what came up",
        "what has come up",
        "has been presented",
        "have been presented",
        "what was presented on",
        "what was presented about",
        "anything on",
        "anything about",
        "everything on",
        "everything about",
        "tell me about",
        "what has",  # "What has Canada shared with the group?"
    )
)
_FEATURE = re.compile(r"\bhow did .+ feature\b", re.IGNORECASE)


def frame_of(text: str) -> str | None:
    """ "compare", "yesno", "overview" or None."""
    toks = tokens(text)
    if COMPARE_WORDS.intersection(toks):
        return "compare"
    if toks and toks[0] in YESNO_OPENERS and YESNO_CUES.intersection(toks[1:]):
        return "yesno"
    if OVERVIEW_WORDS.intersection(toks) or _FEATURE.search(text) or any(_contains(toks, p) for p in OVERVIEW_PHRASES):
        return "overview"
    return None


def _contains(seq: list[str], part: tuple[str, ...]) -> bool:
    n = len(part)
    return n > 0 and any(tuple(seq[i : i + n]) == part for i in range(len(seq) - n + 1))
