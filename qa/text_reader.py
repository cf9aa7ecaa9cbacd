"""The plain-text export of the catalogue, reduced to :class:`~qa.paragraphs.Paragraph` objects."""

from __future__ import annotations

import codecs
import re

from qa.errors import CatalogueError
from qa.paragraphs import Paragraph, normalize_typography, urls_in

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")
_FOOTNOTE_TEXT = re.compile(r"\[(\d+):\s*([^\]]*)\]")

# Tried in order; cp1252 last because it accepts almost any byte sequence.
_ENCODINGS = ("utf-8", "cp1252")


def decode(data: bytes) -> str:
    """Text from bytes in any common encoding: UTF-8 (with or without BOM), UTF-16 with BOM, cp1252."""
    if not data.strip():
        raise CatalogueError("the catalogue file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        raise CatalogueError("the catalogue file is binary, not a text export (.txt) or Word document (.docx)")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise CatalogueError("the catalogue file is binary, not a text export (.txt) or Word document (.docx)")


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls <= max(2, len(text) // 1000)


def read_text(data: bytes) -> list[Paragraph]:
    """One paragraph per line; bookmark markers dropped, footnotes moved to ``notes``."""
    paragraphs = []
    for raw in decode(data).splitlines():
        line = _BOOKMARK.sub("", raw)
        notes: list[str] = []
        if _FOOTNOTE_REF.search(line):
            line, notes = _take_footnotes(line)
        text = normalize_typography(line)
        paragraphs.append(Paragraph(text=text, links=tuple(urls_in(text)), notes=tuple(notes)))
    return paragraphs


def _take_footnotes(line: str) -> tuple[str, list[str]]:
    """Remove "[footnoteRef:N]" marks and their "[N: text]" bodies; return the texts."""
    refs = set(_FOOTNOTE_REF.findall(line))
    notes: list[str] = []

    def take(m: re.Match[str]) -> str:
        if m.group(1) in refs:
            notes.append(normalize_typography(m.group(2)))
            return ""
        return m.group(0)

    line = _FOOTNOTE_TEXT.sub(take, _FOOTNOTE_REF.sub("", line))
    return line, notes
