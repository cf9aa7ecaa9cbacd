"""Filtering the catalogue for `list`, `/list` and list questions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from qa.catalogue.dates import parse_bound
from qa.catalogue.institutions import institution_aliases, match_institution
from qa.catalogue.model import Catalogue, Entry
from qa.catalogue.parser import heading_key
from qa.errors import UsageError


@dataclass(frozen=True)
class Filters:
    institution: str | None = None
    category: str | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_text(
        cls,
        institution: str | None = None,
        category: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Filters:
        """Filters from command-line text; UsageError (exit 2) for a date that cannot be read."""
        try:
            lo = parse_bound(since, end=False) if since else None
            hi = parse_bound(until, end=True) if until else None
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return cls(institution or None, category or None, lo, hi)


def matches_category(entry: Entry, category: str) -> bool:
    """Category or sub-section, ignoring case, hyphens and spaces; a part of the name is enough."""
    key = heading_key(category)
    return any(key in heading_key(name) for name in (entry.category, entry.subcategory or ""))


def filter_entries(catalogue: Catalogue, filters: Filters) -> list[Entry]:
    """The entries that pass every filter, in date order (document order within a day)."""
    entries: Iterable[Entry] = catalogue.entries
    if filters.institution:
        wanted = set(match_institution(filters.institution, institution_aliases(catalogue.entries)))
        entries = [e for e in entries if e.institution in wanted]
    if filters.category:
        category = filters.category
        entries = [e for e in entries if matches_category(e, category)]
    if filters.since:
        since = filters.since
        entries = [e for e in entries if e.date >= since]
    if filters.until:
        until = filters.until
        entries = [e for e in entries if e.date <= until]
    return sorted(entries, key=lambda e: e.date)


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
        raise UsageError(f"{entry_id!r} matches {len(found)} entries ({ids}); give more of the id")
    raise UsageError(f"no entry has the id {entry_id!r}; `msme-qa list` shows the ids")
