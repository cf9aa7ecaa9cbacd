"""Superlatives, totals and periods as people say them, read into the Query without the model."""

from __future__ import annotations

from datetime import date

import pytest

from qa.answers.totals import name_key

from .conftest import read
from .reading import find_order, find_period, find_total, list_form, period_is_when


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("What was presented in Q2 2022?", date(2022, 4, 1), date(2022, 6, 30)),
        ("in the second quarter of 2022", date(2022, 4, 1), date(2022, 6, 30)),
        ("third quarter of 2021", date(2021, 7, 1), date(2021, 9, 30)),
        ("the last quarter of the year 2022", date(2022, 10, 1), date(2022, 12, 31)),
        ("talks given in 2022 Q1", date(2022, 1, 1), date(2022, 3, 31)),
        ("the first half of 2022", date(2022, 1, 1), date(2022, 6, 30)),
        ("H2 2021", date(2021, 7, 1), date(2021, 12, 31)),
        ("2021 H1", date(2021, 1, 1), date(2021, 6, 30)),
        ("the first three months of 2022", date(2022, 1, 1), date(2022, 3, 31)),
        ("in early 2022", date(2022, 1, 1), date(2022, 4, 30)),
        ("late 2021", date(2021, 9, 1), date(2021, 12, 31)),
        ("between Q3 2021 and Q1 2022", date(2021, 7, 1), date(2022, 3, 31)),
    ],
)
def test_quarters_and_halves(text, start, end):
    period = find_period(text)
    assert period is not None and (period.start, period.end) == (start, end)


def test_a_quarter_that_is_no_date_is_no_period():
    assert find_period("Q5 of the roadmap") is None


@pytest.mark.parametrize(
    ("question", "order"),
    [
        ("What was the latest presentation?", "latest"),
        ("WIPO's most recent talk", "latest"),
        ("the newest one on sustainability", "latest"),
        ("When did the WTO last present on MSME provisions?", "latest"),
        ("When did the Global Express Association present for the first time?", "earliest"),
        ("First talk by the ITC", "earliest"),
        ("the earliest presentation on blockchain", "earliest"),
        ("Oldest presentation in the Digital category", "earliest"),
        ("When was the first meeting?", "earliest"),
        # the order word ends the question, after the presentation it qualifies
        ("Which cyber-readiness presentation is the newest?", "latest"),
        ("which blockchain talk was the earliest?", "earliest"),
        ("of the ITC's sessions, which one came first", "earliest"),
        ("the GEA proposal that was most recent?", "latest"),
        # not an order: a half or quarter, a first step, a first-time user
        ("How many presentations in the first half of 2022?", None),
        ("What was the first step of the reform?", None),
        ("How many people made a bank transfer for the first time?", None),
    ],
)
def test_order_words(question, order):
    assert find_order(question) == order


@pytest.mark.parametrize(
    ("question", "total"),
    [
        ("How many different institutions gave presentations?", "institutions"),
        ("How many different IOs presented?", "institutions"),
        ("How many meetings took place in 2021?", "meetings"),
        ("How many categories are there?", "categories"),
        ("Who presented most often?", "most"),
        ("Which institution gave the most presentations?", "most"),
        ("Which category has the most presentations?", "most-category"),
        ("Which meeting had the most presentations?", "most-meeting"),
        # counts of something else, or of presentations (an ordinary count question)
        ("How many members has the ICC got?", None),
        ("Which country has the most MSMEs?", None),
        ("How many presentations are in the catalogue?", None),
    ],
)
def test_totals(question, total):
    assert find_total(question) == total


def test_the_query_carries_order_meeting_and_total(lexicon):
    q = read("What was presented at the last meeting of 2022?", lexicon)
    assert (q.order, q.meeting, q.total) == ("latest", True, None)
    assert q.period is not None and q.period.start == date(2022, 1, 1)
    q = read("What was the latest presentation given by a Member?", lexicon)
    assert q.order == "latest" and q.types == ("Member",)  # types are read for superlatives too
    q = read("Which IO presented most often?", lexicon)
    assert q.total == "most" and q.types == ("IO",)
    assert read("When was the last meeting?", lexicon).to_json()["order"] == "latest"


@pytest.mark.parametrize(
    ("question", "kind", "types", "categories"),
    [
        ("Secretariat talks on trade facilitation", "list", ("Secretariat",), ("Trade Facilitation",)),
        ("IO presentations on sustainability in 2022", "list", ("IO",), ("Sustainability",)),
        ("Presenters classed as Other in 2022", "list", ("Other",), ()),
        ("List the Other presentations in 2022", "list", ("Other",), ()),
        ("Which Other Topics presentations were given in 2021?", "list", (), ("Other Topics",)),
        ("Which IOs presented in the Cyber-readiness category?", "list", ("IO",), ("Cyber-Readiness",)),
    ],
)
def test_lists_asked_as_noun_phrases(lexicon, question, kind, types, categories):
    q = read(question, lexicon)
    assert (q.kind, q.types, q.categories) == (kind, types, categories)


def test_list_forms_leave_questions_alone():
    assert not list_form("What did the talks say about tariffs?")
    assert not list_form("How many presentations were given in 2021?")


def test_a_year_that_names_a_thing_is_not_when():
    assert period_is_when("What did the group discuss in 2024?", "2024")
    assert not period_is_when("Which part of the 2020 MSME package covers finance?", "2020")
    assert not period_is_when("What share of attacks hit SMEs in Verizon's 2019 figures?", "2019")


def test_names_that_differ_by_articles_or_case_are_one_presenter():
    assert name_key("Brazil Mission to the WTO") == name_key("Brazil Mission to WTO")
    assert name_key("The ITC") == name_key("ITC")
    assert name_key("Government of Canada") != name_key("Canada Border Services Agency")


def test_more_totals_and_orders():
    assert find_total("How many institutions presented more than once?") == "institutions-repeat"
    assert find_total("Which organisation has presented the most?") == "most"
    assert find_order("Who spoke first at the group?") == "earliest"
    assert find_order("How many presentations were given on the most recent date?") == "latest"


@pytest.mark.parametrize(
    ("question", "comparing", "ends"),
    [
        ("Compare the first and the last Global Trade Helpdesk updates.", True, ("earliest", "latest")),
        ("how did the earliest and latest GEA proposals differ?", True, ("earliest", "latest")),
        ("compare the most recent and the very first cyber talks", True, ("latest", "earliest")),
        ("compare the first half of 2022 with 2021", True, ()),
        ("What was the latest presentation?", False, ("latest",)),
    ],
)
def test_every_end_of_the_date_order_a_comparison_names(question, comparing, ends):
    from qa.question import shape
    from qa.question.slots import toks

    assert shape.find_ends(toks(question), set(), comparing=comparing) == ends
