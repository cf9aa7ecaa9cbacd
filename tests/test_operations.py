"""Follow-ups read as operations on the conversation's state (qa/chat/operations.py).

Unit tests of the readings (no model), then every operation through the real CLI (`chat --json`, stdin),
then one conversation in a real pseudo-terminal.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from qa.catalogue.model import Entry
from qa.chat.conversation import operation
from qa.chat.lines import read_line
from qa.chat.operations import _clarify, in_series, listing_answer, title_similarity
from tests.conftest import read
from tests.test_chat import ask, chat, spawn
from tests.test_chat import env as chat_env


def entry(key: str, title: str, institution: str, day: date) -> Entry:
    return Entry(
        id=key,
        category="Digital",
        subcategory=None,
        title=title,
        institution=institution,
        institution_type="IO",
        date=day,
        link=None,
        links=(),
        summary="A summary.",
        note=None,
    )


UPDATES = [
    entry("a", "Global Trade Helpdesk update", "ITC", date(2021, 9, 24)),
    entry("b", "GreenToCompete", "ITC", date(2022, 2, 8)),
    entry("c", "Global Trade Helpdesk update", "ITC", date(2022, 4, 7)),
    entry("d", "Global Trade Helpdesk update", "ITC", date(2023, 3, 13)),
    entry("e", "Cross-border payments", "Visa", date(2022, 4, 7)),
]


@pytest.fixture
def env(built_index, tmp_path, isolated_dirs):
    return chat_env.__wrapped__(built_index, tmp_path, isolated_dirs)


# The readings, no model ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Who else presented that day?", "meeting"),
        ("What else was presented at that meeting?", "meeting"),
        ("Did they come back later?", "series"),
        ("And the next update?", "series"),
        ("the earlier one", "series"),
        ("what about the one before it?", "series"),
        ("Which of those was in 2022?", "narrow"),
        ("only the 2022 ones", "narrow"),
        ("just the UNCTAD ones", "narrow"),
        ("the Kenyan one", "narrow"),
        ("the second one", "pick"),
        ("#3", "pick"),
        ("Who gave it?", "attribute"),
        ("got a link to the slides?", "attribute"),
        ("and for Canada?", "replace"),
        ("what about 2022?", "replace"),
        ("In 2021?", "replace"),
        ("Who else?", "others"),
        ("more", "more"),
        ("Who presented on blockchain alongside UNCTAD?", "new"),
        ("What is Australia's de minimis threshold?", "new"),
    ],
)
def test_the_reading_tells_the_operations_apart(lexicon, line, expected):
    from qa.chat.conversation import State

    state = State(None, tuple(UPDATES), True)
    state = State(query=read(line, lexicon), cited=tuple(UPDATES), listed=True)
    assert operation(read_line(lexicon, line), state) == expected


def test_with_nothing_said_a_reference_has_nothing_to_refer_to(lexicon):
    for line in ("Who gave it?", "the second one", "did they come back later?", "the slides?"):
        assert operation(read_line(lexicon, line), None) == "nothing", line
    assert operation(read_line(lexicon, "Who presented on blockchain in 2022?"), None) == "new"


def test_a_series_is_the_same_presenter_and_title_before_other_talks_nearest_first():
    ref = UPDATES[0]
    assert [e.id for e in in_series(UPDATES, ref, backward=False)] == ["c", "d", "b"]
    assert [e.id for e in in_series(UPDATES, UPDATES[3], backward=True)] == ["c", "a", "b"]
    assert in_series(UPDATES, UPDATES[4], backward=False) == []  # nobody else is Visa
    assert (
        title_similarity(
            "MSME provisions in Regional Trade Agreements", "MSME-related language in Regional Trade Agreements"
        )
        >= 0.2
    )


def test_a_list_answer_cites_every_entry_in_date_order_and_an_ambiguous_referent_is_asked_about():
    listed = listing_answer("q", [UPDATES[3], UPDATES[0]], "other presentations by ITC")
    assert listed.count == 2 and [c.entry.id for c in listed.citations] == ["a", "d"]
    assert (
        listing_answer("q", [], "later presentations by Visa").text
        == "The catalogue has no later presentations by Visa."
    )
    op = _clarify("Who gave it?", tuple(UPDATES[:2]))
    assert op.answer.kind == "clarify"
    assert op.answer.text.startswith(
        "Which one do you mean: 1) Global Trade Helpdesk update (ITC, 24 September 2021) 2)"
    )


# Every operation through the real CLI ---------------------------------------------------------------

SCRIPT = [
    "Tell me about the GCA cybersecurity toolkit.",
    "Who else presented that day?",  # same meeting
    "/reset",
    "What did the ITC say about the Global Trade Helpdesk in September 2021?",
    "And the next update?",  # series, forward
    "the earlier one",  # series, backward, from the entry just reached
    "/reset",
    "Which talks were about low-value shipments?",
    "Which of those came from a member government?",  # filter the last list
    "the Canadian one",  # pick from it
    "Who gave it?",  # attribute of the entry picked
    "/reset",
    "What is GreenToCompete?",
    "What other presentations has that organisation given?",  # same presenter
    "/reset",
    "What is Australia's GST on low-value imports?",
    "And what about Canada?",  # same subject, new party: not refused
    "/reset",
    "Which talks were about low-value shipments?",
    "Where are the slides for it?",  # several listed: asks which
    "the second one",
    "/history",
]


def test_every_operation_through_chat_json(env):
    result = chat(env, SCRIPT, "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    answers = [r for r in rows if isinstance(r, dict) and "answer" in r]
    by_q = {}
    for a in answers:
        by_q.setdefault(a["question"], []).append(a)

    def ids(question, k=0):
        return [c["id"] for c in by_q[question][k]["citations"]]

    day = ids("Who else presented that day?")
    assert day and all(i.startswith("2022-04-07-") for i in day) and not any("gca" in i for i in day)
    assert "7 April 2022" in by_q["Who else presented that day?"][0]["read_as"]
    assert ids("And the next update?") == ["2022-02-08-global-trade-helpdesk-update"]
    assert ids("the earlier one") == ["2021-09-24-global-trade-helpdesk-update"]
    members = by_q["Which of those came from a member government?"][0]
    assert members["count"] == 2 and all(c["institution_type"] == "Member" for c in members["citations"])
    assert ids("the Canadian one") == ["2021-09-24-canadas-low-value-shipments-policy"]
    assert by_q["Who gave it?"][0]["answer"].startswith("Presented by Canada Border Services Agency (Member)")
    itc = by_q["What other presentations has that organisation given?"][0]["citations"]
    assert (
        itc
        and {c["institution"] for c in itc} == {"ITC"}
        and "2022-02-08-greentocompete" not in ids("What other presentations has that organisation given?")
    )
    canada = by_q["And what about Canada?"][0]
    assert (
        not canada["abstained"] and ids("And what about Canada?")[0] == "2021-09-24-canadas-low-value-shipments-policy"
    )
    assert by_q["Where are the slides for it?"][0]["answer"].startswith("Which one do you mean: 1) ")
    assert ids("the second one") == ["2021-05-04-australias-experience-on-goods-and"]
    history = rows[-1]["turns"]
    assert [t["operation"] for t in history] == ["new", "attribute", "pick"]
    assert history[1]["read_as"] == "Where are the slides for it?"  # nothing decided: the question as typed


def test_operations_compose_filter_then_ask_about_the_one_left(env):
    lines = ["Which talks were about low-value shipments?", "Which of those was in 2022?", "What does it propose?"]
    result = chat(env, lines, "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["id"] for c in rows[1]["citations"]] == ["2022-10-12-low-value-shipment-duty-tax"]
    assert not rows[2]["abstained"] and rows[2]["citations"][0]["id"] == "2022-10-12-low-value-shipment-duty-tax"


def test_same_meeting_and_history_in_a_real_terminal(env):
    child = spawn(env)
    ask(child, "Tell me about the GCA cybersecurity toolkit.", "Sources")
    ask(
        child,
        "What else was presented at that meeting?",
        "(read as: Which other presentations were given on 7 April 2022?)",
        "Global Trade Helpdesk update",
    )
    ask(child, "/history", "read as (meeting)")
    child.sendcontrol("d")
    child.close()
