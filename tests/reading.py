"""The slot finders as plain functions of a text, for the model-free reading tests.

The product reads a question once (qa.question.query.read_query); these read one slot of a text, so a test
can name the slot it checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from qa.question import reader, shape, when
from qa.question import slots as sl
from qa.question import vocabulary as v
from qa.question.when import Period


def find_period(question: str, today: date | None = None) -> Period | None:
    """The period a question restricts to, or None."""
    found = when.find_period(sl.toks(question), question, set(), today)
    return found[0] if found else None


def find_points(question: str, today: date | None = None) -> list[Period]:
    return when.find_points(sl.toks(question), question, today)


def find_order(question: str) -> str | None:
    ts = sl.toks(question)
    taken: set[int] = set()
    if found := when.find_period(ts, question, taken):
        taken = set(range(found[1], found[2]))
    return shape.find_order(ts, taken)[0]


def find_total(question: str) -> str | None:
    ts = sl.toks(question)
    return shape.find_total(ts, question, shape.find_count(ts)[0])


def list_form(question: str) -> bool:
    return reader.read(question, {}, ()).listing


def period_is_when(question: str, period_text: str) -> bool:
    found = when.find_period(sl.toks(question), question, set())
    return found is not None and found[3] and period_text in found[0].text


def find_types(text: str) -> list[str]:
    ts = sl.toks(text)
    forum = {k for i, j, _ in sl.find_phrase(ts, v.phrases(v.FORUM), set()) for k in range(i, j)}
    return sl.find_types(ts, forum)[0]


def find_categories(text: str, names: Sequence[str], everyday: bool = False) -> list[str]:
    return sl.find_categories(sl.toks(text), sl.category_phrases(tuple(names)), set(), everyday)[0]


def looks_like_search(text: str) -> bool:
    return reader.search_form(sl.toks(text), text)
