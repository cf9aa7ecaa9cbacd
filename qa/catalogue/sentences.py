"""Splitting summaries into sentences, the unit an answer is made of."""

from __future__ import annotations

import re

# A full stop after these does not end a sentence.
_ABBREVIATIONS = {
    "i.e", "e.g", "etc", "vs", "no", "nos", "mr", "mrs", "ms", "dr", "st", "inc", "ltd", "co", "corp", "u.s",
    "u.k", "rev", "art", "para", "fig", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_URL = re.compile(r"https?://\S+")


def split_sentences(text: str) -> list[str]:
    """Sentences in order; URLs, decimals, abbreviations and initials do not split."""
    text = " ".join(text.split())
    if not text:
        return []
    # Protect URLs: they contain full stops.
    urls: list[str] = []

    def hide(m: re.Match[str]) -> str:
        urls.append(m.group(0))
        return f"\x00{len(urls) - 1}\x00"

    masked = _URL.sub(hide, text)
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(masked):
        before = masked[start : m.start()].rstrip("\"')]")
        last_word = before.rsplit(" ", 1)[-1].rstrip(".!?").lower()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue
        pieces.append(masked[start : m.start()].strip())
        start = m.end()
    pieces.append(masked[start:].strip())
    restored = [re.sub(r"\x00(\d+)\x00", lambda m: urls[int(m.group(1))], p) for p in pieces if p]
    return restored
