"""Bounded reading: what a catalogue may cost before anything parses it, each cap raised by an env var.

A .docx is a zip package, and a zip can lie: a 2 MB file may expand to 800 MB (a decompression bomb),
and its directory may state sizes its streams do not keep to. So before python-docx sees a package:

1. the file itself is read only up to the size cap;
2. the zip directory is checked: the number of parts, each part's stated size, its compression
   ratio, and the parts' total;
3. every part is inflated as a stream that counts what it produces and stops at the cap, whatever
   the directory said, and must end at exactly the size the directory states.

Nothing is kept from step 3 (python-docx inflates again, now known to be bounded), so memory stays at
the file's size plus one chunk. A .txt export is read only up to the size cap.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from qa.errors import CatalogueError, UsageError

MB = 1_000_000
_IN_CHUNK = 64 * 1024  # compressed bytes fed to zlib at a time
_OUT_CHUNK = 1 << 20  # the most one zlib call may produce
RATIO_FLOOR = 1 * MB  # a part smaller than this cannot hurt, whatever its ratio
_EOCD = b"PK\x05\x06"


@dataclass(frozen=True)
class Limit:
    """One cap: its environment variable, default and unit (how messages name it)."""

    env: str
    default: float
    unit: str

    def value(self) -> float:
        """The cap in force: the environment variable when set, else the default; UsageError if unreadable."""
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return self.default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not value > 0:
            raise UsageError(f"{self.env} must be a positive number ({self.unit}), not {raw!r}")
        return value

    def describe(self, value: float) -> str:
        return f"{value:g} {self.unit}" if self.unit != "times" else f"{value:g} times"


CATALOGUE_MB = Limit("MSME_QA_MAX_CATALOGUE_MB", 64, "MB")
DOCX_PARTS = Limit("MSME_QA_MAX_DOCX_PARTS", 1000, "parts")
COMPRESSION_RATIO = Limit("MSME_QA_MAX_COMPRESSION_RATIO", 100, "times")


def size_text(n: float) -> str:
    """800.0 MB, 1.9 MB, 12.3 KB, 512 bytes."""
    if n >= MB / 10:
        return f"{n / MB:.1f} MB"
    return f"{n / 1000:.1f} KB" if n >= 1000 else f"{int(n)} bytes"


def over(name: str, what: str, limit: Limit, value: float) -> CatalogueError:
    """The one-line refusal: the file, what is too big and how big, the cap, and the variable that raises it."""
    return CatalogueError(f"{name}: {what}, over the limit of {limit.describe(value)}; set {limit.env} to raise it")


def read_bounded(path: Path, what: str = "the file") -> bytes:
    """The file's bytes, refused (CatalogueError) past the size cap without reading further."""
    cap = CATALOGUE_MB.value() * MB
    size = path.stat().st_size
    if size > cap:
        raise over(str(path), f"{what} is {size_text(size)}", CATALOGUE_MB, CATALOGUE_MB.value())
    with path.open("rb") as fh:
        data = fh.read(int(cap) + 1)  # a file that grows (or a device) is still cut at the cap
    if len(data) > cap:
        raise over(str(path), f"{what} is larger than {size_text(cap)}", CATALOGUE_MB, CATALOGUE_MB.value())
    return data


def check_package(data: bytes, name: str) -> None:
    """Refuse (CatalogueError) a zip package over any cap, from its directory and from its streams."""
    parts = _stated_parts(data)
    max_parts = DOCX_PARTS.value()
    if parts is not None and parts > max_parts:
        raise over(name, f"the Word document has {parts} parts", DOCX_PARTS, max_parts)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise CatalogueError(f"{name}: the Word document is truncated or damaged ({exc})") from exc
    if len(infos) > max_parts:
        raise over(name, f"the Word document has {len(infos)} parts", DOCX_PARTS, max_parts)
    _check_directory(infos, name)
    budget = CATALOGUE_MB.value() * MB
    for info in infos:
        budget -= _inflate_counting(data, info, name, budget)


def _stated_parts(data: bytes) -> int | None:
    """The part count from the end-of-directory record, read before zipfile builds an object per part."""
    at = data.rfind(_EOCD, max(0, len(data) - 22 - 0xFFFF))
    if at < 0 or len(data) - at < 22:
        return None  # zipfile will say the package is damaged
    return int(struct.unpack_from("<H", data, at + 10)[0])


def _check_directory(infos: list[zipfile.ZipInfo], name: str) -> None:
    """What the zip directory states: each part's size and ratio, and their total."""
    cap_mb, ratio = CATALOGUE_MB.value(), COMPRESSION_RATIO.value()
    for info in infos:
        if info.flag_bits & 0x1:
            raise CatalogueError(f"{name}: the Word document is encrypted ({info.filename}); msme-qa cannot read it")
        if info.file_size > cap_mb * MB:
            raise over(name, f"{info.filename} expands to {size_text(info.file_size)}", CATALOGUE_MB, cap_mb)
        if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            times = info.file_size / max(info.compress_size, 1)
            what = f"{info.filename} expands {times:.0f} times ({size_text(info.compress_size)} to "
            raise over(name, what + f"{size_text(info.file_size)})", COMPRESSION_RATIO, ratio)
    total = sum(info.file_size for info in infos)
    if total > cap_mb * MB:
        raise over(name, f"the parts of the Word document expand to {size_text(total)}", CATALOGUE_MB, cap_mb)


def _inflate_counting(data: bytes, info: zipfile.ZipInfo, name: str, budget: float) -> int:
    """Inflate one part without keeping it, stopping as soon as it passes a cap; returns its size.

    ``budget`` is what the parts read so far leave of the total (the same cap): a part is refused at
    whichever comes first. The size the directory states is not trusted: the stream is counted, and
    must end at exactly that size.
    """
    raw = _raw_stream(data, info, name)
    cap_mb, ratio = CATALOGUE_MB.value(), COMPRESSION_RATIO.value()
    stated = f"its zip directory says {size_text(info.file_size)}"
    limit = min(cap_mb * MB, budget)
    try:
        produced = len(raw) if info.compress_type == zipfile.ZIP_STORED else _inflate(raw, limit, ratio)
    except _Exceeded as exc:
        if exc.ratio:
            what = f"{info.filename} expands more than {ratio:g} times ({stated})"
            raise over(name, what, COMPRESSION_RATIO, ratio) from None
        what = f"{info.filename} expands to more than {size_text(limit)} ({stated})"
        raise over(name, what, CATALOGUE_MB, cap_mb) from None
    except zlib.error as exc:
        raise CatalogueError(f"{name}: the Word document is damaged ({info.filename}: {exc})") from exc
    if produced > limit:
        raise over(name, f"{info.filename} is {size_text(produced)}", CATALOGUE_MB, cap_mb)
    if produced != info.file_size:
        raise CatalogueError(f"{name}: the Word document is damaged ({info.filename} holds {produced} bytes, {stated})")
    return produced


class _Exceeded(Exception):
    """A stream passed its size cap (``ratio`` False) or its compression-ratio cap (True)."""

    def __init__(self, ratio: bool) -> None:
        self.ratio = ratio


def _inflate(raw: memoryview, limit: float, ratio: float) -> int:
    """The size ``raw`` (a raw deflate stream) inflates to, counted chunk by chunk; _Exceeded past a cap."""
    produced = 0
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for start in range(0, len(raw), _IN_CHUNK):
        piece: bytes | memoryview = raw[start : start + _IN_CHUNK]
        while piece and not inflater.eof:
            produced += len(inflater.decompress(piece, _OUT_CHUNK))
            piece = inflater.unconsumed_tail
            if produced > limit:
                raise _Exceeded(ratio=False)
            if produced > RATIO_FLOOR and produced > ratio * len(raw):
                raise _Exceeded(ratio=True)
    if not inflater.eof:
        raise zlib.error("the stream ends early")
    return produced


def _raw_stream(data: bytes, info: zipfile.ZipInfo, name: str) -> memoryview:
    """A part's compressed bytes, found through its local header (which the directory points to)."""
    at = info.header_offset
    if data[at : at + 4] != b"PK\x03\x04" or len(data) < at + 30:
        raise CatalogueError(f"{name}: the Word document is damaged ({info.filename} has no local header)")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise CatalogueError(
            f"{name}: {info.filename} is compressed with method {info.compress_type}, which Word never uses"
        )
    name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
    start = at + 30 + name_len + extra_len
    return memoryview(data)[start : start + info.compress_size]
