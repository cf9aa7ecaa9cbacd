"""Answers that span the catalogue: overviews, comparisons, yes/no, uncovered topics, and their Markdown.

Through the real CLI on the real index (slow); the frame reader on families of rewordings (fast).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qa.question.reader import frame_of
from qa.question.slots import toks
from qa.settings import DEFAULT

from .conftest import ROOT, SEED
from .test_reliability_support import cli

CYBER = [
    "Canadian SME Cybersecurity Initiatives & Programs",
    "Strengthening MSME Cyber Security",
    "Importance of cybersecurity for digital trade",
    "GCA Cybersecurity Toolkit for Small Business",
]


def ask(index: Path, question: str, *options: str) -> dict:
    result = cli("ask", question, "--json", *options, "--catalogue", str(SEED), "--index", str(index))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


OVERVIEWS = [
    "What did the group hear about cyber security?",
    "Give me an overview of the cyber security presentations",
    "cyber security: what has been said?",
    "SUMMARISE THE TALKS ON CYBER SECURITY",
    "What did we hear about cyber security?",
    "what was discussed regarding cyber security",
    "walk me through the cyber security talks",
    "How did cyber security come up?",
    "What did we hear about cyber security thx?",  # a word no entry uses judges nothing
]


def test_an_overview_cites_every_presentation_on_the_topic_in_date_order_whatever_the_wording(built_index: Path):
    answers = [ask(built_index, q) for q in OVERVIEWS]
    first = answers[0]
    for got in answers:
        assert got["kind"] == "overview", got["answer"]
        assert got["citations"] == first["citations"] and got["count"] == first["count"], "one topic, one answer"
    titles = [c["title"] for c in first["citations"]]
    assert set(CYBER) <= set(titles) and first["count"] == len(titles) <= 5
    dates = [c["date"] for c in first["citations"]]
    assert dates == sorted(dates)
    lines = first["answer"].splitlines()
    n = first["count"]
    assert lines[0].startswith(f"{n} presentations from 18 February 2021 to ") and lines[0].endswith(
        "about cyber security:"
    )
    shown = [line for line in lines[1:] if not line.startswith("Mentioned in passing by: ")]
    assert [line.split(" ")[0] for line in shown] == [f"[{k}]" for k in range(1, n + 1)]
    assert {s["citation"] for s in first["sentences"]} == set(range(1, n + 1))


def test_an_overview_of_one_presenter_cites_every_one_of_its_presentations(built_index: Path):
    """No topic beyond the presenter: every one of its presentations, whatever the wording; not one 'about'
    a residue such as "contributions over time"."""
    from qa.catalogue.load import load_catalogue

    unctad = sorted(e.title for e in load_catalogue(SEED).entries if e.institution == "UNCTAD")
    for q in ["Run me through UNCTAD's contributions to the group over time.", "overview of what UNCTAD presented",
              "What did we hear from UNCTAD?", "give me a rundown of UNCTAD's talks"]:  # fmt: skip
        got = ask(built_index, q)
        assert got["kind"] == "overview", (q, got["answer"])
        assert sorted(c["title"] for c in got["citations"]) == unctad, q
        assert got["answer"].startswith(f"{len(unctad)} presentations by UNCTAD, from "), got["answer"]


def test_an_uncovered_topic_says_so_and_where_a_word_of_it_is_mentioned(built_index: Path):
    got = ask(built_index, "What was said about export credit insurance?")
    assert got["answer"] == (
        "No presentation is about export credit insurance. 'insurance' is mentioned in: Promoting integration "
        "of MSMEs in international trade (UN/CEFACT, 18 February 2022)."
    )
    assert got["count"] == 0 and got["citations"] == [] and [r["institution"] for r in got["related"]] == ["UN/CEFACT"]


def test_a_topic_list_leaves_out_a_passing_mention(built_index: Path):
    got = ask(built_index, "Who presented on cyber security?")  # the IADB names cyber security once, in a list
    assert [c["title"] for c in got["citations"]] == CYBER


def test_yes_and_no_about_the_catalogue(built_index: Path):
    yes = ask(built_index, "Has anyone briefed the group on cyber security?")
    assert yes["answer"].startswith("Yes: ") and "presentations from 18 February 2021 to" in yes["answer"]
    assert set(CYBER) <= {c["title"] for c in yes["citations"]}
    no = ask(built_index, "Was competition policy discussed?")
    assert no["answer"].startswith("No. No presentation is about competition policy.")
    assert no["citations"] == [] and no["related"], "the nearest come as related, marked as not an answer"
    assert "not an answer" in no["answer"] or "is mentioned in" in no["answer"]


def test_a_comparison_answers_each_side_on_the_shared_topic(built_index: Path):
    got = ask(built_index, "How did Australia's approach to low-value imports differ from Canada's?")
    assert got["kind"] == "compare"
    titles = [c["title"] for c in got["citations"]]
    assert titles == [
        "Australia's experience on Goods and Service Tax (GST) on low value imported goods",
        "Canada's low-value shipments policy regarding the application of customs duties",
    ]
    lines = got["answer"].splitlines()
    assert lines[0].startswith("Comparing ") and len(lines) == 3
    assert {s["citation"] for s in got["sentences"]} == {1, 2}


def test_a_comparison_of_two_dates_of_one_presenter(built_index: Path):
    got = ask(built_index, "Contrast WIPO's July 2021 and November 2021 presentations")
    assert [c["date"] for c in got["citations"]] == ["2021-07-26", "2021-11-08"]
    assert all(c["institution"] == "WIPO" for c in got["citations"])


def test_the_first_and_the_last_of_a_series_are_the_two_sides(built_index: Path):
    for q in ["Compare the first and the last Global Trade Helpdesk updates.",
              "how did the earliest and latest Global Trade Helpdesk updates differ?",
              "first vs most recent Global Trade Helpdesk update: compare"]:  # fmt: skip
        got = ask(built_index, q)
        assert got["kind"] == "compare", (q, got["answer"])
        assert [c["date"] for c in got["citations"]] == ["2021-09-24", "2023-03-13"], (q, got["answer"])
        assert got["answer"].startswith("Comparing the first (24 September 2021) and the last (13 March 2023)")
    got = ask(built_index, "how did the earliest and latest GEA proposals differ?")  # one party: its own entries
    assert [c["date"] for c in got["citations"]] == ["2021-02-18", "2022-10-12"], got["answer"]


def test_a_side_with_nothing_says_so_instead_of_being_dropped(built_index: Path):
    got = ask(built_index, "Compare Japan's and Canada's approaches to low-value shipments")
    assert got["kind"] == "compare" and len(got["citations"]) == 1
    assert "Japan: the catalogue has no presentation by or about Japan" in got["answer"]


def test_explain_shows_the_coverage_decision_with_its_scores(built_index: Path):
    got = ask(built_index, "What did the group hear about cyber security?", "--explain")
    coverage = got["explain"]["decision"]["coverage"]
    about = [c for c in coverage if c["about"]]
    t = DEFAULT.rel_about_threshold
    assert len(about) >= 4 and all(c["p_about"] >= t for c in about)
    assert all(c["p_about"] < t for c in coverage if not c["about"])
    assert all({"entry", "sentence", "words", "title"} <= set(c) for c in coverage)


def test_ask_format_markdown_writes_the_answer_and_its_sources(built_index: Path):
    args = ["ask", "What did the group hear about cyber security?", "--format", "markdown"]
    result = cli(*args, "--catalogue", str(SEED), "--index", str(built_index))
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("## What did the group hear about cyber security?\n\n")
    assert "\nSources:\n\n1. [Canadian SME Cybersecurity Initiatives & Programs](<https://" in text
    bad = cli("ask", "x", "--format", "pdf", "--catalogue", str(SEED))
    assert bad.exit_code == 2 and bad.stderr.strip() == "msme-qa: --format takes text or markdown, not 'pdf'"


def test_chat_save_writes_the_conversation_and_never_overwrites(built_index: Path, tmp_path: Path):
    target = tmp_path / "briefing.md"
    lines = ["What is Australia's de minimis threshold?", f"/save {target}", "Who presented on cyber security?",
             f"/save {target}"]  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "cli", "chat", "--json", "--catalogue", str(SEED), "--index", str(built_index)],
        input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    printed = [json.loads(line) for line in run.stdout.splitlines()]
    assert printed[1] == {"command": "/save", "saved": str(target), "turns": 1}
    assert printed[3]["error"].endswith("exists already; give another name")
    saved = target.read_text(encoding="utf-8")
    assert saved.startswith("# msme-qa: questions and answers\n\n## What is Australia's de minimis threshold?")
    assert "AUD 1,000" in saved and "Cyber" not in saved, "the second save did not overwrite the first"


def test_chat_save_writes_links_as_they_are_and_follow_ups_under_their_question(built_index: Path, tmp_path: Path):
    target = tmp_path / "briefing.md"
    lines = ["Who presented on cyber security?", "Where are the slides for the second one?", "intelectual proprety",
             f"/save {target}"]  # fmt: skip
    run = subprocess.run(
        [sys.executable, "-m", "cli", "chat", "--catalogue", str(SEED), "--index", str(built_index)],
        input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    saved = target.read_text(encoding="utf-8")
    assert "tratop\\_e" not in saved and "msmes\\_e" not in saved  # a link copied from the file works
    slides = "Strengthening MSME Cyber Security: https://www.wto.org/english/tratop_e/msmes_e/cyber_security0521.pdf"
    assert f"\n{slides} [1]" in saved
    headings = [line for line in saved.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Who presented on cyber security?",
        "## Where are the slides for the second one? (Strengthening MSME Cyber Security)",  # what it refers to
        "## intellectual property",  # the question as read, spelling corrected
    ]


def test_markdown_escapes_marks_but_not_web_links():
    from cli.markdown import escape

    text = "See https://www.wto.org/english/tratop_e/a_b.pdf, or *file_x* [1] and javascript:a_b"
    assert escape(text) == (
        "See https://www.wto.org/english/tratop_e/a_b.pdf, or \\*file\\_x\\* [1] and javascript:a\\_b"
    )
    assert escape("# [t](u)") == "\\# \\[t\\](u)"


# Without a model: the frame, whatever the wording ------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "wordings"),
    [
        ("overview", ["What did the group hear about cyber security?", "overview of the financing talks",
                      "Summarize the trade facilitation discussions.", "what has been said about women entrepreneurs",
                      "blockchain: what came up?", "How did COVID-19 feature in the presentations?",
                      "anything on microinsurance", "TELL ME ABOUT GREEN MSMES",
                      "What did we hear about cyber security?", "what have members learned on blockchain",
                      "What was discussed about e-commerce?", "what has been shared regarding women entrepreneurs",
                      "quick rundown of the payment talks", "blockchain: what has been said?", "Can you walk me through the Global Trade Helpdesk updates?",
                      "brief me on de minimis", "fill me in on the digital trade discussions",
                      "How did blockchain come up in the talks?", "what was covered about green MSMEs in 2022?"]),
        ("yesno", ["Has anyone briefed the group on blockchain?", "has bahrain presented", "Did the OECD present?",
                   "Was the Legal Entity Identifier discussed?", "WAS THERE A SESSION ON TOURISM",
                   "Did anyone talk about accounting for MSMEs?",
                   "anyone present on RCEP and small biz?", "somebody talk about tourism?"]),
        ("compare", ["Compare the ITC's and UNCTAD's work on green MSMEs", "IADB vs dLocal on payments",
                     "How did Australia's approach differ from Canada's?", "contrast the OECD and IFC presentations",
                     "What is the difference between the two WIPO talks?", "Bahrain versus UNCITRAL on ETRs"]),
        (None, ["What is Australia's de minimis threshold?", "Who presented on blockchain in 2022?",
                "Is there a link to the slides?", "Why do small firms find it harder to come up with new products?",
                "How many times did the ITC present?", "Is Canada trying to get its certificate accepted by similar schemes?",
                "What was presented on 24 September 2021?", "What did the ITC say about green growth?",
                "How does Australia collect GST on low-value goods?", "How do goods come up for inspection in Vanuatu?",
                "What did the OECD find about SME financing?", "What was the outcome of the MSME package?"]),
    ],
)  # fmt: skip
def test_the_frame_is_read_from_any_wording(frame: str | None, wordings: list[str]):
    assert [frame_of(toks(w), w) for w in wordings] == [frame] * len(wordings)
