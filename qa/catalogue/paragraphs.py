"""The one stream both catalogue forms are reduced to: plain-text export and Word .docx.

The grammar in :mod:`qa.catalogue.parser` reads only :class:`Paragraph` objects, so the text export and the
Word document are parsed by the same code. Each reader's job is to remove what belongs to its
medium (bookmark markers, footnote reference runs, hyperlink fields) and to normalise typography
that differs between the two forms (smart quotes, non-breaking hyphens and spaces).

Control characters are taken out here, once, for both forms: a :class:`Paragraph` cannot hold one
in its text, links or notes (see :mod:`qa.catalogue.controls`), and records where they were.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from qa.catalogue.controls import clean_field, clean_link

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
class Removed:
    """Where control characters were taken out of a paragraph.

    ``text``: offsets into the cleaned text (see :func:`qa.catalogue.controls.clean_field`);
    ``links`` and ``notes``: the positions of the links and notes that held some.
    """

    text: tuple[int, ...] = ()
    links: frozenset[int] = frozenset()
    notes: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.text or self.links or self.notes)

    def within(self, start: int, end: int) -> bool:
        """Whether something was removed inside ``text[start:end]`` or at either edge of it."""
        return any(start <= mark <= end for mark in self.text)


_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")
_FOOTNOTE_TEXT = re.compile(r"\[(\d+):\s*([^\]]*)\]")


def take_export_markers(line: str) -> tuple[str, list[str]]:
    """The plain-text export's markers out of a line, in either form (a Word document made from the export
    carries them as text): "[bookmark: ...]" dropped, "[footnoteRef:N]" and its "[N: text]" body removed,
    the footnote texts returned, so that a note never stays in a heading."""
    if "[" not in line:
        return line, []
    line = _BOOKMARK.sub("", line)
    refs = set(_FOOTNOTE_REF.findall(line))
    if not refs:
        return line, []
    notes: list[str] = []

    def take(m: re.Match[str]) -> str:
        if m.group(1) in refs:
            notes.append(normalize_typography(m.group(2)))
            return ""
        return m.group(0)

    return _FOOTNOTE_TEXT.sub(take, _FOOTNOTE_REF.sub("", line)), notes


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the catalogue, as either form presents it; never holds a control character.

    ``links`` holds every link target in the paragraph in reading order: URLs written out in the
    text and, for Word, the targets of hyperlinks whose visible text is something else.
    ``notes`` holds the text of the footnotes referenced from this paragraph.
    ``heading`` is the Word heading level when the document says so; the text export has none.
    ``removed`` says where control characters were taken out; a reader that cleaned a note itself
    (Word footnotes are paragraphs too) passes that on in ``removed.notes``.
    """

    text: str
    links: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    heading: int | None = None
    removed: Removed = field(default_factory=Removed)

    def __post_init__(self) -> None:
        text, marks = clean_field(self.text)
        links = [clean_link(link) for link in self.links]
        notes = [clean_field(note) for note in self.notes]
        removed = Removed(
            text=marks,
            links=frozenset(i for i, (_, dirty) in enumerate(links) if dirty) | self.removed.links,
            notes=frozenset(i for i, (_, where) in enumerate(notes) if where) | self.removed.notes,
        )
        # A frozen dataclass sets its own fields once, here, so no Paragraph escapes uncleaned.
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "links", tuple(link for link, _ in links))
        object.__setattr__(self, "notes", tuple(note for note, _ in notes))
        object.__setattr__(self, "removed", removed)

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
