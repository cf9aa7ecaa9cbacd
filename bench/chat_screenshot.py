"""Replay a short conversation through the real chat session and save it as an SVG screenshot.

    .venv/bin/python bench/chat_screenshot.py                  # writes docs/chat.svg
    .venv/bin/python bench/chat_screenshot.py --index DIR --out docs/chat.svg

The session is the one `msme-qa chat` runs (cli.chat.Chat, real assistant, real index); only its
console is swapped for a recording one, and each question is printed after the prompt as if typed.
It also prints how long each answer took (time.perf_counter around one line's handling): the model
and index load once, before the first question.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli.chat import PROMPT, Chat, welcome  # noqa: E402
from qa.chat.conversation import Conversation  # noqa: E402
from qa.service import open_assistant  # noqa: E402

SESSION = [
    "Who presented on cyber security?",
    "the second one",
    "Who gave it?",
    "Where are the slides?",
    "What is the Model Law on Electronic Transferable Records?",
    "And what did WIPO say?",
    "What is Australia's de minimis threshold?",
    "What about Canada?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="index directory (default: as msme-qa chooses)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "chat.svg"))
    parser.add_argument("--width", type=int, default=110)
    args = parser.parse_args()

    assistant = open_assistant(None, args.index, None, on_status=lambda m: print(f"msme-qa: {m}", file=sys.stderr))
    session = Chat(Conversation(assistant), lambda: assistant.catalogue, interactive=True)
    quiet = open(os.devnull, "w")  # noqa: SIM115 - recorded for the SVG, not shown
    session.out = Console(file=quiet, record=True, width=args.width, force_terminal=True, color_system="truecolor")
    session.out.print(Text(welcome(assistant.catalogue, "index up to date"), style="bold"))
    timings = []
    for line in SESSION:
        session.out.print(Text(PROMPT) + Text(line, style="bold"))
        start = time.perf_counter()
        session.turn(line)
        timings.append((time.perf_counter() - start) * 1000)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    session.out.save_svg(str(out), title="msme-qa chat")
    print(f"\nsaved {out}", file=sys.stderr)
    for line, ms in zip(SESSION, timings, strict=True):
        print(f"{ms:7.1f} ms  {line}", file=sys.stderr)
    later = timings[1:]
    print(f"after the first: median {statistics.median(later):.1f} ms, max {max(later):.1f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
