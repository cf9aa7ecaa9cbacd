"""Options shared by several commands (docs/interface.md: option, environment variable, default)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Catalogue = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        envvar="MSME_QA_CATALOGUE",
        help="Catalogue file (.txt export or .docx). Default: the bundled catalogue.",
        show_default=False,
    ),
]
Index = Annotated[
    Path | None,
    typer.Option(
        "--index",
        envvar="MSME_QA_INDEX",
        help="Index directory. Default: one per catalogue under the user's cache dir.",
        show_default=False,
    ),
]
Model = Annotated[
    str | None,
    typer.Option(
        "--model",
        envvar="MSME_QA_MODEL",
        help="sentence-transformers model directory or name. Default: packaged all-MiniLM-L6-v2.",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
Explain = Annotated[
    bool, typer.Option("--explain", help="Also show how the question was read and why the answer ranked as it did.")
]
Institution = Annotated[
    str | None, typer.Option("--institution", "-i", help="Acronym or name, e.g. ITC or 'International Trade Centre'.")
]
Category = Annotated[str | None, typer.Option("--category", "-c", help="Category or sub-section (part of the name).")]
Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="From this date, in the words questions use: 2022, 'May 2022', 2022-05-04, 'Q2 2022', 'last year'.",
    ),
]
Until = Annotated[
    str | None, typer.Option("--until", help="Up to the end of this date or period, same forms as --since.")
]
TopK = Annotated[int, typer.Option("--top-k", min=1, max=50, help="Entries considered for an answer.")]
