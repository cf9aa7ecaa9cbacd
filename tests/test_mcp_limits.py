"""`msme-qa mcp`'s bounds and signals: argument lengths, quoted values, the event log, addresses, Ctrl-C.

The event log is driven through the SDK's own EventStore interface; the commands run as real subprocesses
(an address in use, a bad host name, Ctrl-C while the index is still being built, on HTTP and on a
terminal), and the server over HTTP is driven with the SDK's client in test_mcp_http.py.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pexpect
import pytest

from cli.mcp_http import EventLog, SessionEvents
from cli.mcp_tools import QUOTE_LIMIT, TOOLS, check_arguments, clip_values, quote
from qa.catalogue.filters import find_entry
from qa.errors import UsageError

from .conftest import ROOT, SEED


def test_every_string_argument_has_a_published_and_enforced_length():
    lengths = {
        (tool, name): prop.get("maxLength")
        for tool, spec in TOOLS.items()
        for name, prop in spec.input_schema()["properties"].items()
        if "string" in prop["type"]
    }
    assert lengths == {
        ("ask", "question"): 2000,
        ("list_presentations", "institution"): 200,
        ("list_presentations", "category"): 200,
        ("list_presentations", "since"): 200,
        ("list_presentations", "until"): 200,
        ("show_presentation", "id"): 200,
    }
    assert check_arguments("ask", {"question": "q" * 2000})["question"] == "q" * 2000
    with pytest.raises(UsageError, match=r"^ask: the argument 'question' is 2,001 characters long; it takes at most"):
        check_arguments("ask", {"question": "q" * 2001})
    with pytest.raises(UsageError, match=r"^show_presentation: the argument 'id' is 201 characters long"):
        check_arguments("show_presentation", {"id": "i" * 201})


def test_an_error_quotes_at_most_80_characters_of_a_value(catalogue):
    long_id = "2021-" + "x" * 195
    with pytest.raises(UsageError) as caught:
        find_entry(catalogue, long_id)  # the CLI's own message quotes the id in full
    message = clip_values(str(caught.value), [long_id])
    assert message == f"no entry has the id {quote(long_id)}; `msme-qa list` shows the ids"
    assert quote(long_id) == repr(long_id[:QUOTE_LIMIT] + "…") and long_id[: QUOTE_LIMIT + 1] not in message
    assert clip_values("short 'abc' stays", ["abc"]) == "short 'abc' stays"
    with pytest.raises(UsageError) as unknown:
        check_arguments("ask", {"question": "q", "k" * 5000: 1})
    assert len(str(unknown.value)) < 200 and "k" * 81 not in str(unknown.value)


def message(n: int, size: int = 10) -> Any:
    """A JSON-RPC notification of about ``size`` bytes."""
    return types.JSONRPCNotification(jsonrpc="2.0", method="notifications/message", params={"n": n, "x": "y" * size})


def replay(store: SessionEvents, last: str) -> tuple[Any, list[int]]:
    sent: list[int] = []

    async def collect(event: Any) -> None:
        sent.append(event.message.params["n"])

    async def main() -> Any:
        return await store.replay_events_after(last, collect)

    return anyio.run(main), sent


def store(events: SessionEvents, stream: str, n: int, size: int = 10) -> str:
    async def main() -> str:
        return str(await events.store_event(stream, message(n, size)))

    return anyio.run(main)


def test_each_session_replays_its_own_events_and_no_others():
    log = EventLog()
    a, b = log.for_session("a"), log.for_session("b")
    a_ids = [store(a, "1", n) for n in range(3)]
    b_ids = [store(b, "1", n) for n in range(10, 13)]  # the same stream name: request ids start at 1 everywhere
    assert replay(a, a_ids[0]) == ("1", [1, 2])
    assert replay(b, b_ids[0]) == ("1", [11, 12])
    assert all(replay(b, event) == (None, []) for event in a_ids)  # A's ids mean nothing to B
    assert len(set(a_ids + b_ids)) == 6 and all(len(i) >= 20 for i in a_ids + b_ids)
    log.forget("a")
    assert replay(a, a_ids[0]) == (None, []) and log.count == 3


def test_the_event_log_is_bounded_in_count_and_bytes_per_session_and_overall():
    log = EventLog(max_events=50, max_bytes=60_000, session_events=20, session_bytes=20_000)
    one = log.for_session("one")
    for n in range(100):
        store(one, "1", n, size=10)
    assert log.count == 20 and len(log.order) <= 100
    for n in range(100):
        store(one, "1", n, size=2_000)
    assert log.bytes <= 20_000
    sessions = [log.for_session(str(k)) for k in range(10)]
    for n in range(30):
        for s in sessions:
            store(s, "1", n, size=1_000)
    assert log.count <= 50 and log.bytes <= 60_000
    assert len(log.order) <= 100 and sum(len(d) for d in log.sessions.values()) <= 2 * 50 + 11 * 20
    # A message larger than a session's allowance is not kept, and its stream cannot be resumed across it.
    two = log.for_session("two")
    first = store(two, "7", 1)
    store(two, "7", 2, size=30_000)
    assert replay(two, first) == (None, [])
    for s in [one, two, *sessions]:
        log.forget(s.session)
    assert (log.count, log.bytes, len(log.order)) == (0, 0, 0)


def run_mcp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "mcp", *args],
        cwd=ROOT,
        env=env or dict(os.environ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_address_in_use_stops_at_once_with_one_line_naming_it():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        run = run_mcp("--http", f"127.0.0.1:{port}", "--catalogue", str(SEED))
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        f"msme-qa: cannot listen on 127.0.0.1:{port}: Address already in use; "
        "stop the program using it or choose another port\n"
    )
    assert time.monotonic() - started < 30  # before any index is opened


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--http", "8765", "--allow-host", "http://evil/"],
            {},
            "msme-qa: --allow-host takes a host name or address without a port, such as mcp.example.org or "
            "192.0.2.10, not 'http://evil/'\n",
        ),
        (
            ["--http", "8765"],
            {"MSME_QA_MCP_HOSTS": "ok.example.org,bad name"},
            "msme-qa: MSME_QA_MCP_HOSTS takes a host name or address without a port, such as mcp.example.org or "
            "192.0.2.10, not 'bad name'\n",
        ),
        (
            ["--allow-host", "mcp.example.org"],
            {},
            "msme-qa: --allow-host names the hosts an HTTP server answers to: use it with --http\n",
        ),
    ],
)
def test_a_bad_host_name_stops_with_one_line(args: list[str], env: dict[str, str], message: str):
    run = run_mcp(*args, "--catalogue", str(SEED), env={**os.environ, **env})
    assert (run.returncode, run.stdout, run.stderr) == (2, "", message)


# Ctrl-C: at once, exit 130, also while the index is being built ------------------------------------------


@pytest.mark.slow
def test_ctrl_c_stops_the_http_server_at_once_while_its_index_is_built(tmp_path: Path):
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    number = port.getsockname()[1]
    port.close()
    args = [sys.executable, "-m", "cli", "mcp", "--http", str(number), "--index", str(tmp_path / "index")]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    seen = b""
    while b"building the index" not in seen:  # no index yet: it is being built (model, encoding, export)
        line = proc.stderr.readline()
        assert line, seen
        seen += line
    time.sleep(2)  # inside the build
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 3
    assert proc.returncode == 130 and out == b""
    assert (
        err.decode().endswith("msme-qa: interrupted\n") and b"terminate called" not in err and b"Traceback" not in err
    )


@pytest.mark.slow
def test_ctrl_c_stops_the_stdio_server_on_a_terminal_at_once(tmp_path: Path):
    args = ["-m", "cli", "mcp", "--catalogue", str(SEED), "--index", str(tmp_path / "index")]
    child = pexpect.spawn(sys.executable, args, cwd=str(ROOT), env=dict(os.environ), timeout=60)
    try:
        child.expect("this is a server for AI assistants")
        child.expect("building the index")  # the index opens while it waits for a client on stdin
        child.sendintr()  # Ctrl-C, as the terminal sends it
        started = time.monotonic()
        child.expect(pexpect.EOF, timeout=10)
        assert time.monotonic() - started < 3
        child.close()
        assert child.exitstatus == 130
        assert "msme-qa: interrupted" in (child.before or b"").decode()
        assert b"terminate called" not in (child.before or b"")
    finally:
        if child.isalive():
            child.terminate(force=True)
