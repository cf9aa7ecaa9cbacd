"""Answers as data: what `ask --json` prints and what the renderers show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qa.catalogue.model import Entry


@dataclass(frozen=True)
class Citation:
    n: int
    entry: Entry
    score: float | None = None

    def to_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "n": self.n,
            "id": e.id,
            "title": e.title,
            "institution": e.institution,
            "institution_type": e.institution_type,
            "date": e.date.isoformat(),
            "category": e.category,
            "link": e.link,
            "score": None if self.score is None else round(float(self.score), 4),
        }


@dataclass(frozen=True)
class Sentence:
    text: str
    citation: int


@dataclass(frozen=True)
class Trace:
    """What an answer was made from, kept for ``--explain``: the Query, the ranked entries (Scored, with the
    arrays their fused scores were summed from), and how it was decided."""

    query: Any
    ranked: tuple[Any, ...] = ()
    decision: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """One answer. ``text`` is exactly what a person is shown, without colour codes."""

    question: str
    text: str
    abstained: bool = False
    count: int | None = None
    sentences: tuple[Sentence, ...] = ()
    citations: tuple[Citation, ...] = ()
    kind: str = "fact"  # fact, list, count, search, abstain
    notes: tuple[str, ...] = field(default_factory=tuple)  # how the question was read, for people
    read_as: str | None = None  # the question as understood, when that differs from what was typed
    related: tuple[Citation, ...] = ()  # abstentions only: the closest presentations, not an answer
    support: str | None = None  # fact answers: "full", or "partial" when something asked for is not there
    missing: tuple[str, ...] = ()  # partial answers: what the catalogue does not say, in the user's words
    trace: Trace | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "count": self.count,
            "sentences": [{"text": s.text, "citation": s.citation} for s in self.sentences],
            "citations": [c.to_json() for c in self.citations],
            "kind": self.kind if self.kind in KINDS else "fact",
        }
        if self.read_as:
            out["read_as"] = self.read_as
        if self.support is not None:
            out["support"] = self.support
            if self.support == "partial":
                out["missing"] = list(self.missing)
        if (self.abstained or self.count == 0) and self.related:
            out["related"] = [c.to_json() for c in self.related]
        return out


KINDS = (
    "fact",
    "list",
    "count",
    "search",
    "abstain",
    "clarify",
    "overview",
    "compare",
)  # clarify: "Which one do you mean?"
