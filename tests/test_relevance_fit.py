"""The relevance judgment's fit reproduces from committed data, and the committed features are the product's."""

from __future__ import annotations

import json
import sys

import numpy as np

from qa.answers.relevance import FEATURES
from qa.settings import DEFAULT

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import fit_relevance  # noqa: E402
import relevance_corpus  # noqa: E402


def test_settings_equal_the_fit_of_the_committed_features():
    pairs = fit_relevance.read_pairs()
    assert pairs.names == FEATURES
    about, any_, _, _ = fit_relevance.fit(pairs)
    assert DEFAULT.rel_about_weights == about.weights
    assert DEFAULT.rel_about_bias == about.bias
    assert DEFAULT.rel_about_threshold == about.threshold
    assert DEFAULT.rel_any_weights == any_.weights
    assert DEFAULT.rel_any_bias == any_.bias
    assert DEFAULT.rel_any_threshold == any_.threshold


def test_the_fit_reads_the_fit_half_only_and_every_entry_of_each_topic():
    pairs = fit_relevance.read_pairs()
    fit_ids = {r["id"] for r in relevance_corpus.fit_topics()}
    held = {r["id"] for r in relevance_corpus.heldout_topics()}
    assert set(pairs.topics) == fit_ids and not fit_ids & held
    assert len(fit_ids) == len(held) == 78
    assert len(pairs.label) == 48 * len(fit_ids)


def test_the_split_is_by_topic_and_stratified_by_style():
    split = relevance_corpus.halves(relevance_corpus.load())
    for half in split.values():
        assert {s: sum(r["style"] == s for r in half) for s in relevance_corpus.STYLES} == {
            "catalogue": 26, "paraphrase": 26, "named": 26}  # fmt: skip


def test_committed_features_equal_what_the_product_computes_now(assistant):
    rows = fit_relevance.compute(assistant, relevance_corpus.fit_topics())
    path = fit_relevance.FEATURES_FILE
    committed = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    assert [(r["topic"], r["entry"], r["label"]) for r in rows] == [
        (r["topic"], r["entry"], r["label"]) for r in committed
    ]
    got, want = np.array([r["f"] for r in rows]), np.array([r["f"] for r in committed])
    assert np.abs(got - want).max() < 1e-4, "the reader or the ranking moved the features: rerun bench/fit_relevance.py"
