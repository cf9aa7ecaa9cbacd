"""Every example in README.md, run: what the README shows is what the tool prints, so the two cannot drift.

An example is a ```text block of `$ msme-qa ...` commands, each followed by its output (the chat session
is run in a terminal, 80 columns wide, one turn per `msme-qa>` prompt), or an inline
`` `msme-qa ask "QUESTION"` gets "ANSWER" ``. Whitespace is compared normalised (the README wraps lines
where the terminal or the page does), "..." stands for text left out, and an example shows the start of
what is printed (an answer's sources may follow). The tables' examples of periods and of one question in
several wordings are read by the question reader. Runs that answer questions load the model (slow lane).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
PROMPT = "msme-qa> "
_ANSI = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")


def text_blocks(readme: str = README) -> list[str]:
    """The ```text blocks, dedented (a block inside a list item is indented)."""
    return [textwrap.dedent(b) for b in re.findall(r"^ *```text\n(.*?)^ *```", readme, re.S | re.M)]


def commands(block: str) -> list[tuple[list[str], str]]:
    """Each `$ command` of a block, as arguments after the program's name, with the lines shown after it."""
    found: list[tuple[list[str], str]] = []
    for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
        line, _, shown = part.partition("\n")
        program, *args = shlex.split(line)
        assert program.endswith("msme-qa"), line
        found.append((args, shown))
    return found


def normalised(text: str) -> str:
    return " ".join(_ANSI.sub("", text).split())


def shows(expected: str, printed: str) -> bool:
    """The output starts with what the README shows, "..." standing for anything left out."""
    pattern = ".*?".join(re.escape(normalised(piece)) for piece in expected.split("..."))
    return re.match(pattern, normalised(printed), re.S) is not None


def run(*args: str, index: Path) -> subprocess.CompletedProcess[str]:
    command, *rest = args
    return subprocess.run(
        [sys.executable, "-m", "cli", command, "--index", str(index), *rest],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
    )  # fmt: skip


ASKS = [(args, shown) for block in text_blocks() for args, shown in commands(block) if args[0] == "ask"]
INLINE = re.findall(r'`msme-qa ask "([^"`]+)"` gets "([^"]+)"', README.replace("\n  ", " "))
SESSION = next(block for block in text_blocks() if block.startswith("$ .venv/bin/msme-qa chat\n"))


def test_the_readme_has_the_examples_this_file_runs() -> None:
    assert len(ASKS) >= 4 and len(INLINE) >= 2
    assert SESSION.count(PROMPT) >= 5


def test_the_pieces_of_an_example_match_in_order() -> None:
    assert shows(
        "Yes: 3 presentations ... about blockchain:\n[1] ...",
        "Yes: 3 presentations from X are about\nblockchain: [1] a",
    )
    assert not shows("a ... b", "b then a")
    assert shows("x  y", "x\ny and more")


@pytest.mark.parametrize(("args", "shown"), ASKS, ids=[args[1][:40] for args, _ in ASKS])
def test_each_ask_example_prints_what_the_readme_shows(built_index: Path, args: list[str], shown: str) -> None:
    result = run(*args, index=built_index)
    assert result.returncode == 0, result.stderr
    assert shows(shown, result.stdout), f"README shows:\n{shown}\nthe tool prints:\n{result.stdout}"


@pytest.mark.parametrize(("question", "answer"), INLINE, ids=[q[:40] for q, _ in INLINE])
def test_each_inline_answer_is_what_the_tool_prints(built_index: Path, question: str, answer: str) -> None:
    result = run("ask", question, index=built_index)
    assert result.returncode == 0, result.stderr
    assert shows(answer, result.stdout), f"README says:\n{answer}\nthe tool prints:\n{result.stdout}"


def test_the_chat_session_prints_what_the_readme_shows(built_index: Path) -> None:
    """In a terminal 80 columns wide, as a person sees it: the greeting, then each turn up to the next prompt."""
    import pexpect

    greeting, *turns = SESSION.partition("\n")[2].split(PROMPT)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    child = pexpect.spawn(
        sys.executable, ["-m", "cli", "chat", "--index", str(built_index)], cwd=str(ROOT), encoding="utf-8",
        dimensions=(50, 80), env={**env, "TERM": "dumb", "NO_COLOR": "1"}, timeout=120,
    )  # fmt: skip
    try:
        child.expect_exact(PROMPT)
        assert shows(greeting, child.before), child.before
        for turn in turns:
            question, _, shown = turn.partition("\n")
            child.sendline(question)
            child.expect_exact(PROMPT)
            printed = child.before.replace("\r", "").split("\n", 1)[1]  # past the echoed question
            assert shows(shown, printed), f"README shows:\n{shown}\nthe tool prints:\n{printed}"
    finally:
        child.sendcontrol("d")
        child.close()


# Without a model: the commands table's options and the reader's tables ----------------------------------


def test_the_list_options_in_the_commands_table_work() -> None:
    row = next(line for line in README.splitlines() if line.startswith("| `msme-qa list`"))
    options = [shlex.split(option) for option in re.findall(r"`(--[a-z]+ [^`]+)`", row) if "json" not in option]
    assert len(options) == 4
    for option in options:
        result = subprocess.run([sys.executable, "-m", "cli", "list", *option], capture_output=True, text=True,
                                cwd=ROOT, timeout=120)  # fmt: skip
        assert result.returncode == 0 and " presentation" in result.stdout, (option, result.stdout, result.stderr)


def test_every_period_in_the_slot_table_is_read_as_a_period() -> None:
    from .reading import find_period

    row = next(line for line in README.splitlines() if line.startswith("| period |"))
    examples = re.findall(r'"([^"]+)"', row)
    assert len(examples) >= 8
    for example in examples:
        period = find_period(example.replace("...", "they presented"))
        assert period is not None and (period.start or period.end or period.month), example


def test_one_question_in_several_wordings_reads_as_one_topic_and_period(catalogue) -> None:
    from qa.question.query import Lexicon, read_query

    sentence = next(p for p in README.split("\n\n") if "all read" in p and "as topic" in p)
    wordings = re.findall(r'"([^"]+)"', sentence.split("all read")[0])
    topic, year = re.search(r"as topic (\w+), period (\d{4})", sentence).groups()
    assert len(wordings) == 3
    lexicon = Lexicon.of(catalogue)
    for wording in wordings:
        query = read_query(wording, lexicon)
        assert query.topic.lower() == topic and query.period is not None, wording
        assert (query.period.start.isoformat(), query.period.end.isoformat()) == (f"{year}-01-01", f"{year}-12-31")
