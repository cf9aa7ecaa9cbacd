"""Files a hostile or merely large catalogue could be: decompression bombs, and big synthetic catalogues.

Used by bench/bomb.py (the figures) and tests/test_security_limits.py (the refusals through the CLI).
Nothing here is committed as a file: every one is written on the fly.
"""

from __future__ import annotations

import re
import struct
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.catalogue.export import to_text  # noqa: E402
from qa.catalogue.load import load_catalogue  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'
_TAIL = "</w:body></w:document>"


def paragraph_xml(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def write_docx(path: Path, chunks: Iterable[str], *, level: int = 6) -> Path:
    """A minimal Word package whose document.xml is ``chunks`` (paragraph XML), compressed as it streams."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        with package.open("word/document.xml", "w") as document:
            document.write(_HEAD.encode())
            for chunk in chunks:
                document.write(chunk.encode("utf-8"))
            document.write(_TAIL.encode())
    return path


def write_bomb(path: Path, expands_to: int, *, lie: bool = False) -> Path:
    """A .docx whose document.xml inflates to about ``expands_to`` bytes of one paragraph repeated.

    ``lie``: its zip directory (and local header) then claim document.xml is 1,000 bytes, so only a
    streaming read that counts what it inflates can see what it really is.
    """
    block = paragraph_xml("no " * 300) * 1000  # about 1 MB; deflates about 430 to 1, as a zip bomb would

    def blocks() -> Iterator[str]:
        for _ in range(max(1, expands_to // len(block))):
            yield block

    write_docx(path, blocks(), level=9)
    if lie:
        _state_size(path, "word/document.xml", 1000)
    return path


def _state_size(path: Path, member: str, size: int) -> None:
    """Overwrite the uncompressed size the zip states for ``member`` (central directory and local header)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as package:
        offset = package.getinfo(member).header_offset
    struct.pack_into("<I", data, offset + 22, size)  # local file header: uncompressed size
    for m in re.finditer(re.escape(b"PK\x01\x02"), data):
        name_len = struct.unpack_from("<H", data, m.start() + 28)[0]
        if bytes(data[m.start() + 46 : m.start() + 46 + name_len]) == name:
            struct.pack_into("<I", data, m.start() + 24, size)  # central directory: uncompressed size
    path.write_bytes(bytes(data))


def write_many_parts(path: Path, parts: int) -> Path:
    """A package of ``parts`` tiny members: refused for its part count alone."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        for i in range(parts - 2):
            package.writestr(f"word/media/part{i}.xml", "<x/>")
    return path


def synthetic_text(entries: int) -> str:
    """A catalogue of ``entries`` entries: the bundled ones copied, each copy with its own title and date."""
    seed = load_catalogue(None)
    start, end = seed.period or (date(2021, 1, 1), date(2023, 12, 31))
    span = (end - start).days
    copies = []
    for i in range(entries):
        entry = seed.entries[i % len(seed.entries)]
        day = start + timedelta(days=(i * 7) % (span + 1))
        # No footnote: the Word form below is written line by line and has no footnote part.
        copies.append(replace(entry, title=f"{entry.title} (copy {i})", date=day, note=None))
    return to_text(replace(seed, entries=tuple(copies)))


def text_as_docx(path: Path, text: str) -> Path:
    """The text export as a Word document: one paragraph per line (the grammar needs nothing else)."""
    return write_docx(path, (paragraph_xml(line) for line in text.splitlines()))
