"""Fit the relevance judgment (Settings.rel_*) on the FIT half of the relevance corpus, with its spread.

    .venv/bin/python bench/fit_relevance.py --write-features   # the product computes every (topic, entry) pair's features
    .venv/bin/python bench/fit_relevance.py                    # fit from bench/relevance/features.jsonl: CV, bootstrap, Settings
    .venv/bin/python bench/fit_relevance.py --heldout          # once, at the end: the HELD-OUT half, aggregates only

Data: bench/relevance/ (README there), FIT half only (78 topics x 48 entries). No blind or untouched set is
read. ``features.jsonl`` holds the features the product computed (``qa.answers.relevance.features``) and
the label (0 no, 1 mentions, 2 about); ``tests/test_relevance_fit.py`` refits from it and checks Settings
(fast), and checks that the product still computes the same features (slow).

Two logistic regressions (L2 1.0 on standardised features, Newton's method to convergence, weights mapped
back to raw features): **about** against the rest, and **about or mentions** against no. For each, features
are dropped one at a time while any changes sign under resampling: 200 bootstrap resamples of the FIT
topics (seed 0), the feature with the most sign changes dropped first, until no kept weight changes sign.
Thresholds: 5-fold cross-validation by topic (folds stratified by style), each fold fitted on the other
four; the threshold that maximises F1 over the pooled out-of-fold pairs (about: about against the rest;
any: about or mentions against no). The CV figures are per fold at those thresholds, mean and spread.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import relevance_corpus as corpus  # noqa: E402

FEATURES_FILE = corpus.DIR / "features.jsonl"
L2 = 1.0
BOOTSTRAP = 200
FOLDS = 5
GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]  # raw-feature weights, 0 for a dropped feature
    bias: float
    threshold: float
    kept: tuple[str, ...]
    spread: dict[str, tuple[float, float, float, int]]  # feature -> (2.5%, 50%, 97.5%, sign changes) of the last round


@dataclass(frozen=True)
class Pairs:
    x: np.ndarray
    label: np.ndarray  # 0 no, 1 mentions, 2 about
    topic: np.ndarray  # topic index per pair
    topics: list[str]
    styles: list[str]
    names: tuple[str, ...]


def read_pairs(path: Path = FEATURES_FILE) -> Pairs:
    data = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    names = tuple(data["features"])
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    topics = list(dict.fromkeys(r["topic"] for r in rows))
    styles = {r["topic"]: r["style"] for r in rows}
    at = {t: k for k, t in enumerate(topics)}
    return Pairs(
        np.array([r["f"] for r in rows], dtype=float),
        np.array([r["label"] for r in rows], dtype=int),
        np.array([at[r["topic"]] for r in rows], dtype=int),
        topics,
        [styles[t] for t in topics],
        names,
    )


def logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method; weights on raw features, and the bias."""
    mu, sd = x.mean(axis=0), x.std(axis=0)
    live = sd > 1e-9
    z = np.zeros_like(x)
    z[:, live] = (x[:, live] - mu[live]) / sd[live]
    z = np.hstack([z, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -60, 60)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-12:
            break
    raw = np.where(live, w[:-1] / np.where(live, sd, 1.0), 0.0)
    return raw, float(w[-1] - raw @ mu)


def predict(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x @ w + b, -60, 60)))


def select(pairs: Pairs, y: np.ndarray, seed: int = 0) -> tuple[list[int], dict[str, tuple[float, float, float, int]]]:
    """Drop, one at a time, the feature whose weight changes sign most often over bootstrap resamples of
    topics, until none changes sign. Returns the kept columns and the last round's spread per feature."""
    kept = list(range(len(pairs.names)))
    n_topics = len(pairs.topics)
    members = [np.flatnonzero(pairs.topic == t) for t in range(n_topics)]
    while True:
        full, _ = logistic(pairs.x[:, kept], y)
        rng = np.random.default_rng(seed)
        draws = []
        for _ in range(BOOTSTRAP):
            pick = np.concatenate([members[t] for t in rng.integers(0, n_topics, n_topics)])
            draws.append(logistic(pairs.x[pick][:, kept], y[pick])[0])
        boot = np.array(draws)
        flips = (np.sign(boot) != np.sign(full)).sum(axis=0)
        spread = {
            pairs.names[c]: (float(np.percentile(boot[:, k], 2.5)), float(np.percentile(boot[:, k], 50)),
                             float(np.percentile(boot[:, k], 97.5)), int(flips[k]))
            for k, c in enumerate(kept)
        }  # fmt: skip
        if not flips.any():
            return kept, spread
        worst = max(range(len(kept)), key=lambda k: (flips[k], -abs(full[k]) * pairs.x[:, kept[k]].std()))
        del kept[worst]


def folds(pairs: Pairs) -> np.ndarray:
    """A fold per topic: within each style, topics in corpus order, dealt round-robin."""
    out = np.zeros(len(pairs.topics), dtype=int)
    for style in dict.fromkeys(pairs.styles):
        for k, t in enumerate([t for t in range(len(pairs.topics)) if pairs.styles[t] == style]):
            out[t] = k % FOLDS
    return out


def out_of_fold(pairs: Pairs, y: np.ndarray, kept: list[int]) -> np.ndarray:
    fold_of = folds(pairs)[pairs.topic]
    p = np.zeros(len(y))
    for k in range(FOLDS):
        train, test = fold_of != k, fold_of == k
        w, b = logistic(pairs.x[train][:, kept], y[train])
        p[test] = predict(pairs.x[test][:, kept], w, b)
    return p


def f1(y: np.ndarray, hit: np.ndarray) -> float:
    tp = float((hit & (y == 1)).sum())
    return 2 * tp / (hit.sum() + y.sum()) if (hit.sum() + y.sum()) else 0.0


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    return float(max(GRID, key=lambda t: (round(f1(y, p >= t), 9), -abs(t - 0.5))))


def fit_model(pairs: Pairs, y: np.ndarray) -> tuple[Model, np.ndarray]:
    kept, spread = select(pairs, y)
    w, b = logistic(pairs.x[:, kept], y)
    weights = np.zeros(len(pairs.names))
    weights[kept] = w
    oof = out_of_fold(pairs, y, kept)
    model = Model(
        tuple(round(float(v), 3) for v in weights),
        round(b, 3),
        best_threshold(y, oof),
        tuple(pairs.names[c] for c in kept),
        spread,
    )
    return model, oof


def fit(pairs: Pairs) -> tuple[Model, Model, np.ndarray, np.ndarray]:
    about, oof_about = fit_model(pairs, (pairs.label == 2).astype(float))
    any_, oof_any = fit_model(pairs, (pairs.label >= 1).astype(float))
    return about, any_, oof_about, np.maximum(oof_any, oof_about)


def figures(label: np.ndarray, topic: np.ndarray, p_about: np.ndarray, p_any: np.ndarray, t_about: float,
            t_any: float) -> dict[str, float]:  # fmt: skip
    """Per-pair accuracy (3 labels), about precision/recall, per-topic all-about-found (topics with an about
    entry), uncovered topics with nothing judged about, and any (about or mentions) precision/recall."""
    about = p_about >= t_about
    said = np.where(about, 2, np.where(p_any >= t_any, 1, 0))
    gold_about, gold_any, any_ = label == 2, label >= 1, said >= 1
    topics = np.unique(topic)
    covered = [t for t in topics if gold_about[topic == t].any()]
    bare = [t for t in topics if not gold_about[topic == t].any()]
    return {
        "accuracy": float((said == label).mean()),
        "about precision": float((about & gold_about).sum() / max(1, about.sum())),
        "about recall": float((about & gold_about).sum() / max(1, gold_about.sum())),
        "all about found": float(np.mean([about[(topic == t) & gold_about].all() for t in covered]))
        if covered
        else 0.0,
        "uncovered said so": float(np.mean([not about[topic == t].any() for t in bare])) if bare else float("nan"),
        "any precision": float((any_ & gold_any).sum() / max(1, any_.sum())),
        "any recall": float((any_ & gold_any).sum() / max(1, gold_any.sum())),
    }


def report(pairs: Pairs, about: Model, any_: Model, oof_about: np.ndarray, oof_any: np.ndarray) -> None:
    print(f"FIT half: {len(pairs.topics)} topics, {len(pairs.label)} pairs: "
          f"{int((pairs.label == 2).sum())} about, {int((pairs.label == 1).sum())} mentions")  # fmt: skip
    for name, m in (("about", about), ("about or mentions", any_)):
        print(
            f"\n{name}: kept {', '.join(m.kept)}; dropped {', '.join(n for n in pairs.names if n not in m.kept) or '-'}"
        )
        print(f"  {'feature':<11} {'weight':>8}   bootstrap 2.5% / 50% / 97.5% (sign changes of {BOOTSTRAP})")
        for n, v in zip(pairs.names, m.weights, strict=True):
            if n in m.spread:
                lo, mid, hi, flips = m.spread[n]
                print(f"  {n:<11} {v:+8.3f}   {lo:+.3f} / {mid:+.3f} / {hi:+.3f} ({flips})")
        print(f"  bias {m.bias:+.3f}; threshold (max out-of-fold F1) {m.threshold}")
    fold_of = folds(pairs)[pairs.topic]
    per = [figures(pairs.label[fold_of == k], pairs.topic[fold_of == k], oof_about[fold_of == k],
                   oof_any[fold_of == k], about.threshold, any_.threshold) for k in range(FOLDS)]  # fmt: skip
    print(f"\n5-fold CV by topic (held-out folds, at the chosen thresholds): mean +- sd over {FOLDS} folds")
    for key in per[0]:
        values = np.array([f[key] for f in per])
        print(f"  {key:<18} {np.nanmean(values):.3f} +- {np.nanstd(values):.3f}  {np.round(values, 3).tolist()}")
    print("\nSettings:")
    print(f"    rel_about_weights={about.weights}, rel_about_bias={about.bias}, rel_about_threshold={about.threshold},")
    print(f"    rel_any_weights={any_.weights}, rel_any_bias={any_.bias}, rel_any_threshold={any_.threshold},")


def compute(assistant, topics: list[dict]) -> list[dict]:
    """Every (topic, entry) pair's features, as the product computes them, with the label."""
    from qa.answers.relevance import Topic, features

    r = assistant.retriever
    keys = [(e.title, e.date.isoformat()) for e in r.entries]
    out = []
    for row in topics:
        labels = corpus.labels(row, keys)
        got = {s.entry.id: f for s, f in features(Topic.of_text(row["topic"], r), r)}
        for e, label in zip(r.entries, labels, strict=True):
            f = got.get(e.id)
            if f is None:  # a topic with no content word: every feature 0
                f = {}
            out.append({"topic": row["id"], "style": row["style"], "entry": e.id, "label": label,
                        "f": [round(float(f.get(n, 0.0)), 6) for n in feature_names()]})  # fmt: skip
    return out


def feature_names() -> tuple[str, ...]:
    from qa.answers.relevance import FEATURES

    return FEATURES


def write_features(assistant) -> None:
    rows = compute(assistant, corpus.fit_topics())
    head = json.dumps({"features": list(feature_names()), "topics": "FIT half of bench/relevance"})
    FEATURES_FILE.write_text(head + "\n" + "\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    print(f"wrote {FEATURES_FILE}: {len(rows)} pairs")


def heldout(assistant) -> None:
    """The HELD-OUT half judged by the product with Settings as committed: aggregates only."""
    from qa.answers.relevance import Topic, judge_topic

    r = assistant.retriever
    keys = [(e.title, e.date.isoformat()) for e in r.entries]
    label, topic, p_about, p_any = [], [], [], []
    by_style: dict[str, list[int]] = {}
    for k, row in enumerate(corpus.heldout_topics()):
        labels = corpus.labels(row, keys)
        judged = {j.entry.id: j for j in judge_topic(Topic.of_text(row["topic"], r), r, assistant.settings).judged}
        for e, lab in zip(r.entries, labels, strict=True):
            j = judged.get(e.id)
            by_style.setdefault(row["style"], []).append(len(label))
            label.append(lab)
            topic.append(k)
            p_about.append(j.p if j else 0.0)
            p_any.append(j.p_any if j else 0.0)
    s = assistant.settings
    arrays = [np.array(a) for a in (label, topic, p_about, p_any)]
    print(f"HELD-OUT half: {len(set(topic))} topics, {len(label)} pairs")
    groups = {"all": list(range(len(label))), **by_style}
    for name, idx in groups.items():
        sel = np.array(idx)
        got = figures(*(a[sel] for a in arrays), s.rel_about_threshold, s.rel_any_threshold)
        print(f"  {name:<10} " + ", ".join(f"{k} {v:.3f}" for k, v in got.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-features", action="store_true", help="recompute features.jsonl with the product")
    parser.add_argument("--heldout", action="store_true", help="score the HELD-OUT half once (aggregates)")
    args = parser.parse_args(argv)
    if args.write_features or args.heldout:
        from qa.service import open_assistant

        assistant = open_assistant(None, None, None, on_status=lambda m: print(m, file=sys.stderr))
        if args.write_features:
            write_features(assistant)
        if args.heldout:
            heldout(assistant)
            return 0
    pairs = read_pairs()
    about, any_, oof_about, oof_any = fit(pairs)
    report(pairs, about, any_, oof_about, oof_any)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
