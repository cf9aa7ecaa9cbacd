"""Answers as Markdown, for a briefing note: `ask --format markdown` and chat's `/save FILE`.

The text is the answer as a person is shown it; sources become a numbered list of links. Catalogue text is
printable already (control characters are taken out when the catalogue is read); Markdown's own marks in it
are escaped so that a title cannot turn into a link or a heading. Web links are written as they are
(``tratop_e``, not ``tratop\\_e``), so that a link copied from the file works.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date
from qa.catalogue.links import is_web_link
from qa.catalogue.paragraphs import URL_RE

if TYPE_CHECKING:
    from qa.chat.conversation import Turn

_MARKS = re.compile(r"([\\`*_\[\]<>#|])")
_MARKER = re.compile(r"\\\[(\d+)\\\]")


def _escape_marks(text: str) -> str:
    return _MARKER.sub(r"[\1]", _MARKS.sub(r"\\\1", text))


def escape(text: str) -> str:
    """Markdown's marks escaped, except in web links (written as they are) and citation markers ("[1]")."""
    out, at = [], 0
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:)")  # the sentence's own punctuation is no part of the link
        if not is_web_link(url):
            continue
        out += [_escape_marks(text[at : m.start()]), url]
        at = m.start() + len(url)
    out.append(_escape_marks(text[at:]))
    return "".join(out)


def source(c: Citation) -> str:
    e = c.entry
    title = escape(e.title)
    named = f"[{title}](<{e.link}>)" if e.link and e.link.startswith(("http://", "https://")) else title
    return f"{c.n}. {named}, {escape(e.institution)} ({escape(e.institution_type)}), {format_date(e.date)}"


def answer_markdown(answer: Answer, heading: str = "##", asked: str | None = None) -> str:
    """The question as a heading (``asked``: as read, when that differs), the answer (one paragraph per line),
    then its sources or related entries."""
    lines = [f"{heading} {escape(asked or answer.question)}", ""]
    lines += [escape(line) + "  " if line.strip() else "" for line in answer.text.splitlines()]
    lines[-1] = lines[-1].rstrip()
    if answer.citations:
        lines += ["", "Sources:", "", *(source(c) for c in answer.citations)]
    elif answer.related:
        lines += ["", "Related presentations (not an answer):", "", *(source(c) for c in answer.related)]
    return "\n".join(lines) + "\n"


def asked_as(turn: Turn, before: str | None) -> str:
    """The heading of a turn: the question as read when the answer carries a stand-alone reading, or as the
    follow-up was read ("the second one (Strengthening MSME Cyber Security)"); else what was typed with what it
    followed, so that it reads on its own in the file."""
    answer = turn.answer
    if answer.read_as:
        return answer.read_as
    if turn.operation == "new" or before is None:
        return answer.question
    if turn.read_as and turn.read_as != turn.typed:
        return turn.read_as
    return f"{answer.question} (after “{before}”)"


def conversation_markdown(turns: Sequence[Turn], title: str) -> str:
    """Every turn so far, in order, under one title; each follow-up under its question as read."""
    parts = [f"# {escape(title)}", ""]
    before: str | None = None
    for turn in turns:
        parts.append(answer_markdown(turn.answer, asked=asked_as(turn, before)))
        before = turn.answer.read_as or turn.answer.question
    return "\n".join(parts)
