"""The assistant: a question in, an :class:`~qa.answers.model.Answer` out, every word from the catalogue."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from qa.answers import lists as listing
from qa.answers.facts import choose_sentences, lacks_asked_type
from qa.answers.model import Answer, Citation, Sentence
from qa.catalogue.model import Catalogue
from qa.errors import UsageError
from qa.question.intent import Intent, analyse
from qa.question.places import economies_in
from qa.search.dense import DenseIndex
from qa.search.retrieval import Retriever, Scored

MAX_QUESTION_CHARS = 2000  # beyond this a "question" is pasted text; the head carries the question

# Abstention, calibrated on the dev set (bench/eval.py): out-of-scope questions against in-scope
# paraphrases, counting a false abstention as bad as a false answer.
ABSTAIN_FLOOR = 0.30  # below this cosine to every entry text, nothing in the catalogue is about it
ABSTAIN_UNKNOWN_NAME = 0.45  # a name the catalogue never uses ("MC13") and no close entry: abstain
ABSTAIN_LOOK = 5  # the best entries whose closeness counts for both floors

NOTHING = "Nothing in the catalogue answers that."


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

    @classmethod
    def build(cls, catalogue: Catalogue, dense: DenseIndex | None) -> Assistant:
        return cls(catalogue, Retriever(catalogue, dense))

    def analyse(self, question: str) -> Intent:
        return analyse(question, self.catalogue, self.retriever.aliases)

    def answer(self, question: str, *, top_k: int = 5, intent: Intent | None = None) -> Answer:
        question = clean_question(question)
        intent = intent or self.analyse(question)
        if intent.kind in ("list", "count"):
            listed = listing.answer_list(self, question, intent)
            if listed is not None:
                return listed
        return self.answer_fact(question, intent, top_k=top_k)

    def answer_fact(self, question: str, intent: Intent, *, top_k: int = 5) -> Answer:
        qvec = self.retriever.query_vector(question)
        ranked = self.retriever.rank(question, intent, qvec, limit=max(1, top_k))
        if not ranked or self.should_abstain(question, ranked):
            return abstain(question)
        if lacks_asked_type(question, ranked, self.retriever):
            return abstain(question)
        return compose_fact(question, ranked, self.retriever)

    def should_abstain(self, question: str, ranked: Sequence[Scored]) -> bool:
        """True when the best entry does not answer: nothing close in meaning, or about someone else."""
        best = ranked[0]
        closest = max(s.dense for s in ranked[:ABSTAIN_LOOK])  # the floor is about the catalogue, not one entry
        if closest < ABSTAIN_FLOOR:
            return True
        named = economies_in(question)
        if named and not named & self.retriever.mentions_text[self.retriever.index_of[best.entry.id]]:
            return True  # "the EU's threshold" is not answered by Australia's
        return closest < ABSTAIN_UNKNOWN_NAME and bool(self.retriever.unknown_names(question))


def compose_fact(question: str, ranked: Sequence[Scored], retriever: Retriever) -> Answer:
    """A fact answer from ranked entries: chosen sentences, each with its entry's citation number."""
    picks = choose_sentences(question, list(ranked), retriever)
    numbers: dict[int, int] = {}
    sentences = [Sentence(p.text, numbers.setdefault(p.rank, len(numbers) + 1)) for p in picks]
    citations = tuple(Citation(n, ranked[rank].entry, ranked[rank].dense) for rank, n in numbers.items())
    text = " ".join(f"{s.text} [{s.citation}]" for s in sentences)
    return Answer(question, text, sentences=tuple(sentences), citations=citations, kind="fact")


def abstain(question: str) -> Answer:
    return Answer(question, NOTHING, abstained=True, kind="abstain")
