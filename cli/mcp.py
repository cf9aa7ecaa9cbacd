"""`msme-qa mcp`: serve the catalogue to AI assistants (the Model Context Protocol, on stdio)."""

from __future__ import annotations

from cli import options
from cli.errors import handled


@handled
def mcp(
    catalogue: options.Catalogue = None,
    index: options.Index = None,
    model: options.Model = None,
) -> None:
    """Run an MCP server on stdio with the read-only tools ask, list_presentations and show_presentation.

    An AI assistant starts it and talks to it over stdin/stdout; status goes to stderr.

    Example client config: {"mcpServers": {"msme-qa": {"command": "msme-qa", "args": ["mcp"]}}}
    """
    from cli.mcp_server import serve  # the SDK (pydantic, anyio, starlette) loads for this command only

    serve(catalogue, index, model)
