"""Short keyword queries answered as a search, and misspelt words read as the catalogue spells them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.app import app
from qa.question.query import Lexicon
from qa.question.spelling import Speller

from .reading import looks_like_search


@pytest.fixture(scope="module")
def speller(catalogue) -> Speller:
    speller = Lexicon.of(catalogue).speller
    assert speller is not None
    return speller


# --- the spelling rules, without the model --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("intelectual proprety", "intellectual property"),
        ("UNCITRL", "UNCITRAL"),
        ("blockchian", "blockchain"),
        ("Vanautu", "Vanuatu"),
        ("de minimus", "de minimis"),
        ("payements", "payments"),
    ],
)
def test_misspelt_words_are_read_as_the_catalogue_spells_them(speller: Speller, typed: str, read: str) -> None:
    corrected, fixes = speller.correct_text(typed)
    assert corrected == read and fixes


@pytest.mark.parametrize(
    "text",
    [
        "What is the theme of the forum?",  # common English words stay, however close a catalogue word is
        "Which plant health rules apply in March?",
        "GST UNCITRAL MSME ITC",  # acronyms the catalogue uses
        "COP27 and MC13 in 2024",  # words with digits, numbers
        "What did Japan say?",  # a real place the catalogue does not name
        "intellectual property",  # already right
    ],
)
def test_words_that_are_not_misspelt_are_left_alone(speller: Speller, text: str) -> None:
    assert speller.correct_text(text) == (text, ())


def test_search_box_queries_are_told_from_questions() -> None:
    assert looks_like_search("de minimis")
    assert looks_like_search("GST Australia 2021")
    assert not looks_like_search("What is TLIP?")
    assert not looks_like_search("who presented on customs")
    assert not looks_like_search("customs procedures for small exporters in Africa")


# --- through the real CLI -------------------------------------------------------------------------------


def ask_json(built_index, question: str) -> dict:
    result = CliRunner().invoke(app, ["ask", "--json", "--index", str(built_index), question])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_a_keyword_query_lists_the_matching_presentations(built_index) -> None:
    data = ask_json(built_index, "de minimis")
    assert data["kind"] == "search" and not data["abstained"]
    titles = [c["title"] for c in data["citations"]]
    assert len(titles) >= 2 and any("low-value" in t.lower() or "gst" in t.lower() for t in titles)
    assert all(s["text"] in data["answer"] for s in data["sentences"])
    assert "de minimis" in data["answer"].lower()


@pytest.mark.slow
def test_a_misspelt_query_says_how_it_was_read(built_index) -> None:
    data = ask_json(built_index, "intelectual proprety")
    assert data["question"] == "intelectual proprety"
    assert data["read_as"] == "intellectual property"
    assert data["citations"] and data["citations"][0]["institution"] == "WIPO"
    shown = CliRunner().invoke(app, ["ask", "--index", str(built_index), "intelectual proprety"])
    assert "(read as: intellectual property)" in shown.stdout


@pytest.mark.slow
def test_a_misspelt_acronym_in_a_question(built_index) -> None:
    data = ask_json(built_index, "What did UNCITRL present?")
    assert data["read_as"] == "What did UNCITRAL present?"
    assert data["citations"] and all(c["institution"] == "UNCITRAL" for c in data["citations"])


@pytest.mark.slow
def test_words_the_catalogue_never_uses_are_still_refused(built_index) -> None:
    data = ask_json(built_index, "sourdough starter")
    assert data["abstained"] and data["citations"] == [] and data["kind"] == "abstain"


# --- refusals from evidence -----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_presenter_that_never_came_is_named_in_the_refusal(built_index) -> None:
    data = ask_json(built_index, "What did Amazon present about helping small sellers export?")
    assert data["abstained"] and data["citations"] == [] and data["kind"] == "abstain"
    # Never presented, but mentioned: said so, with the mention as related, not as the answer.
    assert data["answer"] == (
        "Amazon did not present to the group; it is mentioned in: Global Trade Hub for Internationalization of "
        "Brazilian MSMEs (Brazil Mission to WTO, 24 September 2021)."
    )
    assert [r["institution"] for r in data["related"]] == ["Brazil Mission to WTO"]
    listed = ask_json(built_index, "What did the World Bank present?")
    assert listed["count"] == 0 and listed["citations"] == []
    assert listed["answer"].startswith("The World Bank did not present to the group; it is mentioned in: G20 Policy")
    nowhere = ask_json(built_index, "What did Qatar present about SME loans?")
    # Nothing mentions Qatar either: the nearest to the rest of the question come as related, not as the answer.
    assert nowhere["answer"] == "The catalogue has no presentation by Qatar." and nowhere["citations"] == []
    assert 1 <= len(nowhere["related"]) <= 3


@pytest.mark.slow
def test_a_refusal_lists_related_presentations_and_what_they_lack(built_index) -> None:
    data = ask_json(built_index, "What is the Kwanza export accelerator?")  # a name never used, nothing close
    assert data["abstained"] and data["citations"] == [] and data["kind"] == "abstain"
    related = data["related"]
    assert 1 <= len(related) <= 3 and all(set(r) >= {"title", "institution", "date", "link"} for r in related)
    assert data["answer"].startswith("Nothing in the catalogue answers that. The closest presentation, ")
    assert "does not mention" in data["answer"]
    far = ask_json(built_index, "How do I sort a list of dictionaries in Python?")
    assert far["abstained"] and far["answer"] == "Nothing in the catalogue answers that." and "related" not in far


def test_the_fitted_abstention_model_is_committed_with_its_figures() -> None:
    from qa.answers.evidence import FEATURES, MODEL_FILE, AbstainModel

    model = AbstainModel.load()
    assert set(model.coefficients) == set(FEATURES)
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["cross_validated"]["folds"] == 5 and data["fitted_on"]["questions"] > 300
    typical = dict(model.means)
    assert 0.0 < model.probability(typical) < 1.0
    assert model.probability({**typical, "best_dense": 0.9, "lexical": 4.0}) > model.probability(
        {**typical, "best_dense": 0.1, "lexical": 0.0}
    )
