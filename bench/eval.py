"""Evaluation harness: msme-qa against BM25-only, dense-only and plain RRF on the dev question set.

    .venv/bin/python bench/eval.py            # all three sets (builds the index on first use)
    .venv/bin/python bench/eval.py --quick    # a third of the dev set, for CI
    .venv/bin/python bench/eval.py --show-misses
    .venv/bin/python bench/eval.py --fresh-only   # only the six fresh sets (bench/fresh.py)

Three question sets, each written by someone who had read the catalogue but not the method:
- bench/devset.jsonl: weights and thresholds were chosen on it;
- bench/heldout.jsonl (paraphrase, fact and out-of-scope only): never tuned on, but its misses were read
  while the thesaurus and the abstention rules were developed;
- bench/blind.jsonl (all kinds): written last and scored once before any change; the two list fixes
  that followed were prompted by its misses, so its first figures are the blind ones (README).

After them, the six fresh sets of bench/fresh/ (keyword, paraphrase, superlative/total, lists,
near-domain out-of-scope, conversations), each reported whole and in a tune and an untouched half:
bench/fresh.py scores them (--quick: every fifth row of each). They run with the default sets, not
when --devset names the files.

Metrics (questions of bench/devset.jsonl, gold entries named by title and date):
- hit@1 / hit@3 / MRR: rank of the first gold entry among retrieved entries (fact and paraphrase).
- containment: the answer's text contains the question's gold fact (case and spacing ignored).
- list/count exact: the cited entries are exactly the gold set (and `count` equals its size).
- abstention: out-of-scope questions refused (`abstained: true`) or answered `"support": "partial"`,
  saying what the catalogue does not hold; false abstentions: in-scope fact/paraphrase questions that
  were not answered (refused).
Baselines rank entries by one signal and answer with the best sentence of the top entry; they
have no notion of lists, counts or abstention, so they are scored on what they return.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.answers.model import Answer  # noqa: E402
from qa.catalogue.paragraphs import normalize_typography  # noqa: E402
from qa.engine import Assistant  # noqa: E402
from qa.question.text import content_tokens  # noqa: E402
from qa.search.retrieval import Retriever  # noqa: E402

DEVSET = ROOT / "bench" / "devset.jsonl"
HELDOUT = ROOT / "bench" / "heldout.jsonl"
BLIND = ROOT / "bench" / "blind.jsonl"


@dataclass
class Tally:
    ranks: dict[str, list[int | None]] = field(default_factory=dict)  # kind -> rank of first gold (None: absent)
    contained: dict[str, list[bool]] = field(default_factory=dict)
    exact: list[bool] = field(default_factory=list)
    abstained_oos: list[bool] = field(default_factory=list)
    false_abstain: list[bool] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def row(self, name: str) -> dict[str, float | str | None]:
        """The table row; None where the set has no question of that kind."""
        out: dict[str, float | str | None] = {"method": name}
        for kind in ("fact", "paraphrase"):
            ranks = self.ranks.get(kind, [])
            n = len(ranks)
            out[f"{kind} hit@1"] = sum(r == 1 for r in ranks) / n if n else None
            out[f"{kind} hit@3"] = sum(r is not None and r <= 3 for r in ranks) / n if n else None
            out[f"{kind} MRR"] = sum(1 / r for r in ranks if r) / n if n else None
        contained = self.contained.get("fact", []) + self.contained.get("paraphrase", [])
        out["containment"] = _mean(contained)
        out["list/count exact"] = _mean(self.exact)
        out["abstention"] = _mean(self.abstained_oos)
        out["false abstentions"] = _mean(self.false_abstain)
        return out


def _mean(values: list[bool]) -> float | None:
    return float(np.mean(values)) if values else None


def normalise(text: str) -> str:
    """Case, spacing and typography (the catalogue's non-breaking hyphens, curly quotes) ignored, as the
    parser normalises summaries: a fact copied from the document matches the answer's text."""
    return " ".join(normalize_typography(text).casefold().split())


def load_devset(path: Path, quick: bool) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[::3] if quick else rows


def gold_ids(assistant: Assistant, row: dict) -> set[str]:
    table = {(e.title, e.date.isoformat()): e.id for e in assistant.catalogue.entries}
    ids = set()
    for g in row["gold"]:
        key = (g["title"], g["date"])
        if key not in table:
            raise SystemExit(f"devset {row['id']}: no entry {key} in the catalogue")
        ids.add(table[key])
    return ids


def score(tally: Tally, row: dict, gold: set[str], ranking: list[str], answer: Answer) -> None:
    kind = row["kind"]
    if kind in ("fact", "paraphrase"):
        rank = next((i + 1 for i, eid in enumerate(ranking) if eid in gold), None)
        tally.ranks.setdefault(kind, []).append(rank)
        ok = normalise(row["fact"]) in normalise(answer.text)
        tally.contained.setdefault(kind, []).append(ok)
        tally.false_abstain.append(answer.abstained)
        if rank != 1 or not ok:
            tally.misses.append(f"{row['id']} rank={rank} contained={ok}: {row['question']}")
    elif kind in ("list", "count"):
        cited = {c.entry.id for c in answer.citations}
        ok = cited == gold and (answer.count == len(gold))
        tally.exact.append(ok)
        if not ok:
            tally.misses.append(f"{row['id']} got {len(cited)} want {len(gold)}: {row['question']}")
    else:
        said = answer.abstained or getattr(answer, "support", None) == "partial"
        tally.abstained_oos.append(said)
        if not said:
            tally.misses.append(f"{row['id']} answered: {row['question']}")


def run_product(assistant: Assistant, rows: list[dict]) -> Tally:
    tally = Tally()
    for row in rows:
        gold = gold_ids(assistant, row)
        answer = assistant.answer(row["question"])
        query = assistant.read(row["question"])
        ranking = [s.entry.id for s in assistant.retriever.rank(query)]
        if answer.abstained:
            ranking = []
        elif answer.kind == "fact" and answer.citations:
            first = answer.citations[0].entry.id
            ranking = [first] + [r for r in ranking if r != first]
        score(tally, row, gold, ranking, answer)
    return tally


def run_baseline(assistant: Assistant, rows: list[dict], signal: Callable[[Retriever, str], np.ndarray]) -> Tally:
    """One ranking signal; the answer is the best-scoring sentence of the top entry (no abstention)."""
    from qa.answers.facts import choose_sentences
    from qa.answers.model import Citation, Sentence

    retriever = assistant.retriever
    tally = Tally()
    for row in rows:
        gold = gold_ids(assistant, row)
        scores = signal(retriever, row["question"])
        order = list(np.argsort(-scores, kind="stable"))
        ranking = [retriever.entries[i].id for i in order]
        plain = assistant.read(row["question"]).plain()
        ranked = retriever.rank(plain, candidates=order[:1])
        pick = choose_sentences(plain, ranked, retriever, limit=1)
        text = pick[0].text if pick else ""
        answer = Answer(
            row["question"], text, sentences=(Sentence(text, 1),), citations=(Citation(1, ranked[0].entry),)
        )
        score(tally, row, gold, ranking, answer)
    return tally


def bm25_signal(r: Retriever, q: str) -> np.ndarray:
    return r.bm25.scores(content_tokens(q))


def dense_signal(r: Retriever, q: str) -> np.ndarray:
    qvec = r.query_vector(q)
    assert qvec is not None and r.dense is not None
    found = r.dense.scores(qvec)
    return np.array([float(found[e.id][0]) for e in r.entries])


def rrf_signal(r: Retriever, q: str, k: int = 60) -> np.ndarray:
    out = np.zeros(len(r.entries))
    for scores in (bm25_signal(r, q), dense_signal(r, q)):
        for pos, i in enumerate(np.argsort(-scores, kind="stable")):
            out[i] += 1 / (k + pos + 1)
    return out


def table(rows: list[dict[str, float | str | None]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for row in rows:
        cells = [f"{v:.3f}" if isinstance(v, float) else "n/a" if v is None else str(v) for v in row.values()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def evaluate(assistant: Assistant, rows: list[dict]) -> tuple[list[dict[str, float | str | None]], Tally]:
    product = run_product(assistant, rows)
    results = [
        product.row("msme-qa"),
        run_baseline(assistant, rows, bm25_signal).row("BM25 only"),
        run_baseline(assistant, rows, dense_signal).row("dense only"),
        run_baseline(assistant, rows, rrf_signal).row("plain RRF"),
    ]
    return results, product


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every third dev question only (CI)")
    parser.add_argument("--devset", type=Path, action="append", help="question file(s) (default: all three sets)")
    parser.add_argument("--catalogue", default=None)
    parser.add_argument("--index", default=None)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="answer with a setting changed (qa.settings)"
    )
    parser.add_argument("--fresh-only", action="store_true", help="only the six fresh sets (bench/fresh.py)")
    args = parser.parse_args(argv)
    if args.fresh_only and args.devset:
        parser.error("--fresh-only and --devset exclude each other")
    files = [] if args.fresh_only else args.devset or ([DEVSET] if args.quick else [DEVSET, HELDOUT, BLIND])

    from qa.service import open_assistant
    from qa.settings import DEFAULT

    settings = DEFAULT.with_values(args.set)
    assistant = open_assistant(
        args.catalogue, args.index, None, on_status=lambda m: print(m, file=sys.stderr), settings=settings
    )
    report: dict[str, list[dict[str, float | str | None]]] = {}
    for path in files:
        started = time.perf_counter()
        rows = load_devset(path, args.quick)
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["kind"]] = counts.get(row["kind"], 0) + 1
        results, product = evaluate(assistant, rows)
        report[path.name] = results
        if not args.json:
            print(f"{path.name}: {len(rows)} questions: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
            print(table(results))
            print(f"({time.perf_counter() - started:.1f} s)\n")
        if args.show_misses:
            print(f"msme-qa misses on {path.name}:", file=sys.stderr if args.json else sys.stdout)
            print("\n".join(product.misses) or "(none)", file=sys.stderr if args.json else sys.stdout)
            print(file=sys.stderr if args.json else sys.stdout)
    if not args.devset:
        import fresh

        report.update(
            fresh.run(
                assistant,
                quick=args.quick,
                show_misses=args.show_misses,
                as_json=args.json,
                catalogue=args.catalogue,
                index=args.index,
            )
        )
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
