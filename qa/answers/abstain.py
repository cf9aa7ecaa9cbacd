"""Deciding not to answer: nothing close in meaning, about someone else, or a name the catalogue never uses."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date
from qa.question.query import Query
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


def absent_presenter(query: Query, retriever: Retriever | None = None) -> Answer | None:
    """A party named as presenter that never presented: "Uruguay did not present to the group; it is mentioned
    in ...", or "The catalogue has no presentation by Amazon." when nothing mentions it either.

    The party is an economy of the question that no presenting institution belongs to, or a presenter named
    in the question's own words that matches no institution. The entries that mention it come as ``related``:
    shown, never as the answer.
    """
    who = query.presenter
    if not who:
        return None
    absent = [e for e in query.economies if retriever is not None and not presented(e, retriever)]
    named_in_presenter = [e for e in absent if e.casefold() in who.casefold()]
    if named_in_presenter:
        name = named_in_presenter[0]
    elif query.institutions or query.types or query.presenter_types:
        return None
    else:
        name = query.presenter_said or who
    return party_absent(query, name, retriever)


def presented(economy: str, retriever: Retriever) -> bool:
    """Whether an institution of this economy presented (its name or alias names the economy)."""
    from qa.catalogue.filters import match_institution
    from qa.question.places import economies_in

    if match_institution(economy, retriever.aliases):
        return True
    return any(economy in economies_in(e.institution) for e in retriever.entries)


def mentioning(name: str, retriever: Retriever) -> list[int]:
    """The entries whose title or summary names ``name`` (an economy as the catalogue's places are read)."""
    bare = name.removeprefix("the ").strip()
    pattern = re.compile(rf"(?<![\w-]){re.escape(bare)}(?![\w-])", re.IGNORECASE)
    return [
        i
        for i, e in enumerate(retriever.entries)
        if bare in retriever.mentions_text[i] or pattern.search(f"{e.title} {e.summary}")
    ]


_TAKES_THE = re.compile(r"^(?:United|European|Republic|Kingdom|State)\b|s$|\b(?:Union|Republic|Emirates|Islands)$")


def party_absent(query: Query, name: str, retriever: Retriever | None) -> Answer:
    """The answer for a party that never presented: where it is mentioned, if anywhere."""
    found = mentioning(name, retriever) if retriever is not None else []
    count = 0 if query.kind in ("list", "count") else None
    if not found:
        text = f"The catalogue has no presentation{'s' if count == 0 else ''} by {name}."
        return Answer(
            query.text, text, abstained=count is None, count=count, kind=query.kind if count == 0 else "abstain"
        )
    assert retriever is not None
    entries = sorted((retriever.entries[i] for i in found), key=lambda e: (e.date, e.title))
    where = "; ".join(f"{e.title} ({e.institution}, {format_date(e.date)})" for e in entries[:5])
    more = f"; and {len(entries) - 5} more" if len(entries) > 5 else ""
    subject = name[0].upper() + name[1:]
    if _TAKES_THE.search(subject):  # "The European Union", "The Philippines"
        subject = f"The {subject}"
    text = f"{subject} did not present to the group; it is mentioned in: {where}{more}."
    cited = tuple(Citation(n, e, None) for n, e in enumerate(entries, 1))
    return Answer(
        query.text,
        text,
        abstained=count is None,
        count=count,
        kind=query.kind if count == 0 else "abstain",
        related=cited,
    )


def related(ranked: Sequence[Scored], most: int = 3) -> tuple[Citation, ...]:
    """The closest presentations to a refused question: shown as related, never as an answer."""
    return tuple(Citation(n, s.entry, s.dense) for n, s in enumerate(ranked[:most], 1))


def missing_text(query: Query, best: Scored, missing: Sequence[str]) -> str:
    """The refusal, saying what the closest presentation lacks when the question's words show it."""
    words = [w for w in map(query.surface, missing[:2]) if w]
    if not words:
        return NOTHING
    e = best.entry
    lacks = " or ".join(f'"{w}"' for w in words)
    when = format_date(e.date)
    return f"{NOTHING} The closest presentation, {e.title} ({e.institution}, {when}), does not mention {lacks}."
