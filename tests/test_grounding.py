"""Readings checked against the catalogue, without the model: which words the catalogue grounds, whether a
topic was asked for, and how a reading is said back (qa/question/grounding.py, phrasing.py)."""

from __future__ import annotations

import pytest

from qa.question.grounding import topic_asked, unused_words
from qa.question.phrasing import as_question
from qa.question.query import read_query
from qa.question.slots import toks


@pytest.mark.parametrize(
    ("topic", "unused"),
    [
        ("thx", ("thx",)),
        ("bucket", ("bucket",)),
        ("cyber security", ()),
        ("de minimis threshold", ()),
        ("mining", ("mining",)),
        ("run over the period pls", ("period", "pls")),
        ("", ()),
    ],
)
def test_a_word_no_entry_uses_is_not_grounded(lexicon, topic, unused):
    assert unused_words(topic, lexicon.vocabulary) == unused


def test_a_word_close_in_meaning_is_grounded_and_only_a_few_are_encoded(lexicon):
    asked: list[str] = []

    def close(word: str) -> bool:
        asked.append(word)
        return word == "cryptocurrency"

    assert unused_words("cryptocurrency thx", lexicon.vocabulary, close) == ("thx",)
    asked.clear()
    assert len(unused_words("a b1 c2 d3 e4 f5 g6 h7 zzq", lexicon.vocabulary, lambda w: asked.append(w) or False)) > 4
    assert len(asked) == 4  # a pasted page of unknown words encodes no more than a question


@pytest.mark.parametrize(
    ("question", "topic", "asked"),
    [
        ("talks by UNCTAD on mining", "mining", True),
        ("mining talks by UNCTAD", "mining", True),
        ("anything about deep sea mining from UNCTAD?", "deep sea mining", True),
        ("talks by UNCTAD thx", "thx", False),
        ("how many sessions did the WTO Secretariat run over the period", "run over the period", False),
        ("which presentations are in the Sustainability bucket", "bucket", False),
    ],
)
def test_a_topic_is_asked_after_a_marker_or_before_a_presentation_noun(question, topic, asked):
    assert topic_asked(toks(question), topic) is asked


@pytest.mark.parametrize(
    "question",
    [
        "talks by UNCTAD thx",
        "TALKS BY UNCTAD THX",
        "talks by UNCTAD, thx",
        "thx: talks by UNCTAD",
        "talks by unctad thx!",
    ],
)
def test_every_wording_names_the_same_unused_word(lexicon, question):
    query = read_query(question, lexicon)
    assert [w.lower() for w in query.unused] == ["thx"] and query.institutions == ("UNCTAD",)
    assert as_question(query).lower() == "which presentations by unctad? (not used: thx)"


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Who presented on cyber security in 2022?", "Which presentations in Cyber-Readiness in 2022?"),
        ("how many talks did the ITC give in 2022", "How many presentations by ITC in 2022?"),
        ("What is Australia's de minimis threshold?", "What is Australia's de minimis threshold?"),
    ],
)
def test_a_reading_is_said_as_a_question_a_person_would_type(lexicon, question, said):
    assert as_question(read_query(question, lexicon)) == said
