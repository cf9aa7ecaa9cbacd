"""Answers through the real assistant and the real CLI: each kind of question, with its contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli.app import app

from .conftest import ROOT

runner = CliRunner()


def ask_json(built_index, question: str, *extra: str) -> dict:
    result = runner.invoke(app, ["ask", question, "--json", "--index", str(built_index), *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_fact_answer_is_extracted_and_cited(built_index, catalogue):
    data = ask_json(built_index, "What is Australia's de minimis threshold?")
    assert data["abstained"] is False and data["count"] is None
    assert "AUD 1,000" in data["answer"]
    first = data["citations"][0]
    assert first["title"] == "Australia's experience on Goods and Service Tax (GST) on low value imported goods"
    assert first["institution"] == "Australia's Department of Home Affairs" and first["date"] == "2021-05-04"
    assert set(first) == {"n", "id", "title", "institution", "institution_type", "date", "category", "link", "score"}
    # every sentence is verbatim from the cited entry's summary
    summaries = {e.id: e.summary for e in catalogue.entries}
    by_n = {c["n"]: c["id"] for c in data["citations"]}
    for sentence in data["sentences"]:
        assert sentence["text"] in summaries[by_n[sentence["citation"]]]
        assert f"{sentence['text']} [{sentence['citation']}]" in data["answer"]


def test_paraphrase_finds_the_entry(built_index):
    data = ask_json(built_index, "Which country was the first to make electronic trade documents legally valid?")
    assert not data["abstained"]
    assert data["citations"][0]["title"] == "Bahrain's ETR Law"


def test_a_named_date_picks_the_right_one_of_four_same_titled_talks(built_index):
    data = ask_json(built_index, "What did the ITC say about the Global Trade Helpdesk in April 2022?")
    assert data["citations"][0]["date"] == "2022-04-07"
    assert "informational webinars" in data["answer"]


def test_list_question_gives_the_complete_set_in_date_order(built_index):
    data = ask_json(built_index, "What was presented in October 2022?")
    assert data["count"] == 6 and len(data["citations"]) == 6
    dates = [c["date"] for c in data["citations"]]
    assert dates == sorted(dates) and set(dates) == {"2022-10-12", "2022-10-13"}
    assert "6 presentations" in data["answer"]


def test_count_question(built_index):
    data = ask_json(built_index, "How many times did the ITC present?")
    assert data["count"] == 6
    assert {c["institution"] for c in data["citations"]} == {"ITC"}


def test_list_by_type_category_and_period(built_index):
    assert ask_json(built_index, "What did members present since 2022?")["count"] == 1
    assert ask_json(built_index, "Which talks are in the Sustainability category?")["count"] == 5
    assert ask_json(built_index, "Which presentations were about cross-border payments?")["count"] == 4
    assert ask_json(built_index, "What presentations were given before May 2021?")["count"] == 3


def test_when_was_a_repeated_talk_presented_lists_every_date(built_index):
    data = ask_json(built_index, "When was the Global Trade Helpdesk update presented?")
    assert data["count"] == 4
    assert [c["date"] for c in data["citations"]] == ["2021-09-24", "2022-02-08", "2022-04-07", "2023-03-13"]


def test_a_question_about_mentions_lists_every_summary_that_names_the_topic(built_index):
    # "blockchain" is a passing mention in all three; none is mainly about it
    data = ask_json(built_index, "Which talks mentioned blockchain?")
    assert data["count"] == 3
    assert [c["date"] for c in data["citations"]] == ["2021-06-24", "2022-07-15", "2022-10-13"]
    data = ask_json(built_index, "Which presentations referred to women entrepreneurs?")
    assert data["count"] >= 2
    # "presented on" keeps to the talks about the topic: the IADB talk mentions cybersecurity in passing
    assert ask_json(built_index, "Who presented on cyber security?")["count"] == 4


def test_how_many_counts_a_noun_phrase_before_the_counted_word(built_index):
    data = ask_json(built_index, "How many Global Trade Helpdesk updates were there?")
    assert data["count"] == 4 and {c["title"] for c in data["citations"]} == {"Global Trade Helpdesk update"}


def test_a_topic_that_narrows_a_presenters_list_is_named_in_the_heading(built_index):
    data = ask_json(built_index, "When did the ITC present on the Global Trade Helpdesk?")
    assert data["count"] == 4 and {c["title"] for c in data["citations"]} == {"Global Trade Helpdesk update"}
    assert data["answer"].startswith("The catalogue has 4 presentations by ITC on the Global Trade Helpdesk:")


@pytest.mark.parametrize(
    "question",
    [
        "What was presented in March 2022?",
        "What did the World Bank present?",
        "How many presentations did the IMF give?",
    ],
)
def test_nothing_matches_gives_count_zero_not_the_nearest_text(built_index, question):
    data = ask_json(built_index, question)
    assert data["count"] == 0 and data["citations"] == []
    assert "no presentations" in data["answer"] or "did not present to the group" in data["answer"]


@pytest.mark.parametrize(
    "question",
    ["How do I renew my passport?", "What is the EU's de minimis threshold for VAT on imported goods?"],
)
def test_out_of_scope_questions_abstain(built_index, question):
    data = ask_json(built_index, question)
    assert data["abstained"] is True and data["citations"] == []
    # "the EU" never presented: said so, with where it is mentioned, rather than the bare refusal
    assert data["answer"].startswith(("Nothing in the catalogue", "The European Union did not present to the group"))


@pytest.mark.parametrize(
    ("question", "title", "phrase"),
    [
        # the summary says "accounting", never "bookkeeping"
        (
            "Is anyone building bookkeeping software for small firms?",
            "Supporting MSMEs on Accounting and Financial, Sustainability and SDG Reporting",
            "e-accounting platform",
        ),
        # the summary says "SPS measures", never "food safety" or "plant health"; a topic list now takes the
        # relevance judgment, whose fit dropped the thesaurus feature (sign unstable): it misses this paraphrase
        pytest.param(
            "Who talked about food safety and plant health rules?",
            "Good regulatory practices to improve SPS measures",
            "SPS",
            marks=pytest.mark.xfail(
                reason="paraphrased topic lists: the judgment's recall on paraphrases is low", strict=True
            ),
        ),
    ],
)
def test_everyday_words_reach_the_officials_words(built_index, question, title, phrase):
    data = ask_json(built_index, question)
    assert not data["abstained"]
    assert data["citations"][0]["title"] == title
    assert phrase in data["answer"]


@pytest.mark.parametrize(
    ("question", "answered_by"),
    [
        ("How many guided steps does the GCA toolkit have?", "six guided steps"),
        ("When was MLETR adopted?", "Adopted in 2017"),
        ("When was the Climate Impact of SMEs report presented?", None),  # the entry's own date answers
        ("How many members has the ICC got?", ""),
        ("Who proposed a flat rate on low-value parcels at the border?", "GEA"),
        ("How much does the GCA toolkit cost?", "free-to-use"),  # a cost question takes a sum or "free"
        ("What share of cyber attacks target small firms?", "two fifths"),  # a share question takes a share
        ("What fee does WIPO charge for a patent application?", ""),  # WIPO's numbers are not fees
        ("What interest rate does the IFC offer small firms?", ""),
        ("Who is the chair of the MSME Group?", ""),
        ("Who is the WTO's Director-General?", ""),
        ("When does the WTO hold its next ministerial conference?", ""),
    ],
)
def test_how_many_when_and_who_need_a_passage_about_the_subject(built_index, question, answered_by):
    data = ask_json(built_index, question)
    if answered_by == "":  # refused, or graded partial with the line that says what is not there
        partial = data.get("support") == "partial" and data["answer"].startswith("The catalogue does not say")
        assert (data["abstained"] is True and data["citations"] == []) or partial, data["answer"]
        assert data.get("support") != "full"
    else:
        assert data["abstained"] is False
        assert answered_by is None or answered_by in data["answer"]


def test_which_countries_is_not_answered_by_a_passage_that_names_none(built_index):
    # the Trade Facilitation Agreement is discussed, but no summary says who signed it
    data = ask_json(built_index, "Which countries have signed the Trade Facilitation Agreement?")
    assert data["support"] == "partial" and data["missing"], data["answer"]
    assert data["answer"].startswith("The catalogue does not say which countries have signed the Trade Facilitation")


def test_text_output_has_markers_and_numbered_sources_without_escape_codes(built_index):
    result = subprocess.run(
        [sys.executable, "-m", "cli", "ask", "Who presented on cyber security?", "--index", str(built_index)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "120"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "4 presentations in Cyber-Readiness" in flat
    for title in (
        "Canadian SME Cybersecurity",
        "Strengthening MSME Cyber",
        "Importance of cybersecurity",
        "GCA Cybersecurity",
    ):
        assert title in flat, title
    assert "\x1b[" not in result.stdout


def test_fact_text_output_lists_sources_with_links(built_index):
    result = runner.invoke(
        app, ["ask", "What is the GCA toolkit?", "--index", str(built_index)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    assert "[1]" in result.stdout and "Sources" in result.stdout
    assert "https://www.wto.org/english/tratop_e/msmes_e/gca_toolkit_7april22.pdf" in result.stdout


def test_empty_question_exits_2_before_loading_anything(tmp_path):
    result = runner.invoke(app, ["ask", "   ", "--index", str(tmp_path / "never-built")])
    assert result.exit_code == 2
    assert "empty" in result.stderr
    assert not (tmp_path / "never-built").exists()


def test_top_k_is_validated():
    result = runner.invoke(app, ["ask", "x", "--top-k", "0"])
    assert result.exit_code == 2
