"""How much of a question the cited passages answer: ``full``, or ``partial`` with what is ``missing``.

A fact answer is partial when the entry is the right one but something the question asks for is not in it:

- a name the catalogue never uses ("the Trade4MSMEs platform");
- the asked-for type (a number, an amount, a share, a date, a person, places) when no passage of the best
  entries gives one about the question's subject (:func:`qa.answers.facts.lacks_asked_type`);
- the event a question presupposes ("Why did WIPO *discontinue* the programme?", "When did TLIP *drop*
  blockchain?"): a verb of change (stop, drop, cancel, raise, fall, ...: ``CHANGE_VERBS``) the best entry
  never uses;
- a salient word of the question that the best entry never uses ("Why did UNCTAD *stop* its accounting
  programme?"): the rarest missing word must be rare enough and the share of the question's words the entry
  holds low enough; both thresholds are in :class:`~qa.settings.Settings`, fitted with cross-validation by
  ``bench/fit_support.py``.

The decision reads the Query and the evidence the engine already computed; nothing here reads the wording.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.answers.evidence import Evidence
from qa.answers.model import Answer
from qa.catalogue.dates import format_date
from qa.question.clauses import change_verbs
from qa.question.query import Query
from qa.search.retrieval import Scored
from qa.settings import DEFAULT, Settings

ASKED_NOUN = {
    "quantity": "the number",
    "money": "the amount",
    "share": "the share or rate",
    "date": "the date",
    "who": "who",
    "places": "the places",
}


@dataclass(frozen=True)
class Support:
    """The grade of a fact answer and, when partial, what the catalogue does not say (in the user's words)."""

    level: str  # "full" or "partial"
    missing: tuple[str, ...] = ()
    opening: str = ""  # the line a partial answer opens with
    rule: str = ""  # why, for --explain


def grade(
    query: Query,
    found: Evidence,
    lacks_type: bool,
    settings: Settings = DEFAULT,
    entry_tokens: frozenset[str] = frozenset(),
    speaker: str | None = None,
) -> Support:
    """Full, or partial with the missing aspects: unknown names, the asked-for type, an unstated event, rare words
    not in the entry (``entry_tokens``: every token of the best entry's title, institution and summary)."""
    if query.unknown_names:
        names = list(dict.fromkeys(query.unknown_names))
        listed = " or ".join(f'"{n}"' for n in names)
        return Support("partial", tuple(names), f"The catalogue never mentions {listed}.",
                       f"names the catalogue never uses: {', '.join(names)}")  # fmt: skip
    if lacks_type and query.asked in ASKED_NOUN:
        clause = query.clause
        what = f"{ASKED_NOUN[query.asked]} asked for"
        return Support("partial", (f"{what}: {clause}",), f"The catalogue does not say {clause}.",
                       f"no passage gives {what} about the question's subject")  # fmt: skip
    if speaker is not None:  # "What did UNCITRAL say about crypto assets?" answered from ADGM's entry
        claim = f"{speaker} said {query.about_clause}" if query.about_clause else f"what {speaker} said"
        rule = f"the question names {speaker} as the speaker; the best entry is another institution's"
        return Support("partial", (claim,), f"The catalogue does not say {claim}; another presentation does.", rule)
    if entry_tokens:
        changed = [t for t in query.subject if t in change_verbs() and t not in entry_tokens]
        verb = query.surface(changed[0]) if changed else None
        if verb:
            claim = query.premise(changed[0])
            return Support("partial", (claim,), f"The catalogue does not say that {claim}.",
                           f"the question presupposes an event ({verb!r}) the entry never states")  # fmt: skip
    values = found.values
    if (
        found.missing
        and values["missing_rare"] >= settings.partial_missing_rare
        and values["cover_entry"] <= settings.partial_cover_entry
    ):
        words = [w for w in map(query.surface, found.missing[:2]) if w]
        if words:
            listed = " or ".join(f'"{w}"' for w in words)
            rule = (
                f"rarest missing word weighs {values['missing_rare']:.2f} (>= {settings.partial_missing_rare}), "
                f"the entry holds {values['cover_entry']:.2f} of the question (<= {settings.partial_cover_entry})"
            )
            return Support("partial", tuple(words), f"The catalogue does not say anything about {listed} here.", rule)
    return Support("full", rule="the passages hold what the question asks for")


def apply(answer: Answer, support: Support, best: Scored) -> Answer:
    """The answer with its grade; a partial one opens with the line naming the gap, then where the text is from."""
    if support.level != "partial":
        return replace(answer, support="full")
    e = best.entry
    head = f"{support.opening} What it says in {e.title} ({e.institution}, {format_date(e.date)}):"
    return replace(answer, text=f"{head}\n{answer.text}", support="partial", missing=support.missing)


def mentioned_in(name: str, entries: Sequence[object]) -> list[object]:
    """Entries whose title or summary names ``name`` (whole words, any case)."""
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
    return [e for e in entries if pattern.search(f"{e.title} {e.summary}")]  # type: ignore[attr-defined]
