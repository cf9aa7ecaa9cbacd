"""A conversation: follow-up questions answered from what was said, without a generative model.

Every answer is still catalogue text (summary sentences) or catalogue fields set in a fixed template;
the conversation only decides *which question* is answered and *from which entries*. The rules are
plain patterns, tried in this order (see :meth:`Conversation.read`):

1. **Acts on what the last answer cited**, when the line has no subject, name or period of its own:

   - "more", "tell me more", "go on", "and?": further sentences of the cited entries, not shown yet;
   - "who gave it?", "by whom?", "when was that?":
     ``Presented by <institution> (<type>) on <date>: <title>. [1]``;
   - "where are the slides?", "link?": ``<title>: <link> [1]``;
   - "the second one", "number 3", "#3", "the last one", "what was it about?": opening sentences.

   An ordinal picks from the last question's sources (a list's numbering). Otherwise "it"/"that" is
   the entry in focus (a fact answer's first source, or the entry picked last); "they"/"them", or
   anything said after a list with nothing picked, means every listed entry.
2. **Follow-up questions** carry the previous subject (its topic words) and cited entries:

   - a fragment after "and"/"also"/"what about"/"how about" ("And in 2022?", "What about Canada?"):
     the previous question with the fragment's presenter, period or topic put in place of its own;
   - "and" + a question with no subject of its own ("And what did UNCITRAL say?"): that question,
     with the previous subject (and the presenter and period it does not name itself);
   - a reference back: it, its, they, them, their, those, these, "the same", "that"/"this" at the end
     or before a noun (talk, one, law, ...), an ordinal ("What did the second one say about costs?"):
     "it"/"that" becomes the previous subject (or the one entry's title), "they"/"their" the presenters
     referred to (up to three), an ordinal the picked entry's title;
   - "else"/"other" ("Who else presented on that?", a bare "Anyone else?", "Who else presented in 2022?"):
     the question (the last one, if bare), minus the entries just cited; after a list, the rest of that
     list ("no other presentations" if none).

   A newly named institution or period restricts the answer to its entries
   (``Retriever.rank(candidates=...)``), and one of them must be about the subject (its words or its
   meaning), else the answer abstains and says so. A reference back answers from the entries referred
   to first (a picked entry alone), from the whole catalogue if none of them does.
3. **Anything else is a new question**, answered exactly as if asked first: it names its own subject,
   so it is never pulled toward the earlier topic, and it becomes the subject. ("its"/"their" is no
   reference back when the question names an institution itself: "What does ITC say about its helpdesk?")

This module holds the state and applies the rules; the patterns are in :mod:`qa.chat.followups`, the rewriting
of a follow-up into a question that stands alone in :mod:`qa.chat.rewrite`, and the answers made from the
entries referred to (their sentences, their fields, retrieval limited to them) in :mod:`qa.chat.replies`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from qa.answers.model import Answer
from qa.catalogue.model import Entry
from qa.chat import operations, replies
from qa.chat.followups import LEAD, LINK, MORE, ORDINAL, OTHER, PLURAL, WH, WHO, Names, reference
from qa.chat.rewrite import carry, name_picked, nth, stand_in, swap_in
from qa.engine import Assistant, clean_question
from qa.errors import UsageError
from qa.question.periods import find_period
from qa.question.query import Query
from qa.search.retrieval import Retriever


@dataclass(frozen=True)
class Reading:
    """How a question was read: the act, the question actually answered, and the entries it is about."""

    act: str  # "new", "follow", "more", "who", "link" or "pick"
    question: str
    targets: tuple[Entry, ...] = ()  # the entries an act or a reference back is about
    restrict: bool = False  # a follow-up names a new institution or period: answer from its entries only
    picked: bool = False  # an ordinal chose the entry: it becomes the focus
    exclude: tuple[Entry, ...] = ()  # "who else ...?": not these
    query: Query | None = None  # the question read, when reading it was needed to decide


@dataclass
class Topic:
    """The last question answered from the catalogue: what follow-ups refer back to."""

    question: str  # as answered (rewritten when it was a follow-up)
    query: Query
    subject: str  # its topic words as written ("de minimis threshold"), names and question words removed
    answer: Answer


@dataclass(frozen=True)
class Turn:
    """One turn as remembered: what was typed, how it was read, and the answer it got."""

    typed: str
    operation: str  # "new", "follow", "more", "who", "link", "pick", or an operation of qa.chat.operations
    read_as: str
    answer: Answer


@dataclass
class Conversation:
    """Wraps an assistant (or a function returning the current one) and remembers what was said."""

    source: Assistant | Callable[[], Assistant]
    top_k: int = 5
    topic: Topic | None = None
    focus: tuple[Entry, ...] = ()  # what "it" refers to; empty after a list: "it" is then every listed entry
    last: Answer | None = None  # the last answer shown (/sources, /open N)
    shown: dict[str, set[int]] = field(default_factory=dict)  # entry id -> summary sentences shown
    turns: list[Turn] = field(default_factory=list)  # every turn, for /history
    _cache: tuple[Retriever, Names] | None = field(default=None, init=False, repr=False)

    def _names(self, asst: Assistant) -> Names:
        if self._cache is None or self._cache[0] is not asst.retriever:
            self._cache = (asst.retriever, Names(asst.retriever))
        return self._cache[1]

    @property
    def assistant(self) -> Assistant:
        return self.source if isinstance(self.source, Assistant) else self.source()

    def reset(self) -> None:
        """Forget the conversation (/reset)."""
        self.topic, self.focus, self.last, self.shown, self.turns = None, (), None, {}, []

    def ask(self, question: str) -> Answer:
        """Answer ``question`` in the light of what was said; UsageError for an empty or unanswerable reference."""
        asst = self.assistant
        op = self._operate(asst, question)
        if op is not None:
            return op
        reading = self.read(question, asst)
        answer = self._ask(asst, question, reading)
        note = next((n.removeprefix("read as: ") for n in answer.notes if n.startswith("read as: ")), "")
        if reading.act == "pick" and len(reading.targets) == 1:
            note = note or f"picked {reading.targets[0].title!r}"
        self.turns.append(Turn(clean_question(question), reading.act, note or reading.question, answer))
        return answer

    def _operate(self, asst: Assistant, question: str) -> Answer | None:
        """A follow-up read as an operation on the state (qa.chat.operations), answered; None if it is none."""
        if self.topic is None:
            return None
        text = clean_question(question)
        listed = tuple(c.entry for c in self.topic.answer.citations)
        was_list = self.topic.answer.count is not None or self.topic.answer.kind == "clarify"
        op = operations.operate(asst, text, operations.State(listed, self.focus, was_list), self._names(asst))
        if op is None:
            return None
        answer = replace(op.answer, question=text, notes=(f"read as: {op.read_as}",))
        if op.listing or op.focus:  # it becomes what the next follow-up acts on
            self.topic = Topic(op.read_as, Query(op.read_as), self.topic.subject, answer)
            self.shown = {}
        self.focus = op.focus
        self.last = answer
        self.turns.append(Turn(text, op.name, op.read_as, answer))
        return answer

    def _ask(self, asst: Assistant, question: str, reading: Reading) -> Answer:
        if reading.act == "more":
            assert self.topic is not None
            listed = [c.entry for c in self.topic.answer.citations]
            answer = replies.more(asst, question, listed, self.focus, self.shown)
        elif reading.act in ("who", "link"):
            answer = replies.template(question, reading.targets, reading.act)
        elif reading.act == "pick":
            answer = replies.pick(asst, question, reading.targets)
        else:
            query = reading.query or asst.read(reading.question)
            answer = self._answer(asst, reading, query)
            if reading.question != answer.question or reading.act == "follow":
                read_as = reading.question
                if reading.exclude:  # "Who else?": the question is the old one; say what is left out
                    n = len(reading.exclude)
                    read_as += f" (leaving out the {n if n > 1 else 'one'} already given)"
                answer = replace(answer, question=clean_question(question), notes=(f"read as: {read_as}",))
            self._remember(asst, reading, answer, query)
            return answer
        self._remember(asst, reading, answer, None)
        return answer

    def more(self) -> Answer:
        """Further sentences from the last answer's entries (/more)."""
        return self.ask("more")

    # Reading a question --------------------------------------------------------------------------

    def read(self, question: str, asst: Assistant | None = None) -> Reading:
        """Decide, by the rules in the module docstring, how ``question`` relates to the conversation."""
        asst = asst or self.assistant
        text = clean_question(question)
        lead = LEAD.match(text)
        marker = bool(lead and lead.group(0).strip())
        rest = text[lead.end() :] if lead else text
        ordinal = ORDINAL.search(rest)
        names = self._names(asst)
        bare = rest[: ordinal.start()] + rest[ordinal.end() :] if ordinal else rest
        empty = not names.subject(bare) and not names.spans(bare) and not find_period(bare)
        if self.topic is None:
            if empty and (ordinal or MORE.match(bare)):
                raise UsageError("there is nothing to refer back to yet; ask a question first")
            return Reading("new", text)
        targets = self._targets(rest, ordinal)
        picked = ordinal is not None
        if OTHER.search(rest):  # "Who else presented on that?": the subject again, without what was cited
            reading = self._read_follow(asst, rest, marker, None, targets, names)
            if reading is not None:
                return replace(reading, targets=(), exclude=targets, picked=False)
            if targets:  # "Who else?": the last question; "Who else presented in 2022?": this one; both
                return Reading("follow", self.topic.question if empty else text, exclude=targets)  # minus those
        elif empty:
            if MORE.match(bare) and not ordinal:
                return Reading("more", text, targets)
            for act, pattern in (("link", LINK), ("who", WHO)):
                if pattern.search(bare):
                    return Reading(act, text, targets, picked=picked)
            if ordinal or self._refers(bare, names):
                return Reading("pick", text, targets, picked=picked)
        return self._read_follow(asst, rest, marker, ordinal, targets, names) or Reading("new", text)

    def _read_follow(
        self,
        asst: Assistant,
        rest: str,
        marker: bool,
        ordinal: re.Match[str] | None,
        targets: tuple[Entry, ...],
        names: Names,
    ) -> Reading | None:
        """A follow-up question's reading (rule 2), or None when the question stands alone."""
        assert self.topic is not None
        if ordinal or self._refers(rest, names):
            return self._follow_reference(asst, rest, ordinal, targets, names)
        if marker and not WH.match(rest):  # "And in 2022?", "What about Canada?"
            return self._follow(asst, swap_in(rest, self.topic.question, names), ())
        if marker and not names.subject(rest):  # "And what did UNCITRAL say?"
            return self._follow(asst, carry(rest, self.topic.question, self.topic.subject, names), ())
        return None

    def _refers(self, text: str, names: Names) -> bool:
        return reference(text, names) is not None

    def _targets(self, rest: str, ordinal: re.Match[str] | None) -> tuple[Entry, ...]:
        assert self.topic is not None
        listed = tuple(c.entry for c in self.topic.answer.citations)
        if ordinal:
            return (nth(listed, ordinal),)
        if PLURAL.search(rest) or not self.focus:
            return listed
        return self.focus

    def _follow_reference(
        self, asst: Assistant, rest: str, ordinal: re.Match[str] | None, targets: tuple[Entry, ...], names: Names
    ) -> Reading:
        """ "Who adopted it?", "What did the second one say about costs?": the reference gets its subject."""
        assert self.topic is not None
        if ordinal:  # the entry is named: answer from it alone
            return Reading("follow", name_picked(rest, ordinal, targets[0]), targets, picked=True)
        pronoun = reference(rest, names)
        assert pronoun is not None
        rewritten = stand_in(rest, pronoun, self.topic.subject, targets)
        if names.spans(rest) or find_period(rest):
            return self._follow(asst, rewritten, ())  # it names someone or some time anew: not only the referents
        return Reading("follow", rewritten, targets)

    def _follow(self, asst: Assistant, rewritten: str, referents: tuple[Entry, ...]) -> Reading:
        query = asst.read(rewritten)
        return Reading("follow", rewritten, referents, restrict=self._scope(query) is not None, query=query)

    def _scope(self, query: Query) -> Query | None:
        """What a follow-up names anew (institutions, a period), as a Query of filters; None if nothing."""
        before = self.topic.query if self.topic else Query("")
        institutions = tuple(sorted(set(query.institutions) - set(before.institutions)))
        period = query.period
        if period and before.period and (period.start, period.end) == (before.period.start, before.period.end):
            period = None
        return Query(query.text, period=period, institutions=institutions) if institutions or period else None

    # Answering -------------------------------------------------------------------------------------

    def _answer(self, asst: Assistant, reading: Reading, query: Query) -> Answer:
        if reading.act == "new":
            return asst.answer(query, top_k=self.top_k)
        if reading.exclude:
            after_list = self.last is not None and self.last.count is not None
            return replies.excluding(asst, query, reading.exclude, self.top_k, after_list)
        if query.kind in ("list", "count"):
            return asst.answer(query, top_k=self.top_k)
        scope = self._scope(query) if reading.restrict else None
        if scope is not None:
            subject = self._names(asst).subject(reading.question)
            return replies.restricted(asst, query, scope, subject, self.top_k)
        return replies.referring(asst, query, reading.targets, reading.picked, self.top_k)

    def _remember(self, asst: Assistant, reading: Reading, answer: Answer, query: Query | None) -> None:
        self.last = answer
        if query is not None and reading.act in ("new", "follow"):
            subject = self._names(asst).subject(reading.question)
            if reading.act == "follow" and not subject and self.topic:
                subject = self.topic.subject
            self.topic = Topic(reading.question, query, subject, answer)
            listed = answer.count is not None and answer.count != 1
            self.focus = () if listed or not answer.citations else (answer.citations[0].entry,)
            self.shown = {}
        elif reading.picked:
            self.focus = reading.targets
        for s in answer.sentences:
            entry = answer.citations[s.citation - 1].entry
            sentences = replies.sentences(asst, entry)
            if s.text in sentences:
                self.shown.setdefault(entry.id, set()).add(sentences.index(s.text))
