"""`list`, `show` and `check`: browsing and validating the catalogue (no model, no index)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import options, render
from cli.errors import handled
from qa.catalogue.checks import check_catalogue
from qa.catalogue.filters import Filter, find_entry
from qa.catalogue.load import load_catalogue
from qa.catalogue.model import Anomaly, Catalogue


@handled
def list_entries(
    institution: options.Institution = None,
    category: options.Category = None,
    since: options.Since = None,
    until: options.Until = None,
    json: options.Json = False,
    catalogue: options.Catalogue = None,
) -> None:
    """List the catalogue's presentations in date order, optionally filtered.

    Example: msme-qa list --institution ITC --since 2022
    """
    from qa.question.when import read_bounds

    lo, hi = read_bounds(since, until)  # as questions read periods; a bad one fails before the catalogue is read
    cat = load_catalogue(catalogue)
    entries = Filter.from_options(cat, institution, category, lo, hi).apply(cat.entries)
    if json:
        render.print_json([e.to_json() for e in entries])
        return
    out = render.console()
    if not entries:
        out.print("No presentations match these filters.")
        return
    n = len(entries)
    render.print_entries(out, entries, title=f"{n} presentation{'s' if n != 1 else ''}")


@handled
def show(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="An entry id from `msme-qa list` (a unique prefix is enough).")
    ],
    json: options.Json = False,
    catalogue: options.Catalogue = None,
) -> None:
    """Show one presentation in full, with its link.

    Example: msme-qa show 2021-05-04-australias-experience
    """
    entry = find_entry(load_catalogue(catalogue), entry_id.strip())
    if json:
        render.print_json(entry.to_json())
        return
    render.console().print(render.entry_detail(entry))


@handled
def check(
    json: options.Json = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")] = False,
    catalogue: options.Catalogue = None,
) -> None:
    """Validate the catalogue: errors (data lost or wrong) exit 1, warnings alone exit 0 (1 with --strict).

    Example: msme-qa check --catalogue updated-catalogue.docx
    """
    cat = load_catalogue(catalogue)
    problems = check_catalogue(cat)
    errors = sum(p.severity == "error" for p in problems)
    failed = errors > 0 or (strict and bool(problems))
    if json:
        report = {"entries": len(cat.entries), "categories": len(cat.categories),
                  "problems": [p.to_json() for p in problems]}  # fmt: skip
        render.print_json(report)
    else:
        _print_check(cat, problems, errors)
    if failed:
        raise typer.Exit(1)


def _print_check(cat: Catalogue, problems: list[Anomaly], errors: int) -> None:
    out = render.console()
    period = f", period {cat.period[0]} to {cat.period[1]}" if cat.period else ""
    summary = f"{cat.path}: {len(cat.entries)} entries in {len(cat.categories)} categories{period}"
    if not problems:
        out.print(render.safe(f"{summary}. No problems found."))
        return
    warnings = len(problems) - errors
    counts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    out.print(render.safe(f"{summary}. {' and '.join(counts)}:"))
    out.print(render.anomaly_lines(problems), end="")
