"""The fresh sets (bench/fresh/*.jsonl) are valid, and bench/fresh.py scores hand-made answers right (no model)."""

from __future__ import annotations

import json
import random
import sys
from types import SimpleNamespace

import pytest

from qa.answers.model import Answer, Citation, Sentence

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import eval as harness  # noqa: E402
import fresh  # noqa: E402

REQUIRED = {
    "keyword": {"id", "kind", "question", "gold", "misspelt"},
    "paraphrase": {"id", "kind", "question", "gold", "fact"},
    "superlative": {"id", "kind", "question", "gold", "match", "count", "fact"},
    "lists": {"id", "kind", "question", "gold"},
    "near_oos": {"id", "kind", "question", "why", "near", "missing"},
    "conversations": {"id", "turns", "gold", "operation"},
}
KINDS = {
    "keyword": {"keyword"},
    "paraphrase": {"paraphrase"},
    "superlative": {"superlative", "total"},
    "lists": {"list", "count"},
    "near_oos": {"out_of_scope"},
    "conversations": {None},
}


# The sets -----------------------------------------------------------------------------------------


def test_there_are_six_sets_and_the_scorer_knows_each():
    assert {p.stem for p in fresh.FRESH.glob("*.jsonl")} == set(fresh.SETS) == set(REQUIRED)


@pytest.mark.parametrize("name", fresh.SETS)
def test_each_set_has_its_fields_unique_ids_and_gold_that_exists(catalogue, name):
    rows = fresh.load(name)
    assert rows, name
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    holder = SimpleNamespace(catalogue=catalogue)  # all eval.gold_ids reads of an assistant
    for row in rows:
        assert REQUIRED[name] <= set(row), (row["id"], REQUIRED[name] - set(row))
        assert row.get("kind") in KINDS[name], row["id"]
        for key in ("gold", "near"):
            if key in row:
                named = [(g["title"], g["date"]) for g in row[key]]
                assert len(named) == len(set(named)), (row["id"], "gold named twice")
                found = harness.gold_ids(holder, {"id": row["id"], "gold": row[key]})  # SystemExit if absent
                assert len(found) == len(named), row["id"]
        if "question" in row:
            assert row["question"].strip(), row["id"]


def test_ids_are_unique_across_the_sets():
    ids = [r["id"] for name in fresh.SETS for r in fresh.load(name)]
    assert len(ids) == len(set(ids))


def test_keyword_rows_say_whether_they_are_misspelt(catalogue):
    for row in fresh.load("keyword"):
        assert isinstance(row["misspelt"], bool) and row["gold"], row["id"]
        assert ("intended" in row) == row["misspelt"], row["id"]


def test_paraphrase_facts_are_in_a_gold_summary(catalogue):
    holder = SimpleNamespace(catalogue=catalogue)
    for row in fresh.load("paraphrase"):
        gold = harness.gold_ids(holder, row)
        summaries = [e.summary for e in catalogue.entries if e.id in gold]
        assert any(harness.normalise(row["fact"]) in harness.normalise(s) for s in summaries), row["id"]


def test_superlative_rows_state_conditions_the_scorer_reads():
    for row in fresh.load("superlative"):
        assert row["match"] in ("first", "all"), row["id"]
        assert row["count"] is None or isinstance(row["count"], int), row["id"]
        assert row["fact"] is None or isinstance(row["fact"], str), row["id"]
        if row.get("outside"):
            assert row["gold"] == [], row["id"]
        else:
            assert row["gold"] or row["count"] is not None, row["id"]  # something to check


def test_near_oos_and_conversation_rows_use_known_groups():
    assert {r["why"] for r in fresh.load("near_oos")} <= set(fresh.WHY)
    for row in fresh.load("conversations"):
        assert row["operation"] in fresh.OPERATIONS, row["id"]
        assert len(row["turns"]) >= 2 and row["gold"], row["id"]
        for turn in row["turns"]:  # one line each, and a question, not a slash command
            assert turn.strip() and "\n" not in turn and not turn.lstrip().startswith("/"), row["id"]


# Halves -------------------------------------------------------------------------------------------


def test_halves_alternate_by_id_whatever_the_file_order():
    rows = [{"id": f"x{i:03d}"} for i in range(9)]
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    halves = fresh.with_halves(shuffled)
    assert [r["id"] for _, r in halves] == [r["id"] for r in rows]
    assert [h for h, _ in halves] == ["tune", "untouched"] * 4 + ["tune"]
    quick = fresh.pick(halves, quick=True)
    assert {h for h, _ in quick} == {"tune", "untouched"}


def test_every_set_splits_into_halves_that_differ_by_at_most_one():
    for name in fresh.SETS:
        halves = [h for h, _ in fresh.with_halves(fresh.load(name))]
        assert abs(halves.count("tune") - halves.count("untouched")) <= 1


# Hand-made answers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def entries(catalogue):
    return {e.id: e for e in catalogue.entries}


def make(entries, ids=(), *, text="", kind="fact", count=None, abstained=False) -> Answer:
    cites = tuple(Citation(n, entries[i]) for n, i in enumerate(ids, start=1))
    sentences = (Sentence(text, 1),) if text and cites else ()
    return Answer("q", text, abstained=abstained, count=count, sentences=sentences, citations=cites, kind=kind)


@pytest.fixture(scope="module")
def ids(entries):
    return sorted(entries)[:6]


def test_seen_reads_an_answer_as_its_json_says(entries, ids):
    answer = make(entries, ids[:2], text="Some text [1].", kind="list", count=2)
    seen = fresh.Seen.of(answer)
    assert seen.cited == tuple(ids[:2]) and seen.first == ids[0] and seen.count == 2 and seen.kind == "list"
    assert fresh.Seen.from_json(answer.to_json()) == seen  # the JSON carries kind (INTERFACE.md)


def test_keyword_hits_use_the_first_citations_and_a_refusal_is_no_hit(entries, ids):
    gold = {ids[1]}
    row = {"id": "k", "question": "q", "misspelt": True}
    listed = fresh.Seen.of(make(entries, [ids[0], ids[1]], kind="search"))
    r = fresh.score_keyword("tune", row, gold, listed)
    assert r.metrics == {"hit@1": False, "hit@3": True, "refused": False, "misspelt hit@1": False}
    assert "hit@3" in (r.miss or "")
    first = fresh.score_keyword("tune", {**row, "misspelt": False}, gold, fresh.Seen.of(make(entries, [ids[1]])))
    assert first.metrics["hit@1"] and first.metrics["misspelt hit@1"] is None and first.miss is None
    refused = fresh.score_keyword("tune", row, gold, fresh.Seen.of(make(entries, abstained=True, kind="abstain")))
    assert refused.metrics["refused"] and not refused.metrics["hit@1"] and not refused.metrics["hit@3"]


def test_paraphrase_needs_the_gold_first_and_the_fact_in_the_text(entries, ids):
    row = {"id": "p", "question": "q", "fact": "AI\u2011enhanced  Search"}
    good = fresh.Seen.of(make(entries, [ids[0]], text="They built ai-enhanced search of codes."))
    r = fresh.score_paraphrase("tune", row, {ids[0]}, good)
    assert r.metrics == {"hit@1": True, "containment": True, "false abstentions": False} and r.miss is None
    wrong = fresh.score_paraphrase("tune", row, {ids[1]}, good)
    assert wrong.metrics["hit@1"] is False and wrong.metrics["containment"] is True


def superlative(row_extra, gold, answer):
    row = {"id": "s", "kind": "superlative", "question": "q", "match": "first", "count": None, "fact": None}
    row.update(row_extra)
    return fresh.score_superlative("tune", row, gold, fresh.Seen.of(answer)).metrics


def test_superlative_first_all_and_fact(entries, ids):
    answer = make(entries, [ids[0], ids[1]], text="On 13 March 2023: ...", kind="list", count=2)
    assert superlative({}, {ids[0], ids[2]}, answer)["exact"]
    assert not superlative({}, {ids[1]}, answer)["exact"]
    assert superlative({"match": "all"}, {ids[0], ids[1]}, answer)["exact"]
    assert not superlative({"match": "all"}, {ids[0], ids[1], ids[2]}, answer)["exact"]
    assert superlative({"fact": "13 march 2023"}, {ids[0]}, answer)["exact"]
    assert not superlative({"fact": "18 February 2021"}, {ids[0]}, answer)["exact"]


def test_total_count_strict_and_lenient(entries, ids):
    row = {"kind": "total", "match": "all", "count": 13}
    in_text = make(entries, text="The group met 13 times.", kind="fact")
    m = superlative(row, set(), in_text)  # empty gold: a count of meetings, not of entries
    assert not m["exact"] and m["exact (lenient count)"] and m["total exact (lenient)"]
    assert m["superlative exact"] is None
    counted = make(entries, ids[:2], text="2 presentations", kind="count", count=13)
    assert superlative(row, set(), counted)["exact"]  # the cited entries are not checked against an empty gold
    wrong = make(entries, text="The group met 130 times, or 1,13 or 13.5.", kind="fact")
    assert not superlative(row, set(), wrong)["exact (lenient count)"]
    other_count = make(entries, ids[:2], text="13 meetings", kind="count", count=48)
    assert not superlative(row, set(), other_count)["exact (lenient count)"]  # a count given is the count
    # a count with gold entries: both must hold
    both = {"kind": "total", "match": "all", "count": 2}
    assert superlative(both, {ids[0], ids[1]}, make(entries, ids[:2], kind="count", count=2))["exact"]
    assert not superlative(both, {ids[0], ids[2]}, make(entries, ids[:2], kind="count", count=2))["exact"]


def test_outside_rows_want_nothing_cited_and_no_confident_fact(entries, ids):
    outside = {"outside": True, "match": "all", "count": 0}
    assert superlative(outside, set(), make(entries, abstained=True, kind="abstain"))["outside exact"]
    assert superlative(outside, set(), make(entries, text="No presentations in 2020.", kind="count", count=0))["exact"]
    fact = superlative(outside, set(), make(entries, [ids[0]], text="The latest was ...", kind="fact"))
    assert not fact["exact"] and not fact["outside exact"] and fact["false abstentions"] is None
    assert fact["superlative exact"] is None


def test_list_exact_needs_the_gold_set_and_its_count(entries, ids):
    gold = {ids[0], ids[1]}
    assert fresh.list_checks(gold, fresh.Seen.of(make(entries, ids[:2], kind="list", count=2))) == []
    assert fresh.list_checks(gold, fresh.Seen.of(make(entries, ids[:2], kind="list", count=3)))
    missing = fresh.list_checks(gold, fresh.Seen.of(make(entries, ids[:3], kind="list", count=3)))
    assert "extra 1" in missing[0]
    none = fresh.Seen.of(
        make(entries, text="The catalogue has no presentations in December 2021.", kind="list", count=0)
    )
    assert fresh.list_checks(set(), none) == []
    assert fresh.list_checks(set(), fresh.Seen.of(make(entries, abstained=True, kind="abstain")))  # count None
    row = {"id": "l", "kind": "count", "question": "q"}
    m = fresh.score_list("untouched", row, gold, fresh.Seen.of(make(entries, ids[:2], kind="count", count=2))).metrics
    assert m == {"exact": True, "list exact": None, "count exact": True, "false abstentions": False}


def test_near_oos_abstention_by_why(entries, ids):
    row = {"id": "o", "question": "q", "why": "period"}
    none = fresh.Seen.of(make(entries, text="The catalogue has no presentations in 2019.", kind="list", count=0))
    m = fresh.score_near("tune", row, set(), none).metrics
    assert m["abstained"] is False and m["period"] is False and m["detail"] is None
    assert m["abstained or none found"] is True
    m = fresh.score_near("tune", row, set(), fresh.Seen.of(make(entries, abstained=True, kind="abstain"))).metrics
    assert m["abstained"] and m["period"]


def test_conversation_last_turn_from_chat_json(entries, ids):
    row = {"id": "c", "turns": ["a?", "b?"], "operation": "series"}
    answered = fresh.Seen.from_json(make(entries, [ids[0]], text="x").to_json())
    m = fresh.score_conversation("tune", row, {ids[0]}, answered).metrics
    assert m["last first-cited in gold"] and not m["last refused"] and m["series"] and m["rest"] is None
    error = fresh.Seen.from_json({"question": "b?", "error": "nothing to refer back to"})
    r = fresh.score_conversation("tune", row, {ids[0]}, error)
    assert r.metrics["last refused"] and not r.metrics["last first-cited in gold"] and "error" in (r.miss or "")
    other = fresh.Seen.from_json([{"n": 1}])  # /sources prints a list
    assert other.other and not other.refused and not fresh.hit_at(other, {ids[0]}, 1)


def test_chat_output_is_paired_with_the_input_lines(entries, ids):
    answer = json.dumps(make(entries, [ids[0]], text="x").to_json())
    seen = fresh.pair_outputs(["a?", "", "/reset"], answer + "\n" + json.dumps({"reset": True}) + "\n")
    assert seen[0].first == ids[0] and seen[1].other and seen[2].other == json.dumps({"reset": True})
    with pytest.raises(RuntimeError):
        fresh.pair_outputs(["a?", "b?"], answer + "\n")
    assert fresh.chat_lines(["two\nlines ", "x"]) == ["two lines", "x"]


def test_tables_report_all_and_both_halves_with_na_where_nothing_applies():
    scored = fresh.Scored("msme-qa")
    scored.records += [
        fresh.Record("a", "tune", "q", {"x": True, "y": None}),
        fresh.Record("b", "untouched", "q", {"x": False, "y": None}),
        fresh.Record("c", "tune", "q", {"x": False, "y": True}),
    ]
    rows = scored.rows(["x", "y"])
    assert [(r["half"], r["n"]) for r in rows] == [("all", 3), ("tune", 2), ("untouched", 1)]
    assert rows[0]["x"] == pytest.approx(1 / 3) and rows[1]["x"] == 0.5 and rows[2]["y"] is None
    assert "n/a" in harness.table(rows)


def test_false_abstentions_pool_the_answerable_sets_only():
    def report(name, metric, values):
        s = fresh.Scored("msme-qa", [fresh.Record(str(i), "tune", "q", {metric: v}) for i, v in enumerate(values)])
        return fresh.SetReport(f"fresh/{name}.jsonl", len(values), [s], [metric], 0.0)

    pooled = fresh.false_abstentions(
        [
            report("keyword", "refused", [True, False]),
            report("superlative", "false abstentions", [None, False]),  # an outside row does not count
            report("near_oos", "abstained", [True, True]),  # abstaining is right there
        ]
    )
    assert (
        pooled[0]["n"] == 3 and pooled[0]["abstained"] == 1 and pooled[0]["false abstentions"] == pytest.approx(1 / 3)
    )


def test_eval_refuses_fresh_only_with_named_files():
    with pytest.raises(SystemExit) as stop:
        harness.main(["--fresh-only", "--devset", str(harness.DEVSET)])
    assert stop.value.code == 2
