"""`msme-qa mcp`: serve the catalogue to AI assistants (the Model Context Protocol, on stdio or HTTP)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import options
from cli.errors import handled

Http = Annotated[
    str | None,
    typer.Option(
        "--http",
        metavar="[HOST:]PORT",
        help="Serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio (HOST defaults to 127.0.0.1).",
        show_default=False,
    ),
]
AllowHost = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        metavar="NAME",
        help=(
            "With --http: a host name clients use to reach the server (its Host and Origin headers), such as "
            "mcp.example.org; repeatable, and MSME_QA_MCP_HOSTS (comma-separated) adds more."
        ),
        show_default=False,
    ),
]


@handled
def mcp(
    catalogue: options.Catalogue = None,
    index: options.Index = None,
    model: options.Model = None,
    http: Http = None,
    allow_host: AllowHost = None,
) -> None:
    """Run an MCP server with the read-only tools ask, list_presentations and show_presentation.

    By default an AI assistant starts it and talks to it over stdin/stdout; status goes to stderr.
    With --http it serves Streamable HTTP; any address other than loopback needs MSME_QA_MCP_TOKEN, and
    clients that reach it under another name need --allow-host NAME. Ctrl-C stops it (exit 130).

    Example client config: {"mcpServers": {"msme-qa": {"command": "msme-qa", "args": ["mcp"]}}}
    """
    from cli.mcp_server import serve  # the SDK (pydantic, anyio, starlette) loads for this command only

    serve(catalogue, index, model, http, allow_host or ())
