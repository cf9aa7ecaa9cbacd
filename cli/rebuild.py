"""`msme-qa rebuild`: bring the embeddings index up to date with the catalogue."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import options, render
from cli.errors import handled
from cli.progress import build_progress


@handled
def rebuild(
    full: Annotated[bool, typer.Option("--full", help="Re-embed every entry, not only new and changed ones.")] = False,
    json: options.Json = False,
    catalogue: options.Catalogue = None,
    index: options.Index = None,
    model: options.Model = None,
) -> None:
    """Embed new and changed entries, drop removed ones; a no-op when nothing changed.

    Progress goes to stderr: a bar on a terminal, one line per phase otherwise.

    Example: msme-qa rebuild --catalogue updated-catalogue.docx
    """
    from qa.catalogue.load import load_catalogue
    from qa.service import rebuild as run_rebuild
    from qa.service import resolve_index, resolve_model_spec

    cat = load_catalogue(catalogue)
    assert cat.path is not None
    index_dir = resolve_index(index, cat.path)
    with build_progress() as on_step:
        report = run_rebuild(cat, index_dir, resolve_model_spec(model), full=full, on_step=on_step)
    if json:
        render.print_json(report.to_json())
        return
    what = "nothing to do" if report.encoded == 0 and not report.full else f"{report.encoded} embedded"
    render.console().print(
        render.safe(
            f"{report.entries} entries: {report.added} added, {report.changed} changed, {report.removed} removed, "
            f"{report.unchanged} unchanged ({what}) in {report.seconds:.1f} s -> {report.index}"
        ),
        soft_wrap=True,
    )
