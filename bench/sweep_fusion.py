"""Sweep the retrieval fusion weights (Settings.w_lexical, w_expansion, w_dense_entry, w_dense_sentence).

    .venv/bin/python bench/sweep_fusion.py --extract   # the product reads every dev question: bench/fusion_signals.jsonl
    .venv/bin/python bench/sweep_fusion.py             # the sweep, from the committed signals (no model)

Questions: the fact and paraphrase questions of bench/devset.jsonl, gold entries by title and date as
bench/eval.py resolves them. ``--extract`` records, per question, what Retriever.rank fuses: BM25 of the
content words and BM25 of the thesaurus words apart (rank() scores them together, a thesaurus word at
w_expansion; a word both said and expanded counts as expanded), the entry cosine, the best sentence cosine
and the boosts, rounded to 6 decimals, with the gold positions and the position the product ranked first.

The sweep ranks entries as rank() does (weighted z-scores summed in its order plus the boosts, stable
argsort) for every grid point and scores the first gold entry's rank: MRR and hit@1 (retrieval only; eval.py's
product figures also move the cited entry first). Choice: the highest MRR, ties to the current Settings,
then to the smallest sum of weights, then the smallest weights in field order. 5-fold cross-validation
(question i in fold i % 5) repeats the choice on four folds and scores the fifth.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.search.retrieval import zscore  # noqa: E402
from qa.settings import DEFAULT, Settings  # noqa: E402

DEVSET = ROOT / "bench" / "devset.jsonl"
SIGNALS = ROOT / "bench" / "fusion_signals.jsonl"
STEPS = [i / 10 for i in range(21)]  # 0.0 .. 2.0; i / 10 is the same float as the literal (0.9 == 9 / 10)
EXPANSION_STEPS = [i / 10 for i in range(11)]  # 0.0 .. 1.0
NAMES = ("w_lexical", "w_expansion", "w_dense_entry", "w_dense_sentence")
FOLDS = 5

Point = tuple[float, float, float, float]  # in NAMES order


def _r(values: Any) -> list[float]:
    return [round(float(v), 6) for v in values]


def extract(assistant: Any, path: Path = SIGNALS) -> None:
    """Write one line per fact/paraphrase question of the dev set with the signals rank() fuses."""
    sys.path.insert(0, str(ROOT / "bench"))
    from eval import gold_ids, load_devset  # bench/eval.py

    retriever = assistant.retriever
    settings: Settings = retriever.settings
    lines = []
    for row in load_devset(DEVSET, quick=False):
        if row["kind"] not in ("fact", "paraphrase"):
            continue
        gold = sorted(p for eid in gold_ids(assistant, row) for p in retriever._positions[eid])
        query = assistant.read(row["question"])
        ranked = retriever.rank(query)
        signals = ranked[0].signals
        extra = set(query.expansions)
        content = retriever.bm25.scores([t for t in query.content if t not in extra])
        expansion = retriever.bm25.scores(list(extra))
        lexical = np.empty(len(ranked))
        lexical[[s.position for s in ranked]] = [s.lexical for s in ranked]
        assert np.allclose(content + settings.w_expansion * expansion, lexical, rtol=0, atol=1e-9), row["id"]
        record = {
            "id": row["id"],
            "kind": row["kind"],
            "gold": gold,
            "first": ranked[0].position,
            "bm25_content": _r(content),
            "bm25_expansion": _r(expansion),
            "entry_cosine": _r(signals.entry_dense),
            "sentence_cosine": _r(signals.sentence_best),
            "boost": _r(retriever._boosts(query)),
        }
        lines.append(json.dumps(record, separators=(",", ":")))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Question:
    id: str
    gold: list[int]
    first: int
    content: np.ndarray
    expansion: np.ndarray
    entry: np.ndarray
    sentence: np.ndarray
    boost: np.ndarray


def load(path: Path = SIGNALS) -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        arrays = [np.array(d[k], dtype=np.float64) for k in ("bm25_content", "bm25_expansion")]
        dense = [np.array(d[k], dtype=np.float64) for k in ("entry_cosine", "sentence_cosine", "boost")]
        out.append(Question(d["id"], d["gold"], d["first"], *arrays, *dense))
    return out


def fused(q: Question, point: Point) -> np.ndarray:
    """rank()'s fused score under ``point``, summed in rank()'s order."""
    w_lex, w_exp, w_ent, w_sen = point
    lexical = q.content + w_exp * q.expansion
    return w_lex * zscore(lexical) + w_ent * zscore(q.entry) + w_sen * zscore(q.sentence) + q.boost


def first_of(q: Question, point: Point) -> int:
    return int(np.argsort(-fused(q, point), kind="stable")[0])


def grid() -> list[Point]:
    return [(a, e, b, c) for a in STEPS for e in EXPANSION_STEPS for b in STEPS for c in STEPS]


def ranks(questions: list[Question]) -> np.ndarray:
    """Rank (1-based) of each question's first gold entry at each grid point: shape (questions, grid)."""
    w = np.array(STEPS)
    a, b, c = (x.reshape(-1) for x in np.meshgrid(w, w, w, indexing="ij"))  # (w_lexical, w_entry, w_sentence)
    out = np.empty((len(questions), len(STEPS), len(EXPANSION_STEPS), len(STEPS) ** 2), dtype=np.uint8)
    for qi, q in enumerate(questions):
        ze, zs = zscore(q.entry), zscore(q.sentence)
        for ei, w_exp in enumerate(EXPANSION_STEPS):
            zl = zscore(q.content + w_exp * q.expansion)
            f = ((a[:, None] * zl[None, :] + b[:, None] * ze[None, :]) + c[:, None] * zs[None, :]) + q.boost
            best = np.full(len(a), 255, dtype=np.int64)
            for g in q.gold:
                mine = f[:, g : g + 1]
                ahead = (f > mine).sum(1) + (f[:, :g] == mine).sum(1)
                best = np.minimum(best, ahead + 1)
            out[qi, :, ei, :] = best.reshape(len(STEPS), len(STEPS) ** 2)
    return out.reshape(len(questions), -1)  # grid() order: w_lexical, w_expansion, w_entry, w_sentence


def current() -> Point:
    s = DEFAULT
    return (s.w_lexical, s.w_expansion, s.w_dense_entry, s.w_dense_sentence)


def choose(mrr: np.ndarray, points: list[Point]) -> int:
    """Index of the chosen point: max MRR (to 1e-12), then the current Settings, then the smallest weights."""
    top = np.flatnonzero(mrr >= mrr.max() - 1e-12)
    now = current()
    return min(top.tolist(), key=lambda i: (points[i] != now, sum(points[i]), points[i]))


@dataclass(frozen=True)
class Sweep:
    points: list[Point]
    mrr: np.ndarray
    hit1: np.ndarray
    chosen: int
    at_settings: int
    cv_chosen: list[float]  # held-out MRR per fold of the point chosen on the other four
    cv_settings: list[float]  # held-out MRR per fold of the current Settings


def sweep(questions: list[Question]) -> Sweep:
    points = grid()
    r = ranks(questions)
    mrr, hit1 = (1.0 / r).mean(0), (r == 1).mean(0)
    at = points.index(current())
    folds = np.arange(len(questions)) % FOLDS
    cv_chosen, cv_settings = [], []
    for k in range(FOLDS):
        fit, test = r[folds != k], r[folds == k]
        pick = choose((1.0 / fit).mean(0), points)
        cv_chosen.append(float((1.0 / test[:, pick]).mean()))
        cv_settings.append(float((1.0 / test[:, at]).mean()))
    return Sweep(points, mrr, hit1, choose(mrr, points), at, cv_chosen, cv_settings)


def show(point: Point) -> str:
    return ", ".join(f"{n}={v:g}" for n, v in zip(NAMES, point, strict=True))


def report(questions: list[Question], s: Sweep) -> None:
    print(f"{len(questions)} questions (fact + paraphrase of {DEVSET.name}), {len(s.points)} grid points")
    print(f"current Settings ({show(current())}): MRR {s.mrr[s.at_settings]:.4f}  hit@1 {s.hit1[s.at_settings]:.4f}")
    ties = int((s.mrr >= s.mrr.max() - 1e-12).sum())
    print(f"best MRR {s.mrr.max():.4f} at {ties} grid point(s); chosen ({show(s.points[s.chosen])}): "
          f"MRR {s.mrr[s.chosen]:.4f}  hit@1 {s.hit1[s.chosen]:.4f}")  # fmt: skip
    print("\n| rank | " + " | ".join(NAMES) + " | MRR | hit@1 |\n|---|---|---|---|---|---|---|")
    order = sorted(range(len(s.points)), key=lambda i: (-round(float(s.mrr[i]), 12), sum(s.points[i]), s.points[i]))
    for n, i in enumerate(order[:10], 1):
        cells = " | ".join(f"{v:g}" for v in s.points[i])
        print(f"| {n} | {cells} | {s.mrr[i]:.4f} | {s.hit1[i]:.4f} |")
    for name, values in (("chosen on 4 folds", s.cv_chosen), ("current Settings", s.cv_settings)):
        v = np.array(values)
        print(f"\n5-fold CV, {name}: held-out MRR {v.mean():.4f} (sd {v.std(ddof=1):.4f}; folds "
              + " ".join(f"{x:.3f}" for x in values) + ")", end="")  # fmt: skip
    same = s.points[s.chosen] == current()
    print(f"\n\nSettings equal the sweep's choice: {'yes' if same else 'no'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extract", action="store_true", help=f"recompute {SIGNALS.name} with the product (model)")
    args = parser.parse_args(argv)
    if args.extract:
        from qa.service import open_assistant

        extract(open_assistant(None, None, None, on_status=lambda m: print(m, file=sys.stderr)))
    questions = load()
    report(questions, sweep(questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
