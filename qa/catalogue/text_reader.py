"""The plain-text export of the catalogue, reduced to :class:`~qa.catalogue.paragraphs.Paragraph` objects."""

from __future__ import annotations

import codecs
import re

from qa.catalogue.links import foreign_link
from qa.catalogue.paragraphs import Paragraph, normalize_typography, take_export_markers, urls_in
from qa.errors import CatalogueError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # below 32, except \t \n \f \r

# Tried in order; cp1252 last because it accepts almost any byte sequence.
_ENCODINGS = ("utf-8", "cp1252")
_MIXED = "msme-qa-utf8-or-cp1252"


def _as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """A byte that is not UTF-8 in a UTF-8 file (a paragraph pasted from a cp1252 file): read it as cp1252."""
    assert isinstance(exc, UnicodeDecodeError)
    byte = exc.object[exc.start : exc.start + 1]
    try:
        return byte.decode("cp1252"), exc.start + 1
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return byte.decode("latin-1"), exc.start + 1


codecs.register_error(_MIXED, _as_cp1252)


def decode(data: bytes) -> str:
    """Text from bytes in any common encoding: UTF-8 (with or without BOM), UTF-16 with BOM, cp1252."""
    if not data.strip():
        raise CatalogueError("the catalogue file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:  # odd length, lone surrogate: cut short or not UTF-16 at all
            raise CatalogueError("the catalogue file starts like UTF-16 text but is damaged or cut short") from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        raise CatalogueError("the catalogue file is binary, not a text export (.txt) or Word document (.docx)")
    for encoding in _ENCODINGS:
        try:
            # UTF-8 first; bytes that are not UTF-8 are read as cp1252, so a file mixing both reads right.
            text = data.decode(encoding, errors=_MIXED if encoding == "utf-8" else "strict")
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise CatalogueError("the catalogue file is binary, not a text export (.txt) or Word document (.docx)")


def _looks_like_text(text: str) -> bool:
    controls = len(_CONTROL.findall(text))  # a regex: a Python loop over every character costs ~10 ms
    return controls <= max(2, len(text) // 1000)


def read_text(data: bytes) -> list[Paragraph]:
    """One paragraph per line; bookmark markers dropped, footnotes moved to ``notes``.

    ``links`` are the http(s) URLs written in the line, or, for a line that is nothing but a link of
    another kind (``javascript:alert(1)``, ``file:///...``), that link: kept so that it can be reported.
    """
    paragraphs = []
    for raw in decode(data).splitlines():
        line, notes = take_export_markers(raw)
        text = normalize_typography(line)
        links = urls_in(text) or [link for link in [foreign_link(text)] if link]
        paragraphs.append(Paragraph(text=text, links=tuple(links), notes=tuple(notes)))
    return paragraphs
