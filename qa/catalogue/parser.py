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

from qa.catalogue.dates import InvalidDate, is_date_line, is_date_note, parse_date, parse_period
from qa.catalogue.ids import assign_ids
from qa.catalogue.model import Anomaly, Catalogue, Entry
from qa.catalogue.paragraphs import URL_RE, Paragraph, Removed
from qa.catalogue.split import split_heading

_TYPES = {"io": "IO", "member": "Member", "secretariat": "Secretariat", "other": "Other"}
_TYPES["organized by member"] = "organized by Member"
ENTRY_HEADING = re.compile(
    r"^(?P<head>.+?)\s*\((?P<type>" + "|".join(re.escape(t) for t in _TYPES) + r")\)\s*[.:]?$",
    re.IGNORECASE,
)
# A heading with something after its "(Type)" (a footnote mark, a stray bracket): inside an entry's body it
# means that entry has swallowed the next one.
_HEADING_LIKE = re.compile(
    r"^[^.]{3,200},[^.]{2,200}\((?:" + "|".join(re.escape(t) for t in _TYPES) + r")\)\W{0,3}\w{0,4}\W{0,2}$",
    re.IGNORECASE,
)
_FOOTER = re.compile(r"^\s*_{3,}\s*$")
_CATEGORY_LIST = re.compile(r"^\s*thematic categories\s*:\s*(?P<list>.+)$", re.IGNORECASE)
_CATEGORY_ITEM = re.compile(r"\s*\d+\)\s*")
_PERIOD = re.compile(r"^\s*period covered\s*:", re.IGNORECASE)
CONTROL_FIELDS = ("title", "institution", "type", "date", "summary", "link", "note")  # the order check reports
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
    controls: set[str] = field(default_factory=set)  # fields control characters were taken out of
    heading_marks: tuple[int, ...] = ()  # where they were in "Title, Institution"
    swallowing: bool = False  # the last body paragraph read as a hidden entry heading


def parse_paragraphs(paragraphs: Sequence[Paragraph]) -> Catalogue:
    """Entries, thematic categories, period and anomalies from a paragraph stream."""
    paras = [p for p in _until_footer(paragraphs)]
    categories = _thematic_categories(paras)
    period = next((parse_period(p.text) for p in paras if _PERIOD.match(p.text)), None)
    reading = _Reading(paras, {heading_key(c): c for c in categories})
    for i, para in enumerate(paras):
        if not para.blank and not reading.read(i) and para.removed:
            message = f"control characters removed from {para.text[:80]!r}"
            reading.anomalies.append(Anomaly("control", message))
    entries = _finish(reading.drafts, reading.anomalies)
    return Catalogue(
        path=None,
        entries=tuple(entries),
        categories=tuple(categories),
        period=period,
        anomalies=tuple(reading.anomalies),
    )


@dataclass
class _Reading:
    """The grammar's state while it walks the paragraphs: where it is, and what it has found."""

    paras: Sequence[Paragraph]
    canonical: dict[str, str]  # heading_key of each thematic category -> its spelling in the list
    anomalies: list[Anomaly] = field(default_factory=list)
    drafts: list[_Draft] = field(default_factory=list)
    category: str | None = None
    subcategory: str | None = None
    draft: _Draft | None = None
    started: bool = False
    dateless: bool = False  # the last entry heading had no date line after it

    def read(self, i: int) -> bool:
        """Take in paragraph ``i``; True when it became part of an entry (heading, date or body)."""
        para = self.paras[i]
        text = para.text
        key = heading_key(text)
        if self.dateless and not para.blank:
            # Only the paragraph right after a dateless entry heading can stand where its date should be.
            self.dateless = False
            stand_in = para.heading is None and key not in self.canonical and is_date_note(text)
            if stand_in and not ENTRY_HEADING.match(text) and _is_heading(self.paras, i):
                return False  # "Date to be confirmed" before the next entry: not a sub-section heading
            # Anything else is read as it stands: when the date line is gone altogether, the heading-like
            # line after the entry heading is the next sub-section's heading, which its entries keep.
        if key in self.canonical:
            self.category, self.subcategory, self.draft, self.started = self.canonical[key], None, None, True
            return False
        match = ENTRY_HEADING.match(text)
        if match and _date_follows(self.paras, i):
            self._start_entry(para, match)
            return True
        if self.draft is not None and self.draft.date is None and is_date_line(text):
            self._date(para)
            return True
        if match and not text.endswith("."):
            # An entry heading whose date is missing: not the previous entry's prose, not a sub-section.
            self.anomalies.append(Anomaly("date", f"{text!r} has no date line; the entry is left out"))
            self.draft, self.dateless = None, True
            return False
        if _is_heading(self.paras, i):
            self._heading(para)
            return False
        if self.draft is not None:
            heading_like = bool(_HEADING_LIKE.search(text))
            dated = is_date_line(text) and not self.draft.swallowing  # a hidden heading's own date: said once
            self.draft.swallowing = heading_like
            if self.draft.date is not None and (heading_like or dated):
                message = (
                    f"{self.draft.heading!r} seems to hold another entry: {text[:80]!r} reads as an entry's "
                    "heading or date line (a footnote mark or stray text in a heading can hide it)"
                )
                self.anomalies.append(Anomaly("swallowed", message))
            _add_body(self.draft, para)
            return True
        if self.started and match:
            self.anomalies.append(Anomaly("date", f"{text!r} has no date line; the entry is left out"))
        return False

    def _start_entry(self, para: Paragraph, match: re.Match[str]) -> None:
        if self.category is None:
            message = f"entry {para.text!r} comes before any category heading"
            self.anomalies.append(Anomaly("structure", message, severity="warning"))
        self.draft = _Draft(
            heading=match.group("head").strip(),
            institution_type=_TYPES[match.group("type").lower()],
            category=self.category or "Uncategorised",
            subcategory=self.subcategory,
            notes=list(para.notes),
        )
        if para.removed:
            fields, self.draft.heading_marks = _heading_controls(para, match)
            self.draft.controls |= fields
        self.drafts.append(self.draft)
        self.started = True

    def _date(self, para: Paragraph) -> None:
        draft = self.draft
        assert draft is not None
        try:
            draft.date = parse_date(para.text)
        except InvalidDate as exc:
            self.anomalies.append(Anomaly("date", f"{draft.heading!r}: {exc}; the entry is left out"))
            self.drafts.remove(draft)
            self.draft = None
            return
        if para.removed:
            draft.controls.add("date")

    def _heading(self, para: Paragraph) -> None:
        if not self.canonical or self.category is None or para.heading == 1:
            if self.canonical:
                message = f"heading {para.text!r} is not one of the thematic categories"
                self.anomalies.append(Anomaly("heading", message, severity="warning"))
            self.category, self.subcategory = para.text, None
        else:
            self.subcategory = para.text
        self.draft = None


def _heading_controls(para: Paragraph, match: re.Match[str]) -> tuple[set[str], tuple[int, ...]]:
    """Fields of the heading known to have held control characters (type, note), and the offsets
    removed from "Title, Institution", which :func:`_finish` assigns once the split is known."""
    fields: set[str] = set()
    if para.removed.notes:
        fields.add("note")
    type_start, type_end = match.span("type")
    if para.removed.within(type_start - 1, type_end + 1):
        fields.add("type")
    head_end = len(match.group("head").strip())
    marks = tuple(m for m in para.removed.text if m <= head_end)
    if not marks and para.removed.text and "type" not in fields:
        marks = (0,)  # after the type (a closing full stop): the heading as a whole, shown as the title
    return fields, marks


def _split_controls(d: _Draft, title: str, institution: str) -> set[str]:
    """Title and institution are a prefix and a suffix of the heading: which of them lost characters."""
    head = Removed(text=d.heading_marks)
    fields = {"title"} if head.within(0, len(title)) else set()
    if institution and head.within(len(d.heading) - len(institution), len(d.heading)):
        fields.add("institution")
    return fields or ({"title"} if d.heading_marks else set())


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
    for j in range(i + 1, len(paras)):  # not paras[i + 1 :]: a copy per call is quadratic in the document
        if not paras[j].blank:
            return paras[j]
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
    for n, link in enumerate(para.links):
        if link not in draft.links:
            draft.links.append(link)
        if n in para.removed.links:
            draft.controls.add("link")
    prose = _TRAILING_URLS.sub("", para.text).strip()
    label = _is_link_label(prose, para)
    if para.removed.within(0, len(prose)):
        draft.controls.add("link" if label else "summary")
    if para.removed.within(len(prose) + 1, len(para.text)):
        draft.controls.add("link")  # inside a URL at the end of the paragraph
    if not label:
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
        controls = d.controls | _split_controls(d, title, institution)
        if controls:
            names = " and ".join(f for f in CONTROL_FIELDS if f in controls)
            message = f"{title!r} ({d.date}): control characters were removed from the {names}"
            anomalies.append(Anomaly("control", message, entry_id))
    return entries


def _known_institutions(drafts: list[_Draft]) -> set[str]:
    """Institutions named by headings that can be split only one way (a single comma)."""
    return {d.heading.split(", ")[1].casefold() for d in drafts if d.heading.count(", ") == 1}
