"""`msme-qa mcp --http`: the real server over Streamable HTTP, driven by the MCP SDK's own HTTP client.

The same tools and answers as on stdio; a bearer token when one is set (and always off loopback);
requests from a foreign web page (its Origin) or under a foreign host name are refused.
"""

from __future__ import annotations

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
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

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


@pytest.fixture
def served(built_index: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The server on a free loopback port, with a token; yields its URL and its index."""
    port = free_port()
    env = {**os.environ, "MSME_QA_MCP_TOKEN": TOKEN}
    args = [
        sys.executable,
        "-m",
        "cli",
        "mcp",
        "--http",
        str(port),
        "--catalogue",
        str(SEED),
        "--index",
        str(built_index),
    ]
    err = (tmp_path / "stderr").open("w")
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err)
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers (a GET without a session is refused)
            except OSError:
                assert proc.poll() is None, (tmp_path / "stderr").read_text()
                assert time.monotonic() < deadline, "the server did not listen within 120 s"
                time.sleep(0.2)
        yield url, built_index
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        assert proc.stdout is not None and proc.stdout.read() == b""  # nothing on stdout over HTTP either
        log = (tmp_path / "stderr").read_text()
        assert f"msme-qa: MCP server on {url} (bearer token required)" in log and "Traceback" not in log


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
