"""Stable, readable entry ids: the date and the title's first words ("2021-05-04-australias-experience-on")."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import date

_MAX_WORDS = 5


def slug(text: str, max_words: int = _MAX_WORDS) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("'", "")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words]) or "untitled"


def assign_ids(keys: Sequence[tuple[str, date]]) -> list[str]:
    """One id per (title, date), unique within the catalogue; the summary plays no part.

    Two entries with the same title on the same day get "-2", "-3" in document order.
    """
    seen: Counter[str] = Counter()
    ids = []
    for title, day in keys:
        base = f"{day.isoformat()}-{slug(title)}"
        seen[base] += 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids
