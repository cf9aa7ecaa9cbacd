"""Scorer for the six fresh blind sets in bench/fresh/: msme-qa (and, where they mean something, the baselines).

    .venv/bin/python bench/fresh.py                  # the six sets (builds the index on first use)
    .venv/bin/python bench/fresh.py --quick          # every fifth question of each set, for CI
    .venv/bin/python bench/fresh.py --show-misses
    .venv/bin/python bench/eval.py                   # the three older sets, then these six
    .venv/bin/python bench/eval.py --fresh-only      # these six only (same as this script)

The sets were written from the catalogue alone, never from the code or the product's answers. Each is split deterministically in
two halves: rows sorted by id, even positions (0, 2, 4, ...) are the **tune** half, odd positions the
**untouched** half; every table reports the whole set and both halves. A change to the product may be
motivated by tune-half misses only; the untouched half says whether it generalised.

The product is used through its public face only: ``open_assistant()``, ``assistant.answer(question)``
and what the Answer's ``to_json()`` (plus its ``kind``) says; the conversations run through the real
program, ``msme-qa chat --json`` with the turns on stdin. Baselines reuse bench/eval.py's signal
functions (BM25 only, dense only, plain RRF) and, for paraphrases, its baseline scoring unchanged.

Scoring (``cited`` is the answer's citation ids in order, ``first`` the first of them):
- keyword.jsonl: hit@1 = ``first`` in gold (a list or search answer included), hit@3 = one of the
  first three citations in gold, refused = abstained, and hit@1 on the misspelt rows alone. Baselines:
  the first (three) entries of their ranking.
- paraphrase.jsonl: hit@1 = ``first`` in gold, containment = the gold fact in the answer's text
  (eval.normalise on both), false abstentions. Baselines as bench/eval.py scores them.
- superlative.jsonl: a row is exact when every condition it states holds: match "first": ``first`` in
  gold; match "all": set(cited) == gold (not checked when the gold list is empty: those rows count
  meetings, institutions or categories, which are not entries); count: answer.count == count
  (lenient: or, when the answer has no count, the number as a whole word in its text); fact: in the
  text. Rows with "outside": true are exact when nothing is cited (or the count is 0) and the answer
  is not a confident fact; that replaces their match and count conditions.
- lists.jsonl: exact = set(cited) == gold and answer.count == len(gold) (an empty gold needs count 0).
- near_oos.jsonl: abstention rate, and by the row's "why"; beside it, the rate of answers that abstain
  or say that nothing matches (count 0, nothing cited), since a period outside the catalogue is
  answered that way.
- conversations.jsonl: the last turn's ``first`` in gold, the last turn refused (abstained, or an error
  object), both per operation.
- false abstentions over every answerable question: keyword, paraphrase, superlative (not outside), lists.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import eval as harness  # noqa: E402

FRESH = ROOT / "bench" / "fresh"
SETS = ("keyword", "paraphrase", "superlative", "lists", "near_oos", "conversations")
HALVES = ("all", "tune", "untouched")
WHY = ("detail", "presenter", "period", "topic")
OPERATIONS = (
    "attribute", "same_meeting", "same_presenter", "series", "filter_list",
    "pick_list", "new_party", "rest", "new_question", "compose",
)  # fmt: skip
QUICK_STEP = 5  # --quick: every fifth row of each set (sorted by id), so both halves are in it
Row = dict[str, Any]
TableRow = dict[str, float | int | str | None]


# What the scorer reads of an answer ----------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """One answer as the public contract shows it (INTERFACE.md): nothing of the product's internals."""

    question: str
    text: str = ""
    abstained: bool = False
    count: int | None = None
    cited: tuple[str, ...] = ()
    kind: str | None = None  # fact, list, count, search, abstain; None when the JSON does not say
    error: str | None = None  # `chat --json`'s error object
    other: str | None = None  # a line that was not an answer (a slash command's output)
    support: str | None = None  # fact answers: "full" or "partial" (the answer says what is missing)

    @classmethod
    def of(cls, answer: Any) -> Seen:
        """From an Answer object: its to_json() and its kind."""
        data = answer.to_json()
        data.setdefault("kind", getattr(answer, "kind", None))
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: Any) -> Seen:
        """From one line of `ask --json` / `chat --json` output, whatever it is."""
        if not isinstance(data, dict) or ("answer" not in data and "error" not in data):
            return cls(question="", other=json.dumps(data, ensure_ascii=False)[:120])
        if "error" in data:
            return cls(question=str(data.get("question", "")), error=str(data["error"]))
        return cls(
            question=str(data.get("question", "")),
            text=str(data.get("answer") or ""),
            abstained=bool(data.get("abstained")),
            count=data.get("count"),
            cited=tuple(str(c["id"]) for c in data.get("citations") or ()),
            kind=data.get("kind"),
            support=data.get("support"),
        )

    @property
    def first(self) -> str | None:
        return self.cited[0] if self.cited else None

    @property
    def refused(self) -> bool:
        return self.abstained or self.error is not None

    @property
    def confident_fact(self) -> bool:
        """An answer stated as a fact (not an abstention, a list, a count or a search result)."""
        if self.refused or self.other is not None or self.support == "partial":
            return False
        return self.kind == "fact" if self.kind else self.count is None and bool(self.cited)

    def describe(self) -> str:
        if self.error is not None:
            return f"error: {self.error}"
        if self.other is not None:
            return f"not an answer: {self.other}"
        if self.abstained:
            return "abstained"
        head = f"{self.kind or 'answer'}"
        if self.count is not None:
            head += f" count={self.count}"
        return f"{head}, cited {len(self.cited)}, first {self.first}"


# Per-row checks (pure: they see the row, its gold ids and the answer) -----------------------------


def hit_at(seen: Seen, gold: set[str], k: int) -> bool:
    """One of the first k citations is a gold entry (an abstention cites nothing)."""
    return not seen.refused and any(i in gold for i in seen.cited[:k])


def contains(fact: str, text: str) -> bool:
    return harness.normalise(fact) in harness.normalise(text)


def whole_number_in(number: int, text: str) -> bool:
    return re.search(rf"(?<![\w.,]){number}(?![\w]|[.,]\d)", text) is not None


def superlative_checks(row: Row, gold: set[str], seen: Seen, *, lenient: bool) -> list[str]:
    """The conditions of a superlative/total row that fail (empty: exact)."""
    failed: list[str] = []
    if row.get("outside"):
        if seen.cited and seen.count != 0:
            failed.append(f"outside the catalogue but cited {len(seen.cited)} (first {seen.first})")
        if seen.confident_fact:
            failed.append("outside the catalogue but answered as a fact")
        return failed
    if row["match"] == "first" and seen.first not in gold:
        failed.append(f"first cited {seen.first}, not in gold")
    if row["match"] == "all" and gold and set(seen.cited) != gold:
        failed.append(_set_difference(set(seen.cited), gold))
    want = row.get("count")
    if want is not None and seen.count != want:
        in_text = lenient and seen.count is None and whole_number_in(want, seen.text)
        if not in_text:
            failed.append(f"count {seen.count} want {want}" + ("" if lenient else " (strict)"))
    if row.get("fact") is not None and not contains(row["fact"], seen.text):
        failed.append(f"fact {row['fact']!r} not in the text")
    return failed


def list_checks(gold: set[str], seen: Seen) -> list[str]:
    failed = []
    if set(seen.cited) != gold:
        failed.append(_set_difference(set(seen.cited), gold))
    if seen.count != len(gold):
        failed.append(f"count {seen.count} want {len(gold)}")
    return failed


def _set_difference(cited: set[str], gold: set[str]) -> str:
    missing, extra = gold - cited, cited - gold
    parts = [f"cited {len(cited)} want {len(gold)}"]
    if missing:
        parts.append(
            f"missing {len(missing)}: " + ", ".join(sorted(missing)[:3]) + (" ..." if len(missing) > 3 else "")
        )
    if extra:
        parts.append(f"extra {len(extra)}: " + ", ".join(sorted(extra)[:3]) + (" ..." if len(extra) > 3 else ""))
    return "; ".join(parts)


def declined(seen: Seen) -> bool:
    """Abstained, or said nothing matches (count 0, nothing cited): no answer was offered."""
    return seen.refused or (seen.count == 0 and not seen.cited)


# Sets, halves and tallies ---------------------------------------------------------------------------


def load(name: str) -> list[Row]:
    path = FRESH / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def with_halves(rows: Sequence[Row]) -> list[tuple[str, Row]]:
    """Rows sorted by id, each with its half: even positions "tune", odd positions "untouched"."""
    ordered = sorted(rows, key=lambda r: r["id"])
    return [("tune" if i % 2 == 0 else "untouched", r) for i, r in enumerate(ordered)]


def pick(rows: list[tuple[str, Row]], quick: bool) -> list[tuple[str, Row]]:
    return rows[::QUICK_STEP] if quick else rows


@dataclass
class Record:
    """One row's outcome: metric -> True/False, or None where the metric does not apply to the row."""

    id: str
    half: str
    question: str
    metrics: dict[str, bool | None]
    miss: str | None = None  # what was wrong, for --show-misses


@dataclass
class Scored:
    """One set's outcome for one method."""

    method: str
    records: list[Record] = field(default_factory=list)

    def rows(self, columns: Sequence[str]) -> list[TableRow]:
        out = []
        for half in HALVES:
            chosen = [r for r in self.records if half == "all" or r.half == half]
            row: TableRow = {"method": self.method, "half": half, "n": len(chosen)}
            for col in columns:
                values = [r.metrics.get(col) for r in chosen]
                applicable = [v for v in values if v is not None]
                row[col] = sum(applicable) / len(applicable) if applicable else None
            out.append(row)
        return out


def gold_of(assistant: Any, row: Row) -> set[str]:
    return harness.gold_ids(assistant, row) if row.get("gold") else set()


def answer(assistant: Any, question: str) -> Seen:
    return Seen.of(assistant.answer(question))


# The sets -----------------------------------------------------------------------------------------

KEYWORD = ("hit@1", "hit@3", "refused", "misspelt hit@1")
PARAPHRASE = ("hit@1", "containment", "false abstentions")
SUPERLATIVE = ("exact", "exact (lenient count)", "superlative exact", "total exact (lenient)", "outside exact",
               "false abstentions")  # fmt: skip
LISTS = ("exact", "list exact", "count exact", "false abstentions")
NEAR = ("abstained", *WHY, "abstained or none found", "refused, none found or partial")
CONVERSATIONS = ("last first-cited in gold", "last refused", *OPERATIONS)


def score_keyword(half: str, row: Row, gold: set[str], seen: Seen) -> Record:
    h1, h3 = hit_at(seen, gold, 1), hit_at(seen, gold, 3)
    metrics: dict[str, bool | None] = {
        "hit@1": h1, "hit@3": h3, "refused": seen.refused, "misspelt hit@1": h1 if row.get("misspelt") else None,
    }  # fmt: skip
    miss = None if h1 else seen.describe() + ("" if seen.refused else ", not in gold") + (", hit@3" if h3 else "")
    return Record(row["id"], half, row["question"], metrics, miss)


def score_paraphrase(half: str, row: Row, gold: set[str], seen: Seen) -> Record:
    h1, ok = hit_at(seen, gold, 1), contains(row["fact"], seen.text)
    metrics: dict[str, bool | None] = {"hit@1": h1, "containment": ok, "false abstentions": seen.refused}
    wrong = []
    if not h1:
        wrong.append(seen.describe() + ("" if seen.refused else ", not in gold"))
    if not ok and not seen.refused:
        wrong.append("fact not contained")
    return Record(row["id"], half, row["question"], metrics, "; ".join(wrong) or None)


def score_superlative(half: str, row: Row, gold: set[str], seen: Seen) -> Record:
    strict = superlative_checks(row, gold, seen, lenient=False)
    lenient = superlative_checks(row, gold, seen, lenient=True)
    outside = bool(row.get("outside"))
    metrics: dict[str, bool | None] = {
        "exact": not strict,
        "exact (lenient count)": not lenient,
        "superlative exact": None if outside or row["kind"] != "superlative" else not strict,
        "total exact (lenient)": None if outside or row["kind"] != "total" else not lenient,
        "outside exact": not strict if outside else None,
        "false abstentions": None if outside else seen.refused,
    }
    miss = None
    if strict:
        miss = f"{seen.describe()}: " + "; ".join(strict) + ("" if lenient else " (exact with the lenient count)")
    return Record(row["id"], half, row["question"], metrics, miss)


def score_list(half: str, row: Row, gold: set[str], seen: Seen) -> Record:
    failed = list_checks(gold, seen)
    exact = not failed
    metrics: dict[str, bool | None] = {
        "exact": exact,
        "list exact": exact if row["kind"] == "list" else None,
        "count exact": exact if row["kind"] == "count" else None,
        "false abstentions": seen.refused,
    }
    return Record(
        row["id"], half, row["question"], metrics, None if exact else f"{seen.describe()}: " + "; ".join(failed)
    )


def score_near(half: str, row: Row, gold: set[str], seen: Seen) -> Record:
    said = declined(seen) or seen.support == "partial"
    metrics: dict[str, bool | None] = {
        "abstained": seen.refused,
        "abstained or none found": declined(seen),
        "refused, none found or partial": said,
    }
    for why in WHY:
        metrics[why] = seen.refused if row.get("why") == why else None
    miss = None if seen.refused else f"[{row.get('why')}] answered: {seen.describe()}"
    return Record(row["id"], half, row["question"], metrics, miss)


def score_conversation(half: str, row: Row, gold: set[str], seen: Seen) -> Record:
    hit = hit_at(seen, gold, 1)
    metrics: dict[str, bool | None] = {"last first-cited in gold": hit, "last refused": seen.refused}
    for op in OPERATIONS:
        metrics[op] = hit if row["operation"] == op else None
    question = " / ".join(row["turns"])
    miss = (
        None
        if hit
        else f"[{row['operation']}] last turn: {seen.describe()}"
        + ("" if seen.refused or seen.other else f", want {', '.join(sorted(gold))}")
    )
    return Record(row["id"], half, question, metrics, miss)


Scorer = Callable[[str, Row, set[str], Seen], Record]


def run_product(assistant: Any, rows: list[tuple[str, Row]], scorer: Scorer) -> Scored:
    out = Scored("msme-qa")
    for half, row in rows:
        out.records.append(scorer(half, row, gold_of(assistant, row), answer(assistant, row["question"])))
    return out


SIGNALS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("BM25 only", harness.bm25_signal),
    ("dense only", harness.dense_signal),
    ("plain RRF", harness.rrf_signal),
)


def keyword_baseline(assistant: Any, rows: list[tuple[str, Row]], name: str, signal: Callable[..., Any]) -> Scored:
    """The first entries of one signal's ranking, scored like the product's citations (never refuses)."""
    import numpy as np

    retriever = assistant.retriever
    out = Scored(name)
    for half, row in rows:
        scores = signal(retriever, row["question"])
        ranking = tuple(retriever.entries[i].id for i in np.argsort(-scores, kind="stable")[:3])
        seen = Seen(row["question"], cited=ranking, kind="search")
        record = score_keyword(half, row, gold_of(assistant, row), seen)
        record.metrics["refused"] = None
        out.records.append(record)
    return out


def paraphrase_baseline(assistant: Any, rows: list[tuple[str, Row]], name: str, signal: Callable[..., Any]) -> Scored:
    """bench/eval.py's baseline (best sentence of the top entry), one row at a time to keep the halves."""
    out = Scored(name)
    for half, row in rows:
        tally = harness.run_baseline(assistant, [row], signal)
        (rank,) = tally.ranks["paraphrase"]
        (ok,) = tally.contained["paraphrase"]
        (refused,) = tally.false_abstain
        metrics: dict[str, bool | None] = {"hit@1": rank == 1, "containment": ok, "false abstentions": refused}
        out.records.append(Record(row["id"], half, row["question"], metrics))
    return out


# Conversations through the real program -------------------------------------------------------------


def program() -> list[str]:
    """`msme-qa` as installed next to this interpreter, else `python -m cli` (the same program)."""
    script = Path(sys.executable).with_name("msme-qa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cli"]


def chat_lines(turns: Sequence[str]) -> list[str]:
    """The lines piped to `chat`: a turn's line breaks become spaces (one line is one question)."""
    return [" ".join(t.split()) for t in turns]


def pair_outputs(inputs: Sequence[str], stdout: str) -> list[Seen]:
    """What each input line got: one output line per non-blank input line (an answer, an error object, or
    a command's output), in order; a blank input line, which `chat` skips, gets an empty Seen."""
    outputs = [line for line in stdout.splitlines() if line.strip()]
    asked = [line for line in inputs if line.strip()]
    if len(outputs) != len(asked):
        raise RuntimeError(f"msme-qa chat printed {len(outputs)} lines for {len(asked)} input lines")
    printed = iter(outputs)
    seen = []
    for line in inputs:
        if not line.strip():
            seen.append(Seen(question="", other="(blank line: nothing printed)"))
            continue
        out = next(printed)
        try:
            seen.append(Seen.from_json(json.loads(out)))
        except json.JSONDecodeError:
            seen.append(Seen(question="", other=out[:120]))
    return seen


def chat(lines: Sequence[str], options: Sequence[str]) -> list[Seen]:
    command = [*program(), "chat", "--json", *options]
    done = subprocess.run(
        command, input="\n".join(lines) + "\n", capture_output=True, text=True, encoding="utf-8", timeout=1800
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {done.returncode}:\n{done.stderr.strip()}")
    return pair_outputs(lines, done.stdout)


def last_turns(conversations: Sequence[Row], options: Sequence[str], *, separate: bool = False) -> list[Seen]:
    """Each conversation's last answer. One `chat` process for all, "/reset" between conversations
    (``separate``: one process per conversation, to check that /reset forgets everything)."""
    if separate:
        return [chat(chat_lines(c["turns"]), options)[-1] for c in conversations]
    lines: list[str] = []
    ends: list[int] = []
    for c in conversations:
        lines += chat_lines(c["turns"])
        ends.append(len(lines) - 1)
        lines.append("/reset")
    seen = chat(lines, options)
    for i, line in enumerate(lines):
        if line == "/reset" and seen[i].other != json.dumps({"command": "/reset", "reset": True}):
            raise RuntimeError(f"line {i + 1}: /reset answered {seen[i].describe()}")
    return [seen[i] for i in ends]


# Running and printing -------------------------------------------------------------------------------


@dataclass
class SetReport:
    name: str
    size: int
    scored: list[Scored]
    columns: Sequence[str]
    seconds: float

    def rows(self) -> list[TableRow]:
        return [row for s in self.scored for row in s.rows(self.columns)]


def evaluate_set(assistant: Any, name: str, quick: bool, chat_options: Sequence[str], separate: bool) -> SetReport:
    started = time.perf_counter()
    rows = pick(with_halves(load(name)), quick)
    scored: list[Scored]
    if name == "keyword":
        scored = [run_product(assistant, rows, score_keyword)]
        scored += [keyword_baseline(assistant, rows, n, s) for n, s in SIGNALS]
        columns: Sequence[str] = KEYWORD
    elif name == "paraphrase":
        scored = [run_product(assistant, rows, score_paraphrase)]
        scored += [paraphrase_baseline(assistant, rows, n, s) for n, s in SIGNALS]
        columns = PARAPHRASE
    elif name == "superlative":
        scored, columns = [run_product(assistant, rows, score_superlative)], SUPERLATIVE
    elif name == "lists":
        scored, columns = [run_product(assistant, rows, score_list)], LISTS
    elif name == "near_oos":
        scored, columns = [run_product(assistant, rows, score_near)], NEAR
    elif name == "conversations":
        lasts = last_turns([r for _, r in rows], chat_options, separate=separate)
        product = Scored("msme-qa")
        for (half, row), seen in zip(rows, lasts, strict=True):
            product.records.append(score_conversation(half, row, gold_of(assistant, row), seen))
        scored, columns = [product], CONVERSATIONS
    else:
        raise ValueError(name)
    return SetReport(f"fresh/{name}.jsonl", len(rows), scored, columns, time.perf_counter() - started)


ANSWERABLE = {"keyword": "refused", "paraphrase": "false abstentions", "superlative": "false abstentions",
              "lists": "false abstentions"}  # fmt: skip


def false_abstentions(reports: Iterable[SetReport]) -> list[TableRow]:
    """Over every answerable question of keyword, paraphrase, superlative (not outside) and lists."""
    pooled = Scored("msme-qa")
    for report in reports:
        key = ANSWERABLE.get(report.name.removeprefix("fresh/").removesuffix(".jsonl"))
        if key is None:
            continue
        for r in report.scored[0].records:
            if r.metrics.get(key) is not None:
                pooled.records.append(Record(r.id, r.half, r.question, {"false abstentions": r.metrics[key]}))
    rows = pooled.rows(["false abstentions"])
    for row, half in zip(rows, HALVES, strict=True):
        chosen = [r for r in pooled.records if half == "all" or r.half == half]
        row["abstained"] = sum(bool(r.metrics["false abstentions"]) for r in chosen)
    return rows


def describe_set(name: str, rows: Sequence[tuple[str, Row]]) -> str:
    counts: dict[str, int] = {}
    flags: dict[str, int] = {}
    for _, row in rows:
        key = row.get("kind") or row.get("operation") or "?"
        counts[key] = counts.get(key, 0) + 1
        for flag in ("misspelt", "outside"):
            if row.get(flag):
                flags[flag] = flags.get(flag, 0) + 1
    tail = "".join(f" ({flag} {n})" for flag, n in flags.items())
    return f"{name}: {len(rows)} questions: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + tail


def run(
    assistant: Any,
    *,
    quick: bool = False,
    show_misses: bool = False,
    as_json: bool = False,
    catalogue: str | None = None,
    index: str | None = None,
    separate_chats: bool = False,
    sets: Sequence[str] = SETS,
) -> dict[str, list[TableRow]]:
    """Score the fresh sets, print their tables (unless ``as_json``), return the rows by set name."""
    chat_options = [*(["--catalogue", catalogue] if catalogue else []), *(["--index", index] if index else [])]
    misses_to = sys.stderr if as_json else sys.stdout
    started = time.perf_counter()
    reports: list[SetReport] = []
    out: dict[str, list[TableRow]] = {}
    for name in sets:
        report = evaluate_set(assistant, name, quick, chat_options, separate_chats)
        reports.append(report)
        out[report.name] = report.rows()
        if not as_json:
            print(describe_set(report.name, pick(with_halves(load(name)), quick)))
            print(harness.table(report.rows()))
            print(f"({report.seconds:.1f} s)\n")
        if show_misses:
            print_misses(report, misses_to)
    pooled = false_abstentions(reports)
    out["fresh/false abstentions"] = pooled
    if not as_json:
        print("fresh sets: false abstentions over all answerable questions (keyword, paraphrase, "
              "superlative not outside, lists):")  # fmt: skip
        print(harness.table(pooled))
        print("fresh sets, all scored in:")
        print(f"({time.perf_counter() - started:.1f} s)\n")
    return out


def print_misses(report: SetReport, to: Any) -> None:
    """The product's misses on the tune half only: read once, the untouched half's would no longer be untouched."""
    records = report.scored[0].records
    misses = [r for r in records if r.half == "tune" and r.miss]
    print(f"msme-qa misses on {report.name}, tune half ({len(misses)}):", file=to)
    print("\n".join(f"{r.id} {r.miss}: {r.question}" for r in misses) or "(none)", file=to)
    print(file=to)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"every {QUICK_STEP}th row of each set (CI)")
    parser.add_argument("--set", dest="sets", action="append", choices=SETS, help="one set (default: all six)")
    parser.add_argument("--catalogue", default=None)
    parser.add_argument("--index", default=None)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--separate-chats", action="store_true", help="one `msme-qa chat` process per conversation (slower)"
    )
    args = parser.parse_args(argv)

    from qa.service import open_assistant

    assistant = open_assistant(args.catalogue, args.index, None, on_status=lambda m: print(m, file=sys.stderr))
    report = run(
        assistant,
        quick=args.quick,
        show_misses=args.show_misses,
        as_json=args.json,
        catalogue=args.catalogue,
        index=args.index,
        separate_chats=args.separate_chats,
        sets=args.sets or SETS,
    )
    if args.json:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
