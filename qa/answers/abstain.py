"""Deciding not to answer: nothing close in meaning, about someone else, or a name the catalogue never uses."""

from __future__ import annotations

from collections.abc import Sequence

from qa.answers.model import Answer
from qa.question.query import Query
from qa.search.retrieval import Retriever, Scored
from qa.settings import DEFAULT, Settings

NOTHING = "Nothing in the catalogue answers that."


def should_abstain(query: Query, ranked: Sequence[Scored], retriever: Retriever, settings: Settings = DEFAULT) -> bool:
    """True when the best entry does not answer: nothing close in meaning, or about someone else."""
    best = ranked[0]
    closest = max(s.dense for s in ranked[: settings.abstain_look])  # the floor is about the catalogue, not one entry
    if closest < settings.abstain_floor:
        return True
    named = set(query.economies)
    if named and not named & retriever.mentions_text[retriever.index_of[best.entry.id]]:
        return True  # "the EU's threshold" is not answered by Australia's
    return closest < settings.abstain_unknown_name and bool(query.unknown_names)


def abstain(question: str) -> Answer:
    return Answer(question, NOTHING, abstained=True, kind="abstain")
