"""Loading a catalogue from disk: the bundled one, a text export or a Word document."""

from __future__ import annotations

import os
from dataclasses import replace
from importlib import resources
from pathlib import Path

from qa.catalogue.bounds import read_bounded
from qa.catalogue.model import Catalogue
from qa.catalogue.paragraphs import Paragraph
from qa.catalogue.parser import parse_paragraphs
from qa.errors import CatalogueError

BUNDLED_NAME = "wto-msme-presentations.txt"
CATALOGUE_ENV = "MSME_QA_CATALOGUE"
SUFFIXES = (".txt", ".docx")


def bundled_catalogue() -> Path:
    """The catalogue shipped in the seeds package (works installed, not only from a checkout)."""
    return Path(str(resources.files("seeds").joinpath(BUNDLED_NAME)))


def resolve_catalogue(path: str | os.PathLike[str] | None = None) -> Path:
    """--catalogue, else $MSME_QA_CATALOGUE, else the bundled catalogue."""
    chosen = path or os.environ.get(CATALOGUE_ENV) or None
    return Path(chosen).expanduser() if chosen else bundled_catalogue()


def read_paragraphs(path: Path) -> list[Paragraph]:
    if path.is_dir():
        raise CatalogueError(f"{path}: is a directory, not a catalogue file")
    if not path.exists():
        raise CatalogueError(f"{path}: no such catalogue file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CatalogueError(
            f"{path}: unknown catalogue form {suffix or '(no extension)'!r}; "
            "give the plain-text export (.txt) or the Word document (.docx)"
        )
    try:
        if suffix == ".docx":
            from qa.catalogue.docx_reader import read_docx

            return read_docx(path)
        data = read_bounded(path)
    except FileNotFoundError:
        raise CatalogueError(f"{path}: no such catalogue file") from None
    except IsADirectoryError:
        raise CatalogueError(f"{path}: is a directory, not a catalogue file") from None
    except PermissionError:
        raise CatalogueError(f"{path}: cannot be read (permission denied)") from None
    from qa.catalogue.text_reader import read_text

    try:
        return read_text(data)
    except CatalogueError as exc:
        raise CatalogueError(f"{path}: {exc}") from None


def load_catalogue(path: str | os.PathLike[str] | None = None) -> Catalogue:
    """Parse the catalogue at ``path`` (see :func:`resolve_catalogue`); CatalogueError if unusable."""
    resolved = resolve_catalogue(path)
    catalogue = parse_paragraphs(read_paragraphs(resolved))
    if not catalogue.entries:
        raise CatalogueError(f"{resolved}: no presentations found; is this the MSME catalogue?")
    return replace(catalogue, path=resolved)
