"""The Word form of the catalogue (.docx), reduced to :class:`~qa.catalogue.paragraphs.Paragraph` objects.

python-docx opens the package; the paragraphs are read from the XML directly because
``Paragraph.text`` in python-docx drops what the catalogue needs: runs inside ``w:fldSimple``,
``w:ins`` and content controls, the targets of hyperlink fields, footnote text.

One Word paragraph gives one :class:`Paragraph`, except that a manual line break (``w:br``,
``w:cr``) starts a new one, as it starts a new line in the text export.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.catalogue.bounds import check_package, read_bounded
from qa.catalogue.links import is_mail_link
from qa.catalogue.paragraphs import Paragraph, Removed, normalize_typography, take_export_markers, urls_in
from qa.errors import CatalogueError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

# Inline containers whose children are read as if they stood in the paragraph itself.
_TRANSPARENT = {f"{W}{t}" for t in ("smartTag", "customXml", "ins", "moveTo", "dir", "bdo", "sdtContent")}
# Block containers that hold paragraphs (content controls, tracked insertions, custom XML).
_BLOCK_TRANSPARENT = {f"{W}{t}" for t in ("sdtContent", "customXml", "ins", "moveTo")}
_NO_TEXT = {"false", "0", "off"}


def read_docx(source: str | os.PathLike[str] | bytes) -> list[Paragraph]:
    """Every paragraph of the document body in reading order (table cells row by row).

    ``text`` is the visible text, typography normalised, footnote marks and field codes removed;
    ``links`` are the link targets in reading order (the URL shown for a hyperlink that shows
    one, the target for one that shows other words, URLs typed as plain text; mail links are not
    catalogue links, any other kind is kept so it can be reported); ``notes`` are the
    texts of the footnotes and endnotes referenced; ``heading`` is 0 for Title, N for Heading N
    or outline level N-1, else None. Raises :class:`CatalogueError` for anything unreadable.
    """
    document = _open(source)
    try:
        part = document.part
        reader = _Reader(
            targets=_hyperlink_targets(part),
            notes=_notes(part, "footnotes") | _notes(part, "endnotes"),
            levels=_StyleLevels(document.styles.element),
        )
        return list(reader.blocks(document.element.body))
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, _lxml_error()) as exc:
        raise CatalogueError(f"{_name(source)}: the Word document is damaged ({exc})") from exc


def _lxml_error() -> type[Exception]:
    from lxml import etree

    return etree.LxmlError


def _name(source: str | os.PathLike[str] | bytes) -> str:
    return "the Word document" if isinstance(source, bytes) else os.fspath(source)


def _open(source: str | os.PathLike[str] | bytes) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    name = _name(source)
    if not isinstance(source, bytes):
        try:
            source = read_bounded(Path(source), "the Word document")
        except OSError as exc:
            raise CatalogueError(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    if not source:
        raise CatalogueError(f"{name}: the Word document is empty")
    if not source.startswith(b"PK"):
        raise CatalogueError(f"{name}: not a Word document (a .docx file is a zip package)")
    check_package(source, name)  # sizes, part count and ratio, before python-docx inflates anything
    try:
        return docx.Document(io.BytesIO(source))
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise CatalogueError(f"{name}: the Word document is truncated or damaged ({exc})") from exc
    except (KeyError, ValueError, _lxml_error()) as exc:
        raise CatalogueError(f"{name}: not a readable Word document ({exc})") from exc


def _hyperlink_targets(part: Any) -> dict[str, str]:
    """Targets of external relationships by rId. Mail links are not catalogue links; a link of any other
    kind (``javascript:``, ``file:``, a relative path) is kept, to be shown inert and reported by `check`."""
    return {
        rid: rel.target_ref.strip()
        for rid, rel in part.rels.items()
        if rel.is_external and rel.target_ref.strip() and not is_mail_link(rel.target_ref)
    }


def _notes(part: Any, kind: str) -> dict[tuple[str, str], tuple[str, bool]]:
    """Footnote (or endnote) texts by ``(kind, id)``, read from the part python-docx leaves opaque,
    each with whether control characters were taken out of it."""
    from docx.oxml.parser import parse_xml

    texts: dict[tuple[str, str], tuple[str, bool]] = {}
    for rel in part.rels.values():
        if rel.is_external or rel.reltype != _RT + kind:
            continue
        root = parse_xml(rel.target_part.blob)
        reader = _Reader(targets=_hyperlink_targets(rel.target_part), notes={}, levels=None)
        for note in root.iterchildren(f"{W}{kind[:-1]}"):
            if note.get(f"{W}type") in (None, "normal"):
                paragraphs = [p for p in reader.blocks(note) if not p.blank]
                text = normalize_typography(" ".join(p.text for p in paragraphs))
                texts[(kind, note.get(f"{W}id"))] = (text, any(p.removed for p in paragraphs))
    return texts


class _StyleLevels:
    """Heading level of a paragraph style: by name (Title, Heading N), else by its outline level."""

    _NAME = re.compile(r"heading\s*([1-9])$", re.IGNORECASE)

    def __init__(self, styles: Any) -> None:
        self._styles = {s.get(f"{W}styleId"): s for s in styles.iterchildren(f"{W}style")}
        self.default = next(
            (
                sid
                for sid, s in self._styles.items()
                if s.get(f"{W}type") == "paragraph" and s.get(f"{W}default") in ("1", "true", "on")
            ),
            None,
        )
        self._cache: dict[str | None, int | None] = {}

    def level(self, style_id: str | None) -> int | None:
        if style_id not in self._cache:
            self._cache[style_id] = self._resolve(style_id)
        return self._cache[style_id]

    def _resolve(self, style_id: str | None) -> int | None:
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            style = self._styles[style_id]
            name = _val(style.find(f"{W}name")) or ""
            if m := self._NAME.match(name.strip()):
                return int(m.group(1))
            if name.strip().lower() == "title":
                return 0
            if (level := _outline_level(style.find(f"{W}pPr"))) is not None:
                return level
            style_id = _val(style.find(f"{W}basedOn"))
        return None


def _val(element: Any) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _outline_level(ppr: Any) -> int | None:
    """Outline level 0-8 is heading 1-9; 9 means body text."""
    value = _val(None if ppr is None else ppr.find(f"{W}outlineLvl"))
    if value is None or not value.isdigit():
        return None
    return int(value) + 1 if int(value) < 9 else -1


@dataclass
class _Link:
    """A hyperlink being read: its target and the text it shows (in the current line)."""

    target: str | None
    shown: list[str] = field(default_factory=list)
    emitted: bool = False  # the target (or the URL shown) is already in some line's links


@dataclass
class _Field:
    """A complex field (w:fldChar begin ... separate ... end) that may span paragraphs."""

    instruction: list[str] = field(default_factory=list)
    in_result: bool = False
    link: _Link | None = None


@dataclass
class _Line:
    parts: list[str] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dirty_notes: set[int] = field(default_factory=set)  # notes that held control characters


class _Reader:
    """Walks block content; the field stack lives here because a field may span paragraphs."""

    def __init__(
        self, targets: dict[str, str], notes: dict[tuple[str, str], tuple[str, bool]], levels: _StyleLevels | None
    ) -> None:
        self.targets = targets
        self.note_texts = notes
        self.levels = levels
        self.fields: list[_Field] = []
        self.links: list[_Link] = []  # open w:hyperlink / w:fldSimple / field hyperlinks, innermost last
        self.line = _Line()

    def blocks(self, container: Any) -> Iterator[Paragraph]:
        for child in container.iterchildren():
            if child.tag == f"{W}p":
                yield from self.paragraph(child)
            elif child.tag == f"{W}tbl":
                for cell in child.iterfind(f"{W}tr/{W}tc"):
                    yield from self.blocks(cell)
            elif child.tag == f"{W}sdt":
                for content in child.iterchildren(f"{W}sdtContent"):
                    yield from self.blocks(content)
            elif child.tag in _BLOCK_TRANSPARENT:
                yield from self.blocks(child)

    def paragraph(self, p: Any) -> Iterator[Paragraph]:
        heading = self._heading(p)
        self.line = _Line()
        lines: list[_Line] = []
        for event in self._inline(p):
            if event == "break":
                lines.append(self._end_line())
        lines.append(self._end_line())
        for line in lines:
            text, notes = take_export_markers("".join(line.parts))
            yield Paragraph(
                text=normalize_typography(text),
                links=tuple(line.links),
                notes=(*line.notes, *notes),
                heading=heading,
                removed=Removed(notes=frozenset(line.dirty_notes)),
            )

    def _heading(self, p: Any) -> int | None:
        if self.levels is None:
            return None
        ppr = p.find(f"{W}pPr")
        direct = _outline_level(ppr)
        if direct is not None:
            return None if direct < 0 else direct
        level = self.levels.level(_val(None if ppr is None else ppr.find(f"{W}pStyle")) or self.levels.default)
        return None if level is None or level < 0 else level

    def _inline(self, element: Any) -> Iterator[str]:
        """Reads runs into ``self.line``; yields "break" where a manual line break ends a line."""
        for child in element.iterchildren():
            tag = child.tag
            if tag == f"{W}r":
                yield from self._run(child)
            elif tag == f"{W}hyperlink":
                yield from self._linked(child, self._hyperlink_target(child))
            elif tag == f"{W}fldSimple":
                yield from self._linked(child, _field_target(child.get(f"{W}instr") or ""))
            elif tag == f"{W}sdt":
                for content in child.iterchildren(f"{W}sdtContent"):
                    yield from self._inline(content)
            elif tag in _TRANSPARENT:
                yield from self._inline(child)

    def _linked(self, element: Any, target: str | None) -> Iterator[str]:
        self._flush_plain()
        link = _Link(target)
        self.links.append(link)
        yield from self._inline(element)
        self.links.remove(link)
        self._close_link(link)

    def _hyperlink_target(self, element: Any) -> str | None:
        target = self.targets.get(element.get(f"{R}id") or "")
        anchor = element.get(f"{W}anchor")
        if target and anchor and "#" not in target:
            target = f"{target}#{anchor}"
        return target

    def _run(self, run: Any) -> Iterator[str]:
        if _hidden(run):
            return
        for child in run.iterchildren():
            tag = child.tag
            if tag == f"{W}fldChar":
                self._field_char(child.get(f"{W}fldCharType"))
            elif tag == f"{W}instrText":
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instruction.append(child.text or "")
            elif self.fields and not all(f.in_result for f in self.fields):
                continue  # inside a field instruction: nothing here is shown
            elif tag == f"{W}t":
                self._text(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                self._text("\t")
            elif tag == f"{W}noBreakHyphen":
                self._text("\u2011")
            elif tag == f"{W}softHyphen":
                self._text("\u00ad")
            elif tag == f"{W}cr" or (tag == f"{W}br" and child.get(f"{W}type") in (None, "textWrapping")):
                yield "break"
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                kind = "footnotes" if tag == f"{W}footnoteReference" else "endnotes"
                text, dirty = self.note_texts.get((kind, child.get(f"{W}id")), ("", False))
                if text:
                    if dirty:
                        self.line.dirty_notes.add(len(self.line.notes))
                    self.line.notes.append(text)

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            self._start_result(self.fields[-1])
        elif kind == "end" and self.fields:
            fld = self.fields.pop()
            if not fld.in_result:
                self._start_result(fld)
            if fld.link is not None:
                self.links.remove(fld.link)
                self._close_link(fld.link)

    def _start_result(self, fld: _Field) -> None:
        fld.in_result = True
        target = _field_target("".join(fld.instruction))
        if target is not None:
            self._flush_plain()
            fld.link = _Link(target)
            self.links.append(fld.link)

    def _text(self, text: str) -> None:
        self.line.parts.append(text)
        (self.links[-1].shown if self.links else self.line.plain).append(text)

    def _flush_plain(self) -> None:
        self.line.links.extend(urls_in(normalize_typography("".join(self.line.plain))))
        self.line.plain = []

    def _close_link(self, link: _Link) -> None:
        """A link shows its URL (then that URL counts, as in the text export) or other words."""
        shown_text = normalize_typography("".join(link.shown))
        link.shown = []
        if not shown_text:
            return  # an empty hyperlink is invisible, as in the text export
        shown = urls_in(shown_text)
        if shown:
            self.line.links.extend(shown)
        elif link.target and not link.emitted:
            self.line.links.append(link.target)
        link.emitted = True

    def _end_line(self) -> _Line:
        self._flush_plain()
        for link in self.links:  # a link still open continues on the next line
            self._close_link(link)
        line, self.line = self.line, _Line()
        return line


def _hidden(run: Any) -> bool:
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and (_val(vanish) or "true").lower() not in _NO_TEXT


_TOKENS = re.compile(r'"([^"]*)"|(\S+)')


def _field_target(instruction: str) -> str | None:
    """The target of a HYPERLINK field instruction ('HYPERLINK "url" \\l "anchor" \\o "tip"')."""
    tokens = [m.group(1) if m.group(1) is not None else m.group(2) for m in _TOKENS.finditer(instruction)]
    if not tokens or tokens[0].upper() != "HYPERLINK":
        return None
    url, anchor, i = None, None, 1
    while i < len(tokens):
        token = tokens[i]
        if token.lower() in ("\\l", "\\o", "\\t") and i + 1 < len(tokens):
            if token.lower() == "\\l":
                anchor = tokens[i + 1]
            i += 2
            continue
        if not token.startswith("\\") and url is None:
            url = token.replace("\\\\", "\\")
        i += 1
    if not url or is_mail_link(url):
        return None
    return f"{url}#{anchor}" if anchor and "#" not in url else url
