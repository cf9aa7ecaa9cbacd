"""Names people use for an institution: its heading name, its acronym and its long form.

Aliases are derived from the catalogue itself: summaries usually spell an acronym out the first
time ("The International Trade Centre (ITC) updated the Group..."). A short table of well-known
organisations covers names the summaries never spell out (nobody writes "the WTO (WTO)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa.catalogue.model import Entry

WELL_KNOWN = {
    "WTO": "World Trade Organization",
    "WIPO": "World Intellectual Property Organization",
    "OECD": "Organisation for Economic Co-operation and Development",
    "UNCTAD": "United Nations Conference on Trade and Development",
    "ITC": "International Trade Centre",
    "IFC": "International Finance Corporation",
    "ICC": "International Chamber of Commerce",
    "UN/CEFACT": "United Nations Centre for Trade Facilitation and Electronic Business",
    "UNCITRAL": "United Nations Commission on International Trade Law",
    "WEF": "World Economic Forum",
    "IADB": "Inter-American Development Bank",
    "EIF": "Enhanced Integrated Framework",
}
_STOP = {"of", "for", "and", "the", "to", "on", "in", "&"}
_PAREN = re.compile(r"\((?:the\s+)?([A-Z][A-Za-z0-9&/\-]{1,11})\)")
_WORD = re.compile(r"[A-Za-z0-9][\w&'/\-]*")


def norm(text: str) -> str:
    """Case- and punctuation-insensitive form for comparing names."""
    text = text.casefold().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text).replace("united nations", "un")
    words = re.findall(r"[a-z0-9&/]+", text.replace("-", " "))
    return " ".join(w for w in words if w != "the")


def _initials(words: list[str]) -> str:
    letters: list[str] = []
    for word in words:
        if word.casefold() in _STOP:
            continue
        letters.extend(part[0] for part in re.split(r"[-/]", word) if part)
    return "".join(letters).upper()


def _long_form(before: str, acronym: str) -> str | None:
    """The words just before "(ACR)" that spell it out, if any do."""
    words = _WORD.findall(before)[-10:]
    target = re.sub(r"[^A-Za-z]", "", acronym).upper()
    for start in range(len(words) - 1, -1, -1):
        candidate = words[start:]
        if candidate[0][0].isupper() and _initials(candidate) == target:
            return " ".join(candidate)
    run: list[str] = []
    for word in reversed(words):
        if word[0].isupper() or word.casefold() in _STOP:
            run.insert(0, word)
        else:
            break
    while run and run[0].casefold() in _STOP:
        run.pop(0)
    return " ".join(run) if len(run) >= 2 else None


def institution_aliases(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Institution (as the catalogue writes it) -> normalised names that refer to it."""
    entries = list(entries)
    aliases: dict[str, set[str]] = {}
    for entry in entries:
        names = aliases.setdefault(entry.institution, {norm(entry.institution)})
        inner = re.match(r"^(.*?)\s*\(([^)]+)\)$", entry.institution)
        if inner:
            names.update({norm(inner.group(1)), norm(inner.group(2))})
        if entry.institution in WELL_KNOWN:
            names.add(norm(WELL_KNOWN[entry.institution]))
    spelled: list[tuple[str, str]] = []
    for entry in entries:
        for m in _PAREN.finditer(entry.summary):
            long = _long_form(entry.summary[: m.start()], m.group(1))
            if long:
                spelled.append((norm(long), norm(m.group(1))))
    for inst, names in aliases.items():
        own = [e.summary for e in entries if e.institution == inst]
        words = _WORD.findall(inst)
        acronym = _initials(words)
        if len(acronym) >= 3 and any(re.search(rf"\b{acronym}\b", s) for s in own):
            names.add(norm(acronym))
        for long, short in spelled:
            if short in names or long in names:
                names.update({long, short})
    return aliases


def match_institution(query: str, aliases: dict[str, set[str]]) -> list[str]:
    """Institutions the query names: exact names or acronyms first, else a run of words in a name."""
    q = norm(query)
    if not q:
        return []
    exact = [inst for inst, names in aliases.items() if q in names]
    if exact:
        return exact
    pattern = re.compile(rf"(?:^| ){re.escape(q)}(?: |$)")
    return [inst for inst, names in aliases.items() if any(pattern.search(n) for n in names)]
