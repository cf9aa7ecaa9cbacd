"""Scorer for the second round of blind sets in bench/fresh2/: answers that span the catalogue, answers that
say what is missing, and (when present) structure questions in many wordings and follow-up conversations.

    .venv/bin/python bench/fresh2.py                 # every set (builds the index on first use)
    .venv/bin/python bench/fresh2.py --quick         # every fifth row of each set (both halves), for CI
    .venv/bin/python bench/fresh2.py --set overview --show-misses   # misses of the TUNE half only

The sets were written from the catalogue alone (bench/fresh2/README.md). Halves as in
bench/fresh.py: rows sorted by id, even positions **tune**, odd positions **untouched**; structure.jsonl is
split by intent instead, so no intent has rewordings in both halves. ``--show-misses`` prints tune-half
misses only: there is no option that prints the untouched half's misses, so that half stays unseen.

The product is used through its public face: ``assistant.answer(question)`` and the answer's JSON
(``to_json()``: kind, count, citations, and ``support``/``missing`` where the product gives them);
conversations through the real program, ``msme-qa chat --json``. Scores per row:

- overview: ``all cited``: every must-cite entry cited; ``recall``: share of must-cite entries cited;
  ``on topic``: share of cited entries in on_topic; ``kind``: the answer's kind is "overview".
  Baselines (BM25, dense, RRF): the top 5 entries of their ranking as the citations.
- compare: ``both sides``: at least one entry of each side cited (a side with nothing on the topic: nothing cited
  but the other side's entries); ``kind``: "compare". Baselines: top 2.
- yesno: ``right``: a "yes" row is not refused, cites a gold entry and does not open with "No"; a "no" row is
  refused, counts 0, or opens with "No".
- uncovered: ``said uncovered``: refused, count 0, or the text opens with "No", "Nothing" or "None".
- gaps: ``handled``: refused, or nothing found (count 0, nothing cited), or ``support`` "partial" with one of
  the row's missing_words in ``missing`` or in the first line, or (presenter rows) the text says the party
  did not present. Also ``partial`` and ``refused`` rates, and ``handled`` by why.
- answerable: ``full``: not refused and support absent or "full"; ``hit@1``; ``fact``: the fact in the text;
  ``refused``; ``partial``.
- faroff: ``refused``.
- structure: ``exact`` per row (as bench/fresh.py's superlative/list checks: match all -> the cited set is
  gold, match first -> the first citation is gold; count and fact when given; gold [] with count 0 ->
  nothing cited or count 0, and not a confident fact); per intent, ``intent right`` (every rewording exact)
  and ``intent same`` (every rewording gets the same citations and count), for structural and fact intents.
- conversations: the last turn: expect first -> its first citation is gold; all -> its citations are gold;
  clarify -> kind "clarify"; nothing -> nothing cited and refused, clarify or a count of 0 (as the structure rows). Rate overall and per operation.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import eval as harness  # noqa: E402
import fresh  # noqa: E402
from fresh import Record, Row, Scored, TableRow  # noqa: E402

SETS_DIR = ROOT / "bench" / "fresh2"
SETS = (
    "overview",
    "compare",
    "yesno",
    "uncovered",
    "gaps",
    "answerable",
    "faroff",
    "structure",
    "structure_lists",
    "conversations",
)
# Sets of rewordings, split into halves by intent and scored alike.
REWORDED = ("structure", "structure_lists")
WHY = ("detail", "premise", "presenter", "period")
NO_WORD = re.compile(r"^\W*(no|nothing|none)\b", re.IGNORECASE)
SIGNALS = fresh.SIGNALS if hasattr(fresh, "SIGNALS") else (
    ("BM25", harness.bm25_signal), ("dense", harness.dense_signal), ("RRF", harness.rrf_signal))  # fmt: skip


@dataclass(frozen=True)
class Seen2:
    """What the scorer reads of an answer: fresh.Seen plus ``support`` and ``missing``."""

    seen: fresh.Seen
    support: str | None = None
    missing: tuple[str, ...] = ()

    @classmethod
    def of(cls, data: dict[str, Any]) -> Seen2:
        return cls(fresh.Seen.from_json(data), data.get("support"), tuple(str(m) for m in data.get("missing") or ()))

    @property
    def first_line(self) -> str:
        return (self.seen.text.splitlines() or [""])[0]


def load(name: str) -> list[Row]:
    path = SETS_DIR / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def available() -> list[str]:
    return [name for name in SETS if (SETS_DIR / f"{name}.jsonl").exists()]


def halves(name: str, rows: Sequence[Row]) -> list[tuple[str, Row]]:
    """Each row with its half; structure rows by their intent's position, every other set by id."""
    if name not in REWORDED:
        return fresh.with_halves(rows)
    intents = sorted({r["intent"] for r in rows})
    half_of = {intent: "tune" if i % 2 == 0 else "untouched" for i, intent in enumerate(intents)}
    return [(half_of[r["intent"]], r) for r in sorted(rows, key=lambda r: r["id"])]


def pick(name: str, rows: list[tuple[str, Row]], quick: bool) -> list[tuple[str, Row]]:
    if not quick:
        return rows
    if name in REWORDED:
        intents = sorted({r["intent"] for _, r in rows})[:: fresh.QUICK_STEP]
        return [(h, r) for h, r in rows if r["intent"] in intents]
    return rows[:: fresh.QUICK_STEP]


def ids(assistant: Any, pairs: Sequence[dict[str, str]]) -> set[str]:
    return harness.gold_ids(assistant, {"gold": list(pairs)}) if pairs else set()


def said_no(seen: Seen2) -> bool:
    s = seen.seen
    return s.refused or s.count == 0 or bool(NO_WORD.match(s.text))


# Per-row scores (pure: the row, the gold ids, the answer) ------------------------------------------


def score_overview(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    cited = set(seen.seen.cited)
    must, topic = gold["must_cite"], gold["on_topic"] | gold["must_cite"]
    found = len(must & cited)
    metrics = {"all cited": found == len(must), "recall": found / len(must) if must else None,
               "on topic": len(cited & topic) / len(cited) if cited else None,
               "kind": seen.seen.kind == "overview"}  # fmt: skip
    miss = None if metrics["all cited"] else f"cited {found} of {len(must)} must-cite ({seen.seen.describe()})"
    return metrics, miss


def score_compare(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    cited = set(seen.seen.cited)
    # a side with nothing on the topic (gold []) is right when the answer cites nothing that is not another side's
    sides = [bool(cited & gold[f"side{i}"]) if gold[f"side{i}"] else not (cited - gold[f"side{1 - i}"]) for i in (0, 1)]
    metrics = {"both sides": all(sides), "kind": seen.seen.kind == "compare"}
    return metrics, None if all(sides) else f"sides cited {sides} ({seen.seen.describe()})"


def score_yesno(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    s = seen.seen
    if row["answer"] == "yes":
        right = not s.refused and bool(set(s.cited) & gold["gold"]) and not NO_WORD.match(s.text)
    else:
        right = said_no(seen)
    metrics = {"right": right, "yes right": right if row["answer"] == "yes" else None,
               "no right": right if row["answer"] == "no" else None}  # fmt: skip
    return metrics, None if right else f"want {row['answer']}: {s.describe()}: {seen.first_line[:80]}"


def score_uncovered(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    ok = said_no(seen)
    return {"said uncovered": ok}, None if ok else f"{seen.seen.describe()}: {seen.first_line[:80]}"


def named(row: Row, seen: Seen2) -> bool:
    """One of the row's missing_words in the answer's ``missing`` or in its first line."""
    where = (" ".join(seen.missing) + " " + seen.first_line).casefold()
    return any(w.casefold() in where for w in row.get("missing_words") or ())


def score_gap(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    s = seen.seen
    partial = seen.support == "partial" and named(row, seen)
    presenter = row["why"] == "presenter" and bool(re.search(r"did not present|no presentation by", s.text, re.I))
    handled = fresh.declined(s) or partial or presenter
    metrics: dict[str, Any] = {"handled": handled, "refused": s.refused, "partial": seen.support == "partial"}
    for why in WHY:
        metrics[why] = handled if row["why"] == why else None
    return metrics, None if handled else f"[{row['why']}] {s.describe()}, support {seen.support}"


def score_answerable(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    s = seen.seen
    full = not s.refused and seen.support in (None, "full")
    fact = None if row.get("fact") is None else fresh.contains(row["fact"], s.text)  # a row may name no fact
    metrics = {"full": full, "hit@1": fresh.hit_at(s, gold["gold"], 1), "fact": fact,
               "refused": s.refused, "partial": seen.support == "partial"}  # fmt: skip
    return metrics, None if full and metrics["hit@1"] else f"{s.describe()}, support {seen.support}"


def score_faroff(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    return {"refused": seen.seen.refused}, None if seen.seen.refused else seen.seen.describe()


def structure_checks(row: Row, gold: set[str], seen: Seen2) -> list[str]:
    s = seen.seen
    if not gold and row.get("count") == 0:
        failed = [] if (not s.cited or s.count == 0) else [f"cited {len(s.cited)} where nothing matches"]
        return failed + (["answered as a fact"] if s.confident_fact else [])
    fake = {**row, "match": row.get("match", "all"), "outside": False}
    if fake["match"] == "all" and gold and row.get("count") is None and s.count is not None:
        fake["count"] = len(gold)
    return fresh.superlative_checks(fake, gold, s, lenient=True)


def score_structure(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    failed = structure_checks(row, gold["gold"], seen)
    return {"exact": not failed}, "; ".join(failed) or None


def score_conversation(row: Row, gold: dict[str, set[str]], seen: Seen2) -> tuple[dict[str, Any], str | None]:
    s, want = seen.seen, row["expect"]
    if want == "first":
        ok = s.first in gold["gold"]
    elif want == "all":
        ok = set(s.cited) == gold["gold"]
    elif want == "clarify":
        ok = s.kind == "clarify"
    else:
        ok = not s.cited and (s.refused or s.kind in ("clarify", "abstain") or s.count == 0)
    metrics: dict[str, Any] = {"last turn right": ok, row["operation"]: ok}
    return metrics, None if ok else f"[{row['operation']}, want {want}] {s.describe()}"


SCORERS: dict[str, Callable[[Row, dict[str, set[str]], Seen2], tuple[dict[str, Any], str | None]]] = {
    "overview": score_overview, "compare": score_compare, "yesno": score_yesno, "uncovered": score_uncovered,
    "gaps": score_gap, "answerable": score_answerable, "faroff": score_faroff, "structure": score_structure,
    "structure_lists": score_structure,
    "conversations": score_conversation,
}  # fmt: skip
COLUMNS = {
    "overview": ("all cited", "recall", "on topic", "kind"), "compare": ("both sides", "kind"),
    "yesno": ("right", "yes right", "no right"), "uncovered": ("said uncovered",),
    "gaps": ("handled", *WHY, "partial", "refused"), "answerable": ("full", "hit@1", "fact", "refused", "partial"),
    "faroff": ("refused",), "structure": ("exact",), "structure_lists": ("exact",),
    "conversations": ("last turn right",),
}  # fmt: skip


def gold_sets(assistant: Any, row: Row) -> dict[str, set[str]]:
    out = {key: ids(assistant, row.get(key) or ()) for key in ("gold", "must_cite", "on_topic", "near")}
    for i, side in enumerate(row.get("sides") or ()):
        out[f"side{i}"] = ids(assistant, side)
    return out


def product_answers(assistant: Any, name: str, rows: Sequence[Row], chat_options: Sequence[str]) -> list[Seen2]:
    if name != "conversations":
        out = []
        for row in rows:
            answer = assistant.answer(row["question"])
            data = answer.to_json()
            data.setdefault("kind", getattr(answer, "kind", None))
            out.append(Seen2.of(data))
        return out
    lines: list[str] = []
    ends: list[int] = []
    for row in rows:
        lines += fresh.chat_lines(row["turns"])
        ends.append(len(lines) - 1)
        lines.append("/reset")
    command = [*fresh.program(), "chat", "--json", *chat_options]
    import subprocess

    done = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    printed = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(printed) != len(lines):
        raise SystemExit(f"msme-qa chat printed {len(printed)} lines for {len(lines)} input lines")
    return [Seen2.of(printed[i]) for i in ends]


def baseline(assistant: Any, rows: list[tuple[str, Row]], name: str, signal: Any, k: int, score: Any) -> Scored:
    r = assistant.retriever
    scored = Scored(name)
    for half, row in rows:
        ranking = signal(r, row["question"])
        top = [r.entries[int(i)].id for i in sorted(range(len(r.entries)), key=lambda i: -ranking[i])[:k]]
        seen = Seen2(fresh.Seen(question=row["question"], cited=tuple(top), kind="baseline"))
        metrics, _ = score(row, gold_sets(assistant, row), seen)
        scored.records.append(Record(row["id"], half, row["question"], metrics))
    return scored


def intents_table(records: list[Record], rows: list[tuple[str, Row]], seen: list[Seen2]) -> list[TableRow]:
    """Per intent: every rewording exact, and every rewording the same answer; structural and fact apart."""
    by_intent: dict[str, list[tuple[str, Row, Record, Seen2]]] = {}
    for (half, row), rec, s in zip(rows, records, seen, strict=True):
        by_intent.setdefault(row["intent"], []).append((half, row, rec, s))
    out: list[TableRow] = []
    for half in fresh.HALVES:
        for group in ("structural", "fact"):
            chosen = [v for v in by_intent.values()
                      if (half == "all" or v[0][0] == half) and (v[0][1]["kind"] == "fact") == (group == "fact")]  # fmt: skip
            right = sum(all(rec.metrics["exact"] for _, _, rec, _ in v) for v in chosen)
            same = sum(len({(tuple(sorted(s.seen.cited)), s.seen.count) for *_, s in v}) == 1 for v in chosen)
            out.append({"half": half, "intents": group, "n": len(chosen), "every rewording right": right,
                        "every rewording the same": same})  # fmt: skip
    return out


def evaluate(assistant: Any, name: str, quick: bool, chat_options: Sequence[str], show_misses: bool) -> None:
    started = time.perf_counter()
    rows = pick(name, halves(name, load(name)), quick)
    score = SCORERS[name]
    seen = product_answers(assistant, name, [r for _, r in rows], chat_options)
    product = Scored("msme-qa")
    for (half, row), s in zip(rows, seen, strict=True):
        metrics, miss = score(row, gold_sets(assistant, row), s)
        product.records.append(Record(row["id"], half, row.get("question") or " / ".join(row["turns"]), metrics, miss))
    scored = [product]
    if name in ("overview", "compare"):
        k = 5 if name == "overview" else 2
        scored += [baseline(assistant, rows, f"{label} top {k}", sig, k, score) for label, sig in SIGNALS]
    columns: Sequence[str] = COLUMNS[name]
    if name == "conversations":
        columns = (*columns, *sorted({r["operation"] for _, r in rows}))
    print(f"fresh2/{name}.jsonl: {len(rows)} rows")
    print(harness.table([row for s in scored for row in s.rows(columns)]))
    if name in REWORDED:
        print(harness.table(intents_table(product.records, rows, seen)))
    print(f"({time.perf_counter() - started:.1f} s)\n")
    if show_misses:
        misses = [r for r in product.records if r.half == "tune" and r.miss]
        print(f"misses, tune half only ({len(misses)}):")
        print("\n".join(f"{r.id} {r.miss}: {r.question}" for r in misses) or "(none)")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every fifth row (or intent) of each set")
    parser.add_argument("--set", dest="sets", action="append", choices=SETS)
    parser.add_argument("--catalogue", default=None)
    parser.add_argument("--index", default=None)
    parser.add_argument("--show-misses", action="store_true", help="the tune half's misses (never the untouched)")
    parser.add_argument("--dir", default=None, help="score the blind sets of another folder (bench/fresh3, ...)")
    args = parser.parse_args(argv)
    if args.dir:
        global SETS_DIR
        SETS_DIR = (ROOT / args.dir) if not Path(args.dir).is_absolute() else Path(args.dir)
    from qa.service import open_assistant

    assistant = open_assistant(args.catalogue, args.index, None, on_status=lambda m: print(m, file=sys.stderr))
    chat_options = [*(["--catalogue", args.catalogue] if args.catalogue else []),
                    *(["--index", args.index] if args.index else [])]  # fmt: skip
    for name in args.sets or available():
        evaluate(assistant, name, args.quick, chat_options, args.show_misses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
