"""What the MCP tools say, without the MCP SDK: the server's instructions and each tool's two outputs.

Every tool result is a pair: JSON-ready data for the structured content (the shapes of INTERFACE.md)
and plain text for a model or a person to read (what `msme-qa ask` / `show` print, without colour).
Bad input raises the same UsageError, with the same message, as the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cli.answers import source_line
from cli.render import entry_detail
from qa.catalogue.dates import format_date
from qa.catalogue.filters import Filter, find_entry
from qa.catalogue.model import Catalogue, Entry

if TYPE_CHECKING:
    from qa.answers.model import Answer
    from qa.engine import Assistant


@dataclass(frozen=True)
class Result:
    """One tool's output: ``data`` for structured content, ``text`` for the text block."""

    data: dict[str, Any]
    text: str




def instructions(catalogue: Catalogue) -> str:
    """What the catalogue is and how to use the tools: shown to the assistant when it connects."""
    days = sorted(e.date for e in catalogue.entries)
    start, end = catalogue.period or (days[0], days[-1])
    categories = "; ".join(catalogue.categories)
    return (
        "msme-qa answers from the catalogue of presentations given at the WTO Informal Working Group on "
        f"Micro, Small and Medium-sized Enterprises (MSMEs): {len(catalogue.entries)} presentations by WTO "
        f"Members, international organizations, the WTO Secretariat and others, from {format_date(start)} to "
        f"{format_date(end)}, in {len(catalogue.categories)} categories: {categories}.\n"
        "Answers are sentences extracted word for word from the catalogue's summaries, never generated; "
        "each sentence carries a citation [n] to its source (title, institution, date, link). List and "
        "count questions get every matching presentation. When the catalogue does not answer, `ask` says "
        "so (abstained: true) instead of guessing: then say the catalogue does not cover it.\n"
        "Tools: `ask` for a question in plain words; `list_presentations` for the entries filtered by "
        "institution, category or date; `show_presentation` for one entry in full, by id (from the "
        "other tools' results). Quote the sentences with their citations and give the links; add "
        "nothing the catalogue does not say."
    )


def answer_text(answer: Answer) -> str:
    """The answer as a person reads it, then its numbered sources with their links."""
    if not answer.citations:
        return answer.text
    sources = "\n".join(source_line(c).plain for c in answer.citations)
    return f"{answer.text}\n\nSources\n{sources}"


def ask(assistant: Assistant, question: str, top_k: int = 5) -> Result:
    """The answer object of INTERFACE.md and its rendering; UsageError for an empty question."""
    from qa.engine import clean_question

    answer = assistant.answer(clean_question(question), top_k=top_k)
    return Result(answer.to_json(), answer_text(answer))


def entry_line(entry: Entry) -> str:
    return f"{entry.date.isoformat()}  {entry.title} — {entry.institution} ({entry.institution_type})  [{entry.id}]"


def list_presentations(
    catalogue: Catalogue,
    institution: str | None = None,
    category: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Result:
    """The entries `msme-qa list` would show with these filters, in date order."""
    entries = Filter.from_options(catalogue, institution, category, since, until).apply(catalogue.entries)
    n = len(entries)
    if n == 0:
        text = "No presentations match these filters."
    else:
        text = f"{n} presentation{'s' if n != 1 else ''}:\n" + "\n".join(entry_line(e) for e in entries)
    return Result({"count": n, "presentations": [e.to_json() for e in entries]}, text)


def show_presentation(catalogue: Catalogue, entry_id: str) -> Result:
    """One entry in full, by id or a unique prefix of it, as `msme-qa show` finds it."""
    entry = find_entry(catalogue, entry_id.strip())
    return Result(entry.to_json(), entry_detail(entry).plain.rstrip("\n"))
