"""Grounding the residue: which of the topic's words the catalogue can stand behind.

A word left over once the slots are found is only a candidate topic. It filters an answer only when the
catalogue grounds it: some entry uses it (folded and stemmed, after spelling correction), or a thesaurus
word for it. Whether the words no entry uses are close in *meaning* to an entry is decided where the
encoder is (:meth:`qa.engine.Assistant.read`), through ``close``.

Nothing here lists filler words: "thx", "bucket" and "mining" are ungrounded because no entry of this
catalogue uses them; "bucket" would filter a catalogue that spoke of buckets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from qa.question import vocabulary as v
from qa.question.glossary import expansions
from qa.question.slots import Tok
from qa.question.text import content_tokens

_WORD = re.compile(r"[\w'’&.-]+")
_MOST_ENCODED = 4


def unused_words(topic: str, vocabulary: frozenset[str], close: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """The words of ``topic`` the catalogue does not ground, as written: no entry uses them (folded and stemmed),
    nor a thesaurus word for them, and ``close`` does not find them close in meaning to an entry."""
    unused: list[str] = []
    for word in _WORD.findall(topic):
        content = content_tokens(word)
        grounded = all(t in vocabulary or set(expansions([t])) & vocabulary for t in content)
        if content and not grounded and word not in unused:
            unused.append(word.strip(".'’-"))
    # "cryptocurrency": no entry says it, yet it is close to one. Only a few words are encoded: a pasted page
    # of unknown words costs no more than a question.
    near = [w for w in unused[:_MOST_ENCODED] if w and close is not None and close(w)]
    return tuple(w for w in unused if w and w not in near)


def topic_asked(toks: Sequence[Tok], topic: str) -> bool:
    """The topic was asked for: its words follow a topic marker ("talks on mining") or qualify a presentation
    noun ("mining talks"), rather than stand apart from the question ("... run over the period", "... thx")."""
    lows = [t.low for t in toks]
    stop = v.stems(v.STOP_WORDS)
    markers, nouns = set(v.TOPIC_MARKERS.split()), v.forms(v.PRESENTATION_NOUNS)
    for word in _WORD.findall(topic.lower()):
        if word not in lows or not content_tokens(word):
            continue
        i = lows.index(word)
        k = i - 1
        while k >= 0 and lows[k] not in markers and toks[k].stem not in stop:
            k -= 1  # back over the topic's other words ("on deep sea mining")
        while k >= 0 and lows[k] in ("the", "a", "an"):
            k -= 1
        j = i + 1
        while j < len(lows) and toks[j].stem not in stop and lows[j] not in nouns:
            j += 1
        if (k >= 0 and lows[k] in markers) or (j < len(lows) and lows[j] in nouns):
            return True
    return False
