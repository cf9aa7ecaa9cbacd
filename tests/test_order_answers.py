"""Superlatives, meetings, totals and periods through the real CLI (real model and index)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()


def ask_json(built_index, question: str) -> dict:
    result = runner.invoke(app, ["ask", question, "--json", "--index", str(built_index)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cited(data: dict) -> list[tuple[str, str]]:
    return [(c["date"], c["institution"]) for c in data["citations"]]


def test_latest_with_a_presenter_is_one_fact(built_index):
    data = ask_json(built_index, "the most recent talk by WIPO")
    assert data["kind"] == "fact" and data["abstained"] is False and data["count"] is None
    assert cited(data) == [("2021-11-08", "WIPO")]
    assert data["answer"].startswith("The most recent presentation by WIPO is IP tools and support for MSMEs")
    assert "8 November 2021" in data["answer"] and data["sentences"]  # then the summary's best sentences


def test_earliest_on_a_topic(built_index):
    data = ask_json(built_index, "the earliest presentation on blockchain")
    assert data["kind"] == "fact" and cited(data) == [("2021-06-24", "UNCITRAL")]
    assert "blockchain" in data["answer"]


def test_latest_without_a_filter_shows_every_tie(built_index):
    data = ask_json(built_index, "What was the latest presentation?")
    assert data["kind"] == "list" and data["count"] == 2
    assert {d for d, _ in cited(data)} == {"2023-03-13"}
    assert "13 March 2023" in data["answer"]


def test_a_meeting_is_every_presentation_of_its_date(built_index):
    data = ask_json(built_index, "What was presented at the last meeting of 2022?")
    assert data["kind"] == "list" and data["count"] == 4
    assert {d for d, _ in cited(data)} == {"2022-10-13"}
    first = ask_json(built_index, "When was the first meeting?")
    assert "18 February 2021" in first["answer"] and first["count"] == 3


@pytest.mark.parametrize(
    ("question", "count", "words"),
    [
        ("How many presentations does the catalogue hold?", 48, "48 presentations"),
        ("How many meetings took place in 2021?", 6, "6 meetings in 2021"),
        ("how many different institutions presented?", 31, "31 institutions"),
        ("How many different IOs presented?", 11, "11 international organizations"),
        ("How many categories are there?", 11, "11 categories"),
    ],
)
def test_totals_are_counted_never_refused(built_index, question, count, words):
    data = ask_json(built_index, question)
    assert data["abstained"] is False and data["count"] == count and data["kind"] == "count"
    assert words in data["answer"]


def test_brazil_mission_is_one_institution(built_index):
    data = ask_json(built_index, "how many different institutions presented?")
    assert "Brazil Mission to the WTO (2)" in data["answer"] and "Brazil Mission to WTO (1)" not in data["answer"]


@pytest.mark.parametrize(
    ("question", "who", "n"),
    [("Who presented most often?", "WTO", 7), ("Which IO presented most often?", "ITC", 6)],
)
def test_who_presented_most_often(built_index, question, who, n):
    data = ask_json(built_index, question)
    assert data["count"] == n and len(data["citations"]) == n
    assert {c["institution"] for c in data["citations"]} == {who}
    assert f"{who} presented most often: {n} presentations" in data["answer"]


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("What was presented in Q2 2022?", 4),
        ("How many presentations were given in the first quarter of 2022?", 8),
        ("How many IO presentations were given in the second half of 2021?", 5),
        ("What was presented in H2 2022?", 7),
    ],
)
def test_quarters_and_halves(built_index, question, count):
    data = ask_json(built_index, question)
    assert data["count"] == count and len(data["citations"]) == count


def test_a_type_within_a_year(built_index):
    data = ask_json(built_index, "Presenters classed as Other in 2022")
    assert data["count"] == 7 and {c["institution_type"] for c in data["citations"]} == {"Other"}


COVERS = "The catalogue covers 18 February 2021 to 13 March 2023; nothing in 2024."


def test_a_fact_question_outside_the_catalogue_abstains_with_its_dates(built_index):
    data = ask_json(built_index, "What did the group discuss in 2024?")
    assert data["abstained"] is True and data["citations"] == [] and data["answer"] == COVERS


@pytest.mark.parametrize(
    "question", ["Which presentations were given in 2024?", "How many presentations were given in 2024?"]
)
def test_a_list_outside_the_catalogue_counts_none(built_index, question):
    """Nothing the catalogue could say: a refusal, with the count (0) a list or count question expects."""
    data = ask_json(built_index, question)
    assert data["count"] == 0 and data["citations"] == [] and data["answer"] == COVERS
    assert data["abstained"] is True and data["kind"] == "abstain"


def test_a_superlative_outside_the_catalogue(built_index):
    data = ask_json(built_index, "What was the latest presentation in 2025?")
    assert data["abstained"] is True and data["citations"] == []
    assert data["answer"].endswith("nothing in 2025.")


def test_a_year_naming_a_thing_still_gets_a_fact(built_index):
    data = ask_json(built_index, "Which annex of the 2020 small business package covers access to trade finance?")
    assert data["abstained"] is False and data["citations"]


def test_institutions_that_presented_more_than_once(built_index):
    data = ask_json(built_index, "How many institutions presented more than once?")
    assert data["count"] == 7 and data["answer"].startswith("7 institutions presented more than once: WTO (7)")
