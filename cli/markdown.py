"""Answers as Markdown, for a briefing note: `ask --format markdown` and chat's `/save FILE`.

The text is the answer as a person is shown it; sources become a numbered list of links. Catalogue text is
printable already (control characters are taken out when the catalogue is read); Markdown's own marks in it
are escaped so that a title cannot turn into a link or a heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date

_MARKS = re.compile(r"([\\`*_\[\]<>#|])")
_MARKER = re.compile(r"\\\[(\d+)\\\]")


def escape(text: str) -> str:
    """Markdown's marks escaped, except citation markers ("[1]"), which are no link on their own."""
    return _MARKER.sub(r"[\1]", _MARKS.sub(r"\\\1", text))


def source(c: Citation) -> str:
    e = c.entry
    title = escape(e.title)
    named = f"[{title}](<{e.link}>)" if e.link and e.link.startswith(("http://", "https://")) else title
    return f"{c.n}. {named}, {escape(e.institution)} ({escape(e.institution_type)}), {format_date(e.date)}"


def answer_markdown(answer: Answer, heading: str = "##") -> str:
    """The question as a heading, the answer (one paragraph per line), then its sources or related entries."""
    lines = [f"{heading} {escape(answer.question)}", ""]
    lines += [escape(line) + "  " if line.strip() else "" for line in answer.text.splitlines()]
    lines[-1] = lines[-1].rstrip()
    if answer.citations:
        lines += ["", "Sources:", "", *(source(c) for c in answer.citations)]
    elif answer.related:
        lines += ["", "Related presentations (not an answer):", "", *(source(c) for c in answer.related)]
    return "\n".join(lines) + "\n"


def conversation_markdown(answers: Sequence[Answer], title: str) -> str:
    """Every turn so far, in order, under one title."""
    parts = [f"# {escape(title)}", ""]
    parts += [answer_markdown(a) for a in answers]
    return "\n".join(parts)
