"""Follow-up questions, through the real assistant and the real index of the bundled catalogue.

Each operation of qa/chat/conversation.py is shown here by a short exchange: what the person says, which entry
the answer cites. New, self-contained questions must not be pulled toward the earlier topic.
``assistant`` (conftest.py) is the real assistant over the index built once per session.
"""

from __future__ import annotations

import pytest

from qa.chat.conversation import Conversation, operation
from qa.chat.lines import read_line
from qa.errors import UsageError

pytestmark = pytest.mark.slow


@pytest.fixture
def talk(assistant):
    """A fresh conversation with the real assistant."""
    return Conversation(assistant)


def cited(answer) -> list[str]:
    return [c.entry.title for c in answer.citations]


def institutions(answer) -> list[str]:
    return [c.entry.institution for c in answer.citations]


# "And what did UNCITRAL say?": the previous subject, the newly named institution ------------------


def test_and_what_did_uncitral_say_carries_the_subject_to_uncitral(talk):
    talk.ask("What is the Model Law on Electronic Transferable Records?")
    answer = talk.ask("And what did UNCITRAL say?")
    assert cited(answer)[0] == "Overview of the UNCITRAL Model Law on Electronic Transferable Records – MLETR"
    assert set(institutions(answer)) == {"UNCITRAL"}
    assert answer.question == "And what did UNCITRAL say?"  # the person's words; the reading is a note
    assert answer.notes[-1].startswith("read as: ") and "UNCITRAL" in answer.notes[-1]


def test_a_named_institution_that_never_spoke_about_the_subject_abstains(talk):
    talk.ask("What is the Model Law on Electronic Transferable Records?")
    answer = talk.ask("And what did WIPO say?")
    assert answer.abstained and not answer.citations
    assert "no presentation by WIPO is about the Model Law on Electronic Transferable Records" in answer.text


def test_what_about_an_economy_swaps_the_presenter_in_the_previous_question(talk):
    talk.ask("What is Australia's de minimis threshold?")
    answer = talk.ask("What about Canada?")
    assert "Canada" in answer.notes[-1]
    assert institutions(answer)[0] == "Canada Border Services Agency"
    assert "CAD" in answer.text


def test_and_a_period_after_a_list_keeps_the_topic(talk):
    talk.ask("What did ITC present in 2021?")
    answer = talk.ask("And in 2022?")
    assert answer.count == 4 and set(institutions(answer)) == {"ITC"}
    assert all(c.entry.date.year == 2022 for c in answer.citations)


@pytest.mark.parametrize("filler", ["pls", "thx", "please", "asap"])
def test_a_filler_in_a_follow_up_narrows_nothing(talk, filler):
    """ "only the ones from 2021 pls": a word no entry uses is no topic to narrow the list by."""
    listed = talk.ask("What presentations were there on cybersecurity?")
    answer = talk.ask(f"only the ones from 2021 {filler}")
    assert answer.kind == "list" and answer.count == 3, answer.text
    assert set(cited(answer)) < set(cited(listed)) and all(c.entry.date.year == 2021 for c in answer.citations)


# After a list: ordinals, "who gave it", "where are the slides" ------------------------------------


def test_the_second_one_after_a_list_is_that_entry(talk):
    listed = talk.ask("Who presented on cyber security?")
    assert listed.count == 4
    answer = talk.ask("the second one")
    second = listed.citations[1].entry
    assert cited(answer) == [second.title]
    assert answer.text.startswith(second.summary.split(". ")[0])  # its opening sentence, word for word
    assert all(s.citation == 1 for s in answer.sentences)


@pytest.mark.parametrize("words, n", [("number 3", 3), ("the last one", 4), ("tell me about the first one", 1)])
def test_other_ways_to_pick_from_a_list(talk, words, n):
    listed = talk.ask("Who presented on cyber security?")
    assert cited(talk.ask(words)) == [listed.citations[n - 1].entry.title]


def test_picking_past_the_end_says_how_many_there_are(talk):
    talk.ask("Who presented on cyber security?")
    with pytest.raises(UsageError, match="from 1 to 4"):
        talk.ask("number 7")


def test_who_gave_it_and_where_are_the_slides_use_catalogue_fields_only(talk):
    talk.ask("Who presented on cyber security?")
    picked = talk.ask("the second one").citations[0].entry
    who = talk.ask("Who gave it?")
    assert who.text == (
        f"Presented by {picked.institution} ({picked.institution_type}) on 4 May 2021: {picked.title}. [1]"
    )
    slides = talk.ask("Where are the slides?")
    assert slides.text == f"{picked.title}: {picked.link} [1]"
    assert cited(who) == cited(slides) == [picked.title]


def test_who_gave_it_after_a_fact_answer_names_its_source(talk):
    first = talk.ask("What is the Model Law on Electronic Transferable Records?")
    who = talk.ask("Who presented that?")
    assert who.text.startswith("Presented by UNCITRAL (IO) on 24 June 2021: ")
    assert cited(who) == cited(first)[:1]


def test_where_are_the_slides_after_a_list_gives_every_listed_link(talk):
    listed = talk.ask("Who presented on cyber security?")
    slides = talk.ask("Where are the slides?")
    assert slides.text.splitlines() == [f"{c.entry.title}: {c.entry.link} [{c.n}]" for c in listed.citations]


# More, and references back ------------------------------------------------------------------------


def test_tell_me_more_gives_sentences_not_shown_yet_until_there_are_none(talk):
    first = talk.ask("What is the Model Law on Electronic Transferable Records?")
    seen = {s.text for s in first.sentences}
    retriever = talk.assistant.retriever
    summary_sentences = retriever.sentences[retriever.index_of[first.citations[0].entry.id]]
    for _ in range(len(summary_sentences)):
        more = talk.ask("Tell me more")
        if more.abstained:
            break
        new = {s.text for s in more.sentences}
        assert new and not new & seen and new <= set(summary_sentences)
        seen |= new
    assert seen == set(summary_sentences)
    assert talk.ask("more").abstained


def test_a_pronoun_carries_the_subject_and_the_cited_entry(talk):
    talk.ask("What is MLETR?")
    answer = talk.ask("Has it been adopted anywhere?")
    assert answer.notes[-1].startswith("read as: Has it been adopted anywhere?")
    assert institutions(answer)[0] == "UNCITRAL"
    assert "Bahrain, Singapore, and Abu Dhabi" in answer.text


def test_they_after_a_list_answers_from_the_listed_entries(talk):
    listed = talk.ask("Who presented on cyber security?")
    answer = talk.ask("What did they say about costs?")
    assert set(cited(answer)) <= set(cited(listed))
    assert "cost" in answer.text


def test_they_after_one_presenter_is_that_presenter(talk):
    talk.ask("What did ITC present in 2021?")
    answer = talk.ask("And what did they present in 2022?")
    assert "2022" in answer.notes[-1]
    assert answer.count == 4 and set(institutions(answer)) == {"ITC"}


def test_who_else_leaves_out_what_was_cited(talk):
    first = talk.ask("What is the Model Law on Electronic Transferable Records?")
    answer = talk.ask("Who else presented on that?")
    assert answer.citations and not set(cited(answer)) & set(cited(first))
    assert "MLETR" in answer.text or "transferable" in answer.text.lower()


def test_who_else_after_a_list_is_the_rest_of_that_list(talk):
    first = talk.ask("Who presented on cyber security?")
    assert first.count == 4
    answer = talk.ask("Who else presented on it?")
    assert answer.count == 0 and answer.citations == ()
    assert answer.text == "The catalogue has no other presentations in Cyber-Readiness."


def test_who_else_with_its_own_period_is_that_list_without_the_last_answer(talk):
    first = talk.ask("What did the ITC present in October 2022?")
    assert first.count == 1
    answer = talk.ask("Who else presented in October 2022?")
    assert answer.count == 5 and answer.text.startswith("The catalogue has 5 other presentations in October 2022:")
    assert not set(cited(answer)) & set(cited(first))


def test_a_bare_who_else_repeats_the_last_question_without_its_answers(talk):
    talk.ask("Who presented on electronic transferable records?")
    answer = talk.ask("Who else?")
    assert answer.text.startswith("The catalogue has no other presentations")
    assert answer.notes[-1].startswith("read as: Which presentations on electronic transferable records")
    assert answer.notes[-1].endswith("(leaving out those already given)")
    first = talk.ask("What is the Model Law on Electronic Transferable Records?")
    answer = talk.ask("Anyone else?")
    assert answer.citations and not set(cited(answer)) & set(cited(first))


# New questions stand alone -----------------------------------------------------------------------


def test_a_self_contained_question_after_a_topic_is_not_dragged(talk):
    talk.ask("What is the Model Law on Electronic Transferable Records?")
    answer = talk.ask("What is Australia's de minimis threshold?")
    assert cited(answer) == ["Australia's experience on Goods and Service Tax (GST) on low value imported goods"]
    assert answer.notes == ()
    assert "AUD 1,000" in answer.text


@pytest.mark.parametrize(
    "first, second",
    [
        ("Who presented on cyber security?", "What is the Model Law on Electronic Transferable Records?"),
        ("What is Australia's de minimis threshold?", "And what tools does the Global Cyber Alliance offer?"),
        ("What did ITC present in 2022?", "What does ITC say about its Global Trade Helpdesk?"),
    ],
)
def test_new_questions_answer_as_if_asked_first(assistant, talk, first, second):
    talk.ask(first)
    assert operation(read_line(assistant.lexicon, second), talk.state) == "new"
    assert talk.ask(second).to_json() == assistant.answer(second).to_json()


def test_reset_forgets_the_conversation(talk):
    talk.ask("Who presented on cyber security?")
    talk.reset()
    assert talk.last is None
    answer = talk.ask("the second one")
    assert answer.abstained and not answer.citations
    assert answer.text == "There is nothing to refer to yet: ask a question first."


@pytest.mark.parametrize(
    "question, act",
    [
        ("Who gave it?", "attribute"),
        ("When was that?", "attribute"),
        ("by whom?", "attribute"),
        ("link?", "attribute"),
        ("Where can I find the slides?", "attribute"),
        ("Tell me more", "more"),
        ("and?", "more"),
        ("What was it about?", "describe"),
        ("#2", "pick"),
        ("And what did UNCITRAL say?", "replace"),
        ("What about Canada?", "replace"),
        ("Who adopted it?", "refer"),
        ("What is Australia's de minimis threshold?", "new"),
        ("Who presented in 2022?", "new"),
    ],
)
def test_how_questions_are_read(assistant, talk, question, act):
    talk.ask("Who presented on cyber security?")
    assert operation(read_line(assistant.lexicon, question), talk.state) == act


@pytest.mark.parametrize("line", ["how many were there?", "How many was that?", "HOW MANY?", "how many in total?"])
def test_how_many_after_a_list_counts_that_list(talk, line):
    listed = talk.ask("Who presented on cyber security?")
    answer = talk.ask(line)
    assert answer.count == listed.count == 4 and cited(answer) == cited(listed)


@pytest.mark.parametrize(
    "line", ["were any by IOs?", "any by international organisations?", "which of those were by IOs?"]
)
def test_were_any_by_a_type_narrows_the_list(talk, line):
    talk.ask("Which presentations were given in October 2022?")
    answer = talk.ask(line)
    assert answer.citations and all(c.entry.institution_type == "IO" for c in answer.citations)


def test_any_talks_on_a_topic_after_a_list_is_a_new_question(assistant, talk):
    talk.ask("Which talks were about low-value shipments?")
    line = "any talks on cyber security?"
    assert operation(read_line(assistant.lexicon, line), talk.state) == "new"
    assert talk.ask(line).to_json() == assistant.answer(line).to_json()
