"""Hostile catalogues for the security tests (this module holds no tests).

Text is injected into one field of one real entry, in the bundled text export or in the Word form
written by pandoc (tests/fixtures/catalogue_pandoc.docx), by rewriting the file's own text: the
result is the real catalogue with one field changed, as a colleague's edited copy would be.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from .conftest import ROOT, SEED

PANDOC_DOCX = ROOT / "tests" / "fixtures" / "catalogue_pandoc.docx"
GCA_LINK = "https://www.wto.org/english/tratop_e/msmes_e/gca_toolkit_7april22.pdf"
GCA_DATE = "2022-04-07"
PHILIPPINES_DATE = "2022-02-08"
# field -> (text before the injection point, text after it), at their first occurrence after the
# heading of the GCA entry (the Philippines entry for the note, the only one with a footnote).
TARGETS = {
    "title": ("GCA Cybersecurity", " Toolkit for Small Business, Global Cyber Alliance (Other)"),
    "institution": ("Small Business, Global", " Cyber Alliance (Other)"),
    "type": ("Global Cyber Alliance (Oth", "er)"),
    "date": ("7 April", " 2022"),
    "summary": ("approach to cyber readiness", " for MSMEs"),
    "link": ("https://www.wto.org/english/tratop_e/msmes_e/gca_", "toolkit_7april22.pdf"),
    "note": ("This presentation contains relevant content", " for the sections on MSME financing"),
}
_ANCHOR = "GCA Cybersecurity"
FIELDS = tuple(TARGETS)
# Characters an XML 1.0 document cannot hold at all: a .docx never carries them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def entry_date(field: str) -> str:
    """The date of the entry whose ``field`` is injected into."""
    return PHILIPPINES_DATE if field == "note" else GCA_DATE


def xml_possible(text: str) -> str:
    """``text`` without what XML 1.0 forbids (C0 other than tab, newline, CR): what a .docx can carry."""
    return _NOT_XML.sub("", text)


def inject(text: str, field: str, payload: str) -> tuple[str, bool]:
    """``text`` (an export, or one XML part of a .docx) with ``payload`` put into ``field``; and whether it was."""
    before, after = TARGETS[field]
    start = 0 if field in ("note", "link") else text.find(_ANCHOR)
    at = text.find(before + after, max(start, 0)) if start >= 0 else -1
    if at < 0:
        return text, False
    cut = at + len(before)
    return text[:cut] + payload + text[cut:], True


def inject_text(field: str, payload: str) -> str:
    """The bundled text export with ``payload`` inserted into ``field``."""
    text, done = inject(SEED.read_text(encoding="utf-8"), field, payload)
    assert done, field
    return text


def write_text(path: Path, field: str, payload: str) -> Path:
    path.write_text(inject_text(field, payload), encoding="utf-8", errors="surrogatepass")
    return path


def write_docx(path: Path, field: str, payload: str) -> Path:
    """The pandoc .docx with ``payload`` (XML-escaped; what XML forbids left out) inserted into ``field``."""
    escaped = html.escape(xml_possible(payload), quote=True)
    found = False
    with zipfile.ZipFile(PANDOC_DOCX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith((".xml", ".rels")):
                xml, done = inject(data.decode("utf-8"), field, escaped)
                found = found or done
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    assert found, field
    return path


def write_catalogue(directory: Path, form: str, field: str, payload: str) -> Path:
    """A hostile catalogue in ``form`` ("text" or "docx") under ``directory``."""
    if form == "docx":
        return write_docx(directory / "hostile.docx", field, payload)
    return write_text(directory / "hostile.txt", field, payload)
