"""`msme-qa mcp`: the catalogue as three read-only MCP tools over stdio, on the official SDK's MCPServer.

Stdout carries the protocol and nothing else: the SDK points fd 1 at stderr while it serves, and every
status or progress line of msme-qa goes to stderr. The index is opened (and brought up to date, as
`ask` does) once, on a worker thread started with the server, so `initialize` is answered at once and
every `ask` after the first is warm. This module imports the SDK; only the `mcp` command imports it.
"""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from cli import mcp_tools
from cli.errors import debug, message_for
from cli.mcp_schema import AnswerShape, EntryShape, ListShape
from cli.progress import watch_builds

if TYPE_CHECKING:
    from qa.catalogue.model import Catalogue
    from qa.engine import Assistant

# Every tool only reads the catalogue and the index, and gives the same answer to the same call.
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
Question = Annotated[str, Field(description="The question in plain words, e.g. 'Who presented on cyber security?'")]
TopK = Annotated[int, Field(ge=1, le=50, description="How many entries are considered for a fact answer.")]
Institution = Annotated[str | None, Field(description="Acronym or name, e.g. 'ITC', 'International Trade Centre'.")]
Category = Annotated[str | None, Field(description="Category or sub-section, a part of its name is enough.")]
Since = Annotated[str | None, Field(description="From this date: '2022', '2022-05', 'May 2022', '2022-05-04'.")]
Until = Annotated[str | None, Field(description="Up to this date, inclusive; the same forms as since.")]
EntryId = Annotated[str, Field(description="An entry id from the other tools' results; a unique prefix is enough.")]


def say(message: str) -> None:
    sys.stderr.write(f"msme-qa: {message}\n")
    sys.stderr.flush()


class Warm:
    """The assistant, opened once on a worker thread; each call waits for it, then asks one at a time."""

    def __init__(self, open_assistant: Callable[[], Assistant]) -> None:
        self._open = open_assistant
        self._ready = threading.Event()
        self._lock = threading.Lock()  # the retriever's caches are not meant for two questions at once
        self._assistant: Assistant | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        threading.Thread(target=self._run, name="msme-qa-open-index", daemon=True).start()

    def _run(self) -> None:
        try:
            self._assistant = self._open()
            say("index ready; answering questions")
        except Exception as exc:  # kept for every ask; list and show go on working without the index
            self._error = exc
            say(message_for(exc))
        finally:
            self._ready.set()

    def ask(self, question: str, top_k: int) -> mcp_tools.Result:
        """The answer, once the index is open; an empty question is refused at once, as `ask` refuses it."""
        from qa.engine import clean_question

        question = clean_question(question)
        self._ready.wait()
        if self._error is not None:
            raise self._error
        assert self._assistant is not None
        with self._lock:
            return mcp_tools.ask(self._assistant, question, top_k)


def result(produce: Callable[[], mcp_tools.Result]) -> CallToolResult:
    """A tool's result, or a tool error whose text is the CLI's one-line message for the same input."""
    try:
        out = produce()
    except Exception as exc:
        if debug():
            raise
        message = message_for(exc)
        return CallToolResult(content=[TextContent(type="text", text=message)], is_error=True)
    return CallToolResult(content=[TextContent(type="text", text=out.text)], structured_content=out.data)


def add_tools(server: MCPServer[Any], catalogue: Catalogue, warm: Warm) -> None:
    """The three tools; their docstrings are the descriptions the assistant reads."""

    def ask(question: Question, top_k: TopK = 5) -> Annotated[CallToolResult, AnswerShape]:
        """Answer a question from the catalogue with extracted sentences, each cited [n] to its source.

        Lists and counts ("Who presented on cyber security?", "How many times did the ITC present?")
        give every matching presentation, in date order. abstained: true means the catalogue does not
        answer the question.
        """
        return result(lambda: warm.ask(question, top_k))

    def list_presentations(
        institution: Institution = None, category: Category = None, since: Since = None, until: Until = None
    ) -> Annotated[CallToolResult, ListShape]:
        """The catalogue's presentations in date order, filtered as `msme-qa list` filters them.

        Institution by acronym, name or economy ('ITC', 'International Trade Centre', 'Canada');
        category or sub-section by part of its name; since/until as inclusive date bounds. Each entry
        has the id that show_presentation takes.
        """
        return result(lambda: mcp_tools.list_presentations(catalogue, institution, category, since, until))

    def show_presentation(id: EntryId) -> Annotated[CallToolResult, EntryShape]:  # `id`: the name the contract gives
        """One presentation in full: title, institution, date, category, summary and links."""
        return result(lambda: mcp_tools.show_presentation(catalogue, id))

    tools: list[tuple[Callable[..., CallToolResult], str]] = [
        (ask, "Ask the MSME Group catalogue"),
        (list_presentations, "List presentations"),
        (show_presentation, "Show one presentation"),
    ]
    for tool, title in tools:
        server.add_tool(tool, title=title, description=inspect.getdoc(tool), annotations=READ_ONLY)


def build_server(catalogue: Catalogue, warm: Warm) -> MCPServer[Any]:
    """The server: instructions that describe the catalogue, the tools, and the index opened as it starts."""

    @asynccontextmanager
    async def lifespan(_server: MCPServer[Any]) -> AsyncIterator[dict[str, Any]]:
        name = catalogue.path.name if catalogue.path else "catalogue"
        say(f"MCP server on stdio: {name}, {len(catalogue.entries)} presentations; opening the index")
        warm.start()  # here, once the SDK has claimed stdout: nothing the build prints can reach the protocol
        yield {}

    try:
        version = metadata.version("msme-qa")
    except metadata.PackageNotFoundError:
        version = "0"
    server: MCPServer[Any] = MCPServer(
        name="msme-qa",
        title="WTO MSME Group presentations",
        version=version,
        instructions=mcp_tools.instructions(catalogue),
        log_level="WARNING",  # the SDK logs every request at INFO, on stderr
        lifespan=lifespan,
    )
    add_tools(server, catalogue, warm)
    return server


def serve(catalogue: Path | None, index: Path | None, model: str | None) -> None:
    """Run the server until the client closes stdin. A catalogue or model that cannot be used stops it first."""
    from embeddings.model import resolve_model
    from qa.catalogue.load import load_catalogue
    from qa.service import open_assistant, resolve_model_spec

    cat = load_catalogue(catalogue)
    resolve_model(resolve_model_spec(model))  # a model that is not there: one line and exit, not a broken server

    if sys.stdin.isatty():  # someone typed `msme-qa mcp` in a terminal: say what this is
        say("this is a server for AI assistants: it reads MCP messages on stdin (Ctrl-C stops it)")

    def open_warm() -> Assistant:
        return open_assistant(cat.path, index, model, on_status=say, watch=watch_builds)

    build_server(cat, Warm(open_warm)).run("stdio")
