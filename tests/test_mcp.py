"""`msme-qa mcp`: the real server in a subprocess, driven by the MCP SDK's own stdio client and by hand.

The tools must give what the CLI gives (the answer object of `ask --json`, the entries of `list --json`
and `show --json`), bad input must come back as a tool error carrying the CLI's message while the
server goes on, and stdout must carry JSON-RPC messages and nothing else, even while the index builds.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

from cli.mcp_tools import client_message

from .conftest import ROOT, SEED
from .test_reliability_support import QUESTION, SMALL, cli, subset, write_catalogue

pytestmark = pytest.mark.slow
TIMEOUT = 300  # seconds: the raw exchange builds an index (model load, ONNX export) while it serves
TOOLS = ["ask", "list_presentations", "show_presentation"]
PARTIAL = "How many SMEs has Visa trained so far?"


def server(index: Path, catalogue: Path = SEED) -> StdioServerParameters:
    """`python -m cli mcp` with the test's environment (its isolated cache dirs)."""
    args = ["-m", "cli", "mcp", "--catalogue", str(catalogue), "--index", str(index)]
    return StdioServerParameters(command=sys.executable, args=args, env=dict(os.environ), cwd=ROOT)


def session(params: StdioServerParameters, errlog: Path, body: Callable[[ClientSession], Awaitable[Any]]) -> Any:
    """Start the server, initialize a session with the SDK's client, run ``body``, close the server."""

    async def main() -> Any:
        with errlog.open("w") as err:
            async with stdio_client(params, errlog=err) as (read, write), ClientSession(read, write) as s:
                with anyio.fail_after(TIMEOUT):
                    return await body(s)

    return anyio.run(main)


def call(s: ClientSession, name: str, **arguments: Any) -> Awaitable[Any]:
    return s.call_tool(name, arguments)


def cli_json(*args: str, index: Path | None = None) -> Any:
    """What the CLI prints with --json (``ask`` needs the index; ``list`` and ``show`` take none)."""
    where = ["--index", str(index)] if index else []
    result = cli(*args, "--json", "--catalogue", str(SEED), *where)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def cli_error(*args: str) -> str:
    """The CLI's message for bad input, without its ``msme-qa: `` prefix."""
    result = cli(*args, "--catalogue", str(SEED))
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    return result.stderr.strip().removeprefix("msme-qa: ")


def test_initialize_describes_the_catalogue_and_lists_three_read_only_tools(built_index: Path, tmp_path: Path):
    async def body(s: ClientSession) -> Any:
        return await s.initialize(), await s.list_tools()

    init, listed = session(server(built_index), tmp_path / "stderr", body)
    assert init.server_info.name == "msme-qa"
    text = init.instructions or ""
    assert "48 presentations" in text and "from 18 February 2021 to 13 March 2023" in text
    assert "11 categories" in text and "Cyber-Readiness" in text and "Low-value shipments" in text
    assert "extracted word for word" in text and "citation" in text
    tools = {t.name: t for t in listed.tools}
    assert sorted(tools) == sorted(TOOLS)
    for tool in tools.values():
        hints = tool.annotations
        assert hints is not None and hints.read_only_hint is True, tool.name
        assert (hints.destructive_hint, hints.idempotent_hint, hints.open_world_hint) == (False, True, False)
        assert tool.description and tool.output_schema, tool.name
    assert tools["ask"].input_schema["required"] == ["question"]
    assert tools["ask"].input_schema["properties"]["top_k"]["default"] == 5
    assert set(tools["list_presentations"].input_schema["properties"]) == {"institution", "category", "since", "until"}
    assert tools["show_presentation"].input_schema["required"] == ["id"]
    assert all(t.input_schema["additionalProperties"] is False for t in tools.values())
    assert "opening the index" in (tmp_path / "stderr").read_text()
    # Only what is served is advertised: tools and resources, no prompts, logging or completions.
    caps = init.capabilities
    assert caps.tools is not None and caps.resources is not None
    assert (caps.prompts, caps.logging, caps.completions) == (None, None, None)


def test_ask_gives_the_cli_answer_object_and_the_answer_with_numbered_sources(built_index: Path, tmp_path: Path):
    questions = [QUESTION, "Who presented on cyber security?", "How do I renew my passport?", PARTIAL]

    async def body(s: ClientSession) -> Any:
        await s.initialize()
        return [await call(s, "ask", question=q) for q in questions]

    fact, listing, refusal, partial = session(server(built_index), tmp_path / "stderr", body)
    for got, question in zip([fact, listing, refusal, partial], questions, strict=True):
        assert not got.is_error, got.content
        assert got.structured_content == cli_json("ask", question, index=built_index)

    assert "AUD 1,000" in fact.structured_content["answer"]
    assert fact.structured_content["support"] == "full"  # an AI client sees the grade in the structured result
    assert partial.structured_content["support"] == "partial" and partial.structured_content["missing"]
    assert partial.content[0].text.startswith("The catalogue does not say how many SMEs has Visa trained")
    text = fact.content[0].text
    assert text.startswith(fact.structured_content["answer"] + "\n\nSources\n[1] ")
    assert "Australia's Department of Home Affairs (Member), 4 May 2021" in text
    assert "https://www.wto.org/english/tratop_e/msmes_e/australia_gst0521.pdf" in text

    assert listing.structured_content["count"] == 4
    assert [c["n"] for c in listing.structured_content["citations"]] == [1, 2, 3, 4]
    assert listing.content[0].text.count("\n[") == 8  # four in the list, four sources with their links

    assert refusal.structured_content["abstained"] is True and refusal.structured_content["citations"] == []
    assert refusal.content[0].text == "Nothing in the catalogue answers that."


def test_list_and_show_give_what_the_cli_gives(built_index: Path, tmp_path: Path):
    async def body(s: ClientSession) -> Any:
        await s.initialize()
        return (
            await call(s, "list_presentations", institution="ITC", since="2022"),
            await call(s, "list_presentations"),
            await call(s, "list_presentations", category="cyber", until="May 2021"),
            await call(s, "show_presentation", id="2021-05-04-australias"),
        )

    itc, everything, cyber, shown = session(server(built_index), tmp_path / "stderr", body)
    expected = cli_json("list", "--institution", "ITC", "--since", "2022")
    assert itc.structured_content == {"count": 5, "presentations": expected}
    assert itc.content[0].text.splitlines()[0] == "5 presentations:"
    assert "2022-02-08  GreenToCompete — ITC (IO)  [2022-02-08-greentocompete]" in itc.content[0].text
    assert everything.structured_content["count"] == 48
    assert cyber.structured_content == {
        "count": 2,
        "presentations": cli_json("list", "--category", "cyber", "--until", "May 2021"),
    }
    assert shown.structured_content == cli_json("show", "2021-05-04-australias")
    detail = shown.content[0].text
    assert "AUD 1,000" in detail and "Id: 2021-05-04-australias-experience-on-goods-and" in detail


def test_bad_input_is_a_tool_error_with_the_cli_message_and_the_server_goes_on(built_index: Path, tmp_path: Path):
    bad = [
        (("ask", {"question": "   "}), ("ask", "   ")),
        (("ask", {"question": "?!"}), ("ask", "?!")),
        (("show_presentation", {"id": "no-such-entry"}), ("show", "no-such-entry")),
        (("show_presentation", {"id": "2021-05-04"}), ("show", "2021-05-04")),  # several entries that day
        (("list_presentations", {"since": "next Tuesday"}), ("list", "--since", "next Tuesday")),
        (("list_presentations", {"until": "2022-02-30"}), ("list", "--until", "2022-02-30")),
    ]

    async def body(s: ClientSession) -> Any:
        await s.initialize()
        errors = [await s.call_tool(name, arguments) for (name, arguments), _ in bad]
        return errors, await call(s, "ask", question=QUESTION)

    errors, after = session(server(built_index), tmp_path / "stderr", body)
    for got, (_, cli_args) in zip(errors, bad, strict=True):
        assert got.is_error and got.structured_content is None, cli_args
        assert [c.text for c in got.content] == [client_message(cli_error(*cli_args))], cli_args
    assert "empty" in errors[0].content[0].text and "matches" in errors[3].content[0].text
    # Worded for an AI client: it can call list_presentations, it cannot run `msme-qa list`.
    assert (
        "list_presentations gives the ids" in errors[2].content[0].text and "msme-qa" not in errors[2].content[0].text
    )
    assert not after.is_error and "AUD 1,000" in after.structured_content["answer"]
    assert "Traceback" not in (tmp_path / "stderr").read_text()


def test_arguments_are_held_to_the_schema_and_an_unknown_tool_is_a_json_rpc_error(built_index: Path, tmp_path: Path):
    bad = [
        ("ask", {"question": QUESTION, "extra": 1}, "ask: unknown argument 'extra'; ask takes question, top_k"),
        ("ask", {"question": 5}, "ask: the argument 'question' must be a string, not a number"),
        ("ask", {}, "ask: the argument 'question' is required"),
        ("ask", {"question": "x", "top_k": "lots"}, "ask: the argument 'top_k' must be an integer, not a string"),
        ("ask", {"question": "x", "top_k": 0}, "ask: the argument 'top_k' must be from 1 to 50, not 0"),
        ("show_presentation", {"id": None}, "show_presentation: the argument 'id' is required"),
        (
            "list_presentations",
            {"since": ["2022"]},
            "list_presentations: the argument 'since' must be a string, not an array",
        ),
    ]

    async def body(s: ClientSession) -> Any:
        await s.initialize()
        errors = [await s.call_tool(name, arguments) for name, arguments, _ in bad]
        try:
            await s.call_tool("no_such_tool", {})
        except MCPError as exc:
            unknown: Any = exc.error
        else:
            unknown = None
        try:
            await s.get_prompt("anything")
        except MCPError as exc:
            prompt: Any = exc.error
        else:
            prompt = None
        resources = await s.list_resources()
        one = await s.read_resource("msme://presentation/2022-02-08-greentocompete")
        try:
            await s.read_resource("msme://presentation/nothing")
        except MCPError as exc:
            missing: Any = exc.error
        else:
            missing = None
        return errors, unknown, prompt, resources, one, missing

    errors, unknown, prompt, resources, one, missing = session(server(built_index), tmp_path / "stderr", body)
    for got, (name, arguments, message) in zip(errors, bad, strict=True):
        text = got.content[0].text
        assert got.is_error and text.startswith(message), (name, arguments, text)
        assert "\n" not in text and "pydantic" not in text
    assert unknown is not None and unknown.code == -32602 and "no_such_tool" in unknown.message
    assert prompt is not None and prompt.code == -32601  # not served, so "method not found", never code 0
    assert len(resources.resources) == 48
    entry = json.loads(one.contents[0].text)
    assert entry == cli_json("show", "2022-02-08-greentocompete")
    assert missing is not None and missing.code == -32002


def test_a_catalogue_that_cannot_be_read_stops_the_server_before_it_serves(tmp_path: Path):
    args = [sys.executable, "-m", "cli", "mcp", "--catalogue", str(tmp_path / "missing.txt")]
    run = subprocess.run(args, cwd=ROOT, input="", capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == f"msme-qa: {tmp_path / 'missing.txt'}: no such catalogue file\n"


# Stdout by hand: nothing but JSON-RPC, even while the index is built ---------------------------------


class Pipe:
    """The server's stdout read line by line with a deadline; every line is kept, responses by id."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.lines: list[bytes] = []
        self.buffer = b""
        self.responses: dict[int, dict[str, Any]] = {}

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", **message}).encode() + b"\n")
        self.proc.stdin.flush()

    def response(self, request_id: int) -> dict[str, Any]:
        """Read until the response to ``request_id`` has arrived (responses may come in any order)."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + TIMEOUT
        while request_id not in self.responses:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                self.lines.append(line)
                message = json.loads(line)
                if "id" in message and "method" not in message:
                    self.responses[message["id"]] = message
            if request_id in self.responses:
                break
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"no response to request {request_id} in {TIMEOUT} s"
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            assert chunk, f"the server closed stdout before answering request {request_id}"
            self.buffer += chunk
        return self.responses[request_id]


def test_stdout_carries_only_json_rpc_while_the_index_is_built(tmp_path: Path):
    catalogue = write_catalogue(tmp_path / "small.txt", subset(SMALL))
    index = tmp_path / "index"  # none yet: the server builds it (model, encoding, ONNX export) while serving
    args = [sys.executable, "-m", "cli", "mcp", "--catalogue", str(catalogue), "--index", str(index)]
    stderr = (tmp_path / "stderr").open("w+b")
    proc = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
    pipe = Pipe(proc)
    try:
        hello = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}
        pipe.send({"id": 1, "method": "initialize", "params": hello})
        init = pipe.response(1)
        assert init["result"]["serverInfo"]["name"] == "msme-qa"
        assert "5 presentations" in init["result"]["instructions"]
        pipe.send({"method": "notifications/initialized"})
        pipe.send({"id": 2, "method": "tools/list"})
        assert [t["name"] for t in pipe.response(2)["result"]["tools"]] == TOOLS
        ask = {"name": "ask", "arguments": {"question": QUESTION}, "_meta": {"progressToken": "build"}}
        pipe.send({"id": 3, "method": "tools/call", "params": ask})
        pipe.send({"id": 4, "method": "tools/call", "params": {"name": "show_presentation", "arguments": {"id": ""}}})
        pipe.send({"id": 5, "method": "no/such/method"})
        pipe.send({"id": 7, "method": "tools/call", "params": {"name": "ask", "arguments": {"question": ""}}})
        assert pipe.response(4)["result"]["isError"] is True
        assert "error" in pipe.response(5)  # a protocol error; the server goes on
        assert "the question is empty" in pipe.response(7)["result"]["content"][0]["text"]
        assert 3 not in pipe.responses, "the other calls were answered while ask waited for the build"
        answer = pipe.response(3)["result"]
        assert not answer["isError"] and "AUD 1,000" in answer["structuredContent"]["answer"]
        pipe.send({"id": 6, "method": "tools/call", "params": {"name": "list_presentations", "arguments": {}}})
        assert pipe.response(6)["result"]["structuredContent"]["count"] == 5
        assert proc.stdin is not None
        proc.stdin.close()  # the client goes away: the server ends cleanly
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.stdout is not None
    rest = proc.stdout.read()
    assert rest == b"" and pipe.buffer == b"", "stdout ends with a complete message"
    progress = []
    for line in pipe.lines:
        message = json.loads(line)  # every line is one JSON-RPC message, nothing else
        assert message["jsonrpc"] == "2.0" and ("id" in message or "method" in message), line
        if message.get("method") == "notifications/progress":
            progress.append(message["params"])
    # The ask that waited for the build was told how it went, under its own token, with growing progress.
    assert progress and all(p["progressToken"] == "build" for p in progress)
    assert all(p["message"].startswith(("building the index", "opening the index")) for p in progress)
    assert [p["progress"] for p in progress] == sorted(p["progress"] for p in progress)
    stderr.seek(0)
    log = stderr.read().decode()
    for phase in ("building the index", "loading the model", "encoding", "exporting the query encoder", "writing"):
        assert phase in log, (phase, log)  # the build's status and progress went to stderr
    assert "Traceback" not in log
