"""The `msme-qa` command: a Typer app whose commands live in small modules."""

from __future__ import annotations

import typer

from cli import ask, browse, chat, mcp, rebuild
from cli.params import LeanGroup

app = typer.Typer(
    name="msme-qa",
    help="Answers questions about the WTO MSME Group's catalogue of presentations, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=LeanGroup,  # option values converted without importing pydantic: ~0.1 s off every command
)
app.command("ask")(ask.ask)
app.command("chat")(chat.chat)
app.command("rebuild")(rebuild.rebuild)
app.command("list")(browse.list_entries)
app.command("show")(browse.show)
app.command("check")(browse.check)
app.command("mcp")(mcp.mcp)


def main() -> None:
    app(prog_name="msme-qa")
