"""Private by default: after a first `chat` in a fresh home, every directory msme-qa made is 0700 and the
chat history is 0600; directories that existed are left as they were, and a history others can read is
reported once. A real pseudo-terminal (the history is kept only by the terminal conversation)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pexpect
import pytest

from embeddings import private_dir

from .conftest import ROOT
from .test_reliability_support import SMALL, subset, write_catalogue

pytestmark = pytest.mark.slow
TIMEOUT = 300  # the first session builds the index and exports the query encoder (torch): a minute or more


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def session(env: dict[str, str], catalogue: Path, question: str) -> str:
    """One terminal conversation under umask 022 (the usual one): a question, then /quit; the transcript."""
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", f'umask 022; exec "{sys.executable}" -m cli chat --catalogue "{catalogue}"'],
        cwd=str(ROOT),
        env={**env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, 200),
    )
    child.expect("msme-qa>")
    transcript = child.before
    child.sendline(question)
    child.expect("msme-qa>")
    child.sendline("/quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, transcript
    return transcript + (child.before or "")


def test_a_first_chat_in_a_fresh_home_keeps_everything_private(tmp_path):
    home = tmp_path / "home"  # nothing exists under it yet: msme-qa creates every directory below
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSME_QA_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"))
    catalogue = write_catalogue(tmp_path / "small.txt", subset(SMALL))
    session(env, catalogue, "What is Australia's de minimis threshold?")

    made = [home / "cache", home / "data"]
    for root in made:
        made += [Path(d, name) for d, names, _ in os.walk(root) for name in names]
    names = {p.relative_to(home).as_posix() for p in made}
    assert {"cache/msme-qa", "cache/msme-qa/indexes", "cache/msme-qa/encoders", "data/msme-qa"} <= names
    assert any(n.startswith("cache/msme-qa/indexes/small-") and n.endswith("/encoder") for n in names), names
    assert {p.relative_to(home).as_posix(): oct(mode(p)) for p in made if mode(p) != 0o700} == {}
    history = home / "data" / "msme-qa" / "chat-history"
    assert mode(history) == 0o600 and "de minimis" in history.read_text()

    # Existing things are left as they are; a history others can read is reported, once.
    indexes = home / "cache" / "msme-qa" / "indexes"
    indexes.chmod(0o755)
    history.chmod(0o644)
    transcript = session(env, catalogue, "Who presented on cyber security?")
    assert transcript.count("can be read by other users") == 1, transcript
    assert f"chmod 600 {history}" in transcript
    assert mode(indexes) == 0o755 and mode(history) == 0o644


def test_private_dir_makes_every_missing_level_0700_whatever_the_umask(tmp_path):
    old = os.umask(0o000)
    try:
        made = private_dir(tmp_path / "a" / "b" / "c")
    finally:
        os.umask(old)
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", made)] == [0o700] * 3
    (tmp_path / "open").mkdir(mode=0o755)
    private_dir(tmp_path / "open" / "inner")
    assert mode(tmp_path / "open") == 0o755 and mode(tmp_path / "open" / "inner") == 0o700
    (tmp_path / "file").write_text("")
    with pytest.raises(FileExistsError):
        private_dir(tmp_path / "file")
