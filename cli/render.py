"""Rich rendering shared by the commands: tables, entries, links that are clickable where supported.

Rich honours NO_COLOR and writes plain text when the output is not a terminal, so piped output
carries no escape codes; OSC 8 hyperlinks are emitted only to terminals.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from qa.catalogue.model import Anomaly, Entry


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def link_text(url: str | None, label: str | None = None) -> Text:
    if not url:
        return Text("(no link)", style="dim")
    return Text(label or url, style=f"link {url}")


def entries_table(entries: Iterable[Entry], title: str | None = None) -> Table:
    """A compact table: date, title (id beneath, dim), institution and type, category."""
    table = Table(title=title, header_style="bold", title_justify="left", expand=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Title / id", ratio=5, overflow="fold")
    table.add_column("Institution", ratio=3)
    table.add_column("Category", ratio=2)
    for entry in entries:
        category = entry.category + (f" / {entry.subcategory}" if entry.subcategory else "")
        title_cell = Text(entry.title, style=f"link {entry.link}" if entry.link else "")
        title_cell.append("\n" + entry.id, style="dim")
        table.add_row(entry.date.isoformat(), title_cell, f"{entry.institution} ({entry.institution_type})", category)
    return table


def entry_detail(entry: Entry) -> Text:
    out = Text()
    out.append(entry.title + "\n", style="bold")
    out.append(f"{entry.institution} ({entry.institution_type}) · {entry.date:%-d %B %Y}\n")
    category = entry.category + (f" / {entry.subcategory}" if entry.subcategory else "")
    out.append(f"Category: {category}\n", style="dim")
    out.append(f"Id: {entry.id}\n\n", style="dim")
    out.append(entry.summary + "\n\n")
    out.append("Link: ")
    out.append_text(link_text(entry.link))
    out.append("\n")
    others = [link for link in entry.links if link != entry.link]
    for link in others:
        out.append("Also linked: ")
        out.append_text(link_text(link))
        out.append("\n")
    if entry.note:
        out.append(f"Note: {entry.note}\n", style="italic")
    return out


def anomaly_lines(anomalies: Iterable[Anomaly]) -> Text:
    out = Text()
    for anomaly in anomalies:
        out.append(f"[{anomaly.kind}] ", style="yellow")
        out.append(anomaly.message)
        if anomaly.entry_id:
            out.append(f"  ({anomaly.entry_id})", style="dim")
        out.append("\n")
    return out
