"""The relevance corpus (bench/relevance/): topics, their labels for every entry, and the split by topic.

    .venv/bin/python bench/relevance_corpus.py        # writes bench/relevance/qrels.tsv, prints the split's sizes

Each topic file holds one topic a line: ``id``, ``style``, ``topic``, ``about`` and ``mentions`` (entries
by title and date); every other entry of the catalogue is "no" for that topic. The split is by topic,
never by row: within each style, topics sorted by id, even positions FIT, odd positions HELD-OUT. Fits
read the FIT half only; the HELD-OUT half is reported once, as aggregates, after the last fit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIR = ROOT / "bench" / "relevance"
STYLES = ("catalogue", "paraphrase", "named")
LABELS = ("no", "mentions", "about")  # ordinal: 0, 1, 2


def load(styles: Iterable[str] = STYLES) -> list[dict]:
    rows = []
    for style in styles:
        path = DIR / f"topics_{style}.jsonl"
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def halves(rows: Sequence[dict]) -> dict[str, list[dict]]:
    """{"fit": [...], "heldout": [...]}: per style, sorted ids alternate, the first to FIT."""
    out: dict[str, list[dict]] = {"fit": [], "heldout": []}
    for style in STYLES:
        mine = sorted((r for r in rows if r["style"] == style), key=lambda r: r["id"])
        for k, row in enumerate(mine):
            out["fit" if k % 2 == 0 else "heldout"].append(row)
    return out


def fit_topics() -> list[dict]:
    return halves(load())["fit"]


def heldout_topics() -> list[dict]:
    """Read only by the final report (bench/fit_relevance.py --heldout), never by a fit."""
    return halves(load())["heldout"]


def labels(row: dict, keys: Sequence[tuple[str, str]]) -> list[int]:
    """The topic's label (0 no, 1 mentions, 2 about) for each entry key (title, ISO date)."""
    about = {(r["title"], r["date"]) for r in row["about"]}
    mentions = {(r["title"], r["date"]) for r in row["mentions"]}
    unknown = (about | mentions) - set(keys)
    if unknown:
        raise ValueError(f"topic {row['id']}: entries not in the catalogue: {sorted(unknown)}")
    return [2 if k in about else 1 if k in mentions else 0 for k in keys]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from qa.catalogue.load import load_catalogue

    entries = load_catalogue().entries
    keys = [(e.title, e.date.isoformat()) for e in entries]
    split = halves(load())
    lines = ["topic\thalf\tstyle\tentry\tlabel"]
    for half, rows in split.items():
        for row in rows:
            for e, label in zip(entries, labels(row, keys), strict=True):
                lines.append(f"{row['id']}\t{half}\t{row['style']}\t{e.id}\t{LABELS[label]}")
    (DIR / "qrels.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for half, rows in split.items():
        by = {s: sum(r["style"] == s for r in rows) for s in STYLES}
        print(f"{half}: {len(rows)} topics ({', '.join(f'{n} {s}' for s, n in by.items())})")
    print(f"wrote {DIR / 'qrels.tsv'}: {len(lines) - 1} (topic, entry) labels")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
