"""Behaviour snapshot: `bench/eval.py`'s full report, `ask --json` for every dev-set question, and a
scripted `chat --json` (the fresh conversations, and five follow-ups after each of 60 dev questions).

A refactoring that claims to change no behaviour must leave this snapshot identical, byte for byte,
apart from the timing lines ("(12.3 s)") that eval.py prints.

    .venv/bin/python bench/snapshot.py record /tmp/before     # before the change
    .venv/bin/python bench/snapshot.py record /tmp/after      # after it
    .venv/bin/python bench/snapshot.py compare /tmp/before /tmp/after

`ask --json` runs through the real CLI (Typer's CliRunner, in one process so the 189 questions take
seconds, not minutes); the chat runs as a subprocess with the script on stdin. The index is the default
one for the bundled catalogue.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEVSET = ROOT / "bench" / "devset.jsonl"
CONVERSATIONS = ROOT / "bench" / "fresh" / "conversations.jsonl"
FOLLOW_UPS = ["who gave it?", "and in 2022?", "who else?", "the second one"]


def chat_script() -> str:
    lines: list[str] = []
    for line in CONVERSATIONS.read_text(encoding="utf-8").splitlines():
        lines += [*json.loads(line)["turns"], "/reset"]
    for line in DEVSET.read_text(encoding="utf-8").splitlines()[:60]:
        lines += [json.loads(line)["question"], *FOLLOW_UPS, "/reset"]
    return "\n".join(lines) + "\n"


TIMING = re.compile(r"^\(\d+(\.\d+)? s\)$")


def record(out: Path) -> None:
    from typer.testing import CliRunner

    from cli.app import app

    out.mkdir(parents=True, exist_ok=True)
    report = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "eval.py"), "--show-misses"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line for line in report.splitlines() if not TIMING.match(line.strip())]
    (out / "eval.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    answers = []
    for line in DEVSET.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        result = runner.invoke(app, ["ask", "--json", row["question"]])
        answers.append(f"{row['id']}\t{result.exit_code}\t{result.stdout.strip()}")
    (out / "ask.jsonl").write_text("\n".join(answers) + "\n", encoding="utf-8")
    chat = subprocess.run(
        [sys.executable, "-m", "cli", "chat", "--json"], input=chat_script(), capture_output=True, text=True, cwd=ROOT
    )
    (out / "chat.jsonl").write_text(chat.stdout, encoding="utf-8")
    print(f"recorded {len(answers)} answers and the evaluation report in {out}")


def compare(before: Path, after: Path) -> int:
    differ = 0
    for name in ("eval.txt", "ask.jsonl", "chat.jsonl"):
        a = (before / name).read_text(encoding="utf-8").splitlines()
        b = (after / name).read_text(encoding="utf-8").splitlines()
        diff = list(difflib.unified_diff(a, b, f"before/{name}", f"after/{name}", lineterm="", n=0))
        if diff:
            differ += 1
            print("\n".join(diff[:60]))
        else:
            print(f"{name}: identical ({len(a)} lines)")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record").add_argument("out", type=Path)
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.out)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
