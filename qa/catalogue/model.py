"""The catalogue's records: one :class:`Entry` per presentation, gathered in a :class:`Catalogue`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

INSTITUTION_TYPES = ("IO", "Member", "Secretariat", "Other", "organized by Member")


@dataclass(frozen=True)
class Entry:
    """One presentation. ``link`` is the presentation's own link (the last one given), or None."""

    id: str
    category: str
    subcategory: str | None
    title: str
    institution: str
    institution_type: str
    date: date
    link: str | None
    links: tuple[str, ...]
    summary: str
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The entry shape of INTERFACE.md."""
        return {
            "id": self.id,
            "title": self.title,
            "institution": self.institution,
            "institution_type": self.institution_type,
            "date": self.date.isoformat(),
            "category": self.category,
            "subcategory": self.subcategory,
            "link": self.link,
            "links": list(self.links),
            "summary": self.summary,
            "note": self.note,
        }

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that is embedded or shown changes."""
        blob = "\x1f".join(str(v) for v in self.to_json().values())
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Anomaly:
    """Something a catalogue maintainer should fix; ``line`` is 1-based in the paragraph stream."""

    kind: str
    message: str
    entry_id: str | None = None
    severity: str = "error"  # "error": data is lost or wrong; "warning": served as it is, worth a look

    def to_json(self) -> dict[str, Any]:
        """The problem shape of ``check --json``."""
        return {"severity": self.severity, "kind": self.kind, "entry": self.entry_id, "message": self.message}


@dataclass(frozen=True)
class Catalogue:
    path: Path | None
    entries: tuple[Entry, ...]
    categories: tuple[str, ...]  # the document's own list of thematic categories
    period: tuple[date, date] | None  # "Period covered" as the document states it
    anomalies: tuple[Anomaly, ...] = field(default_factory=tuple)

    def get(self, entry_id: str) -> Entry | None:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None
