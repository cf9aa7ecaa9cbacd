"""What the MCP tools say, without the MCP SDK: the server's instructions and each tool's two outputs.

Every tool result is a pair: JSON-ready data for the structured content (the shapes of INTERFACE.md)
and plain text for a model or a person to read (what `msme-qa ask` / `show` print, without colour).
Each tool's arguments are declared once, in ``TOOLS``: the server publishes them as the tool's input
schema and :func:`check_arguments` holds every call to them, so a wrong type, a missing argument, an
unknown one or a string over its ``maxLength`` is one line naming the argument. Bad input raises
UsageError; :func:`client_message` words the CLI's message for an AI client (it cannot run `msme-qa list`,
it can call list_presentations), and :func:`clip_values` keeps a message from quoting more than
``QUOTE_LIMIT`` characters of any value it was given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cli.answers import source_line
from cli.render import entry_detail
from qa.catalogue.dates import format_date
from qa.catalogue.filters import Filter, find_entry
from qa.catalogue.model import Catalogue, Entry
from qa.errors import UsageError

if TYPE_CHECKING:
    from qa.answers.model import Answer
    from qa.engine import Assistant


MAX_QUESTION = 2000  # characters of a question (the CLI reads no more of one either)
MAX_TEXT = 200  # characters of every other string argument: an id, an institution, a category, a date
QUOTE_LIMIT = 80  # characters of a value an error message quotes


def quote(value: str) -> str:
    """A value as an error message quotes it: in quotes, cut to QUOTE_LIMIT characters and an ellipsis."""
    return repr(value if len(value) <= QUOTE_LIMIT else value[:QUOTE_LIMIT] + "…")


def clip_values(message: str, values: Iterable[Any]) -> str:
    """``message`` with every long string of ``values`` it quotes cut to QUOTE_LIMIT characters.

    The CLI's messages quote what was typed in full (an unknown id, a date that cannot be read); a client
    can send far more than a person types, and the message goes back to it in one line.
    """
    for value in values:
        if not isinstance(value, str) or len(value) <= QUOTE_LIMIT:
            continue
        for form in dict.fromkeys((value, value.strip())):
            if len(form) > QUOTE_LIMIT:
                message = message.replace(repr(form), quote(form)).replace(form, form[:QUOTE_LIMIT] + "…")
    return message


@dataclass(frozen=True)
class Result:
    """One tool's output: ``data`` for structured content, ``text`` for the text block."""

    data: dict[str, Any]
    text: str


@dataclass(frozen=True)
class Param:
    """One argument of a tool: its JSON type, whether it may be omitted, and its bounds."""

    name: str
    type: str  # "string" or "integer"
    description: str
    required: bool = False
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None  # strings: the most characters taken (maxLength in the schema)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "description": self.description}
        if not self.required:
            out["type"] = [self.type, "null"]
        if self.default is not None:
            out["default"] = self.default
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.max_length is not None:
            out["maxLength"] = self.max_length
        return out

    def check(self, tool: str, value: Any) -> Any:
        """The value, or UsageError in one line that names this argument and what it takes."""
        if value is None:
            if self.required:
                raise UsageError(f"{tool}: the argument {self.name!r} is required ({self.description})")
            return self.default
        if self.type == "string":
            if not isinstance(value, str):
                raise UsageError(f"{tool}: the argument {self.name!r} must be a string, not {_json_type(value)}")
            if self.max_length is not None and len(value) > self.max_length:
                raise UsageError(
                    f"{tool}: the argument {self.name!r} is {len(value):,} characters long; "
                    f"it takes at most {self.max_length:,}"
                )
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"{tool}: the argument {self.name!r} must be an integer, not {_json_type(value)}")
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise UsageError(
                f"{tool}: the argument {self.name!r} must be from {self.minimum} to {self.maximum}, not {value}"
            )
        return value


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def input_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {p.name: p.schema() for p in self.params},
            "required": [p.name for p in self.params if p.required],
            "additionalProperties": False,
        }


def _json_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }
    return names.get(type(value), "null" if value is None else type(value).__name__)


_DATE_FORMS = "'2022', '2022-05', 'May 2022', 'Q2 2022', 'the first half of 2022' or '2022-05-04'"
TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        ToolSpec(
            "ask",
            "Ask the MSME Group catalogue",
            (
                Param(
                    "question",
                    "string",
                    "the question in plain words, e.g. 'Who presented on cyber security?'",
                    True,
                    max_length=MAX_QUESTION,
                ),
                Param("top_k", "integer", "how many entries are considered for a fact answer", False, 5, 1, 50),
            ),
        ),
        ToolSpec(
            "list_presentations",
            "List presentations",
            (
                Param(
                    "institution",
                    "string",
                    "acronym, name or economy, e.g. 'ITC', 'International Trade Centre'",
                    max_length=MAX_TEXT,
                ),
                Param(
                    "category", "string", "category or sub-section; a part of its name is enough", max_length=MAX_TEXT
                ),
                Param("since", "string", f"from this date: {_DATE_FORMS}", max_length=MAX_TEXT),
                Param("until", "string", "up to this date, inclusive; the same forms as since", max_length=MAX_TEXT),
            ),
        ),
        ToolSpec(
            "show_presentation",
            "Show one presentation",
            (
                Param(
                    "id",
                    "string",
                    "an entry id from the other tools' results; a unique prefix is enough",
                    True,
                    max_length=MAX_TEXT,
                ),
            ),
        ),
    )
}


def check_arguments(tool: str, arguments: Mapping[str, Any] | None) -> dict[str, Any]:
    """The arguments of a call to ``tool``, checked against its declaration; UsageError naming the first bad one."""
    spec = TOOLS[tool]
    given = dict(arguments or {})
    names = [p.name for p in spec.params]
    unknown = sorted(set(given) - set(names))
    if unknown:
        takes = ", ".join(names) or "no arguments"
        raise UsageError(f"{tool}: unknown argument {quote(unknown[0])}; {tool} takes {takes}")
    return {p.name: p.check(tool, given.get(p.name)) for p in spec.params}


# The CLI's hints name commands a person types; an AI client calls tools instead, or asks its user.
_FOR_CLIENTS = (
    ("`msme-qa list` shows the ids", "list_presentations gives the ids"),
    ("run `msme-qa rebuild", "the person running this server should run `msme-qa rebuild"),
)


def client_message(message: str) -> str:
    """The CLI's one-line message, worded for an AI client."""
    for cli_words, client_words in _FOR_CLIENTS:
        message = message.replace(cli_words, client_words)
    return message


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
    if answer.related and not answer.citations:
        related = "\n".join(source_line(c).plain for c in answer.related)
        return f"{answer.text}\n\nRelated presentations (not an answer)\n{related}"
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
    from qa.question.when import read_bounds

    lo, hi = read_bounds(since, until)  # the questions' period grammar, as `msme-qa list` reads it
    entries = Filter.from_options(catalogue, institution, category, lo, hi).apply(catalogue.entries)
    n = len(entries)
    if n == 0:
        text = "No presentations match these filters."
    else:
        text = f"{n} presentation{'s' if n != 1 else ''}:\n" + "\n".join(entry_line(e) for e in entries)
    return Result({"count": n, "presentations": [e.to_json() for e in entries]}, text)


RESOURCE_TEMPLATE = "msme://presentation/{id}"


def resource_uri(entry: Entry) -> str:
    return RESOURCE_TEMPLATE.replace("{id}", entry.id)


def read_resource(catalogue: Catalogue, uri: str) -> str:
    """The entry a ``msme://presentation/{id}`` URI names, as JSON text; UsageError for any other URI."""
    import json

    prefix = RESOURCE_TEMPLATE.removesuffix("{id}")
    entry = catalogue.get(uri.removeprefix(prefix)) if uri.startswith(prefix) else None
    if entry is None:
        raise UsageError(f"no presentation has the URI {quote(uri)}; resources/list gives them")
    return json.dumps(entry.to_json(), ensure_ascii=False)


def show_presentation(catalogue: Catalogue, entry_id: str) -> Result:
    """One entry in full, by id or a unique prefix of it, as `msme-qa show` finds it."""
    entry = find_entry(catalogue, entry_id.strip())
    return Result(entry.to_json(), entry_detail(entry).plain.rstrip("\n"))
