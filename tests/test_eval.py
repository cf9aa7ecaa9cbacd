"""The evaluation harness runs, and quality does not regress below what docs/quality.md reports."""

from __future__ import annotations

import sys

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import eval as harness  # noqa: E402

SETS = ["DEVSET", "HELDOUT", "BLIND"]  # in the order they were written


@pytest.mark.parametrize("name", SETS)
def test_each_set_is_valid_and_shares_no_question_with_an_earlier_one(assistant, name):
    rows = harness.load_devset(getattr(harness, name), quick=False)
    earlier = {
        r["question"].casefold()
        for s in SETS[: SETS.index(name)]
        for r in harness.load_devset(getattr(harness, s), quick=False)
    }
    assert len(rows) >= 100 and not earlier & {r["question"].casefold() for r in rows}
    assert {"fact", "paraphrase", "out_of_scope"} <= {r["kind"] for r in rows}
    for row in rows:
        gold = harness.gold_ids(assistant, row)
        assert len(gold) == len(row["gold"])
        if row["kind"] in ("fact", "paraphrase"):
            summaries = [e.summary for e in assistant.catalogue.entries if e.id in gold]
            assert any(harness.normalise(row["fact"]) in harness.normalise(s) for s in summaries), row["id"]


# Floors a little under the figures of docs/quality.md (at most = the figure where it is 1.0); a None column is
# not checked. Columns: fact hit@1, paraphrase hit@1, paraphrase hit@3, containment, list/count exact,
# abstention, false abstentions (a ceiling).
FLOORS = {
    "DEVSET": (1.0, 0.85, 0.95, 0.90, 0.95, 0.85, 0.01),
    "HELDOUT": (1.0, 0.82, 0.93, 0.78, None, 0.85, 0.02),
    "BLIND": (0.9, 0.78, 0.88, 0.75, 0.9, 0.6, 0.02),
}
COLUMNS = ("fact hit@1", "paraphrase hit@1", "paraphrase hit@3", "containment", "list/count exact", "abstention")


@pytest.mark.parametrize("name", SETS)
def test_quality_does_not_fall_below_the_readme(assistant, name):
    row = harness.run_product(assistant, harness.load_devset(getattr(harness, name), quick=False)).row("msme-qa")
    *floors, ceiling = FLOORS[name]
    for column, floor in zip(COLUMNS, floors, strict=True):
        if floor is not None:
            assert row[column] >= floor, (column, row[column])
    assert row["false abstentions"] <= ceiling


def test_baselines_are_scored_in_the_same_run(assistant):
    rows = harness.load_devset(harness.DEVSET, quick=True)
    bm25 = harness.run_baseline(assistant, rows, harness.bm25_signal).row("BM25 only")
    product = harness.run_product(assistant, rows).row("msme-qa")
    assert product["paraphrase hit@1"] >= bm25["paraphrase hit@1"]
    assert product["list/count exact"] > bm25["list/count exact"]
