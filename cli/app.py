"""The `msme-qa` command: a Typer app whose commands live in small modules."""

from __future__ import annotations

import os
import sys
from typing import Annotated

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


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("msme-qa")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "unknown (not installed)"
        typer.echo(f"msme-qa {number}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Answers questions about the WTO MSME Group's catalogue of presentations, with citations."""


app.command("ask")(ask.ask)
app.command("chat")(chat.chat)
app.command("rebuild")(rebuild.rebuild)
app.command("list")(browse.list_entries)
app.command("show")(browse.show)
app.command("check")(browse.check)
app.command("mcp")(mcp.mcp)


def main() -> None:
    """The program (`msme-qa`, `python -m cli`). After a command that had to load torch (a first build),
    the interpreter's teardown of torch and sentence-transformers takes about a second; once every
    output is flushed, nothing is left for it to do, so the process ends without it."""
    try:
        app(prog_name="msme-qa", standalone_mode=True)
    except SystemExit as stop:
        if "torch" not in sys.modules:
            raise
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if not isinstance(stop.code, int | None):
            print(stop.code, file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
