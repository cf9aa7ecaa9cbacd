"""`msme-qa chat`: stdin transcripts through a real subprocess, and the real REPL in a pseudo-terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from cli.chat import Chat, parse_list_args
from qa.errors import UsageError
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
TIMEOUT = 90  # seconds; the machine is slow and shared, and the first answer loads the model


@pytest.fixture
def env(built_index: Path, tmp_path: Path, isolated_dirs: Path) -> dict[str, str]:
    """The test's environment (isolated XDG dirs), the session's index, and a browser that only records."""
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {tmp_path / "opened.txt"}\n')
    browser.chmod(0o755)
    return dict(os.environ, MSME_QA_INDEX=str(built_index), BROWSER=str(browser), COLUMNS="200")


def chat(env: dict[str, str], lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "chat", *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=TIMEOUT,
    )


# stdin not a terminal -----------------------------------------------------------------------------


def test_piped_questions_get_one_plain_answer_each_with_follow_ups(env):
    run = chat(
        env,
        [
            "What is the Model Law on Electronic Transferable Records?",
            "",
            "And what did UNCITRAL say?",
            "Who gave it?",
            "What is Australia's de minimis threshold?",
        ],
    )
    assert run.returncode == 0, run.stderr
    blocks = run.stdout.strip().split("\n\nSources\n")
    assert len(blocks) == 5  # four answers with sources: the blank input line was skipped
    assert "Presented by UNCITRAL (IO) on 24 June 2021: Overview of the UNCITRAL Model Law" in run.stdout
    assert "\n\nAustralia has a de minimis threshold of AUD 1,000" in run.stdout  # not dragged, a blank line before
    assert "\x1b[" not in run.stdout  # plain text, no colour codes


def test_piped_json_is_one_answer_object_per_line(env):
    run = chat(
        env,
        [
            "Who presented on cyber security?",
            "the second one",
            "Where are the slides?",
            "",
            "What is the Model Law on Electronic Transferable Records?",
            "And what did UNCITRAL say?",
            "What is Australia's de minimis threshold?",
        ],
        "--json",
    )
    assert run.returncode == 0, run.stderr
    answers = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(answers) == 6
    for answer in answers:
        assert {"question", "answer", "abstained", "count", "sentences", "citations"} <= answer.keys()
    listed, second, slides, mletr, uncitral, australia = answers
    assert listed["count"] == 4
    assert second["citations"][0]["title"] == listed["citations"][1]["title"] == "Strengthening MSME Cyber Security"
    assert slides["answer"] == f"Strengthening MSME Cyber Security: {second['citations'][0]['link']} [1]"
    assert uncitral["question"] == "And what did UNCITRAL say?"
    assert "UNCITRAL" in uncitral["read_as"] and "Model Law on Electronic Transferable" in uncitral["read_as"]
    assert [c["institution"] for c in uncitral["citations"]] == ["UNCITRAL"]
    assert "read_as" not in australia and "read_as" not in mletr
    assert australia["citations"][0]["institution"] == "Australia's Department of Home Affairs"


def test_piped_slash_commands_and_a_bad_line_do_not_end_the_session(env, tmp_path):
    run = chat(
        env,
        [
            "/list --institution ITC --since 2022",
            "What is the Model Law on Electronic Transferable Records?",
            "/sources",
            "/open 1",
            "/frobnicate",
            "number 9",
            "/more",
            "/reset",
            "Who gave it?",
            "/quit",
            "What is never asked?",
        ],
        "--json",
    )
    assert run.returncode == 0
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert all(isinstance(row, dict) for row in out)  # one JSON object per line, slash commands included
    listed, answer, sources, opened, unknown, past_end, more, reset, who = out
    assert listed["command"] == "/list" and listed["count"] == 5
    assert [e["institution"] for e in listed["entries"]] == ["ITC"] * 5
    assert all(e["date"] >= "2022" for e in listed["entries"])
    assert sources["command"] == "/sources" and sources["sources"][0]["n"] == 1
    assert sources["sources"][0]["summary"].startswith("UNCITRAL began the meeting")
    link = answer["citations"][0]["link"]
    assert opened == {"command": "/open", "opened": True, "n": 1, "link": link}
    assert (tmp_path / "opened.txt").read_text().strip() == link
    assert unknown["error"].startswith("unknown command /frobnicate")
    assert past_end["error"] == "the last answer has only 1 source; pick number 1"
    assert (
        more["command"] == "/more" and more["sentences"] and more["citations"][0]["id"] == answer["citations"][0]["id"]
    )
    assert reset == {"command": "/reset", "reset": True}
    assert who["question"] == "Who gave it?" and "error" not in who  # after /reset: a new question
    assert run.stderr.count("msme-qa: ") == 2  # one line per failed line


def test_an_empty_catalogue_stops_before_the_session_with_exit_2(env, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    run = chat(env, ["What is MLETR?"], "--catalogue", str(empty))
    assert run.returncode == 2
    assert run.stdout == "" and run.stderr.startswith("msme-qa: ") and "Traceback" not in run.stderr


def test_an_unexpected_error_in_one_question_is_reported_and_the_session_goes_on(capsys, monkeypatch):
    class Flaky:
        last = None

        def ask(self, question):
            if question == "boom":
                raise RuntimeError("the disk is on fire")
            from qa.answers.model import Answer

            return Answer(question, f"echo: {question}", kind="fact")

    session = Chat(Flaky(), lambda: None, json=True)  # type: ignore[arg-type]
    session.run_lines(io.StringIO("boom\nhello\n"))
    out, err = capsys.readouterr()
    assert [json.loads(line) for line in out.splitlines()] == [
        {"question": "boom", "error": "unexpected error: RuntimeError: the disk is on fire"},
        {
            "question": "hello",
            "answer": "echo: hello",
            "abstained": False,
            "count": None,
            "sentences": [],
            "citations": [],
            "kind": "fact",
        },
    ]
    assert err == "msme-qa: unexpected error: RuntimeError: the disk is on fire (MSME_QA_DEBUG=1 shows the traceback)\n"


def test_list_arguments_read_like_the_list_command():
    assert parse_list_args("--institution 'International Trade Centre' -c Digital --since=2022 --until 2023") == {
        "institution": "International Trade Centre",
        "category": "Digital",
        "since": "2022",
        "until": "2023",
    }
    with pytest.raises(UsageError, match="unknown option"):
        parse_list_args("ITC")
    with pytest.raises(UsageError, match="needs a value"):
        parse_list_args("--since")


# The real REPL in a pseudo-terminal ---------------------------------------------------------------


def spawn(env: dict[str, str]) -> pexpect.spawn:
    tty_env = dict(env, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    tty_env.pop("COLUMNS", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "cli", "chat"],
        cwd=str(ROOT),
        env=tty_env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 220),
    )
    child.expect("msme-qa>")  # prompt_toolkit draws the prompt's trailing space by moving the cursor
    return child


def ask(child: pexpect.spawn, line: str, *expected: str) -> None:
    child.sendline(line)
    for text in expected:
        child.expect_exact(text)
    child.expect("msme-qa>")


def test_the_repl_welcome_answers_commands_ctrl_c_and_ctrl_d(env):
    child = spawn(env)
    welcome = child.before
    assert "wto-msme-presentations.txt: 48 presentations from 18 February 2021 to 13 March 2023" in welcome
    assert "index up to date" in welcome and "/help" in welcome
    ask(child, "What is the Model Law on Electronic Transferable Records?", "UNCITRAL began the meeting", "Sources")
    ask(child, "/help", "/sources", "/list [filters]", "/quit")
    ask(child, "/sources", "Category: Digital", "Link: ", "uncitral_240621.pdf")  # the link is an OSC 8 hyperlink
    ask(child, "/list --institution ITC", "6 presentations", "GreenToCompete")
    child.send("half-typed question about something else")
    child.sendcontrol("c")  # cancels the line being typed, not the session
    child.expect("msme-qa>")
    ask(child, "Who gave it?", "Presented by UNCITRAL (IO) on 24 June 2021")
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_history_persists_across_sessions_and_quit_leaves(env, isolated_dirs):
    first = spawn(env)
    ask(first, "What is Australia's de minimis threshold?", "AUD 1,000")
    ask(first, "/help", "/reset")
    first.sendline("/quit")
    first.expect(pexpect.EOF)
    first.close()
    assert first.exitstatus == 0
    history = isolated_dirs / "data" / "msme-qa" / "chat-history"
    assert "What is Australia's de minimis threshold?" in history.read_text()

    second = spawn(env)
    second.send("\x1b[A")  # up: the previous session's last line, /quit
    second.expect_exact("/quit")
    second.send("\x1b[A")  # up again: /help
    second.send("\x1b[A")  # and again: the question (redrawn in place, so only its answer is checked)
    second.send("\r")
    second.expect_exact("AUD 1,000")
    second.expect("msme-qa>")
    second.sendcontrol("d")
    second.expect(pexpect.EOF)
    second.close()
    assert second.exitstatus == 0
