"""Where an entry heading "Title, Institution" splits when both halves may contain commas."""

from __future__ import annotations

import re

_CANDIDATE = re.compile(r",\s+")


def split_heading(heading: str, known_institutions: set[str]) -> tuple[str, str]:
    """(title, institution) from "Title, Institution".

    Every ", " is a possible split. The rule, in order:
    1. the institution half must start like a name, not with a lower-case word ("dLocal" is a name);
    2. a split whose institution half is an institution the catalogue names elsewhere wins
       ("..., Sustainability and SDG Reporting, UNCTAD": UNCTAD presents other talks);
    3. otherwise the first possible split: titles carry commas less often than institution
       names that enumerate ("Ministry for Production, Trade, Investment and Fisheries").
    """
    splits = [m for m in _CANDIDATE.finditer(heading)]
    candidates = []
    for m in splits:
        title, institution = heading[: m.start()].strip(), heading[m.end() :].strip()
        if title and institution and _name_like(institution):
            candidates.append((title, institution))
    if not candidates:
        return heading.strip(), ""
    for title, institution in reversed(candidates):
        if institution.casefold() in known_institutions:
            return title, institution
    return candidates[0]


def _name_like(text: str) -> bool:
    first = text.split()[0]
    return not first.islower()
