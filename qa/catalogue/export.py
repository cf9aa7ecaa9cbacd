"""Writing a catalogue back in the plain-text export form, so that reading it gives the same entries.

The form is the one :mod:`qa.catalogue.parser` reads (and Word's "Save as plain text" writes)::

    Thematic categories: 1) Innovation; 2) Digital.
    Period covered: 18 February 2021 – 13 March 2023.
    Innovation                                   category heading
    Title, Institution (Type)                    entry heading
    24 September 2021                            date line
    Summary, with any link it cites inline.
    https://...                                  link lines
    Standards to digitalize trade                sub-section heading

A footnote on an entry heading is written as the export writes it: ``[footnoteRef:1]`` where the
mark is, the note's text as ``[1: text]`` at the end of the line.
"""

from __future__ import annotations

from collections.abc import Iterator

from qa.catalogue.dates import format_date
from qa.catalogue.model import Catalogue, Entry
from qa.catalogue.paragraphs import urls_in

UNCATEGORISED = "Uncategorised"  # what the parser calls entries that come before any category heading


def to_text(catalogue: Catalogue) -> str:
    """The catalogue as a text export; :func:`qa.catalogue.parser.parse_paragraphs` reads the same entries back."""
    return "\n".join(_lines(catalogue)) + "\n"


def _lines(catalogue: Catalogue) -> Iterator[str]:
    yield (
        "Brief Description: The present document includes the list of all presentations provided by "
        "participating organizations, sorted by thematic category and date."
    )
    if catalogue.categories:
        items = "; ".join(f"{n}) {name}" for n, name in enumerate(catalogue.categories, start=1))
        yield f"Thematic categories: {items}."
    if catalogue.period:
        start, end = catalogue.period
        yield f"Period covered: {format_date(start)} \u2013 {format_date(end)}."
    yield ""
    notes = 0
    category: str | None = None
    subcategory: str | None = None
    for entry in catalogue.entries:
        if entry.category != category or entry.subcategory != subcategory:
            new_category = entry.category != category or entry.subcategory is None
            if new_category and not (category is None and entry.category == UNCATEGORISED):
                yield entry.category  # a category heading also ends the sub-section before it
            if entry.subcategory is not None:
                yield entry.subcategory
            category, subcategory = entry.category, entry.subcategory
        if entry.note:
            notes += 1
        yield from _entry_lines(entry, notes if entry.note else None)
        yield ""
    yield "__________"


def _heading(entry: Entry, note: int | None) -> str:
    head = f"{entry.title}, {entry.institution}" if entry.institution else entry.title
    if note is None:
        return f"{head} ({entry.institution_type})"
    return f"{head}[footnoteRef:{note}] ({entry.institution_type}) [{note}: {entry.note}]"


def _entry_lines(entry: Entry, note: int | None) -> Iterator[str]:
    yield _heading(entry, note)
    yield format_date(entry.date)
    yield ""
    before, after = _link_lines(entry)
    yield from before
    if entry.summary:
        yield entry.summary
    yield from after


def _link_lines(entry: Entry) -> tuple[list[str], list[str]]:
    """Links not cited inside the summary, as lines before and after it, so the order of ``links`` holds.

    The reader collects links in reading order; the summary contributes its inline links where it
    stands, so links listed before the first inline one go above the summary, the rest below.
    """
    inline = set(urls_in(entry.summary))
    first_inline = next((i for i, link in enumerate(entry.links) if link in inline), len(entry.links))
    before = [link for link in entry.links[:first_inline]]
    after = [link for link in entry.links[first_inline:] if link not in inline]
    return before, after
