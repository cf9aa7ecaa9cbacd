"""The pipeline: a question in, an :class:`~qa.answers.model.Answer` out, every word from the catalogue.

The question is read once into a :class:`~qa.question.query.Query`; this module alone decides which kind
of answer it gets (a list or count of entries, or a fact), and every kind goes through the same steps:
retrieve (with the query's filters), decide whether to answer, choose sentences, compose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answers.abstain import abstain, should_abstain
from qa.answers.facts import compose_fact, lacks_asked_type
from qa.answers.lists import answer_list
from qa.answers.model import Answer
from qa.answers.order import answer_order, outside
from qa.answers.totals import answer_total
from qa.catalogue.model import Catalogue
from qa.errors import UsageError
from qa.question.query import Lexicon, Query, read_query
from qa.search.dense import DenseIndex
from qa.search.retrieval import Retriever, Scored
from qa.settings import DEFAULT, Settings

MAX_QUESTION_CHARS = 2000  # beyond this a "question" is pasted text; the head carries the question


def clean_question(question: str) -> str:
    """Printable text on one line; UsageError when nothing is left to ask."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question or "")
    text = " ".join(text.split())[:MAX_QUESTION_CHARS]
    if not re.search(r"\w", text):
        what = "has no words in it, only punctuation or symbols" if text else "is empty"
        raise UsageError(f'the question {what}; ask something like "Who presented on cyber security?"')
    return text


@dataclass
class Assistant:
    """Answers questions about one catalogue. Build once (it holds the indexes), ask many times."""

    catalogue: Catalogue
    retriever: Retriever
    lexicon: Lexicon
    settings: Settings = DEFAULT

    @classmethod
    def build(cls, catalogue: Catalogue, dense: DenseIndex | None, settings: Settings = DEFAULT) -> Assistant:
        retriever = Retriever(catalogue, dense, settings)
        return cls(catalogue, retriever, Lexicon.of(catalogue, retriever.aliases), settings)

    def read(self, question: str) -> Query:
        """The question, cleaned and read once, with its encoded vector."""
        query = read_query(clean_question(question), self.lexicon)
        return query.with_vector(self.retriever.query_vector(query.text))

    def answer(self, question: str | Query, *, top_k: int = 5) -> Answer:
        """Route the query: a period the catalogue does not cover gets what it covers; a total is counted
        from the catalogue; the latest or earliest presentation is picked from the matching ones; a list
        or count question gets the complete set of entries; anything else a fact."""
        query = question if isinstance(question, Query) else self.read(question)
        beyond = outside(query, self.retriever.entries)
        if beyond is not None:
            return beyond
        if query.total:
            return answer_total(query, self.retriever)
        if query.order:
            picked = answer_order(query, self.retriever, self.settings)
            if picked is not None:
                return picked
        if query.kind in ("list", "count"):
            listed = answer_list(query, self.retriever, self.settings)
            if listed is not None:
                return listed
        return self.answer_fact(query, top_k=top_k)

    def answer_fact(self, query: Query, *, top_k: int = 5, candidates: Sequence[int] | None = None) -> Answer:
        """Retrieve (among ``candidates``, if given), decide whether to answer, choose sentences, compose."""
        ranked = self.retrieve(query, top_k=top_k, candidates=candidates)
        return abstain(query.text) if self.refuses(query, ranked) else self.compose(query, ranked)

    # The steps, for the conversation's answers that restrict or widen the candidates in between.

    def retrieve(self, query: Query, *, top_k: int = 5, candidates: Sequence[int] | None = None) -> list[Scored]:
        return self.retriever.rank(query, candidates, limit=max(1, top_k))

    def refuses(self, query: Query, ranked: Sequence[Scored]) -> bool:
        """Whether the best entries do not answer: nothing close, about someone else, or not what is asked."""
        if not ranked or should_abstain(query, ranked, self.retriever, self.settings):
            return True
        return lacks_asked_type(query, ranked, self.retriever)

    def compose(self, query: Query, ranked: Sequence[Scored]) -> Answer:
        return compose_fact(query, ranked, self.retriever, self.settings)
