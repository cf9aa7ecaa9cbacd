"""The index directory on disk: generations, the CURRENT pointer, manifests, and garbage collection.

    index_dir/
      CURRENT             the name of the live generation; replaced with one atomic rename
      .lock               flock()ed by the one writer
      gen-000007/         a complete, immutable generation: manifest.json + the files it lists
      gen-000006/         the previous one, kept for readers still loading it
      .tmp-gen-*/         a generation being written (or left by a killed writer: removed next time)

A writer builds a generation in a temp dir, fsyncs it, renames it to ``gen-N`` (invisible until
CURRENT names it), then replaces CURRENT. Killed at any instant, the previous CURRENT stays valid.
Readers take no lock: they follow CURRENT and verify everything against the manifest before use.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from embeddings._fs import (
    contained,
    file_record,
    fsync_dir,
    fsync_tree,
    private_dir,
    read_json,
    remove_tree,
    replace_atomically,
    sha256_file,
)
from embeddings.errors import IndexCorrupt, IndexMismatch, IndexMissing

FORMAT = "msme-qa-embeddings"
FORMAT_VERSION = 1
CURRENT = "CURRENT"
LOCK = ".lock"
MANIFEST = "manifest.json"
_GEN_RE = re.compile(r"^gen-(\d{6,})$")
_TMP_PREFIX = ".tmp-"


def current_name(index_dir: Path) -> str | None:
    """The live generation's name, None if the index was never built; IndexCorrupt if CURRENT is garbage."""
    path = index_dir / CURRENT
    try:
        name = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        raise IndexCorrupt(path, "cannot be read") from None
    if not _GEN_RE.match(name):
        raise IndexCorrupt(path, f"does not name a generation ({name[:40]!r})")
    return name


def current_generation(index_dir: Path) -> Path:
    """The live generation directory; IndexMissing if there is none."""
    if not index_dir.is_dir():
        raise IndexMissing(index_dir, "the directory does not exist")
    name = current_name(index_dir)
    if name is None:
        raise IndexMissing(index_dir)
    gen = index_dir / name
    if gen.is_symlink():
        raise IndexCorrupt(gen, "is a symbolic link, not a generation of this index")
    if not gen.is_dir():
        raise IndexCorrupt(gen, "is missing (CURRENT points to it)")
    return gen


def manifest_checksum(manifest: dict[str, Any]) -> str:
    """sha256 of the manifest's canonical JSON without its own checksum: catches flipped bytes in it."""
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_manifest(gen: Path) -> dict[str, Any]:
    """Parse and check a generation's manifest: format, version, checksum, required fields."""
    path = gen / MANIFEST
    manifest = read_json(path)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexCorrupt(path, f"is not a {FORMAT} manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatch(
            gen.parent,
            f"format version {manifest.get('format_version')!r}, this program reads {FORMAT_VERSION}",
        )
    if manifest.get("manifest_sha256") != manifest_checksum(manifest):
        raise IndexCorrupt(path, "does not match its checksum (the file was altered)")
    for key in ("model", "files", "faiss", "counts", "source"):
        if key not in manifest:
            raise IndexCorrupt(path, f"lacks the field {key!r}")
    check_file_names(gen, manifest)
    return manifest


def check_file_names(gen: Path, manifest: dict[str, Any]) -> None:
    """IndexCorrupt unless every file the manifest lists lies inside ``gen`` and is recorded as size + sha256.

    A valid checksum proves only that the manifest is whole, not who wrote it: an index from someone
    else could name ``../../.ssh/id_rsa`` or hold a symlink that leaves the generation. Checked before
    any listed file is opened (stat and resolve only), so nothing outside is ever read, and a refused
    index is only ever replaced by a new generation, never used to decide what to delete.
    """
    path = gen / MANIFEST
    files = manifest["files"]
    if not isinstance(files, dict):
        raise IndexCorrupt(path, "does not list its files as a table")
    for name, record in files.items():
        if contained(gen, name) is None:
            raise IndexCorrupt(path, f"names a file outside its generation ({str(name)[:80]!r})")
        valid = isinstance(record, dict) and isinstance(record.get("sha256"), str)
        if not valid or not isinstance(record.get("size"), int) or record["size"] < 0:
            raise IndexCorrupt(path, f"records {name} without a size and sha256")


def check_model(gen: Path, manifest: dict[str, Any], fingerprint: str | None) -> None:
    """IndexMismatch if the generation was built with a model other than ``fingerprint``."""
    built = manifest["model"]
    if fingerprint is not None and built.get("fingerprint") != fingerprint:
        raise IndexMismatch(gen.parent, f"it was built with the model {built.get('id')!r}, not the one requested")


def verify_files(gen: Path, manifest: dict[str, Any], names: list[str] | None = None, *, full: bool = True) -> None:
    """Check presence, size and (``full``) sha256 of the listed files before anything parses them."""
    files: dict[str, Any] = manifest["files"]
    for name in files if names is None else names:
        record = files.get(name)
        path = gen / name
        if record is None:
            raise IndexCorrupt(gen / MANIFEST, f"does not list {name}")
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise IndexCorrupt(path, "is missing") from None
        if size != record["size"]:
            raise IndexCorrupt(path, f"is {size} bytes, the manifest says {record['size']} (truncated or replaced)")
        if full and sha256_file(path) != record["sha256"]:
            raise IndexCorrupt(path, "does not match its sha256 in the manifest (the file was altered)")


def collect_garbage(index_dir: Path) -> None:
    """Remove temp dirs and generations other than the live one and the one before it (writer only)."""
    if not index_dir.is_dir():
        return
    try:
        live = current_name(index_dir)
    except IndexCorrupt:
        live = None
    gens = sorted((int(m.group(1)), p) for p in index_dir.iterdir() if (m := _GEN_RE.match(p.name)))
    keep: set[Path] = set()
    if live is not None:
        live_no = int(live[4:])
        keep.add(index_dir / live)
        older = [p for n, p in gens if n < live_no]
        keep.update(older[-1:])
    else:
        keep.update(p for _n, p in gens[-1:])
    for child in index_dir.iterdir():  # a symlink among them is unlinked itself, never followed
        if child.name.startswith(_TMP_PREFIX) or (child.name.startswith(f".{CURRENT}.tmp")):
            remove_tree(child) if child.is_dir() else child.unlink(missing_ok=True)
        elif _GEN_RE.match(child.name) and (child not in keep or child.is_symlink()):
            remove_tree(child)


def _next_name(index_dir: Path) -> str:
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN_RE.match(p.name))]
    return f"gen-{max(numbers, default=0) + 1:06d}"


class GenerationWriter:
    """A generation under construction in a temp dir; :meth:`commit` publishes it atomically."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.path = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}gen-", dir=index_dir))
        self.name: str | None = None

    def commit(self, manifest: dict[str, Any]) -> Path:
        """Record every file's size + sha256, write the manifest last, fsync, rename, swap CURRENT."""
        files = sorted(p for p in self.path.rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            **manifest,
            "files": {p.relative_to(self.path).as_posix(): file_record(p) for p in files},
        }
        manifest["manifest_sha256"] = manifest_checksum(manifest)
        (self.path / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", "utf-8")
        fsync_tree(self.path)
        self.name = _next_name(self.index_dir)
        final = self.index_dir / self.name
        os.rename(self.path, final)
        fsync_dir(self.index_dir)
        # The one atomic step: before it readers see the old generation, after it the new one.
        replace_atomically(self.index_dir / CURRENT, f"{self.name}\n".encode("ascii"))
        return final


@contextlib.contextmanager
def new_generation(index_dir: Path) -> Iterator[GenerationWriter]:
    """Yield a writer; if the block raises before commit, its temp dir is removed."""
    private_dir(index_dir)
    writer = GenerationWriter(index_dir)  # its temp dir, later the generation, is 0700 (mkdtemp)
    try:
        yield writer
    finally:
        if writer.name is None:
            remove_tree(writer.path)


def iter_generations(index_dir: Path) -> list[Path]:
    """Generation dirs, oldest first (for tests and diagnostics)."""
    return sorted(p for p in index_dir.iterdir() if _GEN_RE.match(p.name)) if index_dir.is_dir() else []


__all__ = [
    "CURRENT",
    "FORMAT",
    "FORMAT_VERSION",
    "LOCK",
    "MANIFEST",
    "GenerationWriter",
    "check_model",
    "check_file_names",
    "collect_garbage",
    "current_generation",
    "current_name",
    "iter_generations",
    "new_generation",
    "read_manifest",
    "verify_files",
]
