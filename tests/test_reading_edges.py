"""Model-free reading of wordings that used to go astray: the question's own words misspelt or shortened, a
bare "alongside" with no presenting in sight, words in brackets that elaborate a topic, a lower-case acronym
in a presenter's role and a capital for its economy."""

from __future__ import annotations

import re

import pytest

from .conftest import read


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # the question's own words misspelt
        ("whats in the cyber readiness secton?", "section"),
        ("who presnted on blockchain?", "presented"),
        ("lsit the talks from 2022", "list"),
        ("which presentaions were on payments", "presentations"),
        # short forms
        ("how many talks are in the MSME financing section incl. cross-border payments?", "including"),
        ("govt presentations on cyber security", "government"),
        ("intl standards talks", "international"),
        ("talks from the last 2 yrs", "years"),
    ],
)
def test_a_typed_word_is_read_as_the_word_it_stands_for(lexicon, typed: str, meant: str):
    query = read(typed, lexicon)
    assert meant in re.findall(r"[\w-]+", query.text.lower()), (typed, query.text)


def test_a_misspelt_section_word_still_names_the_category(lexicon):
    for typed in (
        "whats in the cyber readiness secton?",
        "what's in the Cyber-Readiness section",
        "cyber readiness sectoin",
    ):
        query = read(typed, lexicon)
        assert query.categories == ("Cyber-Readiness",) and query.route == "list", typed


@pytest.mark.parametrize(
    ("question", "same_meeting"),
    [
        ("What companion law did Bahrain issue alongside its ETR law?", False),
        ("Which rules did Canada adopt alongside its certification?", False),
        ("who presented alongside Visa?", True),
        ("which talks were given alongside the GCA toolkit?", True),
        ("what else was on the same day as the GreenToCompete talk", True),
    ],
)
def test_alongside_means_the_same_meeting_only_where_presenting_is_spoken_of(lexicon, question, same_meeting):
    assert (read(question, lexicon).route == "meeting") is same_meeting, question


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What was said about supply chain finance (loans, factoring)?", "supply chain finance"),
        ("Tell me about the LEI (legal entity identifier)", "the LEI"),
        ("overview of green MSMEs (e.g. emissions, circularity)", "green MSMEs"),
        ("(CMMC)", "CMMC"),  # nothing else: the brackets are the topic
    ],
)
def test_words_in_brackets_elaborate_and_are_not_the_topic(lexicon, question: str, topic: str):
    assert read(question, lexicon).topic == topic


def test_a_short_form_never_becomes_a_topic_that_filters_a_list(lexicon):
    query = read("how many talks are in the MSME financing section incl. cross-border payments?", lexicon)
    assert query.route == "count" and not query.topic_content, (query.topic, query.categories)


@pytest.mark.parametrize(
    ("question", "presenter"),
    [
        ("how many times has the wco presented?", "wco"),
        ("did the wco present?", "wco"),
        ("talks by the wco", "wco"),
        ("How many times has the WCO presented?", "WCO"),
        ("what did they present?", None),
        ("did anyone present on rcep?", None),
        ("what did members present on blockchain?", None),
        ("were there any sessions that dealt with protecting msmes from cyber attacks?", None),
    ],
)
def test_an_acronym_typed_in_lower_case_is_a_presenter_in_a_presenters_role(lexicon, question, presenter):
    assert read(question, lexicon).presenter == presenter


@pytest.mark.parametrize(
    ("words", "economy"),
    [
        ("Canberra's tax on parcels", "Australia"),
        ("the figures Ottawa cited", "Canada"),
        ("what Brussels proposed", "European Union"),
    ],
)
def test_a_capital_stands_for_its_economy(words: str, economy: str):
    from qa.question.places import economies_in

    assert economies_in(words) == {economy}
