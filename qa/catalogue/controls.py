"""Control characters in catalogue text: taken out when the catalogue is read, and where they were.

A catalogue from someone else may carry terminal escape sequences (``ESC [ 2J`` clears the screen,
``ESC ] 8 ;; url BEL`` plants a hyperlink), a bell, or C1 characters (U+009B is a one-character CSI in
some terminals). None of the 65 characters of Unicode category Cc (C0, DEL, C1) belongs in a title or a
summary, so the paragraph stream (:mod:`qa.catalogue.paragraphs`) takes them out of every field.

Tab, newline and carriage return are line structure, not content: inside a field they become a space
and are not reported. Every other control character is removed and its place recorded, so that
`msme-qa check` can say which entry and which field held one.
"""

from __future__ import annotations

import re

CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_LAYOUT = frozenset("\t\n\r")  # line structure: a space, not worth a report
# What str.isspace() calls whitespace among the controls: a space in place of them, not nothing.
_SPACING = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85")
_STRIP_TABLE = {code: None for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_KEEP_LINES_TABLE = {code: None for code in _STRIP_TABLE if code != 0x0A}


def has_controls(text: str) -> bool:
    """Whether ``text`` holds any C0, DEL or C1 character."""
    return CONTROL_RE.search(text) is not None


def strip_controls(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` without any control character (``keep_newlines``: except ``\\n``): safe to print."""
    return text.translate(_KEEP_LINES_TABLE if keep_newlines else _STRIP_TABLE)


def clean_field(text: str) -> tuple[str, tuple[int, ...]]:
    """A field without control characters, and where some were removed (offsets into the result).

    Tab, newline and the other spacing controls become a space; spaces are then single and the
    ends stripped, as :func:`qa.catalogue.paragraphs.normalize_typography` leaves them. An offset
    ``k`` means "something was removed just before character ``k``" (``len(result)``: at the end).
    """
    if not has_controls(text):  # the common case: one regex scan
        return text, ()
    out: list[str] = []
    marks: list[int] = []
    pending = False
    for ch in text:
        if ch in _SPACING or not CONTROL_RE.match(ch):
            if ch in _SPACING:
                pending = pending or ch not in _LAYOUT
                ch = " "
            if ch == " " and (not out or out[-1] == " "):
                continue
            if pending:
                marks.append(len(out))
                pending = False
            out.append(ch)
        else:
            pending = True
    if pending:
        marks.append(len(out))
    joined = "".join(out)
    cleaned = joined.strip()
    lead = len(joined) - len(joined.lstrip())
    return cleaned, tuple(sorted({min(max(m - lead, 0), len(cleaned)) for m in marks}))


def clean_link(link: str) -> tuple[str, bool]:
    """A link target without control characters (none belongs in a URL, not even a tab), and whether it held any."""
    return strip_controls(link).strip(), has_controls(link)
