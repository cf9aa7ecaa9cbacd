"""bench/floor.py: answerable rows, halves and the floor rule on hand-made rows (no model); one slow run of the
real product (--quick) that checks the table's shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEED

sys.path.insert(0, str(ROOT / "bench"))

import floor  # noqa: E402

A = {"title": "A", "date": "2020-01-01"}
B = {"title": "B", "date": "2021-02-02"}


# Answerable rows, by shape -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "gold"),
    [
        ({"kind": "fact", "question": "q", "gold": [A]}, [A]),  # devset, keyword, paraphrase, answerable
        ({"kind": "list", "question": "q", "gold": [A, B]}, [A, B]),
        ({"kind": "list", "question": "q", "gold": []}, []),  # a list of nothing
        ({"kind": "out_of_scope", "question": "q", "gold": []}, []),
        ({"kind": "total", "match": "all", "count": 3, "gold": []}, []),  # counts meetings, not entries
        ({"kind": "total", "match": "all", "count": 0, "gold": [A]}, []),  # count 0
        ({"kind": "superlative", "match": "all", "gold": [A], "outside": True}, []),
        ({"question": "q", "must_cite": [A], "on_topic": [B]}, [A]),  # overview: must_cite only
        ({"question": "q", "sides": [[A], [B]]}, [A, B]),  # compare: both sides
        ({"question": "q", "answer": "yes", "gold": [B]}, [B]),
        ({"question": "q", "answer": "no", "gold": [B]}, []),
        ({"question": "q", "answer": "no"}, []),
        ({"question": "q", "mentioned_in": [A]}, []),  # uncovered
        ({"question": "q", "why": "detail", "near": [A], "missing": "x"}, []),  # near_oos, gaps
        ({"question": "q"}, []),  # faroff
        ({"turns": ["a", "b"], "operation": "series", "gold": [A]}, [A]),
        ({"turns": ["a", "b"], "expect": "first", "gold": [A]}, [A]),
        ({"turns": ["a", "b"], "expect": "nothing", "gold": []}, []),
        ({"turns": ["a", "b"], "expect": "clarify", "gold": [A]}, []),
    ],
)
def test_answerable_rows_by_shape(row, gold):
    assert floor.gold_pairs(row) == gold
    assert floor.answerable(row) == bool(gold)


def test_a_baseline_ranks_the_question_or_the_last_turn_alone():
    assert floor.asked({"question": "Who spoke?"}) == "Who spoke?"
    assert floor.asked({"turns": ["Who spoke on AI?", "And\nwhen?"]}) == "And when?"


def test_every_set_on_disk_has_answerable_rows_or_is_a_refusal_set():
    sets = dict(floor.question_sets())
    assert {"devset", "heldout", "blind", "fresh/keyword", "fresh2/overview", "fresh2/compare"} <= set(sets)
    for name in ("devset", "fresh/keyword", "fresh/conversations", "fresh2/overview", "fresh2/compare"):
        assert any(floor.answerable(r) for r in floor.load(sets[name])), name
    for name in ("fresh/near_oos", "fresh2/faroff", "fresh2/uncovered", "fresh2/gaps"):
        assert not any(floor.answerable(r) for r in floor.load(sets[name])), name


def test_sets_are_found_in_a_fixed_order(tmp_path: Path):
    for name in ("blind.jsonl", "devset.jsonl", "fresh/b.jsonl", "fresh/a.jsonl", "exam/x.jsonl", "fresh4/y.jsonl"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}\n")
    (tmp_path / "fresh" / "notes.txt").write_text("")
    names = [name for name, _ in floor.question_sets(tmp_path)]
    assert names == ["devset", "blind", "fresh/a", "fresh/b", "fresh4/y", "exam/x"]


# Halves ----------------------------------------------------------------------------------------------------


def test_halves_alternate_by_id_over_the_whole_set():
    rows = [{"id": f"k{n:02d}", "question": "q", "gold": [A] if n % 3 else []} for n in (5, 0, 3, 1, 4, 2)]
    got = floor.halves("fresh/keyword", rows)
    assert [(h, r["id"]) for h, r in got] == [
        ("tune", "k00"), ("untouched", "k01"), ("tune", "k02"),
        ("untouched", "k03"), ("tune", "k04"), ("untouched", "k05"),
    ]  # fmt: skip
    # Only answerable rows are scored, but each keeps the half it has in the whole set.
    scored = floor.scored_rows("fresh/keyword", rows, quick=False)
    assert [(h, r["id"]) for h, r in scored] == [("untouched", "k01"), ("tune", "k02"), ("tune", "k04"),
                                                 ("untouched", "k05")]  # fmt: skip
    assert [r["id"] for _, r in floor.scored_rows("fresh/keyword", rows, quick=True)] == ["k01", "k05"]


def test_reworded_sets_split_by_intent_and_older_sets_have_no_halves():
    rows = [{"id": f"s{n}{c}", "intent": f"i{n}", "gold": [A]} for n in range(4) for c in "ab"]
    got = floor.halves("fresh2/structure", rows)
    by_intent: dict[str, set[str | None]] = {}
    for half, row in got:
        by_intent.setdefault(row["intent"], set()).add(half)
    assert by_intent == {"i0": {"tune"}, "i1": {"untouched"}, "i2": {"tune"}, "i3": {"untouched"}}
    # A later folder's set of rewordings (every row has an intent) is split the same way.
    assert floor.halves("fresh3/anything", rows) == got
    assert {h for h, _ in floor.halves("devset", rows)} == {None}
    assert {h for h, _ in floor.halves("exam/final", rows)} == {None}


# Tallies and the floor -------------------------------------------------------------------------------------


def result(i: int, half: str | None, *hits: bool) -> floor.Result:
    return floor.Result(f"r{i}", half, dict(zip(floor.METHODS, hits, strict=True)), f"question {i}", "got")


def test_counts_per_set_and_per_half_add_up():
    results = [result(0, "tune", True, True, False, False), result(1, "untouched", False, True, True, True),
               result(2, "tune", True, False, False, True)]  # fmt: skip
    line = floor.summarise("fresh/x", results, halved=True)
    assert {k: line[k] for k in ("n", *floor.METHODS)} == {"n": 3, "msme-qa": 2, "BM25": 2, "RRF": 1, "dense": 2}
    assert line["halves"]["tune"] == {"n": 2, "msme-qa": 2, "BM25": 1, "RRF": 0, "dense": 1}
    assert line["halves"]["untouched"]["n"] == 1
    assert floor.summarise("devset", results, halved=False)["halves"] is None
    assert floor.total([line, line])["msme-qa"] == 4


def line(name: str, n: int, product: int, bm25: int, rrf: int) -> dict:
    return {"set": name, "n": n, "msme-qa": product, "BM25": bm25, "RRF": rrf, "dense": 0, "halves": None}


def test_the_floor_holds_when_no_set_trails_by_more_than_one_in_25():
    lines = [line("a", 50, 40, 42, 30), line("b", 100, 90, 80, 94), line("c", 0, 0, 0, 0)]
    assert floor.floor_failures(lines, floor.total(lines)) == ([], [])  # deficits 2 <= 50/25 and 4 <= 100/25


def test_the_floor_fails_on_one_set_or_on_the_total():
    lines = [line("a", 50, 40, 43, 30), line("b", 100, 90, 80, 94)]
    assert floor.floor_failures(lines, floor.total(lines))[0] == ["a: msme-qa 40 < BM25 43 of 50 (deficit 3 > 50/25)"]
    # Each set within its slack, but the total below RRF.
    lines = [line("a", 50, 40, 30, 42), line("b", 100, 90, 80, 94)]
    assert floor.floor_failures(lines, floor.total(lines))[0] == ["TOTAL: msme-qa 130 < RRF 136 of 150"]


def test_a_known_shortfall_is_tolerated_only_while_it_does_not_get_worse():
    lines = [line("a", 50, 40, 43, 30), line("b", 100, 90, 80, 94)]
    said = "a: msme-qa 40 < BM25 43 of 50 (deficit 3 > 50/25)"
    assert floor.floor_failures(lines, floor.total(lines), {"a": 40}) == ([], [said])
    assert floor.floor_failures(lines, floor.total(lines), {"a": 41}) == ([said], [])  # dropped below its record
    assert floor.floor_failures(lines, floor.total(lines), {"b": 90})[0] == [said]  # another set's record is no pass


def test_the_table_has_a_total_and_halves_only_where_there_are_rows():
    lines = [line("devset", 4, 3, 2, 1), {**line("fresh/x", 2, 1, 1, 1), "halves": {
        "tune": {"n": 1, "msme-qa": 1, "BM25": 0, "RRF": 1, "dense": 0},
        "untouched": {"n": 1, "msme-qa": 0, "BM25": 1, "RRF": 0, "dense": 0}}},
        {**line("fresh/none", 0, 0, 0, 0), "halves": {"tune": {}, "untouched": {}}}]  # fmt: skip
    rows = floor.table_rows(lines, floor.total(lines))
    assert [r["set"] for r in rows] == ["devset", "fresh/x", "  fresh/x tune", "  fresh/x untouched", "fresh/none",
                                        "TOTAL"]  # fmt: skip
    assert rows[0]["msme-qa"] == "3 (0.750)" and rows[4]["msme-qa"] == "-"
    assert rows[-1]["answerable n"] == "6"


# --show-misses ----------------------------------------------------------------------------------------------


def test_show_misses_prints_the_tune_half_only(capsys):
    results = [result(0, "tune", False, True, True, True), result(1, "untouched", False, True, True, True),
               result(2, "tune", True, True, True, True)]  # fmt: skip
    floor.print_misses("fresh/x", results)
    out = capsys.readouterr().out
    assert "r0 got: question 0" in out and "r1" not in out and "r2" not in out


def test_show_misses_refuses_exam_sets_and_sets_without_halves(capsys):
    known = ["devset", "fresh/keyword", "exam/final"]
    assert floor.misses_target("bench/fresh/keyword.jsonl", known) == ("fresh/keyword", "")
    for refused in ("exam/final", "bench/exam/final.jsonl", "exam/not-there", "devset", "fresh/nothing"):
        assert floor.misses_target(refused, known)[0] is None
    # main refuses before loading anything (no model in the fast lane).
    assert floor.main(["--show-misses", "exam/final"]) == 2
    assert floor.main(["--show-misses", "devset"]) == 2
    assert "refuses" in capsys.readouterr().err


# The real product --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_quick_floor_on_the_real_product(built_index: Path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "floor.py"), "--quick", "--no-check", "--json",
         "--index", str(built_index), "--catalogue", str(SEED)],
        capture_output=True, text=True, encoding="utf-8", timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["quick"] is True and report["checked"] is False and report["failures"] == []
    names = [s["set"] for s in report["sets"]]
    assert names == [name for name, _ in floor.question_sets()]
    assert {"devset", "heldout", "blind", "fresh/keyword", "fresh/conversations", "fresh2/overview"} <= set(names)
    for s in report["sets"]:
        assert all(0 <= s[m] <= s["n"] for m in floor.METHODS), s["set"]
        if s["halves"] is not None:
            for key in ("n", *floor.METHODS):
                assert s["halves"]["tune"][key] + s["halves"]["untouched"][key] == s[key], s["set"]
        assert (s["halves"] is None) == (s["set"].partition("/")[0] not in floor.HALVED), s["set"]
    for name in ("devset", "fresh/keyword", "fresh/conversations", "fresh2/overview", "fresh2/compare"):
        assert next(s for s in report["sets"] if s["set"] == name)["n"] > 0, name
    assert report["total"] == floor.total(report["sets"])


def test_an_unknown_gold_entry_in_a_blind_set_names_no_row():
    from datetime import date
    from types import SimpleNamespace

    entry = SimpleNamespace(id="e1", title="A", date=date(2020, 1, 1))
    assistant = SimpleNamespace(catalogue=SimpleNamespace(entries=[entry]))
    assert floor.gold_ids(assistant, "fresh/x", {"gold": [A]}) == {"e1"}
    with pytest.raises(SystemExit) as seen:
        floor.gold_ids(assistant, "fresh/x", {"id": "x1", "gold": [B]})
    assert "'B'" in str(seen.value)  # a set already read: the row is named, as bench/eval.py does
    for name in ("fresh3/x", "fresh4/x", "exam/x"):
        with pytest.raises(SystemExit) as seen:
            floor.gold_ids(assistant, name, {"id": "x1", "gold": [B]})
        assert "'B'" not in str(seen.value) and "x1" not in str(seen.value)
