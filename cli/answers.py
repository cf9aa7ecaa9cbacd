"""Showing an answer: sentences with [n] markers, then the numbered sources with clickable links.

Every piece of catalogue text goes through :func:`cli.render.safe`: no control character reaches the terminal.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from cli.render import link_style, link_text, safe
from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date


def source_line(c: Citation) -> Text:
    e = c.entry
    out = Text(f"[{c.n}] ", style="bold cyan")
    out.append_text(safe(e.title, "bold"))
    out.append_text(safe(f" — {e.institution} ({e.institution_type}), {format_date(e.date)}"))
    out.append("\n    ")
    out.append_text(link_text(e.link))
    return out


def list_table(answer: Answer) -> Table:
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("#", style="cyan", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Title", ratio=3)
    table.add_column("Institution", ratio=2)
    for c in answer.citations:
        e = c.entry
        title = safe(e.title, link_style(e.link))
        table.add_row(str(c.n), e.date.isoformat(), title, safe(f"{e.institution} ({e.institution_type})"))
    return table


def render(answer: Answer) -> RenderableType:
    """What a person sees; the plain-text content equals ``answer.text`` plus the sources."""
    body = _render(answer)
    if answer.read_as:
        return Group(safe(f"(read as: {answer.read_as})", "dim"), body)
    return body


RELATED = "Related presentations (not an answer)"


def _render(answer: Answer) -> RenderableType:
    if answer.abstained or (answer.count == 0 and answer.related):
        said = safe(answer.text, "yellow", lines=True)
        if not answer.related:
            return said
        related = [source_line(c) for c in answer.related]
        return Group(said, Text(""), Text(RELATED, style="bold"), *related)
    if answer.kind in ("overview", "compare") and answer.citations:
        body = safe(answer.text, lines=True)
        shown = {int(n) for n in re.findall(r"^\[(\d+)\]|\[(\d+)\] \(", answer.text, re.M) for n in n if n}
        sources = [source_line(c) for c in answer.citations if c.n in shown or not shown]
        return Group(body, Text(""), Text("Sources", style="bold"), *sources)
    if answer.kind == "search":
        links = [Text(f"[{c.n}] ", style="bold cyan").append_text(link_text(c.entry.link)) for c in answer.citations]
        return Group(safe(answer.text, lines=True), Text(""), Text("Links", style="bold"), *links)
    if answer.count is not None and answer.count != 1:
        head = answer.text.splitlines()[0] if answer.text else ""
        if not answer.citations:
            return safe(head)
        return Group(safe(head, "bold"), list_table(answer))
    body = safe(answer.text, lines=True)
    sources = [source_line(c) for c in answer.citations]
    return Group(body, Text(""), Text("Sources", style="bold"), *sources)


def show(console: Console, answer: Answer) -> None:
    console.print(render(answer))


def show_explanation(console: Console, data: dict[str, Any]) -> None:
    """``--explain``: how the question was read and why the answer ranked as it did, dimmed, after it."""
    from qa.answers.explain import explain_lines

    console.print(Text(""))
    console.print(safe("\n".join(explain_lines(data)), "dim", lines=True))
