"""Warm follow-up latency: every conversation of bench/fresh/conversations.jsonl in one warm process.

Times each follow-up turn (the turns after the first) with the assistant open and the first turn
answered; prints the median, p95 and max in milliseconds. Usage: .venv/bin/python bench/followup_speed.py
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from qa.chat.conversation import Conversation
    from qa.errors import UsageError
    from qa.service import open_assistant

    rows = [json.loads(line) for line in (ROOT / "bench/fresh/conversations.jsonl").read_text("utf-8").splitlines()]
    talk = Conversation(open_assistant(None, None, None))
    talk.ask("What is the Model Law on Electronic Transferable Records?")  # warm up
    ms: list[float] = []
    for row in rows:
        talk.reset()
        for k, turn in enumerate(row["turns"]):
            started = time.perf_counter()
            with contextlib.suppress(UsageError):
                talk.ask(turn)
            if k:
                ms.append((time.perf_counter() - started) * 1000)
    ms.sort()
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(f"{len(ms)} follow-ups: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms")


if __name__ == "__main__":
    main()
