"""Rich rendering shared by the commands: tables, entries, links that are clickable where supported.

Rich honours NO_COLOR and writes plain text when the output is not a terminal, so piped output
carries no escape codes; OSC 8 hyperlinks are emitted only to terminals.

Catalogue text reaches Rich only through :func:`safe` (and JSON only through :func:`print_json`),
which cannot emit a control character and never reads markup: the readers already take control
characters out, and this is the second line of defence. A link is a link (Rich style, OSC 8 target)
only when it is http(s); anything else is shown as inert text marked "(not a web link)".
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from qa.catalogue.controls import strip_controls
from qa.catalogue.dates import format_date
from qa.catalogue.links import NOT_A_WEB_LINK, is_web_link
from qa.catalogue.model import Anomaly, Entry


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


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
    return safe(label or url, link_style(url))


def entries_table(entries: Iterable[Entry], title: str | None = None) -> Table:
    """A compact table: date, title (id beneath, dim), institution and type, category."""
    table = Table(title=title, header_style="bold", title_justify="left", expand=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Title / id", ratio=5, overflow="fold")
    table.add_column("Institution", ratio=3)
    table.add_column("Category", ratio=2)
    for entry in entries:
        category = entry.category + (f" / {entry.subcategory}" if entry.subcategory else "")
        title_cell = safe(entry.title, link_style(entry.link))
        title_cell.append_text(safe("\n" + entry.id, "dim", lines=True))
        table.add_row(
            entry.date.isoformat(), title_cell, safe(f"{entry.institution} ({entry.institution_type})"), safe(category)
        )
    return table


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
        out.append_text(safe(f"[{anomaly.kind}] ", "yellow"))
        out.append_text(safe(anomaly.message))
        if anomaly.entry_id:
            out.append_text(safe(f"  ({anomaly.entry_id})", "dim"))
        out.append("\n")
    return out
