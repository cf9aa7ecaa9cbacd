"""Invariance tests in the style of CheckList (Ribeiro et al., ACL 2020): one intent, many wordings, one answer.

For each intent, rewordings vary the verb, the noun, where the period stands, case, punctuation and the
form (question, fragment, imperative, "were there any"). Every rewording must give the same answer as the
others (the same entries cited, the same count), and that answer must be the intent's. Follow-ups are
families too: the same operation worded six ways after the same first question.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from qa.chat.conversation import Conversation

VERBS = ("presented on", "talked about", "spoke on", "discussed", "gave presentations on", "covered")
NOUNS = ("presentations", "talks", "sessions", "briefings")


def topic_period(topic: str, period: str) -> list[str]:
    """Rewordings of "who presented on <topic> in <period>?"."""
    return [
        f"Who presented on {topic} in {period}?",
        f"{topic} talks {period}",
        f"In {period}, which sessions covered {topic}?",
        f"WHO SPOKE ON {topic.upper()} IN {period.upper()}",
        f"list the briefings on {topic} from {period}",
        f"were there any presentations about {topic} in {period}",
        f"{period}: who talked about {topic}",
        f"which talks dealt with {topic} in {period.lower()}?",
    ]


def by_presenter(name: str) -> list[str]:
    return [
        f"What did {name} present?",
        f"{name} presentations",
        f"list everything {name} presented",
        f"WHICH TALKS DID {name.upper()} GIVE?",
        f"which sessions were given by {name}",
        f"show me the briefings by {name}",
        f"were there any talks from {name}?",
    ]


def by_period(period: str) -> list[str]:
    return [
        f"What was presented in {period}?",
        f"anything from {period.lower()}?",
        f"presentations in {period}",
        f"LIST THE TALKS OF {period.upper()}",
        f"Which sessions took place in {period}",
        f"were there any briefings in {period}?",
        f"{period} talks",
    ]


def count_by(name: str) -> list[str]:
    return [
        f"How many times did {name} present?",
        f"how many presentations did {name} give",
        f"HOW MANY TALKS HAS {name.upper()} GIVEN?",
        f"number of {name} presentations",
        f"How often did {name} brief the group?",
        f"how many sessions were given by {name}?",
    ]


LIST_INTENTS: dict[str, list[str]] = {
    "blockchain 2022": topic_period("blockchain", "2022"),
    "payments 2022": topic_period("cross-border payments", "2022"),
    "low-value shipments 2021": topic_period("low-value shipments", "2021"),
    "ITC": by_presenter("the ITC"),
    "UNCTAD": by_presenter("UNCTAD"),
    "WIPO": by_presenter("WIPO"),
    "GEA": by_presenter("the Global Express Association"),
    "October 2022": by_period("October 2022"),
    "second quarter 2022": by_period("Q2 2022"),
    "July 2021": by_period("July 2021"),
    "December 2021 (none)": by_period("December 2021"),
    "March 2022 (none)": by_period("March 2022"),
    "financing category": [
        "Which talks covered financing for small firms?",
        "presentations on MSME financing",
        "Who presented on access to finance?",
        "list the msme financing talks",
        "WHICH SESSIONS WERE ABOUT SME FINANCE?",
        "were there any briefings on financing for small businesses",
    ],
    "digital category": [
        "Which presentations were about the digital economy?",
        "digital economy talks",
        "who presented on the digital economy",
        "list the sessions on digitalisation",
        "WHICH TALKS COVERED THE DIGITAL ECONOMY?",
        "were there any briefings about the digital economy?",
    ],
    "intellectual property": [
        "presentations on intellectual property",
        "IP talks",
        "who presented on intellectual property?",
        "list the intellectual property sessions",
        "WHICH BRIEFINGS COVERED INTELLECTUAL PROPERTY",
        "were there any talks about intellectual property",
    ],
    "private sector 2021": [
        "Which private sector presentations were given in 2021?",
        "private sector talks 2021",
        "In 2021, which sessions were given by the private sector?",
        "LIST THE PRIVATE SECTOR BRIEFINGS OF 2021",
        "were there any private-sector presentations in 2021",
        "who from the private sector presented in 2021?",
    ],
    "IOs in 2022": [
        "Which international organisations presented in 2022?",
        "IO presentations in 2022",
        "In 2022, which talks were given by IOs?",
        "list the 2022 presentations by international organizations",
        "WHICH IOS PRESENTED IN 2022?",
        "were there any talks by international organisations in 2022",
    ],
}

COUNT_INTENTS: dict[str, tuple[list[str], int]] = {
    "ITC count": (count_by("the ITC"), 6),
    "UNCTAD count": (count_by("UNCTAD"), 3),
    "WIPO count": (count_by("WIPO"), 2),
    "2021 count": (
        [
            "How many presentations were given in 2021?",
            "how many talks in 2021",
            "In 2021, how many sessions were there?",
            "HOW MANY BRIEFINGS WERE GIVEN IN 2021?",
            "number of presentations in 2021",
            "count the talks of 2021",
        ],
        27,
    ),
}

ORDER_INTENTS: dict[str, list[str]] = {
    "ITC latest": [
        "When did ITC last speak?",
        "When did the ITC last present?",
        "What was the ITC's most recent presentation?",
        "latest ITC talk",
        "WHAT IS THE MOST RECENT BRIEFING BY THE ITC?",
        "the last time the ITC presented",
        "show me the newest ITC session",
    ],
    "WIPO first": [
        "What was WIPO's first presentation?",
        "When did WIPO first present?",
        "earliest WIPO talk",
        "WHAT DID WIPO PRESENT FIRST?",
        "the first session given by WIPO",
        "show me the oldest briefing from WIPO",
    ],
    "last meeting": [
        "What was discussed at the last meeting?",
        "What was presented at the last meeting?",
        "what happened at the most recent meeting",
        "WHAT WAS ON THE AGENDA AT THE LATEST MEETING?",
        "the last meeting: which talks were given?",
        "show me the talks of the most recent meeting",
    ],
    "first meeting": [
        "What was presented at the first meeting?",
        "what was discussed at the first meeting",
        "WHAT WAS COVERED AT THE EARLIEST MEETING?",
        "the first meeting's presentations",
        "show me the talks of the inaugural meeting",
        "which talks were given at the very first meeting?",
    ],
}

FACT_INTENTS: dict[str, tuple[list[str], str]] = {
    "GreenToCompete presenter": (
        [
            "Who gave the GreenToCompete presentation?",
            "Who presented GreenToCompete?",
            "who talked about greentocompete",
            "WHO PRESENTED GREENTOCOMPETE?",
            "GreenToCompete: who gave that talk?",
            "which institution presented GreenToCompete",
        ],
        "2022-02-08-greentocompete",
    ),
    "Australia de minimis": (
        [
            "What is Australia's de minimis threshold?",
            "australia de minimis threshold",
            "WHAT IS AUSTRALIA'S DE MINIMIS THRESHOLD?",
            "What de minimis threshold does Australia apply?",
            "tell me Australia's de minimis threshold",
            "Australia's threshold for low-value imports?",
        ],
        "2021-05-04-australias-experience-on-goods-and",
    ),
}


def signature(answer) -> tuple:
    data = answer.to_json()
    return (data.get("count"), tuple(sorted(c["id"] for c in data.get("citations", []))))


def same_answers(assistant, questions: Iterable[str]) -> list[tuple]:
    return [signature(assistant.answer(q)) for q in questions]


@pytest.mark.parametrize("intent", sorted(LIST_INTENTS))
def test_every_wording_of_a_list_gives_the_same_list(assistant, intent):
    questions = LIST_INTENTS[intent]
    assert len(questions) >= 6
    seen = same_answers(assistant, questions)
    assert len(set(seen)) == 1, dict(zip(questions, seen, strict=True))
    count, ids = seen[0]
    if "(none)" in intent:
        assert count == 0 and ids == ()
    else:
        assert count and count == len(ids)
    if intent in EXPECTED:  # the intent's entries, as the catalogue's own fields define them
        assert set(ids) == {e.id for e in assistant.catalogue.entries if EXPECTED[intent](e)}


def _in(year: int, month: int | None = None):
    return lambda e: e.date.year == year and (month is None or e.date.month == month)


EXPECTED = {
    "blockchain 2022": lambda e: _in(2022)(e) and "blockchain" in e.summary.lower(),
    "payments 2022": lambda e: _in(2022)(e) and e.subcategory == "Cross-border Payments",
    "low-value shipments 2021": lambda e: _in(2021)(e) and e.category == "Low-value shipments",
    "ITC": lambda e: e.institution == "ITC",
    "UNCTAD": lambda e: e.institution == "UNCTAD",
    "WIPO": lambda e: e.institution == "WIPO",
    "GEA": lambda e: e.institution == "Global Express Association",
    "October 2022": _in(2022, 10),
    "second quarter 2022": lambda e: e.date.year == 2022 and 4 <= e.date.month <= 6,
    "July 2021": _in(2021, 7),
    "financing category": lambda e: e.category == "MSME Financing",
    "digital category": lambda e: e.category == "Digital",
    "private sector 2021": lambda e: _in(2021)(e) and e.institution_type == "Other",
    "IOs in 2022": lambda e: _in(2022)(e) and e.institution_type == "IO",
}


def test_list_intents_give_the_entries_the_catalogue_holds(assistant):
    def ids(question):
        return {c.entry.id for c in assistant.answer(question).citations}

    entries = assistant.catalogue.entries
    assert ids("Which talks covered financing for small firms?") == {
        e.id for e in entries if e.category == "MSME Financing"
    }
    assert ids("presentations in October 2022") == {e.id for e in entries if (e.date.year, e.date.month) == (2022, 10)}
    assert ids("UNCTAD presentations") == {e.id for e in entries if e.institution == "UNCTAD"}
    ip = ids("IP talks")  # the category, and another entry whose title names IP
    tools = {e.id for e in entries if e.category == "Intellectual Property Tools"}
    assert tools < ip and all(" IP " in f" {e.title} " for e in entries if e.id in ip - tools)
    blockchain = ids("blockchain talks 2022")
    assert blockchain and all(i.startswith("2022-") for i in blockchain)
    assert all("blockchain" in next(e for e in entries if e.id == i).summary.lower() for i in blockchain)


def test_a_month_without_a_meeting_names_the_nearest_meetings(assistant):
    for question in ("anything from march 2022?", "Any talks in March 2022", "MARCH 2022 PRESENTATIONS"):
        text = assistant.answer(question).text
        assert "no presentations in March 2022" in text
        assert "the nearest meetings were 18 February 2022 and 7 April 2022" in text


@pytest.mark.parametrize("intent", sorted(COUNT_INTENTS))
def test_every_wording_of_a_count_gives_the_same_count(assistant, intent):
    questions, expected = COUNT_INTENTS[intent]
    seen = same_answers(assistant, questions)
    assert len(set(seen)) == 1, dict(zip(questions, seen, strict=True))
    assert seen[0][0] == expected


@pytest.mark.parametrize("intent", sorted(ORDER_INTENTS))
def test_every_wording_of_an_order_question_gives_the_same_entries(assistant, intent):
    questions = ORDER_INTENTS[intent]
    assert len(questions) >= 6
    firsts = [assistant.answer(q).citations[0].entry for q in questions]
    assert len({e.id for e in firsts}) == 1, dict(zip(questions, [e.id for e in firsts], strict=True))
    dates = sorted({e.date for e in assistant.catalogue.entries})
    if intent == "last meeting":
        assert firsts[0].date == dates[-1]
    if intent == "first meeting":
        assert firsts[0].date == dates[0]
    if intent == "ITC latest":
        assert firsts[0].date == max(e.date for e in assistant.catalogue.entries if e.institution == "ITC")


@pytest.mark.parametrize("intent", sorted(FACT_INTENTS))
def test_every_wording_of_a_fact_cites_the_same_entry_first(assistant, intent):
    questions, expected = FACT_INTENTS[intent]
    firsts = [assistant.answer(q).citations[0].entry.id for q in questions]
    assert firsts == [expected] * len(questions)


# Follow-ups: the same operation, worded six ways, after the same first question --------------------------

FOLLOW_UPS: dict[str, tuple[str, list[str], str]] = {
    # operation: (first question, rewordings of the follow-up, what the last answer must cite first)
    "narrow": (
        "What has UNCTAD presented?",
        [
            "only the 2022 ones",
            "just 2022",
            "which of those were in 2022?",
            "ONLY THE 2022 ONES",
            "of those, the ones from 2022",
            "and only 2022?",
        ],
        "2022-02-08-g20-policy-toolkit-for-green",
    ),
    "replace period": (
        "Which presentations were given in July 2021?",
        [
            "and in October 2022?",
            "what about October 2022?",
            "October 2022?",
            "AND IN OCTOBER 2022",
            "same for october 2022",
            "how about oct 2022",
        ],
        "2022-10-12-low-value-shipment-duty-tax",
    ),
    "attribute": (
        "Who presented GreenToCompete?",
        [
            "who gave it?",
            "the slides?",
            "where are the slides",
            "WHEN WAS THAT?",
            "got a link?",
            "link please",
        ],
        "2022-02-08-greentocompete",
    ),
    "pick": (
        "Which talks were about low-value shipments?",
        [
            "the second one",
            "#2",
            "number 2",
            "THE SECOND ONE",
            "2",
            "the 2nd one",
        ],
        "2021-05-04-australias-experience-on-goods-and",
    ),
}


# A follow-up's instruction words are never its topic, and its "to" names no period.
NARROWED = (
    "Which talks were about cybersecurity?",
    [
        "narrow it to 2021",
        "narrow it down to the 2021 ones",
        "restrict that to 2021",
        "filter to 2021 only",
        "only the ones from 2021",
        "just 2021 please",
        "only those from 2021",
    ],
)


def test_every_wording_of_an_instruction_to_narrow_gives_the_same_list(assistant):
    first, lines = NARROWED
    want = {e.id for e in assistant.catalogue.entries if e.category == "Cyber-Readiness" and e.date.year == 2021}
    got = {}
    for line in lines:
        talk = Conversation(assistant)
        talk.ask(first)
        answer = talk.ask(line)
        got[line] = {c.entry.id for c in answer.citations}
    assert len(want) == 3 and all(cited == want for cited in got.values()), got


def test_a_new_topic_replaces_the_last_one(assistant):
    """After a list on one topic, a complete question on another is answered on its own, not narrowed."""
    alone = {c.entry.id for c in assistant.answer("Which talks covered cross-border payments?").citations}
    for line in ("Which talks covered cross-border payments?", "and which talks covered cross-border payments?",
                 "separate question: which talks covered cross-border payments?"):  # fmt: skip
        talk = Conversation(assistant)
        talk.ask("Which talks were about cybersecurity?")
        assert {c.entry.id for c in talk.ask(line).citations} == alone, line
    assert len(alone) >= 3


@pytest.mark.parametrize("operation", sorted(FOLLOW_UPS))
def test_every_wording_of_a_follow_up_does_the_same(assistant, operation):
    first, lines, expected = FOLLOW_UPS[operation]
    cited = []
    for line in lines:
        talk = Conversation(assistant)
        talk.ask(first)
        answer = talk.ask(line)
        cited.append(answer.citations[0].entry.id if answer.citations else None)
    assert cited == [expected] * len(lines), dict(zip(lines, cited, strict=True))


def test_a_reference_with_nothing_to_refer_to_says_so(assistant):
    for line in (
        "Who gave it?",
        "the slides?",
        "the second one",
        "did they come back later?",
        "when was that?",
        "only the 2022 ones",
    ):
        talk = Conversation(assistant)
        answer = talk.ask(line)
        assert answer.abstained and not answer.citations and "nothing to refer to" in answer.text, line
    talk = Conversation(assistant)
    talk.ask("Who presented GreenToCompete?")
    talk.reset()
    assert "nothing to refer to" in talk.ask("Who gave it?").text


def test_did_they_come_back_later_after_two_presenters_asks_which(assistant):
    for line in (
        "did they come back later?",
        "Did they come back later",
        "DID THEY PRESENT AGAIN LATER?",
        "who gave it?",
        "when was that?",
        "what did they present next?",
    ):
        talk = Conversation(assistant)
        talk.ask("Which talks were about low-value shipments?")
        assert talk.ask(line).kind == "clarify", line


def test_a_complete_question_is_a_new_question_whatever_its_words(assistant):
    for line in (
        "Who presented on blockchain alongside UNCTAD?",
        "What is Australia's de minimis threshold?",
        "And who presented on cyber security in 2022?",
    ):
        talk = Conversation(assistant)
        talk.ask("Who presented GreenToCompete?")
        assert signature(talk.ask(line)) == signature(assistant.answer(line)), line
