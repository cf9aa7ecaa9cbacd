"""The one stream both catalogue forms are reduced to: plain-text export and Word .docx.

The grammar in :mod:`qa.catalogue.parser` reads only :class:`Paragraph` objects, so the text export and the
Word document are parsed by the same code. Each reader's job is to remove what belongs to its
medium (bookmark markers, footnote reference runs, hyperlink fields) and to normalise typography
that differs between the two forms (smart quotes, non-breaking hyphens and spaces).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

URL_RE = re.compile(r"https?://[^\s<>\"]+")

# Typography that Word and its text export render differently; both forms map to one spelling.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",  # left single quote
        "\u2019": "'",  # right single quote / apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2011": "-",  # non-breaking hyphen (Word's w:noBreakHyphen)
        "\u2010": "-",
        "\u00ad": None,  # soft hyphen: invisible
        "\u00a0": " ",  # no-break space
        "\u202f": " ",
        "\u2007": " ",
        "\u200b": None,  # zero-width space
        "\ufeff": None,  # byte-order mark
        "\t": " ",
    }
)
_SPACES = re.compile(r"[ ]{2,}")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the catalogue, as either form presents it.

    ``links`` holds every link target in the paragraph in reading order: URLs written out in the
    text and, for Word, the targets of hyperlinks whose visible text is something else.
    ``notes`` holds the text of the footnotes referenced from this paragraph.
    ``heading`` is the Word heading level when the document says so; the text export has none.
    """

    text: str
    links: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    heading: int | None = None

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def normalize_typography(text: str) -> str:
    """NFC, straight quotes, ASCII hyphens and single spaces; keeps en dashes and accents."""
    text = unicodedata.normalize("NFC", text).translate(_TYPOGRAPHY)
    return _SPACES.sub(" ", text).strip()


def clean_url(url: str) -> str:
    """A URL without the sentence punctuation glued to its end ("...agenda.pdf." -> "...agenda.pdf")."""
    url = url.rstrip(".,;:!?'\"")
    # A closing parenthesis belongs to the URL only if the URL opened one.
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1].rstrip(".,;:")
    return url


def urls_in(text: str) -> list[str]:
    return [clean_url(m.group(0)) for m in URL_RE.finditer(text)]
