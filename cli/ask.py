"""`msme-qa ask`: one question, one answer."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli import answers, options, render
from cli.errors import handled
from cli.progress import watch_builds


def status(message: str) -> None:
    sys.stderr.write(f"msme-qa: {render.printable(message)}\n")
    sys.stderr.flush()


@handled
def ask(
    question: Annotated[list[str], typer.Argument(help="The question (quotes optional).", show_default=False)],
    json: options.Json = False,
    explain: options.Explain = False,
    top_k: options.TopK = 5,
    catalogue: options.Catalogue = None,
    index: options.Index = None,
    model: options.Model = None,
    format: Annotated[
        str,
        typer.Option("--format", help="text (default) or markdown: the answer and its sources as Markdown."),
    ] = "text",
) -> None:
    """Answer one question with sentences from the catalogue and their sources.

    Example: msme-qa ask "What is Australia's de minimis threshold?"
    """
    from qa.engine import clean_question
    from qa.errors import UsageError
    from qa.service import open_assistant

    if format not in ("text", "markdown"):
        raise UsageError(f"--format takes text or markdown, not {format!r}")
    text = clean_question(" ".join(question))  # an empty question fails before anything loads
    assistant = open_assistant(catalogue, index, model, on_status=status, watch=watch_builds)
    answer = assistant.answer(text, top_k=top_k)
    why = None
    if explain:
        from qa.answers.explain import explain as explain_answer

        why = explain_answer(answer, assistant.retriever)
    if json:
        render.print_json(answer.to_json() | ({"explain": why} if why is not None else {}))
        return
    if format == "markdown":
        from cli.markdown import answer_markdown

        sys.stdout.write(answer_markdown(answer))
        return
    answers.show(render.console(), answer)
    if why is not None:
        answers.show_explanation(render.console(), why)
