#!/usr/bin/env python3
"""Validate bench/devset.jsonl against the catalogue (stdlib only).

Checks: valid JSON per line, unique ids, valid kinds, required fields, every gold
(title, date) pair is a catalogue heading, every fact occurs verbatim in the summary
region of at least one gold entry, fact/paraphrase coverage of all entries, and
minimum counts per kind.  Exit status 1 on any error.

Usage: python3 bench/check_devset.py [devset.jsonl] [catalogue.txt]
"""

import collections
import datetime
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEVSET = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "devset.jsonl"
CATALOGUE = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "seeds" / "wto-msme-presentations.txt"

KINDS = {"fact", "paraphrase", "list", "count", "out_of_scope"}
MINIMUM = {"fact": 45, "paraphrase": 45, "list": 15, "count": 10, "out_of_scope": 15}
MIN_TOTAL = 130

BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
# "Title, Institution (Type)", optionally followed by a footnote body "[1: ...]"
HEADING = re.compile(
    r"^(?P<head>.+?) \((?P<type>Member|IO|Secretariat|Other|organized by Member)\)"
    r"(?:\s*\[\d+:.*\])?\s*$",
    re.IGNORECASE,
)
DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")
POSSESSIVE = re.compile(r"^\w+'s ")  # e.g. "Ecuador's Ministry for Production, Trade, ..."


def split_title(head):
    """Title is everything before the institution.  The institution is the last
    comma-separated part, unless an earlier part starts with a possessive name
    (an institution such as "Ecuador's Ministry ..., Trade, ...")."""
    head = re.sub(r"\[footnoteRef:\d+\]", "", head).strip()
    parts = head.split(", ")
    for i in range(1, len(parts)):
        if POSSESSIVE.match(parts[i]):
            return ", ".join(parts[:i]), ", ".join(parts[i:])
    return ", ".join(parts[:-1]), parts[-1]


def parse_catalogue(path):
    lines = [BOOKMARK.sub("", line).strip() for line in path.read_text(encoding="utf-8").split("\n")]
    starts = [i for i, line in enumerate(lines) if HEADING.match(line)]
    entries = []
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        j = i + 1
        while j < end and not lines[j]:
            j += 1
        if j >= end or not DATE.match(lines[j]):
            raise SystemExit(f"catalogue line {i + 1}: heading without a date line")
        date = datetime.datetime.strptime(lines[j], "%d %B %Y").date().isoformat()
        title, inst = split_title(HEADING.match(lines[i]).group("head"))
        entries.append({"title": title, "institution": inst, "date": date, "region": "\n".join(lines[i + 1 : end])})
    return entries


def main():
    entries = parse_catalogue(CATALOGUE)
    by_key = {(e["title"], e["date"]): e for e in entries}
    errors, warnings = [], []
    seen_ids, seen_q = set(), {}
    kinds = collections.Counter()
    covered = set()

    for lineno, raw in enumerate(DEVSET.read_text(encoding="utf-8").splitlines(), 1):
        where = f"line {lineno}"
        if not raw.strip():
            errors.append(f"{where}: blank line")
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: invalid JSON ({exc})")
            continue
        qid = item.get("id")
        where = f"line {lineno} ({qid})"
        if not isinstance(qid, str) or not qid:
            errors.append(f"{where}: missing id")
        elif qid in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(qid)
        kind = item.get("kind")
        if kind not in KINDS:
            errors.append(f"{where}: invalid kind {kind!r}")
            continue
        kinds[kind] += 1
        question = item.get("question")
        if not isinstance(question, str) or not question.strip():
            errors.append(f"{where}: missing question")
        else:
            norm = " ".join(question.lower().split())
            if norm in seen_q:
                errors.append(f"{where}: same question as {seen_q[norm]}")
            seen_q[norm] = qid
        gold = item.get("gold")
        if not isinstance(gold, list):
            errors.append(f"{where}: gold must be a list")
            continue
        gold_entries = []
        for g in gold:
            key = (g.get("title"), g.get("date")) if isinstance(g, dict) else None
            if key not in by_key:
                errors.append(f"{where}: gold {g!r} is not a catalogue (title, date)")
            else:
                gold_entries.append(by_key[key])
        if len({(g.get("title"), g.get("date")) for g in gold if isinstance(g, dict)}) != len(gold):
            errors.append(f"{where}: duplicate gold entries")

        if kind in ("fact", "paraphrase"):
            fact = item.get("fact")
            if not gold:
                errors.append(f"{where}: {kind} question needs gold")
            if not isinstance(fact, str) or not fact.strip():
                errors.append(f"{where}: {kind} question needs a fact")
                continue
            if not 2 <= len(fact.split()) <= 8:
                errors.append(f"{where}: fact should be 2-8 words: {fact!r}")
            if gold_entries and not any(fact in e["region"] for e in gold_entries):
                errors.append(f"{where}: fact {fact!r} not found verbatim in a gold summary")
            others = [e["title"] for e in entries if fact in e["region"] and e not in gold_entries]
            if others:
                warnings.append(f"{where}: fact {fact!r} also occurs in non-gold {others}")
            covered.update((e["title"], e["date"]) for e in gold_entries)
        elif kind == "out_of_scope" and gold:
            errors.append(f"{where}: out_of_scope gold must be []")
        if kind in ("list", "count", "out_of_scope") and "fact" in item:
            warnings.append(f"{where}: {kind} question has a fact (ignored)")

    for kind, minimum in MINIMUM.items():
        if kinds[kind] < minimum:
            errors.append(f"only {kinds[kind]} {kind} questions (minimum {minimum})")
    total = sum(kinds.values())
    if total < MIN_TOTAL:
        errors.append(f"only {total} questions (minimum {MIN_TOTAL})")
    missing = [k for k in by_key if k not in covered]
    for title, date in missing:
        errors.append(f"entry not covered by any fact/paraphrase question: {title} ({date})")

    print(f"catalogue entries: {len(entries)}")
    for kind in ["fact", "paraphrase", "list", "count", "out_of_scope"]:
        print(f"  {kind:13s} {kinds[kind]}")
    print(f"  {'total':13s} {total}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
