"""`msme-qa mcp`: the catalogue as three read-only MCP tools and one resource per presentation.

Built on the official SDK's low-level ``Server``, so that it advertises exactly what it serves (tools and
resources; no prompts, no logging, no completions), holds every call to the declared arguments
(``mcp_tools.TOOLS``) and answers an unknown tool or resource with a JSON-RPC error.

Two transports:
- stdio (the default): stdout carries the protocol and nothing else; the SDK points fd 1 at stderr while
  it serves, and every status or progress line of msme-qa goes to stderr.
- Streamable HTTP (``--http [HOST:]PORT``, ``cli.mcp_http``): on 127.0.0.1 unless told otherwise; Host
  and Origin headers checked, a bearer token required off loopback, each session's events kept apart.

The index is opened (and brought up to date, as `ask` does) once, on a worker thread started with the
server, so `initialize` is answered at once and every `ask` after the first is warm. A call that waits
for a first build gets progress notifications when it asked for them. Every call's work runs on a worker
thread, never on the event loop. Ctrl-C ends the process at once (exit 130). This module imports the SDK;
only the `mcp` command imports it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError
from pydantic import TypeAdapter

from cli import mcp_tools
from cli.errors import debug, message_for
from cli.mcp_schema import AnswerShape, EntryShape, ListShape
from cli.progress import PlainLines, describe
from qa.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from embeddings.steps import Step, StepFn
    from qa.catalogue.model import Catalogue
    from qa.engine import Assistant

# Every tool only reads the catalogue and the index, and gives the same answer to the same call.
READ_ONLY = types.ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
OUTPUTS = {"ask": AnswerShape, "list_presentations": ListShape, "show_presentation": EntryShape}
DESCRIPTIONS = {
    "ask": (
        "Answer a question from the catalogue with extracted sentences, each cited [n] to its source.\n\n"
        'Lists and counts ("Who presented on cyber security?", "How many times did the ITC present?") give '
        'every matching presentation, in date order; overviews ("What did the group hear about X?"), '
        "comparisons and yes/no questions cite every presentation they draw on (kind overview or compare). "
        "abstained: true means the catalogue does not answer the question; support: partial means the entry is "
        "the right one but does not say what is listed in missing."
    ),
    "list_presentations": (
        "The catalogue's presentations in date order, filtered by institution (acronym, name or economy: "
        "'ITC', 'International Trade Centre', 'Canada'), category or sub-section (part of its name) and "
        "since/until (inclusive date bounds). Each entry has the id that show_presentation takes."
    ),
    "show_presentation": "One presentation in full: title, institution, date, category, summary and links.",
}
RESOURCE_NOT_FOUND = -32002  # the code the MCP specification gives an unknown resource URI
PROGRESS_EVERY = 0.5  # seconds between progress notifications while a call waits for a build


def say(message: str) -> None:
    sys.stderr.write(f"msme-qa: {message}\n")
    sys.stderr.flush()


class InTurn:
    """A lock taken in order of arrival: a thread that has just released it cannot take it again first."""

    def __init__(self) -> None:
        self._turns = threading.Condition()
        self._issued = 0
        self._serving = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._turns:
            ticket = self._issued
            self._issued += 1
            while ticket != self._serving:
                self._turns.wait()
        try:
            yield
        finally:
            with self._turns:
                self._serving += 1
                self._turns.notify_all()


class Warm:
    """The assistant, opened once on a worker thread; each call waits for it, then asks one at a time."""

    def __init__(self, open_assistant: Callable[[Warm], Assistant]) -> None:
        self._open = open_assistant
        self._ready = threading.Event()
        self._lock = InTurn()  # the retriever's caches are not meant for two questions at once
        self._assistant: Assistant | None = None
        self._error: BaseException | None = None
        self.step: Step | None = None  # the build's latest phase, for progress notifications
        self.started = False

    def start(self) -> None:
        if not self.started:
            self.started = True
            threading.Thread(target=self._run, name="msme-qa-open-index", daemon=True).start()

    def _run(self) -> None:
        try:
            self._assistant = self._open(self)
            say("index ready; answering questions")
        except Exception as exc:  # kept for every ask; list and show go on working without the index
            self._error = exc
            say(message_for(exc))
        finally:
            self._ready.set()

    @contextmanager
    def watch(self, scratch: bool) -> Iterator[StepFn | None]:
        """What open_assistant calls around a build: record each phase, and write it to stderr as a line."""
        lines = PlainLines()

        def seen(step: Step) -> None:
            self.step = step
            lines(step)

        yield seen

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def progress(self) -> str:
        """What the build is doing, for a progress notification's message."""
        step = self.step
        if step is None:
            return "opening the index"
        if step.phase == "encode" and step.total:
            return f"building the index: {describe(step)}, {step.done} done"
        return f"building the index: {describe(step)}"

    def ask(self, question: str, top_k: int) -> mcp_tools.Result:
        """The answer, once the index is open; an empty question is refused at once, as `ask` refuses it."""
        from qa.engine import clean_question

        question = clean_question(question)
        self._ready.wait()
        if self._error is not None:
            raise self._error
        assert self._assistant is not None
        with self._lock.turn():
            return mcp_tools.ask(self._assistant, question, top_k)


def tool_error(exc: BaseException, arguments: Mapping[str, Any] | None = None) -> types.CallToolResult:
    """A tool error whose text is the CLI's one-line message for the same input, worded for an AI client.

    It quotes at most QUOTE_LIMIT characters of any argument (a client may send 200 characters of an id).
    """
    if debug():
        raise exc
    message = mcp_tools.client_message(message_for(exc))
    message = mcp_tools.clip_values(message, (arguments or {}).values())
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


def _ask_arguments(arguments: Mapping[str, Any] | None) -> tuple[str, int]:
    """ask's question, checked and cleaned (UsageError for an empty one), and its top_k."""
    from qa.engine import clean_question

    args = mcp_tools.check_arguments("ask", arguments)
    return clean_question(args["question"]), args["top_k"]


def tool_result(out: mcp_tools.Result) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=out.text)], structured_content=out.data)


@dataclass
class Handlers:
    """The request handlers: the catalogue's tools and resources."""

    catalogue: Catalogue
    warm: Warm
    # One question at a time per session: a client with many calls in flight queues behind itself, and
    # others wait for at most one of its questions (the assistant answers one at a time, in turn).
    queues: weakref.WeakKeyDictionary[Any, anyio.Lock] = field(default_factory=weakref.WeakKeyDictionary)

    def queue(self, ctx: Any) -> anyio.Lock:
        try:
            return self.queues.setdefault(ctx.session, anyio.Lock())
        except (AttributeError, TypeError):  # no session object to key on: no queue of its own
            return anyio.Lock()

    def tools(self) -> list[types.Tool]:
        return [
            types.Tool(
                name=spec.name,
                title=spec.title,
                description=DESCRIPTIONS[spec.name],
                input_schema=spec.input_schema(),
                output_schema=TypeAdapter(OUTPUTS[spec.name]).json_schema(),
                annotations=READ_ONLY,
            )
            for spec in mcp_tools.TOOLS.values()
        ]

    async def list_tools(self, _ctx: Any, _params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=self.tools())

    async def call_tool(self, ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        """Every call's work (its arguments checked, the question cleaned, the tool run) on a worker thread.

        The event loop only passes messages, so no call, however large its arguments, holds up another
        client's. Arguments are held to their maxLength before anything reads them.
        """
        if params.name not in mcp_tools.TOOLS:
            names = ", ".join(mcp_tools.TOOLS)
            raise MCPError(types.INVALID_PARAMS, f"Unknown tool {mcp_tools.quote(params.name)}; the tools are {names}")
        arguments = params.arguments
        try:
            if params.name == "ask":
                return tool_result(await self._ask(ctx, arguments))
            return tool_result(await anyio.to_thread.run_sync(self._run, params.name, arguments))
        except Exception as exc:
            return tool_error(exc, arguments)

    def _run(self, name: str, arguments: Mapping[str, Any] | None) -> mcp_tools.Result:
        """list_presentations or show_presentation, on the calling (worker) thread."""
        args = mcp_tools.check_arguments(name, arguments)
        if name == "list_presentations":
            return mcp_tools.list_presentations(self.catalogue, **args)
        return mcp_tools.show_presentation(self.catalogue, args["id"])

    async def _ask(self, ctx: Any, arguments: Mapping[str, Any] | None) -> mcp_tools.Result:
        """The answer, computed on a worker thread; while a build runs, progress goes to a caller that asked."""
        question, top_k = await anyio.to_thread.run_sync(_ask_arguments, arguments)  # refused before any wait
        async with self.queue(ctx):
            if not self.warm.ready:
                async with anyio.create_task_group() as group:
                    group.start_soon(self._report_progress, ctx)
                    result = await anyio.to_thread.run_sync(self.warm.ask, question, top_k)
                    group.cancel_scope.cancel()
                return result
            return await anyio.to_thread.run_sync(self.warm.ask, question, top_k)

    async def _report_progress(self, ctx: Any) -> None:
        """Every PROGRESS_EVERY seconds, until the index is open: a count that grows, and the build's phase."""
        sent = 0
        while not self.warm.ready:
            sent += 1  # no total: how long a build takes is not known in advance
            await ctx.session.report_progress(float(sent), None, self.warm.progress())  # no-op without a token
            await anyio.sleep(PROGRESS_EVERY)

    async def list_resources(self, _ctx: Any, _params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(
            resources=[
                types.Resource(
                    name=entry.id,
                    title=f"{entry.title} ({entry.institution}, {entry.date.isoformat()})",
                    uri=mcp_tools.resource_uri(entry),
                    mime_type="application/json",
                )
                for entry in self.catalogue.entries
            ]
        )

    async def list_templates(self, _ctx: Any, _params: Any) -> types.ListResourceTemplatesResult:
        template = types.ResourceTemplate(
            name="presentation",
            title="One presentation in full",
            uri_template=mcp_tools.RESOURCE_TEMPLATE,
            description="A presentation by id, as show_presentation gives it (the entry as JSON).",
            mime_type="application/json",
        )
        return types.ListResourceTemplatesResult(resource_templates=[template])

    async def read_resource(self, _ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        uri = str(params.uri)
        try:
            text = mcp_tools.read_resource(self.catalogue, uri)
        except UsageError as exc:
            data = {"uri": uri[: mcp_tools.QUOTE_LIMIT]}
            raise MCPError(RESOURCE_NOT_FOUND, mcp_tools.client_message(str(exc)), data) from None
        return types.ReadResourceResult(
            contents=[types.TextResourceContents(uri=uri, mime_type="application/json", text=text)]
        )


def build_server(catalogue: Catalogue, warm: Warm, transport: str = "stdio") -> Server[Any]:
    """The server: instructions that describe the catalogue, its handlers, and the index opened as it starts."""

    @asynccontextmanager
    async def lifespan(_server: Server[Any]) -> AsyncIterator[dict[str, Any]]:
        if not warm.started:
            name = catalogue.path.name if catalogue.path else "catalogue"
            say(f"MCP server on {transport}: {name}, {len(catalogue.entries)} presentations; opening the index")
        warm.start()  # here, once the SDK has claimed stdout: nothing the build prints can reach the protocol
        yield {}

    try:
        version = metadata.version("msme-qa")
    except metadata.PackageNotFoundError:
        version = "0"
    handlers = Handlers(catalogue, warm)
    return Server(
        "msme-qa",
        title="WTO MSME Group presentations",
        version=version,
        instructions=mcp_tools.instructions(catalogue),
        lifespan=lifespan,
        on_list_tools=handlers.list_tools,
        on_call_tool=handlers.call_tool,
        on_list_resources=handlers.list_resources,
        on_list_resource_templates=handlers.list_templates,
        on_read_resource=handlers.read_resource,
    )


def serve(
    catalogue: Path | None,
    index: Path | None,
    model: str | None,
    http: str | None = None,
    allow_hosts: Iterable[str] = (),
) -> None:
    """Run the server until the client closes stdin (or SIGTERM over HTTP); Ctrl-C stops it at once (130).

    Bad input (a catalogue that cannot be read, an address that cannot be bound) stops it before it serves.
    """
    from embeddings.model import resolve_model
    from qa.catalogue.load import load_catalogue
    from qa.service import open_assistant, resolve_model_spec

    if http is None and allow_hosts:
        raise UsageError("--allow-host names the hosts an HTTP server answers to: use it with --http")
    if http is not None:
        from cli import mcp_http

        host, port = mcp_http.parse_address(http)
        token = mcp_http.token_from_environment(host)
        names = mcp_http.allowed_hosts(host, allow_hosts)
    cat = load_catalogue(catalogue)
    resolve_model(resolve_model_spec(model))  # a model that is not there: one line and exit, not a broken server

    def open_warm(warm: Warm) -> Assistant:
        watch: Callable[[bool], AbstractContextManager[StepFn | None]] = warm.watch
        return open_assistant(cat.path, index, model, on_status=say, watch=watch)

    warm = Warm(open_warm)
    if http is None:
        stop_at_once_on_ctrl_c()
        if sys.stdin.isatty():  # someone typed `msme-qa mcp` in a terminal: say what this is
            say("this is a server for AI assistants: it reads MCP messages on stdin (Ctrl-C stops it)")
        anyio.run(_run_stdio, build_server(cat, warm))
        leave(warm)
        return
    sock = mcp_http.bind(host, port)  # before the index opens: an address in use stops the command at once
    stop_at_once_on_ctrl_c()
    say(f"MCP server on http://{mcp_http.shown(host, port)}/mcp" + (" (bearer token required)" if token else ""))
    server = build_server(cat, warm, transport="HTTP")
    warm.start()  # open the index now, not at the first request
    mcp_http.run(mcp_http.http_app(server, names, token), sock)
    leave(warm)


def stop_at_once_on_ctrl_c() -> None:
    """Ctrl-C ends the process at once with exit 130, whatever it is doing.

    The server holds nothing to save (its tools only read, and an index is written as a new generation
    renamed into place, which survives being stopped anywhere). Waiting instead would wait for a read of
    stdin to end (until Enter), for open HTTP streams, or for a build in C++ threads that abort the process
    when the interpreter shuts down around them ("terminate called without an active exception").
    """

    def interrupted(_signum: int, _frame: Any) -> None:
        os.write(2, b"msme-qa: interrupted\n")  # no Python-level stream: its lock may be held right now
        os._exit(130)

    signal.signal(signal.SIGINT, interrupted)


def leave(warm: Warm) -> None:
    """After serving: exit at once when the index is still opening (its threads cannot be joined)."""
    if warm.started and not warm.ready:
        sys.stderr.flush()
        os._exit(0)


async def _run_stdio(server: Server[Any]) -> None:
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
