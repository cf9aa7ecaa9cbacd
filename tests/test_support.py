"""Graded answers: ``support`` full or partial with what is ``missing``, parties that never presented, and
refusals that show what they found. Through the real CLI on the real index (slow), and the wording rules
without a model (fast).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.question.clauses import change_verbs, indirect, premise
from qa.question.text import tokens

from .conftest import SEED
from .test_reliability_support import cli


def ask(index: Path, question: str, *options: str) -> dict:
    result = cli("ask", question, "--json", *options, "--catalogue", str(SEED), "--index", str(index))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# Each: a question whose entry is the right one but does not hold something asked, and that something.
PARTIAL = [
    ("How many SMEs has Visa trained so far?", "how many SMEs has Visa trained"),  # no count of trainees
    ("Why did UNCTAD stop its accounting training programme?", "stop"),  # a premise the entry never states
    ("Why did WIPO discontinue the Inventor Assistance Program?", "discontinue"),
    ("What is the Trade4MSMEs platform?", "Trade4MSMEs"),  # a name the catalogue never uses
    ("What is the ITC's annual budget?", "budget"),  # no amount about the ITC
    ("What did UNCITRAL say about crypto assets?", "UNCITRAL said anything about crypto assets"),  # ADGM did
]
FULL = [
    "What is Australia's de minimis threshold?",
    "Why did Australia bring in GST on low-value goods?",
    "How many economies does the OECD Scoreboard on financing SMEs cover?",
    "What share of European MSMEs use IP as part of their strategy?",
    "When was the UNCITRAL Model Law on Electronic Transferable Records adopted?",
]


@pytest.mark.parametrize(("question", "gap"), PARTIAL)
def test_a_partial_answer_opens_with_what_is_missing_in_the_users_words(built_index: Path, question: str, gap: str):
    got = ask(built_index, question)
    assert got["kind"] == "fact" and not got["abstained"] and got["citations"], got["answer"]
    assert got["support"] == "partial" and got["missing"], got
    first = got["answer"].splitlines()[0]
    assert first.startswith(("The catalogue does not say", "The catalogue never mentions")), first
    assert gap.casefold() in first.casefold() and "What it says in" in first
    assert any(gap.casefold() in m.casefold() for m in got["missing"]) or gap in first
    assert got["sentences"], "then the best cited sentences, as for any answer"


@pytest.mark.parametrize("question", FULL)
def test_a_full_answer_has_no_gap_line(built_index: Path, question: str):
    got = ask(built_index, question)
    assert not got["abstained"] and got["support"] == "full", got["answer"]
    assert "missing" not in got
    assert not got["answer"].startswith("The catalogue does not say")


def test_explain_shows_the_evidence_that_graded_the_answer(built_index: Path):
    got = ask(built_index, "Why did WIPO discontinue the Inventor Assistance Program?", "--explain")
    decision = got["explain"]["decision"]
    assert decision["support"] == "partial" and "presupposes" in decision["support_rule"]
    assert decision["gap"] == got["missing"]
    text = cli("ask", "Why did WIPO discontinue the Inventor Assistance Program?", "--explain",
               "--catalogue", str(SEED), "--index", str(built_index)).stdout  # fmt: skip
    assert "support: partial (the question presupposes an event ('discontinue')" in text


@pytest.mark.parametrize(
    "question",
    [
        "What did Uruguay's government present on e-payments?",  # read as a list of talks by a presenter
        "What is Uruguay's de minimis threshold?",  # a fact about a party
    ],
)
def test_a_party_that_never_presented_is_told_where_it_is_mentioned(built_index: Path, question: str):
    got = ask(built_index, question)
    assert got["answer"].startswith("Uruguay did not present to the group; it is mentioned in: ")
    assert "Current state of e-commerce and payments (dLocal, 4 May 2021)" in got["answer"]
    assert got["citations"] == [] and got.get("count") in (0, None)
    assert {r["institution"] for r in got["related"]} >= {"dLocal"}, "the mentions come as related, not as an answer"
    assert "Bahrain" not in got["answer"], "never another member's talk given as the answer"


def test_a_party_neither_presenting_nor_mentioned_gets_no_presentation_by(built_index: Path):
    got = ask(built_index, "What did Japan present?")
    assert got["answer"] == "The catalogue has no presentations by Japan." and got["count"] == 0


def test_the_terminal_shows_what_a_refusal_found_marked_as_not_an_answer(built_index: Path):
    result = cli(
        "ask", "What is Uruguay's de minimis threshold?", "--catalogue", str(SEED), "--index", str(built_index)
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Uruguay did not present to the group")
    assert "Related presentations (not an answer)" in lines
    assert any(line.startswith("[1] Current state of e-commerce and payments — dLocal") for line in lines)
    assert "Sources" not in lines


# Without a model: the wording of the gap line ----------------------------------------------------------


def test_the_premise_of_a_why_question_becomes_a_clause_with_its_auxiliary():
    assert premise("Why did UNCTAD's ISAR abandon its platform for MSMEs?", "abandon") == (
        "UNCTAD's ISAR did abandon its platform for MSMEs"
    )
    assert premise("why was ADGM's marketplace cancelled", "cancelled") == "ADGM's marketplace was cancelled"
    assert premise("When did TLIP drop blockchain?", "drop") == "when did TLIP drop blockchain"


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("What is the ITC's annual budget?", "what the ITC's annual budget is"),
        ("WHAT ARE THE FEES?", "WHAT THE FEES ARE"),
        ("How many SMEs has Visa trained so far?", "how many SMEs has Visa trained so far"),
        ("Visa's trainees", "Visa's trainees"),
    ],
)
def test_a_question_becomes_a_clause_after_does_not_say(question: str, clause: str):
    assert indirect(question) == clause


@pytest.mark.parametrize("word", ["stopped", "Dropping", "discontinued", "cancels", "raised", "falling"])
def test_verbs_of_change_match_in_any_form(word: str):
    assert set(tokens(word)) & change_verbs()
