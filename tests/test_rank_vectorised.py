"""The vectorised ranking (postings BM25, numpy dense alignment and boosts) returns what the per-entry
loops returned: same entries, same order, same scores. The loops are the reference in bench/rank_reference.py."""

from __future__ import annotations

import json
import random
import sys
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from qa.engine import clean_question
from qa.question.query import Lexicon, Query, read_query
from qa.question.when import Period
from qa.search.bm25 import BM25
from qa.search.dense import MatrixDense, entry_texts
from qa.search.retrieval import Retriever, Scored

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from rank_reference import reference_bm25, reference_boosts, reference_rank  # noqa: E402

TOL = 1e-9


def assert_same(got: list[Scored], want: list[Scored], what: str) -> None:
    assert [s.entry.id for s in got] == [s.entry.id for s in want], what
    for g, w in zip(got, want, strict=True):
        assert g.entry is w.entry, what
        assert type(g.score) is float and type(g.dense) is float and type(g.lexical) is float, what
        assert abs(g.score - w.score) <= TOL, (what, g.entry.id, g.score, w.score)
        assert abs(g.dense - w.dense) <= TOL, (what, g.entry.id, g.dense, w.dense)
        assert abs(g.lexical - w.lexical) <= TOL, (what, g.entry.id, g.lexical, w.lexical)
        assert g.sentence_dense.dtype == w.sentence_dense.dtype and g.sentence_dense.shape == w.sentence_dense.shape
        assert np.allclose(g.sentence_dense, w.sentence_dense, rtol=0, atol=TOL), (what, g.entry.id)


def read(catalogue, question: str, qvec: np.ndarray | None = None, **fields) -> Query:
    """The question read as the engine reads it; ``fields`` replace what it named (a plain query then)."""
    query = read_query(clean_question(question), Lexicon.of(catalogue))
    if fields:
        query = replace(query.plain(), **fields)
    return query.with_vector(qvec)


def bench_questions() -> list[str]:
    questions = []
    for name in ("devset.jsonl", "heldout.jsonl"):
        lines = (ROOT / "bench" / name).read_text(encoding="utf-8").splitlines()
        questions += [json.loads(line)["question"] for line in lines if line.strip()]
    return questions


# --- BM25 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_bm25_postings_score_like_a_loop_over_every_document(seed: int) -> None:
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(rng.randint(1, 40))]
    docs = [[rng.choice(vocab) for _ in range(rng.choice([0, 0, 1, 3, 8, 20]))] for _ in range(rng.randint(1, 60))]
    bm25 = BM25(docs)
    for _ in range(30):
        query = [rng.choice([*vocab, "unknown", "w999"]) for _ in range(rng.randint(0, 8))]
        weights = {t: rng.choice([0.0, 0.25, 0.5, 2.0]) for t in query if rng.random() < 0.5}
        for w in (None, {}, weights):
            got, want = bm25.scores(query, w), reference_bm25(bm25, query, w)
            # Same terms in the same order with the same arithmetic: equal to the last bit, not just close.
            assert got.dtype == want.dtype and np.array_equal(got, want), (docs, query, w)


def test_bm25_edge_collections() -> None:
    assert BM25([]).scores(["a"]).shape == (0,)
    empty = BM25([[], []])
    assert np.array_equal(empty.scores(["a"]), np.zeros(2)) and not empty.known("a")
    one = BM25([["a", "a", "b"], [], ["b"]])
    assert np.array_equal(one.scores(["a", "b", "a"]), reference_bm25(one, ["a", "b", "a"]))
    assert one.tf[0]["a"] == 2 and one.known("b") and set(one.idf) == {"a", "b"}


# --- the whole ranking, on the real catalogue with the real model and index ----------------------------


def test_rank_matches_the_reference_on_every_bench_question(assistant) -> None:
    r = assistant.retriever
    assert isinstance(r.dense, MatrixDense) and r._rows is not None  # the numpy path is the one tested
    n = len(r.entries)
    questions = bench_questions()
    assert len(questions) >= 250
    for k, question in enumerate(questions):
        query = read(assistant.catalogue, question, r.query_vector(question))
        assert_same(r.rank(query), reference_rank(r, query), question)
        bare = query.with_vector(None)
        assert_same(r.rank(bare), reference_rank(r, bare), f"no vector: {question}")
        plain = query.plain()
        assert_same(r.rank(plain), reference_rank(r, plain), f"plain: {question}")
        candidates = list(range(n))[k % 5 :: 3][::-1] + [k % n, -1 - k % 3]  # any order, repeats, from the end
        assert_same(
            r.rank(query, candidates=candidates), reference_rank(r, query, candidates), f"candidates: {question}"
        )
        assert r.rank(query, candidates=[]) == []


class DictOnlyDense:
    """A DenseIndex that only answers through ``scores()`` and, like FaissDense, finds only some entries;
    it also returns a key the catalogue does not have and an entry with no vectors."""

    def __init__(self, inner: MatrixDense, keep: int, empty: str) -> None:
        self.inner, self.keep, self.empty = inner, keep, empty

    def encode(self, text: str) -> np.ndarray:
        return self.inner.encode(text)

    def scores(self, query: np.ndarray) -> dict[str, np.ndarray]:
        found = self.inner.scores(query)
        best = sorted(found, key=lambda key: -float(found[key][0]))[: self.keep]
        out = {key: found[key] for key in best}
        out["not-in-the-catalogue"] = np.array([-0.5, 0.9], dtype=np.float32)
        out[self.empty] = np.zeros(0, dtype=np.float32)
        return out


def test_rank_through_a_dense_index_that_returns_a_dict(assistant) -> None:
    inner = assistant.retriever.dense
    empty = assistant.catalogue.entries[3].id
    r = Retriever(assistant.catalogue, DictOnlyDense(inner, keep=10, empty=empty))
    assert r._rows is None
    for question in bench_questions()[::7]:
        query = read(assistant.catalogue, question, r.query_vector(question))
        assert_same(r.rank(query), reference_rank(r, query), question)
        few = [5, 3, 3, 1, -1, -len(r.entries) + 3]  # the last one is position 3 again
        assert_same(r.rank(query, few), reference_rank(r, query, few), question)


def test_rank_with_a_matrix_that_misses_entries_and_sentences(catalogue) -> None:
    """A MatrixDense (random vectors) that lacks some entries, has only the entry row for others, and holds
    rows for ids the catalogue does not have, one of them split in two runs (the later run is its key's)."""
    rng = np.random.default_rng(7)
    rows: list[tuple[str, int]] = []
    for k, e in enumerate(catalogue.entries):
        if k % 9 == 4:
            continue  # not in the index
        count = 1 if k % 5 == 2 else len(entry_texts(e))
        rows += [(e.id, j) for j in range(count)]
    rows = [("stray", 0), ("stray", 1), *rows[:10], ("stray", 0), *rows[10:], ("other", 0)]
    vectors = rng.normal(size=(len(rows), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[0] = -vectors[0] * 3  # the lowest similarity sits in a run that scores() no longer returns
    dense = MatrixDense(vectors, rows, lambda texts: rng.normal(size=(len(texts), 16)).astype(np.float32))
    r = Retriever(catalogue, dense)
    assert r._rows is not None
    for question in bench_questions()[::11]:
        query = read(catalogue, question, rng.normal(size=16).astype(np.float32), economies=("Canada",))
        assert_same(r.rank(query), reference_rank(r, query), question)
        few = [7, 0, 4, 4, -2]
        assert_same(r.rank(query, few), reference_rank(r, query, few), question)
    empty = Retriever(catalogue, MatrixDense(np.zeros((0, 16), np.float32), [], lambda t: np.zeros((len(t), 16))))
    tariffs = read(catalogue, "tariffs", np.ones(16, dtype=np.float32), kind="fact")
    assert_same(empty.rank(tariffs), reference_rank(empty, tariffs), "empty")


class LooserPeriod(Period):
    """Not a Period as rank() knows it: its own contains() is asked, date by date."""

    def contains(self, day: date) -> bool:
        return day.month in (1, 6, 11)


def test_boosts_match_the_reference_for_periods_institutions_and_economies(assistant) -> None:
    r = assistant.retriever
    days = sorted({e.date for e in r.entries})
    one = timedelta(days=1)
    bounds = [None, days[0] - one, days[0], days[3], days[3] + one, days[-1], days[-1] + one, date(2021, 10, 15)]
    periods = [Period(a, b, "test") for a in bounds for b in bounds]
    periods.append(LooserPeriod(None, None, "odd"))
    institutions = sorted({e.institution for e in r.entries})
    economies = sorted(set().union(*r.mentions))
    assert economies, "the catalogue names some economies"
    cases = [
        Query(""),
        Query("", institutions=(institutions[0], institutions[0], "Nobody"), economies=("Atlantis",)),
        Query("", kind="list", institutions=tuple(institutions[::3]), economies=tuple(economies)),
    ]
    cases += [
        Query("", period=p, institutions=(institutions[k % 7],), economies=(economies[k % len(economies)],))
        for k, p in enumerate(periods)
    ]
    for intent in cases:
        got, want = r._boosts(intent), reference_boosts(r, intent)
        assert got.dtype == want.dtype and np.array_equal(got, want), intent


def test_a_limited_ranking_is_the_head_of_the_full_one(assistant) -> None:
    r = assistant.retriever
    for question in bench_questions()[::7]:
        query = read(assistant.catalogue, question, r.query_vector(question))
        full = r.rank(query)
        for k in (0, 1, 5, len(full) + 3):
            assert_same(r.rank(query, limit=k), full[:k], f"{question} limit={k}")
        some = list(range(0, len(full), 3))
        assert_same(
            r.rank(query, candidates=some, limit=4), r.rank(query, candidates=some)[:4], f"{question} candidates"
        )
