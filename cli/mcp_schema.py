"""The tools' output schemas: INTERFACE.md's JSON shapes as TypedDicts, published as each tool's outputSchema.

The SDK validates each result against these before sending it. Keys the contract may add later
(``kind``, ``read_as``, ``related``, ``explain``) are optional; pydantic ignores keys a shape does not
name, so a richer answer object still passes. (Pydantic wants typing_extensions' TypedDict before 3.12.)
"""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class EntryShape(TypedDict):
    """One presentation (`list --json`, `show --json`)."""

    id: str
    title: str
    institution: str
    institution_type: str
    date: str
    category: str
    subcategory: str | None
    link: str | None
    links: list[str]
    summary: str
    note: str | None


class CitationShape(TypedDict):
    """A numbered source of an answer."""

    n: int
    id: str
    title: str
    institution: str
    institution_type: str
    date: str
    category: str
    link: str | None
    score: float | None


class SentenceShape(TypedDict):
    text: str
    citation: int


class AnswerShape(TypedDict):
    """The answer object of `ask --json`."""

    question: str
    answer: str
    abstained: bool
    count: int | None
    sentences: list[SentenceShape]
    citations: list[CitationShape]
    kind: NotRequired[str]
    support: NotRequired[str]  # "full" or "partial" (fact answers)
    missing: NotRequired[list[str]]  # partial answers: what the catalogue does not say
    read_as: NotRequired[str]
    related: NotRequired[list[CitationShape]]
    explain: NotRequired[dict[str, Any]]


class ListShape(TypedDict):
    """The entries matching the filters, in date order, and how many there are."""

    count: int
    presentations: list[EntryShape]
