"""Fit the abstention model (qa/answers/abstain_model.json): logistic regression on the evidence features of
fact answers, with cross-validation, on labelled questions.

    .venv/bin/python bench/fit_abstain.py            # fit, report 5-fold CV figures, write the model
    .venv/bin/python bench/fit_abstain.py --dry-run  # report only

Labelled data: answerable (fact and paraphrase) against out-of-scope questions of bench/devset.jsonl,
bench/heldout.jsonl, bench/blind.jsonl and the TUNE halves of bench/fresh/paraphrase.jsonl and
bench/fresh/near_oos.jsonl (even positions by id; the untouched halves are never read here). Only the
questions that are answered as facts count (lists, counts and searches are decided elsewhere).
The threshold is the one that keeps cross-validated false abstentions at or under --max-false (2%),
the bound set for it, and abstains as often as it can under it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from qa.answers.evidence import FEATURES, MODEL_FILE, evidence  # noqa: E402

SETS = ["devset.jsonl", "heldout.jsonl", "blind.jsonl"]
FRESH_TUNE = ["fresh/paraphrase.jsonl", "fresh/near_oos.jsonl"]


def rows() -> list[dict]:
    out = []
    for name in SETS:
        out += [json.loads(line) for line in (ROOT / "bench" / name).read_text(encoding="utf-8").splitlines() if line]
    for name in FRESH_TUNE:
        lines = [json.loads(line) for line in (ROOT / "bench" / name).read_text(encoding="utf-8").splitlines() if line]
        out += sorted(lines, key=lambda r: r["id"])[::2]  # the tune half only
    return [r for r in out if r["kind"] in ("fact", "paraphrase", "out_of_scope")]


def dataset(assistant) -> tuple[np.ndarray, np.ndarray, list[str]]:
    xs, ys, ids = [], [], []
    for row in rows():
        query = assistant.read(row["question"])
        if query.kind != "fact" or query.search:
            continue
        ranked = assistant.retrieve(query)
        if not ranked:
            continue
        values = evidence(query, ranked, assistant.retriever).values
        xs.append([values[f] for f in FEATURES])
        ys.append(0.0 if row["kind"] == "out_of_scope" else 1.0)
        ids.append(row["id"])
    return np.array(xs), np.array(ys), ids


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method on standardised features."""
    n, d = x.shape
    a = np.hstack([np.ones((n, 1)), x])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + penalty * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[1:], float(w[0])


def cross_validated(x: np.ndarray, y: np.ndarray, l2: float, folds: int = 5) -> np.ndarray:
    """Out-of-fold probabilities; folds interleave the rows so every fold holds every set."""
    out = np.zeros(len(y))
    order = np.arange(len(y))
    for k in range(folds):
        test = order % folds == k
        mean, scale = x[~test].mean(0), x[~test].std(0) + 1e-9
        coef, intercept = fit((x[~test] - mean) / scale, y[~test], l2)
        out[test] = 1 / (1 + np.exp(-(((x[test] - mean) / scale) @ coef + intercept)))
    return out


def pick_threshold(p: np.ndarray, y: np.ndarray, max_false: float) -> float:
    best = 0.0
    for t in np.unique(np.round(p, 4)):
        if np.mean(p[y == 1] < t) <= max_false:
            best = max(best, float(t))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--max-false", type=float, default=0.02)
    args = parser.parse_args(argv)
    from qa.service import open_assistant

    assistant = open_assistant(None, None, None)
    x, y, ids = dataset(assistant)
    p = cross_validated(x, y, args.l2)
    threshold = pick_threshold(p, y, args.max_false)
    false_abstain = float(np.mean(p[y == 1] < threshold))
    abstained = float(np.mean(p[y == 0] < threshold))
    print(
        f"{len(y)} questions ({int(y.sum())} answerable, {int((1 - y).sum())} out of scope), {len(FEATURES)} features"
    )
    print(
        f"5-fold CV at threshold {threshold:.4f}: out-of-scope abstained {abstained:.3f}, false abstentions {false_abstain:.3f}"
    )
    for t in (0.3, 0.4, 0.5, 0.6, 0.7):
        print(f"  threshold {t}: abstained {np.mean(p[y == 0] < t):.3f}, false {np.mean(p[y == 1] < t):.3f}")
    mean, scale = x.mean(0), x.std(0) + 1e-9
    coef, intercept = fit((x - mean) / scale, y, args.l2)
    for name, c in sorted(zip(FEATURES, coef, strict=True), key=lambda item: -abs(item[1])):
        print(f"  {name:14s} {c:+.3f}")
    if args.dry_run:
        return 0
    model = {
        "coefficients": dict(zip(FEATURES, map(float, coef), strict=True)),
        "intercept": intercept,
        "means": dict(zip(FEATURES, map(float, mean), strict=True)),
        "scales": dict(zip(FEATURES, map(float, scale), strict=True)),
        "threshold": threshold,
        "fitted_on": {
            "questions": len(y),
            "answerable": int(y.sum()),
            "sets": SETS + [f"{s} (tune half)" for s in FRESH_TUNE],
        },
        "cross_validated": {"folds": 5, "abstained": abstained, "false_abstentions": false_abstain},
        "l2": args.l2,
    }
    MODEL_FILE.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
