"""`msme-qa mcp --http`: the real server over Streamable HTTP, driven by the MCP SDK's own HTTP client.

The same tools and answers as on stdio; a bearer token when one is set (and always off loopback);
requests from a foreign web page (its Origin) or under a foreign host name are refused.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.message import ClientMessageMetadata

from .conftest import ROOT, SEED
from .test_mcp import cli_json
from .test_reliability_support import QUESTION

TOKEN = "a-test-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http(url: str, headers: dict[str, str] | None = None, body: bytes | None = None) -> tuple[int, str]:
    """(status, body) of one plain HTTP request."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class Served:
    """`python -m cli mcp --http` in a subprocess, listening; its URL, index and stderr log."""

    def __init__(self, tmp_path: Path, index: Path, *extra: str, bind: str = "127.0.0.1", **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/mcp"
        self.index = index
        self.log = tmp_path / f"stderr-{self.port}"
        address = f"{bind}:{self.port}"
        args = [sys.executable, "-m", "cli", "mcp", "--http", address, "--catalogue", str(SEED), "--index", str(index)]
        with self.log.open("w") as err:
            self.proc = subprocess.Popen(
                [*args, *extra], cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=err
            )
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(self.url, timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers (a GET without a session is refused)
            except OSError:
                assert self.proc.poll() is None, self.log.read_text()
                assert time.monotonic() < deadline, "the server did not listen within 120 s"
                time.sleep(0.2)

    def stop(self) -> str:
        """Stop the server (SIGTERM); its log, once it has checked that stdout stayed empty."""
        self.proc.terminate()
        self.proc.wait(timeout=30)
        assert self.proc.stdout is not None and self.proc.stdout.read() == b""  # nothing on stdout over HTTP
        log = self.log.read_text()
        assert "Traceback" not in log, log
        return log


@pytest.fixture
def served(built_index: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The server on a free loopback port, with a token; yields its URL and its index."""
    server = Served(tmp_path, built_index, MSME_QA_MCP_TOKEN=TOKEN)
    try:
        yield server.url, built_index
    finally:
        log = server.stop()
        assert f"msme-qa: MCP server on {server.url} (bearer token required)" in log


def with_client(url: str, headers: dict[str, str], body: Any) -> Any:
    async def main() -> Any:
        async with (
            create_mcp_http_client(headers=headers) as client,
            streamable_http_client(url, http_client=client) as (read, write),
            ClientSession(read, write) as s,
        ):
            with anyio.fail_after(120):
                await s.initialize()
                return await body(s)

    return anyio.run(main)


@pytest.mark.slow
def test_the_sdk_client_over_http_gets_what_the_cli_gives(served: tuple[str, Path]):
    url, index = served

    async def body(s: ClientSession) -> Any:
        tools = await s.list_tools()
        return tools, await s.call_tool("ask", {"question": QUESTION}), await s.call_tool("ask", {"q": QUESTION})

    tools, answer, bad = with_client(url, {"Authorization": f"Bearer {TOKEN}"}, body)
    assert [t.name for t in tools.tools] == ["ask", "list_presentations", "show_presentation"]
    assert not answer.is_error and answer.structured_content == cli_json("ask", QUESTION, index=index)
    assert bad.is_error and bad.content[0].text == "ask: unknown argument 'q'; ask takes question, top_k"


@pytest.mark.slow
def test_a_missing_or_wrong_token_and_a_foreign_origin_are_refused(served: tuple[str, Path]):
    url, _ = served
    hello = (
        b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
        b'"capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}'
    )
    base = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    status, text = http(url, base, hello)
    assert status == 401 and "bearer token" in text
    assert http(url, {**base, "Authorization": "Bearer wrong"}, hello)[0] == 401
    good = {**base, "Authorization": f"Bearer {TOKEN}"}
    assert http(url, {**good, "Origin": "http://evil.example"}, hello)[0] == 403  # DNS rebinding
    assert http(url, {**good, "Host": "evil.example"}, hello)[0] == 421
    status, text = http(url, {**good, "Origin": "http://localhost:3000"}, hello)
    assert status == 200 and "msme-qa" in text


@pytest.mark.parametrize(
    ("address", "token", "message"),
    [
        ("0.0.0.0:8765", None, "msme-qa: serving MCP on 0.0.0.0 needs a bearer token: set MSME_QA_MCP_TOKEN"),
        (
            "localhost:http",
            None,
            "msme-qa: --http takes [HOST:]PORT, e.g. 8765 or 127.0.0.1:8765, not 'localhost:http'",
        ),
        ("70000", None, "msme-qa: --http takes [HOST:]PORT"),
    ],
)
def test_an_unsafe_or_malformed_address_stops_with_one_line(address: str, token: str | None, message: str):
    env = {k: v for k, v in os.environ.items() if k != "MSME_QA_MCP_TOKEN"}
    run = subprocess.run(
        [sys.executable, "-m", "cli", "mcp", "--http", address],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith(message) and run.stderr.count("\n") <= 2, run.stderr


# Sessions kept apart ---------------------------------------------------------------------------------------


async def call_with_events(
    s: ClientSession, name: str, arguments: dict[str, Any], resume: str | None = None
) -> tuple[Any, list[str]]:
    """A tool call that records the SSE event ids it is sent (or resumes a stream after ``resume``)."""
    seen: list[str] = []

    async def update(token: str) -> None:
        seen.append(token)

    request = types.CallToolRequest(params=types.CallToolRequestParams(name=name, arguments=arguments))
    metadata = ClientMessageMetadata(resumption_token=resume, on_resumption_token_update=update)
    return await s.send_request(request, types.CallToolResult, metadata=metadata), seen


def raw_session(url: str, headers: dict[str, str]) -> str:
    """A session opened by hand (initialize, then initialized); its id."""
    hello = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
    }
    base = {**headers, "Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    request = urllib.request.Request(url, data=json.dumps(hello).encode(), headers=base, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        session = response.headers["mcp-session-id"]
        response.read()
    done = json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode()
    with_session = {**base, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
    urllib.request.urlopen(urllib.request.Request(url, data=done, headers=with_session, method="POST"), timeout=30)
    return session


@pytest.mark.slow
def test_a_session_replays_its_own_events_and_never_another_sessions(served: tuple[str, Path]):
    url, _ = served
    auth = {"Authorization": f"Bearer {TOKEN}"}
    a_id, b_id = "2022-02-08-greentocompete", "2021-05-04-australias"

    async def main() -> Any:
        async with (
            create_mcp_http_client(headers=auth) as client_a,
            create_mcp_http_client(headers=auth) as client_b,
            streamable_http_client(url, http_client=client_a) as (read_a, write_a),
            streamable_http_client(url, http_client=client_b) as (read_b, write_b),
            ClientSession(read_a, write_a) as a,
            ClientSession(read_b, write_b) as b,
        ):
            with anyio.fail_after(120):
                await a.initialize()
                await b.initialize()
                a_answer, a_events = await call_with_events(a, "show_presentation", {"id": a_id})
                b_answer, b_events = await call_with_events(b, "show_presentation", {"id": b_id})
                # B resumes its own stream from its first event: its own answer comes again.
                b_again, _ = await call_with_events(b, "show_presentation", {"id": b_id}, resume=b_events[0])
            # B resumes "its" stream from each of A's events: nothing of A's comes (nothing comes at all).
            stolen = []
            for event in a_events:
                with anyio.move_on_after(3):
                    stolen.append(await call_with_events(b, "show_presentation", {"id": b_id}, resume=event))
            return a_answer, a_events, b_answer, b_events, b_again, stolen

    a_answer, a_events, b_answer, b_events, b_again, stolen = anyio.run(main)
    assert a_answer.structured_content["id"].startswith(a_id) and b_answer.structured_content["id"].startswith(b_id)
    assert stolen == []
    assert b_again.structured_content == b_answer.structured_content
    assert a_events and b_events and not set(a_events) & set(b_events)
    assert all(len(event) >= 20 for event in a_events + b_events)  # random, not a counter another can guess

    # By hand, as an attacker would: a session of its own, and Last-Event-ID set to each of A's events.
    session = raw_session(url, auth)
    for event in a_events:
        headers = {
            **auth,
            "Accept": "text/event-stream",
            "mcp-session-id": session,
            "mcp-protocol-version": "2025-11-25",
            "Last-Event-ID": event,
        }
        status, text = http(url, headers)
        assert status == 200 and "GreenToCompete" not in text and a_id not in text, text[:300]


# Remote use, header checks, bounded arguments ----------------------------------------------------------------


@pytest.mark.slow
def test_a_remote_name_allowed_with_allow_host_is_served_and_others_are_not(built_index: Path, tmp_path: Path):
    """docs/mcp.md's remote example: 0.0.0.0 with a token, clients reaching it as mcp.example.org."""
    server = Served(
        tmp_path,
        built_index,
        "--allow-host",
        "mcp.example.org",
        bind="0.0.0.0",
        MSME_QA_MCP_TOKEN=TOKEN,
        MSME_QA_MCP_HOSTS="other.example.net, 192.0.2.10",
    )
    try:
        remote = {"Authorization": f"Bearer {TOKEN}", "Host": f"mcp.example.org:{server.port}"}

        async def body(s: ClientSession) -> Any:
            return await s.call_tool("list_presentations", {"institution": "ITC", "since": "2022"})

        listed = with_client(server.url, remote, body)  # over loopback, under the remote name
        assert not listed.is_error and listed.structured_content["count"] == 5

        hello = (
            b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
            b'"capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}'
        )
        base = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        good = {**base, "Authorization": f"bearer {TOKEN}"}  # the scheme in any case
        assert http(server.url, {**good, "Host": "MCP.example.org"}, hello)[0] == 200
        assert http(server.url, {**good, "Host": "other.example.net:443"}, hello)[0] == 200
        assert http(server.url, {**good, "Host": "192.0.2.10"}, hello)[0] == 200
        assert http(server.url, {**good, "Origin": "https://mcp.example.org"}, hello)[0] == 200
        assert http(server.url, {**good, "Host": "evil.example"}, hello)[0] == 421
        assert http(server.url, {**good, "Origin": "https://evil.example"}, hello)[0] == 403
        assert http(server.url, {**good, "Authorization": f"Basic {TOKEN}"}, hello)[0] == 401
        assert http(server.url, {**good, "Content-Type": "text/plain"}, hello)[0] == 415
        assert http(server.url, {**good, "Accept": "text/html"}, hello)[0] == 406
        no_accept = {k: v for k, v in good.items() if k != "Accept"}
        assert http(server.url, {**no_accept, "Accept": ""}, hello)[0] == 406
    finally:
        log = server.stop()
    assert f"MCP server on http://0.0.0.0:{server.port}/mcp (bearer token required)" in log


@pytest.mark.slow
def test_oversized_arguments_are_refused_in_one_short_line_and_the_server_goes_on(served: tuple[str, Path]):
    url, _ = served
    huge = "x" * 1_000_000

    async def body(s: ClientSession) -> Any:
        return (
            await s.call_tool("show_presentation", {"id": huge}),
            await s.call_tool("list_presentations", {"category": huge}),
            await s.call_tool("ask", {"question": "why " * 600}),
            await s.call_tool("show_presentation", {"id": "y" * 200}),
            await s.call_tool("ask", {"question": QUESTION, huge: 1}),
            await s.call_tool("list_presentations", {"since": "z" * 200}),
            await s.call_tool("show_presentation", {"id": "2022-02-08-greentocompete"}),
        )

    started = time.monotonic()
    *errors, after = with_client(url, {"Authorization": f"Bearer {TOKEN}"}, body)
    assert time.monotonic() - started < 30
    texts = [e.content[0].text for e in errors]
    assert all(e.is_error for e in errors) and all("\n" not in t and len(t) < 300 for t in texts), texts
    assert texts[0] == "show_presentation: the argument 'id' is 1,000,000 characters long; it takes at most 200"
    assert texts[1].startswith("list_presentations: the argument 'category' is 1,000,000 characters long")
    assert texts[2] == "ask: the argument 'question' is 2,400 characters long; it takes at most 2,000"
    assert texts[3] == f"no entry has the id '{'y' * 80}…'; list_presentations gives the ids"
    assert texts[4].startswith(f"ask: unknown argument '{'x' * 80}…'; ask takes question, top_k")
    assert texts[5].startswith(f"'{'z' * 80}…' is not a date")
    assert not after.is_error and after.structured_content["id"] == "2022-02-08-greentocompete"


@pytest.mark.slow
def test_tools_publish_the_length_of_every_string_argument(served: tuple[str, Path]):
    url, _ = served

    async def body(s: ClientSession) -> Any:
        return await s.list_tools()

    tools = {
        t.name: t.input_schema["properties"] for t in with_client(url, {"Authorization": f"Bearer {TOKEN}"}, body).tools
    }
    assert tools["ask"]["question"]["maxLength"] == 2000
    lengths = {name: p["maxLength"] for props in tools.values() for name, p in props.items() if "maxLength" in p}
    assert lengths == {"question": 2000, "institution": 200, "category": 200, "since": 200, "until": 200, "id": 200}
