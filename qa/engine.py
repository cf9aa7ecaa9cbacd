"""The pipeline: a question in, an :class:`~qa.answers.model.Answer` out, every word from the catalogue.

The question is read once into a :class:`~qa.question.query.Query`; this module alone decides which kind
of answer it gets (a list or count of entries, or a fact), and every kind goes through the same steps:
retrieve (with the query's filters), decide whether to answer, choose sentences, compose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from qa.answers.abstain import (
    NOTHING,
    absent_presenter,
    abstain,
    missing_text,
    names_someone_else,
    party_absent,
    presented,
    related,
    should_abstain,
)
from qa.answers.compare import compare
from qa.answers.evidence import default_model, evidence
from qa.answers.facts import compose_fact
from qa.answers.lists import answer_list
from qa.answers.model import Answer, Trace
from qa.answers.order import answer_meeting, answer_order, outside
from qa.answers.relevance import judge
from qa.answers.search import answer_search
from qa.answers.spans import overview, uncovered, yes_no
from qa.answers.support import Support, apply, grade
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
        query = read_query(clean_question(question), self.lexicon, self.close)
        return query.with_vector(self.retriever.query_vector(query.text))

    def close(self, words: str) -> bool:
        """Words no entry uses are close in meaning to one: their best cosine clears the floor below which
        nothing in the catalogue is about a question (``Settings.abstain_floor``)."""
        return self.retriever.closest(words) >= self.settings.abstain_floor

    def answer(self, question: str | Query, *, top_k: int = 5) -> Answer:
        """Route the query: a period the catalogue does not cover gets what it covers; a total is counted
        from the catalogue; the latest or earliest presentation is picked from the matching ones; a list
        or count question gets the complete set of entries; anything else a fact."""
        query = question if isinstance(question, Query) else self.read(question)
        answer = self._route(query, top_k)
        if answer.trace is None:
            answer = replace(answer, trace=Trace(query, (), {"route": answer.kind}))
        return self._as_read(query, answer)

    def _route(self, query: Query, top_k: int) -> Answer:
        beyond = outside(query, self.retriever.entries)
        if beyond is not None:
            return beyond
        if (absent := absent_presenter(query, self.retriever)) is not None:
            if not absent.related:  # nothing mentions the party either: the nearest to the rest, not an answer
                ranked = self.retriever.rank(replace(query, presenter=None), limit=3)
                absent = replace(absent, related=related([s for s in ranked if s.dense >= self.settings.abstain_floor]))
            rule = f"names {query.presenter} as presenter, and no institution of the catalogue goes by that name"
            decision = {"route": "presenter", "presenter": query.presenter, "answered": False, "rule": rule}
            return replace(absent, trace=Trace(query, (), decision))
        # The kind was decided once, when the question was read (qa.question.reader.KINDS); a kind whose
        # answer finds nothing to stand on falls through to the next that can answer.
        route = query.route
        if route == "compare" and (compared := compare(query, self.retriever, self.settings)) is not None:
            return replace(compared, trace=Trace(query, (), {"route": "compare"}))
        if route == "yesno":
            return self._spanning(query, yes_no(query, self.retriever, self.settings))
        if route == "overview":
            return self._spanning(query, overview(query, self.retriever, self.settings))
        if route == "total":
            return answer_total(query, self.retriever)
        if route == "order" and (picked := answer_order(query, self.retriever, self.settings)) is not None:
            return picked
        if route == "meeting" and (met := answer_meeting(query, self.retriever)) is not None:
            return met
        if query.kind in ("list", "count"):
            listed = answer_list(query, self.retriever, self.settings)
            if listed is not None:
                return listed if listed.trace else replace(listed, trace=Trace(query, (), {"route": query.kind}))
        if route == "search":
            cov = judge(query, self.retriever, self.settings)
            close = any(j.scored.dense >= self.settings.search_min_dense for j in cov.judged[:3])
            if not self._holds_all(query) and not cov.about and not close:
                # "tourism MSMEs": no entry holds every word, and none is about them
                said = uncovered(query, cov, retriever=self.retriever)
                if said.related:  # where it is mentioned; with no mention at all, the refusal below
                    return self._spanning(query, replace(said, kind="search"))
            found = answer_search(query, self.retriever, self.settings)
            if found is not None:
                return found
            return replace(abstain(query.text), trace=Trace(query, (), {"route": "search", "matched": 0}))
        return self.answer_fact(query, top_k=top_k)

    @staticmethod
    def _as_read(query: Query, answer: Answer) -> Answer:
        """A corrected question: the answer is to what was typed, and says how it was read."""
        if not query.corrections:
            return answer
        return replace(answer, question=query.typed, read_as=query.text, notes=(f"read as: {query.text}",))

    def _holds_all(self, query: Query) -> bool:
        """Some entry uses every word of the question (a keyword search that names something there)."""
        return bool(query.content) and len(self.retriever.bm25.containing(list(query.content))) > 0

    def _spanning(self, query: Query, answer: Answer) -> Answer:
        """An overview or yes/no answer with the coverage decision in its trace, for --explain."""
        cov = judge(query, self.retriever, self.settings)
        decision = {
            "route": answer.kind,
            "coverage": [
                {"id": j.entry.id, "name": j.entry.title, "p_about": round(j.p, 4), "p_any": round(j.p_any, 4),
                 "about": j.about, "mentions": j.mentions,
                 **{k: round(v, 4) for k, v in j.features.items()}}
                for j in cov.judged[:10]
            ],
        }  # fmt: skip
        return replace(answer, trace=Trace(query, (), decision))

    def answer_fact(self, query: Query, *, top_k: int = 5, candidates: Sequence[int] | None = None) -> Answer:
        """Retrieve (among ``candidates``, if given), decide whether to answer, choose sentences, compose, grade."""
        ranked = self.retrieve(query, top_k=top_k, candidates=candidates)
        why, decision = self.decide(query, ranked)
        trace = Trace(query, tuple(ranked), decision)
        if why is not None:
            absent = [e for e in query.economies if not presented(e, self.retriever)]
            if decision.get("about") == "someone else" and absent:  # "What is Uruguay's threshold?"
                told = party_absent(replace(query, kind="fact"), absent[0], self.retriever)
                return replace(told, trace=trace)
            near = [s for s in ranked if s.dense >= self.settings.abstain_floor]  # far-off questions get none
            return replace(abstain(query.text), text=why, related=related(near), trace=trace)
        return replace(self.compose(query, ranked, decision), trace=trace)

    # The steps, for the conversation's answers that restrict or widen the candidates in between.

    def retrieve(self, query: Query, *, top_k: int = 5, candidates: Sequence[int] | None = None) -> list[Scored]:
        return self.retriever.rank(query, candidates, limit=max(1, top_k))

    def refuses(self, query: Query, ranked: Sequence[Scored]) -> bool:
        return self.decide(query, ranked)[0] is not None

    def decide(self, query: Query, ranked: Sequence[Scored]) -> tuple[str | None, dict[str, Any]]:
        """Why the best entries do not answer, as the refusal's text (None when they do), and the evidence.

        Refused: nothing close in meaning, about someone else, or a name the catalogue never uses with no close
        entry (the hand-set floors), or, with ``Settings.abstain_model``, the fitted evidence model (measured
        worse on the untouched halves, so off by default). Otherwise answered, and graded full or partial
        (:mod:`qa.answers.support`): the decision carries the grade for :meth:`compose`."""
        if not ranked:
            return NOTHING, {"route": "fact", "answered": False, "rule": "no entries"}
        if names_someone_else(query, ranked, self.retriever):
            rule = f"names {', '.join(query.economies)}, which the best entry never mentions"
            return NOTHING, {"route": "fact", "answered": False, "rule": rule, "about": "someone else"}
        found = evidence(query, ranked, self.retriever)
        decision: dict[str, Any] = {"route": "fact", "evidence": found.values, "missing": list(found.missing)}
        model = default_model() if self.settings.abstain_model else None
        if model is not None:
            p = model.probability(found.values)
            refused, rule = p < model.threshold, f"fitted model: p(answers) {p:.3f} against {model.threshold:.3f}"
        elif should_abstain(query, ranked, self.retriever, self.settings):
            refused, rule = True, "nothing close enough in meaning, or a name the catalogue never uses"
        else:
            refused, rule = False, "answered"
        decision.update(answered=not refused, rule=rule)
        if refused:
            near = ranked[0].dense >= self.settings.abstain_floor
            return (missing_text(query, ranked[0], found.missing) if near else NOTHING), decision
        best = self.retriever.index_of[ranked[0].entry.id]
        entry_tokens = frozenset(t for sentence in self.retriever.sentence_tokens[best] for t in sentence)
        # "What did UNCITRAL say about X?" names its speaker; an answer from another institution's entry
        # does not say what that speaker said.
        best_by = ranked[0].entry.institution
        speaker = (
            query.presenter if query.presenter and query.institutions and best_by not in query.institutions else None
        )
        support = grade(query, found, bool(found.values["lacks_type"]), self.settings, entry_tokens, speaker)
        decision.update(support=support.level, support_rule=support.rule, gap=list(support.missing),
                        support_opening=support.opening)  # fmt: skip
        return None, decision

    def compose(self, query: Query, ranked: Sequence[Scored], decision: dict[str, Any] | None = None) -> Answer:
        """The chosen sentences, graded: a partial answer opens with the line that names what is missing."""
        answer = compose_fact(query, ranked, self.retriever, self.settings)
        if decision is None:
            decision = self.decide(query, ranked)[1]
        if "support" not in decision:
            return answer
        support = Support(decision["support"], tuple(decision.get("gap", ())), decision.get("support_opening", ""))
        return apply(answer, support, ranked[0])
