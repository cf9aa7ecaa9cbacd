"""Progress of an index build on stderr: a Rich bar on a terminal, one plain line per phase elsewhere.

The embeddings package reports :class:`~embeddings.steps.Step` objects (loading the model, encoding N
texts, exporting the query encoder, writing); this module only draws them. Stdout is never touched,
so `--json` output and the MCP protocol stay clean.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import IO, TYPE_CHECKING

from rich.console import Console

from cli import render

if TYPE_CHECKING:
    from embeddings.steps import Step, StepFn

# The phase names of embeddings.steps, spelled out here so that drawing needs no embeddings import.
LABELS = {
    "load-model": "loading the model",
    "encode": "encoding",
    "export-encoder": "exporting the query encoder (once per model)",
    "write": "writing the index",
}


def describe(step: Step) -> str:
    """The phase in words: ``encoding 288 texts of 48 entries``, ``loading the model``."""
    if step.phase == "encode":
        entries = f" of {step.documents} {'entry' if step.documents == 1 else 'entries'}" if step.documents else ""
        return f"encoding {step.total} text{'' if step.total == 1 else 's'}{entries}"
    return LABELS.get(step.phase, step.phase)


class PlainLines:
    """``msme-qa: <phase>`` once per phase, for logs and pipes: no escape codes, no repeated counts."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.last: str | None = None

    def __call__(self, step: Step) -> None:
        if step.phase == self.last:
            return
        self.last = step.phase
        self.stream.write(f"msme-qa: {describe(step)}\n")
        self.stream.flush()


class Bar:
    """One Rich task whose description follows the phase; a count and a bar while encoding, a pulse otherwise."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
        )
        self.progress = Progress(*columns, console=console, transient=True)
        self.task = self.progress.add_task("starting", total=None, count="")

    def __call__(self, step: Step) -> None:
        if step.phase == "encode":
            count = f"{step.done}/{step.total} texts"
            total: int | None = step.total
        else:
            count, total = "", None
        # refresh=True draws every phase at least once, however quickly the next one follows
        self.progress.update(
            self.task, description=describe(step), total=total, completed=step.done, count=count, refresh=True
        )


@contextmanager
def build_progress(console: Console | None = None, *, plain: bool = True) -> Iterator[StepFn | None]:
    """A step callback for a build: a bar when stderr is an interactive terminal, else plain lines.

    ``plain=False`` draws nothing off a terminal (an update of a few entries, which its caller
    already announces in one line); the callback is then None.
    """
    err = console or render.console(stderr=True)
    if err.is_interactive:
        bar = Bar(err)
        with bar.progress:
            yield bar
    elif plain:
        yield PlainLines(err.file)
    else:
        yield None


def watch_builds(scratch: bool) -> AbstractContextManager[StepFn | None]:
    """What `ask`, `chat` and `mcp` pass to open_assistant: a bar on a terminal for any build; off one,
    plain phase lines for a build from scratch only (an update of a few entries keeps its one status line)."""
    return build_progress(plain=scratch)
