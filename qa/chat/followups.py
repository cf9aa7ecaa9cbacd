"""Reading a line of a conversation: references back, ordinals, names and the subject left over.

Plain patterns, used by :mod:`qa.chat.conversation`; nothing here answers anything.
"""

from __future__ import annotations

import re

from qa.catalogue.institutions import norm
from qa.question.periods import find_period
from qa.question.places import economies
from qa.question.text import QUESTION_WORDS, STOPWORDS, tokens
from qa.search.retrieval import Retriever

ORDINALS = {w: i + 1 for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split())}
_ORD = rf"(?:the\s+)?(?P<word>{'|'.join(ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))|the\s+(?P<last>last)"
ORDINAL = re.compile(
    rf"\b(?:{_ORD})(?:\s+(?:one|entry|item|result|source|citation)\b|(?:\s+(?:talk|presentation|link|slides))?"
    r"(?=\s*[?.!]*\s*$))"
    r"|\b(?:number|no\.|item|entry|source|citation)\s*(?P<num>\d{1,3})\b|#(?P<hash>\d{1,3})\b|\[(?P<br>\d{1,3})\]"
    r"|^\s*(?P<bare>\d{1,3})\s*[?.!]*\s*$",
    re.IGNORECASE,
)
LEAD = re.compile(r"^\s*(?:(?:and|also|but|so|then|ok(?:ay)?)\b[\s,]*)*(?:(?:what|how)\s+about\b[\s,]*)?", re.I)
WH = re.compile(
    r"^\s*(?:who|whom|whose|what|which|when|where|why|how|did|does|do|is|are|was|were|has|have|had|can|could|"
    r"will|would|should|tell|list|show|give|name|describe|explain|summari[sz]e)\b",
    re.IGNORECASE,
)
_NOUNS = (
    r"one|talk|presentation|entry|session|briefing|topic|subject|law|tool|toolkit|initiative|programme|program|"
    r"project|report|platform|proposal|update|slides|deck|document|paper|study|survey|policy|measure|approach"
)
PRONOUN = re.compile(
    rf"\b(?:it|they|them|those|these|he|she|him)\b|\b(?P<poss>its|their|his|her)\b|\bthe same\b"
    rf"|\b(?:that|this)\b(?=\s*[?.!]*\s*$|\s+(?:{_NOUNS})s?\b)",
    re.IGNORECASE,
)
OTHER = re.compile(r"\b(?:else|other|others|another)\b", re.IGNORECASE)
PERSONAL = {"they", "them", "their", "he", "she", "him", "his", "her"}
PLURAL = re.compile(r"\b(?:they|them|those|these|their)\b", re.IGNORECASE)
MORE = re.compile(
    r"^\s*(?:please\s+)?(?:(?:tell|show|give)\s+me\s+more|more|go on|continue|keep going|anything else|what else"
    r"|say more|(?:more|further)\s+(?:details?|information|info|sentences))\b|^\s*[?.!]*\s*$",
    re.IGNORECASE,
)
LINK = re.compile(r"\b(?:slides?|links?|url|pdf|deck|download|where)\b", re.IGNORECASE)
WHO = re.compile(
    r"^\s*(?:who|whom|whose|by whom|when)\b|\bwhat (?:date|day|year)\b|\b(?:presenters?|speakers?)\b"
    r"|^\s*which\s+(?:institution|organi[sz]ation|member|country|economy|body|agency)\b",
    re.IGNORECASE,
)
# Words that frame a question or an act rather than name a subject ("who GAVE it", "where are the SLIDES").
_FRAME = """gave give presented spoke speak talked mention mentioned explain explained discuss discussed tell
describe described slide slides link links url pdf deck download find where when date day year more else details
detail go continue keep going entry item result source citation presenter presenters speaker speakers institution
organisation organization delivered deliver held number list which last one ones anything please thanks ok okay
same also say said anyone anybody someone somebody any""".split()
_FRAMING = {t for w in (*QUESTION_WORDS, *_FRAME, *ORDINALS) for t in tokens(w)}
_DROP = _FRAMING | {t for w in STOPWORDS for t in tokens(w)}
WORD = re.compile(r"\w+(?:[&/'\u2019.-]\w+)*")


class Names:
    """Where a text names an institution or economy, and what is left as its subject."""

    def __init__(self, retriever: Retriever) -> None:
        self.aliases = {a for names in retriever.aliases.values() for a in names if a and a not in STOPWORDS}
        self.economies = economies()

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of institution and economy names, longest first, left to right."""
        words = list(WORD.finditer(text))
        found: list[tuple[int, int]] = []
        i = 0
        while i < len(words):
            for size in range(min(8, len(words) - i), 0, -1):
                s, e = words[i].start(), words[i + size - 1].end()
                if self._is_name(text[s:e]):
                    found.append((s, e))
                    i += size
                    break
            else:
                i += 1
        return found

    def _is_name(self, phrase: str) -> bool:
        if norm(phrase) in self.aliases:
            return True
        bare = re.sub(r"['\u2019]s?$", "", phrase)
        return bare.casefold() in self.economies and (len(bare) > 3 or bare.isupper())

    def _words(self, text: str) -> list[re.Match[str]]:
        """The words that are not part of a name or a period."""
        hidden = self.spans(text)
        if period := period_span(text):
            hidden.append(period[:2])
        return [m for m in WORD.finditer(text) if not any(s <= m.start() < e for s, e in hidden)]

    def subject_span(self, text: str) -> tuple[int, int] | None:
        """From the first to the last subject word (names, periods and question words are not the subject)."""
        content = [m for m in self._words(text) if any(t not in _DROP and not t.isdigit() for t in tokens(m[0]))]
        return (content[0].start(), content[-1].end()) if content else None

    def subject(self, text: str) -> str:
        """The subject as written: "Model Law on Electronic Transferable Records", "de minimis threshold".

        Runs of subject words, with the small words between them; a name, a period or a framing word
        ("say", "presented") ends a run: "What did they say about costs?" -> "costs".
        """
        visible = {m.start() for m in self._words(text)}
        runs: list[list[str]] = [[]]
        for m in WORD.finditer(text):
            kind = word_kind(m[0]) if m.start() in visible else "frame"
            if kind == "content" or (kind == "stop" and runs[-1]):
                runs[-1].append(m[0])
            elif runs[-1]:
                runs.append([])
        for words in runs:
            while words and word_kind(words[-1]) != "content":
                words.pop()  # "cyber security about" -> "cyber security"
        return " ".join(" ".join(words) for words in runs if words)


def word_kind(word: str) -> str:
    """ "content" (a subject word), "frame" (frames the question: say, presented, slides) or "stop"."""
    found = tokens(word)
    if any(t not in _DROP and not t.isdigit() for t in found):
        return "content"
    return "frame" if found and all(t in _FRAMING for t in found) else "stop"


def period_span(text: str) -> tuple[int, int, str] | None:
    """The period a text names, with its preposition ("in 2022"), as (start, end, words)."""
    period = find_period(text)
    if period is None:
        return None
    start = text.find(period.text)
    if start < 0:
        return None
    end = start + len(period.text)
    if prep := re.search(r"\b(?:in|during|on|from|of)\s+$", text[:start], re.IGNORECASE):
        return prep.start(), end, text[prep.start() : end]
    words = period.text
    return start, end, f"in {words}" if re.match(r"\d|[A-Z]", words) else words


def reference(text: str, names: Names) -> re.Match[str] | None:
    """The first word that refers back to the conversation, if any."""
    for m in PRONOUN.finditer(text):
        if m.group(0) == "IT":
            continue  # information technology
        if m.group("poss") and names.spans(text):
            continue  # "What does ITC say about its helpdesk?": its = ITC's
        return m
    return None
