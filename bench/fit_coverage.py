"""Fit the coverage decision (Settings.cover_weights, cover_bias, cover_threshold) with cross-validation.

    .venv/bin/python bench/fit_coverage.py          # features, the 5-fold figures, the weights to keep

Labelled questions, tune halves only (the untouched halves are never read here):
- bench/fresh2/overview.jsonl: the must-cite and on-topic entries are about the topic, the rest are not;
- bench/fresh2/uncovered.jsonl: no entry is about the topic;
- bench/fresh2/yesno.jsonl: a "yes" row's gold entries are about it, no entry of a "no" row is.

Every (question, entry) pair gets the features of qa.answers.coverage (computed by the product itself). A
logistic regression (L2, gradient descent, features standardised and the weights mapped back) is fitted on
the pairs; the threshold is the one that makes the most questions right (an overview cites every must-cite
entry with at least 0.8 of its cited entries on topic; an uncovered or "no" question has nothing about it;
a "yes" question has a gold entry about it). Folds split by question, so no question is in both sides.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import fresh  # noqa: E402

THRESHOLDS = np.round(np.arange(0.20, 0.991, 0.01), 3)


def tune_rows(name: str) -> list[dict]:
    path = ROOT / "bench" / "fresh2" / f"{name}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for half, row in fresh.with_halves(rows) if half == "tune"]


def key(ref: dict) -> tuple[str, str]:
    return ref["title"], ref["date"]


def questions() -> list[dict]:
    """Each: question, kind, must (entries that must be about it), ok (entries that may be)."""
    out = []
    for row in tune_rows("overview"):
        must = {key(r) for r in row["must_cite"]}
        out.append(
            {"q": row["question"], "kind": "overview", "must": must, "ok": must | {key(r) for r in row["on_topic"]}}
        )
    for row in tune_rows("uncovered"):
        out.append({"q": row["question"], "kind": "none", "must": set(), "ok": set()})
    for row in tune_rows("yesno"):
        gold = {key(r) for r in row.get("gold") or ()}
        if row["answer"] == "yes":
            out.append({"q": row["question"], "kind": "yes", "must": set(), "ok": gold})
        else:
            out.append({"q": row["question"], "kind": "none", "must": set(), "ok": set()})
    return out


def collect(assistant, labelled: list[dict]):
    from qa.answers.coverage import FEATURES, judge

    rows, ys, qid, entries = [], [], [], []
    for i, item in enumerate(labelled):
        query = assistant.read(item["q"])
        if query.institutions or query.presenter:  # "What did WIPO present?": the presenter decides, not the topic
            item["kind"] = "skip"
            continue
        cov = judge(query, assistant.retriever, assistant.settings)
        for j in cov.judged:
            e = j.entry
            rows.append([j.features[f] for f in FEATURES])
            ys.append(1 if (e.title, e.date.isoformat()) in item["ok"] else 0)
            qid.append(i)
            entries.append((e.title, e.date.isoformat()))
    return np.array(rows), np.array(ys), np.array(qid), entries


def fit(
    x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, rate: float = 0.5
) -> tuple[np.ndarray, float]:
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mu) / sd
    w, b = np.zeros(x.shape[1]), 0.0
    pos = max(1, int(y.sum()))
    weight = np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * max(1, len(y) - pos)))  # balanced classes
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * weight
        w -= rate * ((z.T @ g) / len(y) + l2 * w / len(y))
        b -= rate * g.mean()
    return w / sd, b - float((w / sd) @ mu)


def question_right(item: dict, about: set) -> bool | None:
    if item["kind"] == "skip":
        return None
    if item["kind"] == "overview":
        return item["must"] <= about and (not about or len(about & item["ok"]) / len(about) >= 0.8)
    if item["kind"] == "yes":
        return bool(about & item["ok"])
    return not about


def score(labelled, x, qid, entries, idx, w, b, t) -> float:
    p = 1 / (1 + np.exp(-(x @ w + b)))
    right = []
    for i in idx:
        mask = qid == i
        about = {entries[k] for k in np.flatnonzero(mask) if p[k] >= t}
        right.append(question_right(labelled[i], about))
    kept = [r for r in right if r is not None]
    return float(np.mean(kept)) if kept else 0.0


def main() -> int:
    from qa.answers.coverage import FEATURES
    from qa.service import open_assistant

    assistant = open_assistant(None, None, None, on_status=lambda m: print(m, file=sys.stderr))
    labelled = questions()
    x, y, qid, entries = collect(assistant, labelled)
    kinds = [item["kind"] for item in labelled]  # after collect(): presenter questions are "skip"
    print(f"{len(labelled)} questions ({kinds.count('overview')} overview, {kinds.count('yes')} yes, "
          f"{kinds.count('none')} uncovered or no, {kinds.count('skip')} about a presenter, left to the filters), "
          f"{len(y)} pairs, {int(y.sum())} about")  # fmt: skip
    folds = np.random.default_rng(0).permutation(len(labelled)) % 5
    held = []
    for k in range(5):
        train = [i for i in range(len(labelled)) if folds[i] != k]
        test = [i for i in range(len(labelled)) if folds[i] == k]
        mask = np.isin(qid, train)
        w, b = fit(x[mask], y[mask])
        t = max(THRESHOLDS, key=lambda t: (score(labelled, x, qid, entries, train, w, b, t), -abs(t - 0.5)))
        held.append(score(labelled, x, qid, entries, test, w, b, t))
    print(f"5-fold CV by question, held-out questions right: {np.mean(held):.3f} (folds {np.round(held, 3).tolist()})")
    w, b = fit(x, y)
    everyone = list(range(len(labelled)))
    t = max(THRESHOLDS, key=lambda t: (score(labelled, x, qid, entries, everyone, w, b, t), -abs(t - 0.5)))
    right = score(labelled, x, qid, entries, everyone, w, b, t)
    print(f"fitted on all: questions right {right:.3f} at threshold {t}")
    for kind in ("overview", "yes", "none"):
        idx = [i for i in everyone if labelled[i]["kind"] == kind]
        print(f"  {kind}: {score(labelled, x, qid, entries, idx, w, b, t):.3f} of {len(idx)}")
    print("\nweights:", ", ".join(f"{f} {v:+.3f}" for f, v in zip(FEATURES, w, strict=True)), f"bias {b:+.3f}")
    print(f"Settings: cover_weights={tuple(round(float(v), 3) for v in w)}, cover_bias={round(b, 3)}, "
          f"cover_threshold={t}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
