"""Slots found anywhere in a question: the tokens and phrase matching every finder uses, and presenters,
institution types and categories (the period is :mod:`qa.question.when`; order, meetings, counts and totals
are :mod:`qa.question.shape`), each read from folded, stemmed tokens with the words of :mod:`qa.question.vocabulary`.

A question is split into :class:`Tok` (one per folded token, with where it stands in the text). Each finder
claims the tokens it reads, so a word is read once: the year of "In 2021, ..." is the period wherever it
stands, and the words left over, once the slots and the frame's words are taken out, are the topic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from qa.catalogue.institutions import norm
from qa.question import vocabulary as v
from qa.question.places import economies_in
from qa.question.text import stem, words

_WORD = re.compile(r"[^\W_]+(?:[&'\u2019./-][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Tok:
    low: str  # folded word ("december", "2022", "icc")
    stem: str  # its stem ("present" for "presented")
    start: int  # where its word stands in the text
    end: int
    upper: bool  # written with a capital letter first


def toks(text: str) -> list[Tok]:
    """The text's folded tokens, each with the span of the word it came from."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word[-2:] in ("'s", "\u2019s"):
            word = word[:-2]  # the possessive is no part of the name; the word ends before it
        for low in words(word):
            out.append(Tok(low, stem(low), m.start(), m.start() + len(word), word[:1].isupper()))
    return out


# Phrase matching --------------------------------------------------------------------------------------


def find_phrase_forms(
    ts: Sequence[Tok], table: tuple[tuple[str, ...], ...], skip: set[int]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """As :func:`find_phrase`, on written forms (``table`` of lower-case words): for words whose stems collide."""
    return find_phrase([replace(t, stem=t.low) for t in ts], table, skip)


@lru_cache(maxsize=256)
def _by_first(table: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The table's phrases by their first word, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(table, key=len, reverse=True):
        out.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


def find_phrase(
    ts: Sequence[Tok], table: tuple[tuple[str, ...], ...], skip: set[int]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Every non-overlapping match of the table's phrases (stems), longest first, left to right."""
    stems = [t.stem for t in ts]
    by_first = _by_first(table)
    found = []
    i = 0
    while i < len(ts):
        for phrase in by_first.get(stems[i], ()):
            n = len(phrase)
            if tuple(stems[i : i + n]) == phrase and not any(k in skip for k in range(i, i + n)):
                found.append((i, i + n, phrase))
                i += n
                break
        else:
            i += 1
    return found


# Presenters, types, categories ---------------------------------------------------------------------------

_ALIASES: dict[int, tuple[Mapping[str, set[str]], list[tuple[str, list[str]]]]] = {}


def _alias_words(aliases: Mapping[str, set[str]]) -> list[tuple[str, list[str]]]:
    """Each (institution, alias as words), word by word as the question's tokens; kept per aliases table."""
    kept = _ALIASES.get(id(aliases))
    if kept is None or kept[0] is not aliases:
        pairs = [
            (inst, [w for part in a.split() for w in words(part)]) for inst, names in aliases.items() for a in names
        ]
        # and each name as written, word by word ("United Nations Global Compact", which the aliases fold to "un")
        pairs += [(inst, [t.low for t in toks(inst) if t.low != "the"]) for inst in aliases]
        kept = (aliases, [(inst, parts) for inst, parts in pairs if parts])
        _ALIASES.clear()
        _ALIASES[id(aliases)] = kept
    return kept[1]


def find_institutions(
    ts: Sequence[Tok], text: str, aliases: Mapping[str, set[str]], taken: set[int], family: bool = True
) -> tuple[list[str], set[int]]:
    """Institutions named by name, acronym or alias, and economies' institutions ("Canada"), anywhere.

    An acronym names every institution whose name starts with it ("ICC" is ICC and ICC-UK); a longer name
    that matched ("ICC-UK") keeps the shorter out.
    """
    # Names are compared without "the", as their aliases are ("Brazil Mission to the WTO" = "... to WTO").
    keep = [i for i, t in enumerate(ts) if t.low != "the"]
    lows = [ts[i].low for i in keep]
    found: list[str] = []
    used: set[int] = set()
    spans: list[tuple[int, int, str]] = []
    starts: dict[str, list[int]] = {}
    for i, w in enumerate(lows):
        starts.setdefault(w, []).append(i)
    for inst, parts in _alias_words(aliases):
        n = len(parts)
        for i in starts.get(parts[0], ()):
            lo, hi = keep[i], keep[min(i + n, len(keep)) - 1] + 1
            if lows[i : i + n] == parts and not any(k in taken for k in range(lo, hi)):
                spans.append((lo, hi, inst))
    for i, j, inst in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        inside = any(i >= a and j <= b and (b - a) > (j - i) for a, b, _ in spans)
        if inside:
            continue
        used.update(range(i, j))
        if inst not in found:
            found.append(inst)
    # An acronym alone names the institutions whose names start with it ("ICC" -> ICC, ICC-UK).
    for inst in list(found) if family else []:
        key = norm(inst)
        for other in aliases:
            if (
                other not in found
                and norm(other).startswith(key + " ")
                and len(key) <= 6
                and not any(norm(other) == a for a in aliases.get(inst, ()))
                and not any(lows[i : i + len(norm(other).split())] == norm(other).split() for i in range(len(ts)))
            ):
                found.append(other)
    named = " ".join(text[ts[k].start : ts[k].end] for k in sorted(used))
    rest = economies_in(" ".join(text[t.start : t.end] for k, t in enumerate(ts) if k not in used))
    for economy in economies_in(text):
        if economy in economies_in(named) and economy not in rest:
            continue  # "Canada" inside "Government of Canada" names that institution, not every Canadian one
        key = norm(economy)
        for inst in aliases:
            if f" {key} " in f" {norm(inst)} " and inst not in found:
                found.append(inst)
        for i, t in enumerate(ts):
            if (norm(t.low) in key.split() or economy in economies_in(t.low)) and i not in taken:
                used.add(i)  # "Canada", and "Canadian"
    # An acronym inside a longer name that also matched ("ICC" in "ICC-UK" said as ICC-UK) is the longer one's.
    said = {norm(" ".join(t.low for t in ts[i:j] if t.low != "the")) for i, j, _ in spans}
    out = [
        i for i in found
        if not any(norm(i) != norm(j) and f" {norm(i)} " in f" {norm(j)} " and norm(j) in said for j in found)
    ]  # fmt: skip
    return out, used


@lru_cache(maxsize=1)
def _type_tables() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """Each type with its phrases as written forms, longest first."""
    out = []
    for name, table in v.TYPES.items():
        forms = {tuple(words(p)) for p in v.alternatives(table) if words(p)}
        out.append((name, tuple(sorted(forms, key=len, reverse=True))))
    return tuple(out)


def find_types(ts: Sequence[Tok], taken: set[int]) -> tuple[list[str], set[int]]:
    """Institution types named by the words of :data:`vocabulary.TYPES` ("IOs", "private sector", "members")."""
    hits = [(i, j, name) for name, forms in _type_tables() for i, j, _ in find_phrase_forms(ts, forms, taken)]
    found, used = _claim(hits)
    cues = v.forms(v.TYPE_CUES)
    for i, t in enumerate(ts):  # "the Other presentations", "listed as Other", "presenter type is other"
        after = ts[i + 1].low if i + 1 < len(ts) else ""
        near = {x.low for x in ts[max(0, i - 3) : i + 3]}
        capital = t.upper and i > 0 and after in v.forms(v.LIST_NOUNS)
        if t.low == "other" and i not in taken | used and (capital or near & cues):
            used.add(i)
            found += [] if "Other" in found else ["Other"]
    # "members or organisations": a type joined by "or" to any presenter is no restriction.
    for i in sorted(used):
        joined = {x.low for x in ts[max(0, i - 2) : i + 3]}
        if "or" in joined and joined & v.forms(v.PRESENTER_NOUNS):
            hit = next((n for a, b, n in hits if a <= i < b), None)
            if hit is not None and hit in found:
                found.remove(hit)
    if "organized by Member" in found and "Member" in found:
        found.remove("Member")
    return found, used


@lru_cache(maxsize=8)
def category_phrases(categories: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each category's phrases: its own name (and the part before a bracket), and its everyday words."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for name in categories:
        own = [re.sub(r"\(.*?\)", "", name), *re.findall(r"\((.*?)\)", name)]
        table = "|".join(own)
        name_stems = {t for part in own for t in (tok.stem for tok in toks(part))}
        for key, words_ in v.CATEGORY_WORDS.items():
            if {tok.stem for tok in toks(key)} <= name_stems:
                table += "|" + words_
        out[name] = v.phrases(table)
    return out


def find_categories(
    ts: Sequence[Tok], phrases_of: Mapping[str, tuple[tuple[str, ...], ...]], taken: set[int], everyday: bool
) -> tuple[list[str], set[int]]:
    """Categories named by their own names (always) or everyday words (``everyday``), longest phrase first."""
    hits = []
    for name, table in phrases_of.items():
        own = v.phrases(re.sub(r"\(.*?\)", "", name))
        for i, j, phrase in find_phrase(ts, table, taken):
            if everyday or phrase in own:
                hits.append((i, j, name))
    return _claim(hits)


def _claim(hits: list[tuple[int, int, str]]) -> tuple[list[str], set[int]]:
    """Names found by overlapping phrase matches: the longest match claims its tokens first."""
    found: list[str] = []
    used: set[int] = set()
    for i, j, name in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
        if any(k in used for k in range(i, j)):
            continue
        used.update(range(i, j))
        if name not in found:
            found.append(name)
    return found, used
