"""No answer says the catalogue has nothing where a grounded reading finds entries.

Questions are generated from the catalogue's own fields (each category, institution, institution type and
year), each in several templates, and each template also with a filler or politeness word and with a word
for the catalogue's structure. The words added are ones no entry uses, so a reading that lets them filter
finds nothing: the answer must still list the entries the field defines, and name the unused word.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

ADDED = ("thx", "pls asap", "kindly", "in the bucket", "under that heading", "cheers")
TYPE_WORDS = {"IO": "IOs", "Member": "members", "Other": "private-sector bodies", "Secretariat": "the Secretariat"}


def _same_body(institution: str, name: str) -> bool:
    """One body however the catalogue spells it ("Brazil Mission to WTO", "... to the WTO"); an acronym names
    its family ("ICC" is ICC and ICC-UK)."""
    a, b = (" ".join(w for w in x.lower().split() if w != "the") for x in (institution, name))
    return a == b or (b.isalnum() and len(b) <= 6 and a.startswith(b + "-"))


def _with_added(question: str) -> Iterator[str]:
    yield question
    for word in ADDED:
        if word == "kindly":
            yield f"kindly {question[0].lower()}{question[1:]}"
        else:
            yield f"{question.rstrip('?')} {word}"


def _questions(catalogue) -> Iterator[tuple[str, str, frozenset[str]]]:
    """(field, question, the entries the field defines)."""
    entries = catalogue.entries
    for category in catalogue.categories:
        want = frozenset(e.id for e in entries if e.category == category)
        for q in (f"which presentations are in the {category} category", f"list the {category} talks"):
            yield f"category {category}", q, want
    seen: set[str] = set()
    for e in entries:
        name = e.institution
        if name in seen or "," in name:  # a name with commas is no name a person types
            continue
        seen.add(name)
        want = frozenset(x.id for x in entries if _same_body(x.institution, name))
        for q in (f"talks by {name}", f"which sessions did {name} give?"):
            yield f"institution {name}", q, want
    for kind, words in TYPE_WORDS.items():
        want = frozenset(e.id for e in entries if e.institution_type == kind)
        yield f"type {kind}", f"list the presentations by {words}", want
    for year in sorted({e.date.year for e in entries}):
        want = frozenset(e.id for e in entries if e.date.year == year)
        for q in (f"what was presented in {year}?", f"{year} talks"):
            yield f"year {year}", q, want


@pytest.mark.slow
def test_added_words_never_empty_a_grounded_answer(assistant, catalogue):
    wrong: list[str] = []
    total = 0
    for field, question, want in _questions(catalogue):
        for asked in _with_added(question):
            total += 1
            answer = assistant.answer(asked)
            cited = frozenset(c.entry.id for c in answer.citations)
            if answer.count == 0 or answer.abstained or cited != want:
                wrong.append(f"{field}: {asked!r} -> count {answer.count}, {len(cited)} cited of {len(want)}")
    assert total > 300
    assert not wrong, f"{len(wrong)} of {total} wrong:\n" + "\n".join(wrong[:40])


@pytest.mark.slow
def test_words_not_used_are_named(assistant):
    answer = assistant.answer("which presentations are in the Sustainability bucket")
    assert answer.count == 5 and answer.read_as and "not used: bucket" in answer.read_as
    answer = assistant.answer("talks by UNCTAD thx")
    assert answer.count == 3 and answer.read_as == "Which presentations by UNCTAD? (not used: thx)"


@pytest.mark.slow
def test_an_asked_topic_no_entry_uses_is_said_to_be_missing(assistant):
    within = assistant.answer("talks by UNCTAD on mining")
    assert within.count == 0 and within.text.startswith("No presentation by UNCTAD mentions mining")
    assert {c.entry.institution for c in within.related} == {"UNCTAD"} and len(within.related) == 3
    alone = assistant.answer("talks on mining")
    assert alone.count == 0 and alone.text.startswith("No presentation is about mining")
