"""The frame of a question that spans the catalogue: an overview, a comparison, or a yes/no about it.

Read once into :attr:`qa.question.query.Query.frame` by :func:`qa.question.reader.frame_of`; the words are
:data:`qa.question.vocabulary.COMPARE_WORDS`, ``YESNO_OPENERS``/``YESNO_CUES`` and ``OVERVIEW_WORDS``/
``OVERVIEW_PHRASES``, matched on folded, stemmed tokens wherever they stand in the question.
"""

from __future__ import annotations

from qa.question import reader
from qa.question import slots as sl


def frame_of(text: str) -> str | None:
    """ "compare", "yesno", "overview" or None."""
    return reader.frame_of(sl.toks(text), text)
