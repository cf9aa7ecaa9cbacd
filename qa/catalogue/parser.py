"""The catalogue's grammar, applied once to the paragraph stream of either form.

Document shape::

    Brief Description: ...
    Thematic categories: 1) Implementation of ...; 2) Innovation; ...
    Period covered: 18 February 2021 – 13 March 2023.
    <category heading>                       one of the thematic categories
      [<sub-section heading>]                any other heading inside a category
      <Title>, <Institution> (<Type>)        an entry heading, followed by
      <date>                                 its date (blank paragraphs may come between)
      <summary paragraph(s)>                 URLs inside; a URL at the end is a link, not prose
      [<link line>]
    __________                               footer: everything after it is ignored
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from qa.catalogue.dates import InvalidDate, is_date_line, parse_date, parse_period
from qa.catalogue.ids import assign_ids
from qa.catalogue.model import Anomaly, Catalogue, Entry
from qa.catalogue.paragraphs import URL_RE, Paragraph
from qa.catalogue.split import split_heading

_TYPES = {"io": "IO", "member": "Member", "secretariat": "Secretariat", "other": "Other"}
_TYPES["organized by member"] = "organized by Member"
ENTRY_HEADING = re.compile(
    r"^(?P<head>.+?)\s*\((?P<type>" + "|".join(re.escape(t) for t in _TYPES) + r")\)\s*[.:]?$",
    re.IGNORECASE,
)
_FOOTER = re.compile(r"^\s*_{3,}\s*$")
_CATEGORY_LIST = re.compile(r"^\s*thematic categories\s*:\s*(?P<list>.+)$", re.IGNORECASE)
_CATEGORY_ITEM = re.compile(r"\s*\d+\)\s*")
_PERIOD = re.compile(r"^\s*period covered\s*:", re.IGNORECASE)
_TRAILING_URLS = re.compile(r"(?:\s*\(?" + URL_RE.pattern + r"\)?[.,;]?)+\s*$")


def heading_key(text: str) -> str:
    """How two spellings of one heading compare: case, hyphens and spaces do not matter."""
    return re.sub(r"[\s\-\u2010-\u2015]+", " ", text).strip().casefold()


@dataclass
class _Draft:
    """An entry while its paragraphs are being read."""

    heading: str
    institution_type: str
    category: str
    subcategory: str | None
    notes: list[str]
    date: date | None = None
    body: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def parse_paragraphs(paragraphs: Sequence[Paragraph]) -> Catalogue:
    """Entries, thematic categories, period and anomalies from a paragraph stream."""
    paras = [p for p in _until_footer(paragraphs)]
    categories = _thematic_categories(paras)
    period = next((parse_period(p.text) for p in paras if _PERIOD.match(p.text)), None)
    canonical = {heading_key(c): c for c in categories}
    anomalies: list[Anomaly] = []
    drafts: list[_Draft] = []
    category: str | None = None
    subcategory: str | None = None
    draft: _Draft | None = None
    started = False
    for i, para in enumerate(paras):
        text = para.text
        if para.blank:
            continue
        key = heading_key(text)
        if key in canonical:
            category, subcategory, draft, started = canonical[key], None, None, True
            continue
        match = ENTRY_HEADING.match(text)
        if match and _date_follows(paras, i):
            if category is None:
                anomalies.append(Anomaly("structure", f"entry {text!r} comes before any category heading"))
            draft = _Draft(
                heading=match.group("head").strip(),
                institution_type=_TYPES[match.group("type").lower()],
                category=category or "Uncategorised",
                subcategory=subcategory,
                notes=list(para.notes),
            )
            drafts.append(draft)
            started = True
            continue
        if draft is not None and draft.date is None and is_date_line(text):
            try:
                draft.date = parse_date(text)
            except InvalidDate as exc:
                anomalies.append(Anomaly("date", f"{draft.heading!r}: {exc}; the entry is left out"))
                drafts.remove(draft)
                draft = None
            continue
        if match and not text.endswith("."):
            # An entry heading whose date is missing: not the previous entry's prose, not a sub-section.
            anomalies.append(Anomaly("date", f"{text!r} has no date line; the entry is left out"))
            draft = None
            continue
        if _is_heading(paras, i):
            if not canonical or category is None or para.heading == 1:
                if canonical:
                    anomalies.append(Anomaly("heading", f"heading {text!r} is not one of the thematic categories"))
                category, subcategory = text, None
            else:
                subcategory = text
            draft = None
            continue
        if draft is not None:
            _add_body(draft, para)
        elif started and match:
            anomalies.append(Anomaly("date", f"{text!r} has no date line; the entry is left out"))
    entries = _finish(drafts, anomalies)
    return Catalogue(
        path=None,
        entries=tuple(entries),
        categories=tuple(categories),
        period=period,
        anomalies=tuple(anomalies),
    )


def _until_footer(paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    out = []
    for para in paragraphs:
        if _FOOTER.match(para.text):
            break
        out.append(para)
    return out


def _thematic_categories(paras: Sequence[Paragraph]) -> list[str]:
    for para in paras[:20]:
        m = _CATEGORY_LIST.match(para.text)
        if m:
            items = _CATEGORY_ITEM.split(m.group("list"))
            return [item.strip().rstrip(";.").strip() for item in items if item.strip(" ;.")]
    # No list: fall back on Word's top-level headings, or every heading-like line.
    return [p.text for p in paras if p.heading == 1]


def _next_text(paras: Sequence[Paragraph], i: int) -> Paragraph | None:
    for para in paras[i + 1 :]:
        if not para.blank:
            return para
    return None


def _date_follows(paras: Sequence[Paragraph], i: int) -> bool:
    nxt = _next_text(paras, i)
    return nxt is not None and is_date_line(nxt.text)


def _is_heading(paras: Sequence[Paragraph], i: int) -> bool:
    """A sub-section or stray heading: short, not a sentence, and followed by an entry heading."""
    para = paras[i]
    if para.heading is not None:
        return True
    if para.links:  # a link line ("Presentation slides") is never a heading unless Word says so
        return False
    text = para.text
    if len(text) > 120 or text.endswith((".", ";", ",", ":")) or URL_RE.search(text):
        return False
    nxt = _next_text(paras, i)
    return nxt is not None and bool(ENTRY_HEADING.match(nxt.text))


def _add_body(draft: _Draft, para: Paragraph) -> None:
    for link in para.links:
        if link not in draft.links:
            draft.links.append(link)
    prose = _TRAILING_URLS.sub("", para.text).strip()
    if _is_link_label(prose, para):
        return
    draft.body.append(prose)


def _is_link_label(prose: str, para: Paragraph) -> bool:
    """A link line: nothing but URLs, or a short label ("Presentation slides") on a hyperlink."""
    if not prose:
        return True
    return bool(para.links) and len(prose.split()) <= 4 and not prose.endswith(".")


def _finish(drafts: list[_Draft], anomalies: list[Anomaly]) -> list[Entry]:
    known = _known_institutions(drafts)
    fields = []
    for d in drafts:
        if d.date is None:
            continue
        title, institution = split_heading(d.heading, known)
        summary = " ".join(d.body).strip()
        fields.append((d, title, institution, summary))
    ids = assign_ids([(title, d.date) for d, title, _, _ in fields if d.date])
    entries = []
    for entry_id, (d, title, institution, summary) in zip(ids, fields, strict=True):
        assert d.date is not None
        entries.append(
            Entry(
                id=entry_id,
                category=d.category,
                subcategory=d.subcategory,
                title=title,
                institution=institution,
                institution_type=d.institution_type,
                date=d.date,
                link=d.links[-1] if d.links else None,
                links=tuple(d.links),
                summary=summary,
                note=" ".join(d.notes) or None,
            )
        )
    return entries


def _known_institutions(drafts: list[_Draft]) -> set[str]:
    """Institutions named by headings that can be split only one way (a single comma)."""
    return {d.heading.split(", ")[1].casefold() for d in drafts if d.heading.count(", ") == 1}
