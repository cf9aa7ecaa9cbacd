"""Rich rendering shared by the commands: tables, entries, links that are clickable where supported.

Rich honours NO_COLOR and writes plain text when the output is not a terminal, so piped output
carries no escape codes; OSC 8 hyperlinks are emitted only to terminals.

Catalogue text reaches Rich only through :func:`safe` (and JSON only through :func:`print_json`),
which cannot emit a control character and never reads markup: the readers already take control
characters out, and this is the second line of defence. A link is a link (Rich style, OSC 8 target)
only when it is http(s); anything else is shown as inert text marked "(not a web link)".
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO, cast

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from qa.catalogue.controls import strip_controls
from qa.catalogue.dates import format_date
from qa.catalogue.links import NOT_A_WEB_LINK, is_web_link
from qa.catalogue.model import Anomaly, Entry

PIPE_WIDTH = 10_000  # piped output is laid out as if the line were endless: nothing is hard-wrapped


class _TrimmedLines(io.TextIOBase):
    """A stream that drops the spaces Rich pads lines with before each newline (for piped output)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self.pending = (self.pending + text).split("\n")
        for line in lines:
            self.stream.write(line.rstrip(" ") + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending)
            self.pending = ""
        self.stream.flush()


def console(stderr: bool = False) -> Console:
    """Rich on a terminal; piped, plain lines with no wrapping and no trailing spaces (safe to copy)."""
    stream = sys.stderr if stderr else sys.stdout
    probe = Console(file=stream)
    if probe.is_terminal:
        return Console(stderr=stderr, highlight=False, soft_wrap=False)
    return Console(file=cast(TextIO, _TrimmedLines(stream)), highlight=False, soft_wrap=True, width=PIPE_WIDTH)


def printable(value: object, *, lines: bool = False) -> str:
    """``value`` as text that cannot drive a terminal: no control character (with ``lines``, newlines stay)."""
    return strip_controls(str(value), keep_newlines=lines)


def safe(value: object, style: str | Style = "", *, lines: bool = False) -> Text:
    """Text for Rich that holds no control character and is never read as markup ("[bold]" stays text)."""
    return Text(printable(value, lines=lines), style=style)


def clean_json(data: Any) -> Any:
    """``data`` with every string stripped of control characters (newlines, the answers' own line breaks, stay)."""
    if isinstance(data, str):
        return printable(data, lines=True)
    if isinstance(data, dict):
        return {printable(k): clean_json(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [clean_json(v) for v in data]
    return data


def json_text(data: Any, indent: int | None = None) -> str:
    """JSON that holds no control character: not raw, not escaped (``\\u001b``) except the ``\\n`` of an answer."""
    return json.dumps(clean_json(data), ensure_ascii=False, indent=indent)


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data, indent=2) + "\n")


def link_style(url: str | None) -> Style | str:
    """The style that makes text a clickable link: only for an http(s) URL."""
    return Style(link=printable(url)) if url and is_web_link(url) else ""


def link_text(url: str | None, label: str | None = None) -> Text:
    """A clickable link for an http(s) URL; any other link as inert text saying it is not a web link."""
    if not url:
        return Text("(no link)", style="dim")
    if not is_web_link(url):
        return safe(f"{url} {NOT_A_WEB_LINK}")
    text = safe(label or url, link_style(url))
    text.no_wrap, text.overflow = True, "ignore"  # a URL is never broken: it runs past the edge instead
    return text


def print_entries(out: Console, entries: Sequence[Entry], title: str | None = None) -> None:
    """Entries in date order, one block each: date and title (a link where supported), then institution and
    category, then the id on a line of its own that is never wrapped or cropped (it is what `show` takes)."""
    if title:
        out.print(safe(title, "bold"))
    for entry in entries:
        category = entry.category + (f" / {entry.subcategory}" if entry.subcategory else "")
        row = Table.grid(padding=(0, 2))
        row.add_column(no_wrap=True)
        row.add_column()
        details = Text("\n").join(
            [
                safe(entry.title, link_style(entry.link)),
                safe(f"{entry.institution} ({entry.institution_type}) · {category}", "dim"),
            ]
        )
        row.add_row(entry.date.isoformat(), details)
        out.print(row)
        out.print(safe(f"{' ' * 12}id {entry.id}", "dim"), soft_wrap=True, crop=False)


def entry_detail(entry: Entry) -> Text:
    out = Text()
    out.append_text(safe(entry.title, "bold"))
    out.append("\n")
    out.append_text(safe(f"{entry.institution} ({entry.institution_type}) · {format_date(entry.date)}"))
    category = entry.category + (f" / {entry.subcategory}" if entry.subcategory else "")
    out.append("\n")
    out.append_text(safe(f"Category: {category}", "dim"))
    out.append("\n")
    out.append_text(safe(f"Id: {entry.id}", "dim"))
    out.append("\n\n")
    out.append_text(safe(entry.summary))
    out.append("\n\nLink: ")
    out.append_text(link_text(entry.link))
    out.append("\n")
    others = [link for link in entry.links if link != entry.link]
    for link in others:
        out.append("Also linked: ")
        out.append_text(link_text(link))
        out.append("\n")
    if entry.note:
        out.append_text(safe(f"Note: {entry.note}", "italic"))
        out.append("\n")
    return out


def anomaly_lines(anomalies: Iterable[Anomaly]) -> Text:
    out = Text()
    for anomaly in anomalies:
        style = "red" if anomaly.severity == "error" else "yellow"
        out.append_text(safe(f"{anomaly.severity} [{anomaly.kind}] ", style))
        out.append_text(safe(anomaly.message))
        if anomaly.entry_id:
            out.append_text(safe(f"  ({anomaly.entry_id})", "dim"))
        out.append("\n")
    return out
