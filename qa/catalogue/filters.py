"""Filtering the catalogue: one :class:`Filter` for `list`, `/list`, list questions and follow-ups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from qa.catalogue.institutions import institution_aliases, match_institution
from qa.catalogue.model import Catalogue, Entry
from qa.catalogue.parser import heading_key
from qa.errors import UsageError


@dataclass(frozen=True)
class Filter:
    """Which entries to keep, as data: one type for `list`, `/list`, list questions and follow-ups.

    Every condition set must hold. ``institutions`` is None for "any presenter"; an empty tuple keeps
    nothing (a name that matched no institution).
    """

    start: date | None = None
    end: date | None = None
    institutions: tuple[str, ...] | None = None
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # category or sub-section names, or parts of them
    exclude: frozenset[str] = field(default_factory=frozenset)  # entry ids left out ("who else?")
    months: tuple[int, ...] = ()  # months of any year ("in December")

    @classmethod
    def from_options(
        cls,
        catalogue: Catalogue,
        institution: str | None = None,
        category: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> Filter:
        """A filter from command-line options; the dates are read by the questions' period grammar first
        (qa.question.when.read_bounds), so `list` and questions read a period one way."""
        institutions = None
        if institution:
            institutions = tuple(match_institution(institution, institution_aliases(catalogue.entries)))
        return cls(since, until, institutions, categories=(category,) if category else ())

    def passes(self, entry: Entry) -> bool:
        if entry.id in self.exclude:
            return False
        if self.start and entry.date < self.start or self.end and entry.date > self.end:
            return False
        if self.months and entry.date.month not in self.months:
            return False
        if self.institutions is not None and entry.institution not in self.institutions:
            return False
        if self.types and entry.institution_type not in self.types:
            return False
        return not self.categories or any(matches_category(entry, c) for c in self.categories)

    def apply(self, entries: Iterable[Entry]) -> list[Entry]:
        """The entries that pass, in date order (document order within a day)."""
        return sorted((e for e in entries if self.passes(e)), key=lambda e: e.date)


def matches_category(entry: Entry, category: str) -> bool:
    """Category or sub-section, ignoring case, hyphens and spaces; a part of the name is enough."""
    key = heading_key(category)
    return any(key in heading_key(name) for name in (entry.category, entry.subcategory or ""))


def find_entry(catalogue: Catalogue, entry_id: str) -> Entry:
    """The entry with this id, or the only one whose id starts with it; UsageError otherwise."""
    exact = catalogue.get(entry_id)
    if exact:
        return exact
    found = [e for e in catalogue.entries if e.id.startswith(entry_id)] if entry_id else []
    if len(found) == 1:
        return found[0]
    if found:
        ids = ", ".join(e.id for e in found[:5])
        more = f"; showing 5: {ids}, ..." if len(found) > 5 else f": {ids}"
        raise UsageError(f"{entry_id!r} matches {len(found)} entries{more}; give more of the id")
    raise UsageError(f"no entry has the id {entry_id!r}; `msme-qa list` shows the ids")
