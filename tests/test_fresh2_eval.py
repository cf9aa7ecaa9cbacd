"""The second-round scorer's per-row checks, on hand-made answers (no model)."""

from __future__ import annotations

import sys

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import fresh  # noqa: E402
import fresh2  # noqa: E402


def seen(text: str = "", cited: tuple[str, ...] = (), **kw) -> fresh2.Seen2:
    extra = {k: kw.pop(k) for k in ("support", "missing") if k in kw}
    return fresh2.Seen2(fresh.Seen(question="q", text=text, cited=cited, **kw), **extra)


def test_a_gap_is_handled_by_a_refusal_or_a_partial_answer_that_names_it():
    row = {"why": "detail", "missing_words": ["SMEs trained"]}
    gold: dict[str, set[str]] = {}
    assert fresh2.score_gap(row, gold, seen(abstained=True))[0]["handled"]
    named = seen("The catalogue does not say how many SMEs trained.", ("a",), support="partial",
                 missing=("how many SMEs trained",))  # fmt: skip
    assert fresh2.score_gap(row, gold, named)[0]["handled"]
    unnamed = seen("Visa works with small businesses.", ("a",), support="partial", missing=("a date",))
    assert not fresh2.score_gap(row, gold, unnamed)[0]["handled"]
    assert not fresh2.score_gap(row, gold, seen("Visa works with small businesses.", ("a",), kind="fact"))[0]["handled"]


def test_yes_needs_a_gold_citation_and_no_needs_a_no():
    gold = {"gold": {"a"}}
    assert fresh2.score_yesno({"answer": "yes"}, gold, seen("Yes: 1 presentation ...", ("a",)))[0]["right"]
    assert not fresh2.score_yesno({"answer": "yes"}, gold, seen("No presentation is about it.", ("a",)))[0]["right"]
    assert not fresh2.score_yesno({"answer": "yes"}, gold, seen("Yes: ...", ("b",)))[0]["right"]
    assert fresh2.score_yesno({"answer": "no"}, {"gold": set()}, seen("No presentation is about AI."))[0]["right"]
    assert not fresh2.score_yesno({"answer": "no"}, {"gold": set()}, seen("AI helps.", ("b",)))[0]["right"]


def test_overview_recall_and_compare_sides():
    gold = {"must_cite": {"a", "b"}, "on_topic": {"c"}}
    metrics, _ = fresh2.score_overview({}, gold, seen(cited=("a", "c", "z"), kind="overview"))
    assert (metrics["all cited"], metrics["recall"], metrics["kind"]) == (False, 0.5, True)
    assert abs(metrics["on topic"] - 2 / 3) < 1e-9
    sides = {"side0": {"a"}, "side1": {"b", "c"}}
    assert fresh2.score_compare({}, sides, seen(cited=("a", "c")))[0]["both sides"]
    assert not fresh2.score_compare({}, sides, seen(cited=("a",)))[0]["both sides"]


def test_structure_halves_never_split_an_intent():
    rows = [{"id": f"i{n}-{c}", "intent": f"i{n}"} for n in range(6) for c in "abc"]
    halves = fresh2.halves("structure", rows)
    by_intent: dict[str, set[str]] = {}
    for half, row in halves:
        by_intent.setdefault(row["intent"], set()).add(half)
    assert all(len(h) == 1 for h in by_intent.values())
    assert {h for (h,) in by_intent.values()} == {"tune", "untouched"}


def test_an_answerable_row_with_no_fact_is_scored_on_the_rest():
    gold = {"gold": {"a"}}
    metrics, miss = fresh2.score_answerable({"fact": None}, gold, seen("AUD 1,000.", ("a",)))
    assert metrics["fact"] is None and metrics["hit@1"] and miss is None
    assert fresh2.score_answerable({"fact": "AUD 1,000"}, gold, seen("AUD 1,000.", ("a",)))[0]["fact"] is True
