"""The vocabulary and each slot finder, without the model: periods, presenters, types, categories, order,
meetings, totals, the topic left over and the kind table, each over families of wordings."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from qa.question import reader, shape
from qa.question import slots as sl
from qa.question import vocabulary as v

from .reading import find_period

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 12, 3)


def read(text: str, lexicon) -> reader.Reading:
    return reader.read(text, lexicon.aliases, lexicon.categories, today=TODAY)


# The vocabulary -------------------------------------------------------------------------------------------


def test_words_match_whatever_their_case_plural_or_tense():
    verbs = v.stems(v.PRESENT_VERBS)
    for word in ("Presented", "presents", "PRESENTING", "talked", "Talks", "discussing", "briefed"):
        assert sl.toks(word)[0].stem in verbs, word
    assert {v.month_number(m) for m in ("December", "december", "DEC", "Dec.", "dec")} == {12}
    assert v.month_number("Sept") == 9 and v.month_number("Monday") is None
    assert ("financ", "for", "msme") in v.phrases(v.CATEGORY_WORDS["financing"])  # "financing for small firms"
    assert "more than once" in v.alternatives(v.REPEAT)


def test_written_forms_tell_a_verb_from_a_noun_whose_stems_collide():
    assert sl.toks("presenters")[0].stem == sl.toks("presented")[0].stem  # why forms exist
    assert "presented" in v.forms(v.PRESENT_VERBS) and "presenters" not in v.forms(v.PRESENT_VERBS)


# Words of the domain are kept once: month names, ordinals and the presenting verbs appear in the vocabulary
# (and the catalogue's date reader, which the vocabulary takes its months from), in no other reader.
KEPT_ONCE = {
    "month names": re.compile(r"\bjanuary\W{1,3}feb", re.IGNORECASE),
    "ordinals": re.compile(r"\bsecond\W{1,3}third\W{1,3}fourth", re.IGNORECASE),
    "presenting verbs": re.compile(r"\b(?:spoke|briefed|talked)\W{1,3}(?:spoke|briefed|talked|gave)\b", re.IGNORECASE),
    "period prepositions": re.compile(r"\bsince\W{1,3}(?:before|after|until)\b", re.IGNORECASE),
}


@pytest.mark.parametrize("kind", sorted(KEPT_ONCE))
def test_each_kind_of_word_lives_in_one_place(kind):
    allowed = {ROOT / "qa/question/vocabulary.py", ROOT / "qa/catalogue/dates.py"}
    found = [
        str(p.relative_to(ROOT))
        for folder in ("qa/question", "qa/chat", "qa/answers")
        for p in sorted((ROOT / folder).glob("*.py"))
        if p not in allowed and KEPT_ONCE[kind].search(p.read_text(encoding="utf-8").replace("\n", " "))
    ]
    assert found == [], f"{kind} kept outside the vocabulary: {found}"


# Periods -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In 2021, who presented on payments?",
        "who presented on payments in 2021?",
        "payments talks 2021",
        "WHO PRESENTED ON PAYMENTS IN 2021",
        "during 2021 which sessions covered payments",
        "2021: payments talks",
    ],
)
def test_a_year_is_the_period_wherever_it_stands(text):
    period = find_period(text)
    assert period is not None and (period.start, period.end) == (date(2021, 1, 1), date(2021, 12, 31))


@pytest.mark.parametrize(
    "text", ["anything from december 2021?", "Any talks in Dec. 2021", "DECEMBER 2021 PRESENTATIONS", "dec 2021"]
)
def test_a_month_in_any_case_or_abbreviation(text):
    period = find_period(text)
    assert period is not None and (period.start, period.end) == (date(2021, 12, 1), date(2021, 12, 31))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("talks last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("what was presented this year", date(2026, 1, 1), date(2026, 12, 31)),
        ("two years ago", date(2024, 1, 1), date(2024, 12, 31)),
        ("last month", date(2026, 11, 1), date(2026, 11, 30)),
        ("since May 2021", date(2021, 5, 1), None),
        ("before May 2021", None, date(2021, 4, 30)),
        ("up to March 2022", None, date(2022, 3, 31)),
        ("between July and December 2021", date(2021, 7, 1), date(2021, 12, 31)),
        ("on 2021-05-04", date(2021, 5, 4), date(2021, 5, 4)),
    ],
)
def test_relative_and_bounded_periods(text, start, end):
    period = find_period(text, today=TODAY)
    assert period is not None and (period.start, period.end) == (start, end)


def test_a_month_without_a_year_is_that_month_of_any_year():
    period = find_period("any talks in December?")
    assert period is not None and period.month == 12 and period.start is None
    assert period.contains(date(2021, 12, 7)) and not period.contains(date(2021, 11, 8))


@pytest.mark.parametrize("text", ["the December 2020 Package", "World Trade Report 2020", "on 31 February 2022"])
def test_names_and_impossible_dates_are_no_period(text):
    assert find_period(text) is None


# Presenters, types, categories ---------------------------------------------------------------------------------


def test_presenters_by_name_acronym_or_economy_in_any_case(lexicon):
    assert read("what did the itc present", lexicon).institutions == ["ITC"]
    assert read("Show me talks by the International Trade Centre", lexicon).institutions == ["ITC"]
    assert read("latest briefing from the World Intellectual Property Organization", lexicon).institutions == ["WIPO"]
    assert read("What did UN/CEFACT present?", lexicon).institutions == ["UN/CEFACT"]
    assert set(read("list the ICC presentations", lexicon).institutions) == {"ICC", "ICC-UK"}  # the family
    assert read("list the ICC-UK presentations", lexicon).institutions == ["ICC-UK"]
    canada = read("what did Canada present?", lexicon)
    assert set(canada.institutions) == {"Canada Border Services Agency", "Government of Canada"}
    assert read("and the Inter-American Development Bank?", lexicon).economies == []


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("Which IOs presented in 2022?", ["IO"]),
        ("private sector talks 2021", ["Other"]),
        ("List the Other presentations in 2022", ["Other"]),
        ("which members presented?", ["Member"]),
        ("talks organized by a member on behalf of an outside organization", ["organized by Member"]),
    ],
)
def test_institution_types(lexicon, text, types):
    assert read(text, lexicon).types == types


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Which talks covered financing for small firms?", "MSME Financing"),
        ("presentations on the digital economy", "Digital"),
        ("cyber talks in 2022", "Cyber-Readiness"),
        ("Which talks are in the Sustainability category?", "Sustainability"),
    ],
)
def test_categories_by_their_names_or_everyday_words(lexicon, text, category):
    r = read(text, lexicon)
    assert r.categories == [category] and r.topic == ""


def test_a_category_word_inside_a_longer_topic_stays_the_topic(lexicon):
    r = read("First briefing on digital payments", lexicon)
    assert r.categories == [] and r.topic == "digital payments"
    assert read("Who presented on supply chain finance?", lexicon).categories == []


# Order, meeting, totals, counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("When did ITC last speak?", "latest"),
        ("the most recent presentation on payments", "latest"),
        ("latest ITC talk", "latest"),
        ("What was presented at the inaugural meeting?", "earliest"),
        ("When did WIPO first present?", "earliest"),
        ("What was the first option in the proposal?", None),
        ("talks in the first half of 2022", None),
    ],
)
def test_order_words_qualify_a_presentation_or_presenting(text, order):
    assert shape.find_order(sl.toks(text), set())[0] == order


def test_a_meeting_is_asked_about_only_when_it_is_the_object(lexicon):
    assert read("What was discussed at the last meeting?", lexicon).meeting
    assert read("what was on the agenda on 13 October 2022", lexicon).meeting
    assert not read("when did wipo last speak at a group meeting", lexicon).meeting


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("How many meetings has the group held?", "meetings"),
        ("How many times has the group met?", "meetings"),
        ("How many different presenters have there been?", "institutions"),
        ("How many thematic categories does the catalogue have?", "categories"),
        ("Which institution has the highest number of presentations?", "most"),
        ("Which institution has presented more times than any other?", "most"),
        ("Who presented more than once?", "institutions-repeat"),
        ("How many IO presentations were given in 2021?", None),
        ("How many WTO members participate in the MSME Group?", None),
        ("What was the most recent presentation?", None),
    ],
)
def test_totals(text, total):
    ts = sl.toks(text)
    assert shape.find_total(ts, text, shape.find_count(ts)[0]) == total


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("How many times did the ITC present?", True),
        ("how many talks in 2021", True),
        ("How often did UNCTAD brief the group?", True),
        ("How many SMEs has Visa trained?", False),
        ("How many economies does the OECD Scoreboard cover?", False),
        ("How often has innovation come up at the TRIPS Council?", False),
    ],
)
def test_a_count_of_presentations_is_told_from_a_count_of_anything_else(text, counts):
    asked, of_presentations, _ = shape.find_count(sl.toks(text))
    assert asked and of_presentations == counts


# The topic and the kind ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Who presented on blockchain in 2022?",
        "blockchain talks 2022",
        "In 2022, which sessions covered blockchain?",
        "WHO SPOKE ON BLOCKCHAIN IN 2022",
        "were there any briefings about blockchain in 2022",
        "list the 2022 presentations on blockchain",
    ],
)
def test_the_topic_is_what_remains_and_the_kind_is_a_list(lexicon, text):
    r = read(text, lexicon)
    assert (r.kind, r.topic.lower(), r.period.text if r.period else None) == ("list", "blockchain", "2022")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("How does Australia's approach compare with Canada's?", "compare"),
        ("Has anyone briefed the group on blockchain?", "yesno"),
        ("How many meetings were held?", "total"),
        ("When did ITC last speak?", "order"),
        ("What did the group hear about cyber security?", "overview"),
        ("How many times did the ITC present?", "count"),
        ("Who presented on payments?", "list"),
        ("de minimis", "search"),
        ("What is Australia's de minimis threshold?", "fact"),
    ],
)
def test_the_kind_table(lexicon, text, kind):
    assert read(text, lexicon).kind == kind
    assert [k for k, _ in reader.KINDS][-1] == "fact"  # the last row always holds
