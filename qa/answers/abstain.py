"""Deciding not to answer: nothing close in meaning, about someone else, or a name the catalogue never uses."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date
from qa.question.intent import find_types
from qa.question.query import Query
from qa.question.text import tokens
from qa.search.retrieval import Retriever, Scored
from qa.settings import DEFAULT, Settings

NOTHING = "Nothing in the catalogue answers that."


def should_abstain(query: Query, ranked: Sequence[Scored], retriever: Retriever, settings: Settings = DEFAULT) -> bool:
    """True when the best entry does not answer: nothing close in meaning, or about someone else."""
    closest = max(s.dense for s in ranked[: settings.abstain_look])  # the floor is about the catalogue, not one entry
    if closest < settings.abstain_floor:
        return True
    if names_someone_else(query, ranked, retriever):
        return True
    return closest < settings.abstain_unknown_name and bool(query.unknown_names)


def names_someone_else(query: Query, ranked: Sequence[Scored], retriever: Retriever) -> bool:
    """The question names an economy the best entry never mentions: "the EU's threshold" is not Australia's."""
    named = set(query.economies)
    return bool(named) and not named & retriever.mentions_text[retriever.index_of[ranked[0].entry.id]]


def abstain(question: str) -> Answer:
    return Answer(question, NOTHING, abstained=True, kind="abstain")


def absent_presenter(query: Query) -> Answer | None:
    """A presenter named in the question that never presented: "The catalogue has no presentation by Japan."."""
    who = query.presenter
    if not who or query.institutions or query.types or find_types(who):
        return None
    name = f"the {who}" if f"the {who}".casefold() in query.text.casefold() else who
    if query.kind in ("list", "count"):  # a list's answer: none (count 0), not a refusal
        return Answer(query.text, f"The catalogue has no presentations by {name}.", count=0, kind=query.kind)
    return Answer(query.text, f"The catalogue has no presentation by {name}.", abstained=True, kind="abstain")


def related(ranked: Sequence[Scored], most: int = 3) -> tuple[Citation, ...]:
    """The closest presentations to a refused question: shown as related, never as an answer."""
    return tuple(Citation(n, s.entry, s.dense) for n, s in enumerate(ranked[:most], 1))


def missing_text(query: Query, best: Scored, missing: Sequence[str]) -> str:
    """The refusal, saying what the closest presentation lacks when the question's words show it."""
    words = [w for w in (surface(query.text, t) for t in missing[:2]) if w]
    if not words:
        return NOTHING
    e = best.entry
    lacks = " or ".join(f'"{w}"' for w in words)
    when = format_date(e.date)
    return f"{NOTHING} The closest presentation, {e.title} ({e.institution}, {when}), does not mention {lacks}."


def surface(text: str, token: str) -> str | None:
    """The word of ``text`` that folds and stems to ``token``, as written."""
    for word in re.findall(r"[\w'-]+", text):
        if token in tokens(word):
            return word
    return None
