"""The question read once into a typed Query, and the filters and settings it feeds: rules tested without
the model (the Lexicon is made from the bundled catalogue, no index), and one instrumented run with it."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from qa.catalogue.filters import Filter
from qa.question import query as query_module
from qa.question import text as text_module
from qa.question.phrasing import as_question
from qa.question.query import Lexicon, Query
from qa.question.when import read_bounds
from qa.settings import DEFAULT, MODEL_DEPENDENT, Settings

from .conftest import read
from .reading import find_period

# --- periods ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("What was presented in October 2022?", date(2022, 10, 1), date(2022, 10, 31)),
        ("talks since 2022", date(2022, 1, 1), None),
        ("before May 2021", None, date(2021, 4, 30)),
        ("between July and December 2021", date(2021, 7, 1), date(2021, 12, 31)),
        ("on 8 February 2022", date(2022, 2, 8), date(2022, 2, 8)),
        ("in autumn 2021", date(2021, 9, 1), date(2021, 11, 30)),
        ("the first half of 2022", date(2022, 1, 1), date(2022, 6, 30)),
        ("presentations from December 2021", date(2021, 12, 1), date(2021, 12, 31)),
    ],
)
def test_find_period_reads_the_dates_people_write(text: str, start: date | None, end: date | None) -> None:
    period = find_period(text)
    assert period is not None and (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["the World Trade Report 2020", "the December 2020 Package", "on 31 February 2022", "how are you"]
)
def test_find_period_ignores_years_in_names_and_impossible_dates(text: str) -> None:
    assert find_period(text) is None


# --- reading a question -------------------------------------------------------------------------------


def test_a_list_question_reads_its_filters(lexicon: Lexicon) -> None:
    q = read("Which presentations did international organizations give in 2022?", lexicon)
    assert q.kind == "list"
    assert q.types == ("IO",)
    assert q.period is not None and (q.period.start, q.period.end) == (date(2022, 1, 1), date(2022, 12, 31))
    assert q.structural


def test_a_count_question_names_an_institution_by_its_acronym(lexicon: Lexicon) -> None:
    q = read("How many times did the ITC present?", lexicon)
    assert q.kind == "count"
    assert q.institutions and all("ITC" in name or "International Trade Centre" in name for name in q.institutions)


def test_a_fact_question_reads_what_it_asks_for(lexicon: Lexicon) -> None:
    assert read("How many MSMEs use the Global Trade Helpdesk?", lexicon).asked == "quantity"
    assert read("What share of exporters are women?", lexicon).asked == "share"
    assert read("What is the fee for the service?", lexicon).asked == "money"
    assert read("When will the platform launch?", lexicon).asked == "date"
    assert read("Which countries signed the MLETR?", lexicon).asked == "places"
    assert read("Who chairs the group?", lexicon).asked == "who"
    assert read("What is TLIP?", lexicon).asked is None


def test_topics_categories_and_mentions(lexicon: Lexicon) -> None:
    q = read("Which talks mentioned cyber security?", lexicon)
    assert q.topic == "cyber security" and q.mentions
    c = read("Which talks are in the Sustainability category?", lexicon)
    assert c.categories == ("Sustainability",)


def test_names_the_catalogue_never_uses(lexicon: Lexicon) -> None:
    q = read("What did the group say about MC13 and Zanzibar?", lexicon)
    assert set(q.unknown_names) == {"MC13", "Zanzibar"}
    assert read("What did UNCITRAL say about the MLETR?", lexicon).unknown_names == ()


def test_thesaurus_expansions_and_content(lexicon: Lexicon) -> None:
    q = read("What import duty applies to parcels?", lexicon)
    assert "tariff" in q.expansions
    assert "what" not in q.content and "duti" in q.content


def test_query_is_immutable_and_describes_itself(lexicon: Lexicon) -> None:
    q = read("Who presented on cyber security in 2022?", lexicon)
    with pytest.raises(FrozenInstanceError):
        q.kind = "fact"  # type: ignore[misc]
    shown = q.to_json()
    assert shown["kind"] == "list" and shown["categories"] == ["Cyber-Readiness"] and shown["topic"] == ""
    assert shown["period"]["start"] == "2022-01-01"
    assert as_question(q) == "Which presentations in Cyber-Readiness in 2022?"


# --- filters as data ----------------------------------------------------------------------------------


def test_one_filter_serves_questions_and_the_list_command(catalogue, lexicon: Lexicon) -> None:
    from_question = read("What did the ITC present in 2022?", lexicon).filter
    since, until = read_bounds("2022-01-01", "2022-12-31")
    from_options = Filter.from_options(catalogue, institution="ITC", since=since, until=until)
    assert from_question.apply(catalogue.entries) == from_options.apply(catalogue.entries)
    assert from_question.apply(catalogue.entries), "the ITC presented in 2022"


def test_filter_conditions(catalogue) -> None:
    entries = list(catalogue.entries)
    assert Filter().apply(entries) == sorted(entries, key=lambda e: e.date)
    assert Filter(institutions=()).apply(entries) == []  # a name that matched nobody keeps nothing
    first = min(entries, key=lambda e: e.date)
    assert first not in Filter(exclude=frozenset({first.id})).apply(entries)
    members = Filter(types=("Member",)).apply(entries)
    assert members and all(e.institution_type == "Member" for e in members)


# --- settings -----------------------------------------------------------------------------------------


def test_settings_are_one_object_the_evaluation_can_sweep() -> None:
    changed = DEFAULT.with_values(["search_gap=1.5", "max-sentences=2"])
    assert (changed.search_gap, changed.max_sentences) == (1.5, 2) and isinstance(changed.max_sentences, int)
    assert DEFAULT.search_gap == 2.0
    with pytest.raises(ValueError, match="unknown setting"):
        DEFAULT.with_values(["no_such=1"])
    assert set(MODEL_DEPENDENT) <= {f for f in Settings.__dataclass_fields__}


# --- built once ---------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "What is Australia's de minimis threshold?",
        "Who presented on cyber security?",
        "What did the ITC present in 2022?",
        "How many members does the Global Cyber Alliance have?",
    ],
)
def test_the_question_is_read_once_per_answer(assistant, monkeypatch: pytest.MonkeyPatch, question: str) -> None:
    """Every tokenisation of the question's own words happens inside the one read_query call."""
    calls: list[tuple[str, bool]] = []
    reading = [False]
    real_words, real_read = text_module.words, query_module.read_query

    def counting_words(text: str) -> list[str]:
        calls.append((text, reading[0]))
        return real_words(text)

    def counting_read(text: str, lexicon: Lexicon, close=None) -> Query:
        reading[0] = True
        try:
            return real_read(text, lexicon, close)
        finally:
            reading[0] = False

    reads: list[str] = []

    def tracked_read(text: str, lexicon: Lexicon, close=None) -> Query:
        reads.append(text)
        return counting_read(text, lexicon, close)

    monkeypatch.setattr(text_module, "words", counting_words)
    monkeypatch.setattr("qa.engine.read_query", tracked_read)
    answer = assistant.answer(question)
    assert reads == [question]
    outside = [t for t, inside in calls if not inside and t and t in question]
    assert outside == [], f"the question's words were tokenised again outside read_query: {outside}"
    assert answer.question == question


def test_a_topic_is_searched_without_the_period_it_names(lexicon: Lexicon) -> None:
    q = read("Who presented on blockchain in 2022?", lexicon)
    assert q.topic == "blockchain"  # the period is a slot, wherever it stands
    assert q.period is not None and q.period.text == "2022"
