"""A conversation: follow-ups read by the question reader and applied as slot updates on the state.

The state is the last exchange: the :class:`~qa.question.query.Query` it answered and the entries its answer
cited (``listed`` when it listed them), plus the entry in focus (what "it" is). Nothing typed is kept to be
read again. Each line is read once by :func:`qa.question.reader.read`, and :func:`operation` decides, from
the reading and the state, what the line does (one table, :data:`OPERATIONS`):

- **new**: a line that reads as a complete question on its own (its own topic, no reference back);
- **more**: "more", "go on": further sentences of the cited entries;
- **pick**: "the second one", "#3", "the last one": that entry of the last list;
- **attribute**: "who gave it?", "the slides?", "when was that?": the referent's catalogue fields;
- **meeting**: "who else presented that day?": the other entries of the referent's date;
- **series**: "did they come back later?", "what did they present next?", "the earlier one": the presenter's
  next (previous) presentation, near-identical titles first; else a later one by another institution on
  the same subject;
- **others**: "who else?": the last question's answer without what was cited;
- **narrow**: "only 2022 ones", "just the UNCTAD ones", "the Kenyan one": the last list, filtered by the slots;
- **replace**: "and for Canada?", "what about 2022?": the last Query with the slots the line fills replaced
  (and its topic, when it brings one: "and what about payments?");
- **refer**: "what did they say about costs?": the line's own question, answered from the referents.

When a referent cannot be decided (several listed, none picked), the answer asks which one. When there is
nothing to refer to (no question yet, or the last answer cited nothing), it says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from qa.answers.abstain import abstain
from qa.answers.model import Answer
from qa.catalogue.model import Entry
from qa.chat import operations as ops
from qa.chat import replies
from qa.chat.lines import Line, State, read_line
from qa.engine import Assistant, clean_question
from qa.question.reader import Reading


@dataclass(frozen=True)
class Turn:
    """One turn as remembered: what was typed, the operation it was read as, and the answer it got."""

    typed: str
    operation: str
    read_as: str
    answer: Answer


@dataclass
class Conversation:
    """Wraps an assistant (or a function returning the current one) and remembers what was said."""

    source: Assistant | Callable[[], Assistant]
    top_k: int = 5
    state: State | None = None
    last: Answer | None = None  # the last answer shown (/sources, /open N)
    shown: dict[str, set[int]] = field(default_factory=dict)  # entry id -> summary sentences shown
    turns: list[Turn] = field(default_factory=list)  # every turn, for /history

    @property
    def assistant(self) -> Assistant:
        return self.source if isinstance(self.source, Assistant) else self.source()

    @property
    def focus(self) -> tuple[Entry, ...]:
        return self.state.focus if self.state else ()

    def reset(self) -> None:
        """Forget the conversation (/reset)."""
        self.state, self.last, self.shown, self.turns = None, None, {}, []

    def more(self) -> Answer:
        """Further sentences from the last answer's entries (/more)."""
        return self.ask("more")

    def ask(self, question: str) -> Answer:
        """Answer ``question`` in the light of what was said."""
        asst = self.assistant
        text = clean_question(question)
        line = read_line(asst.lexicon, last_sentence(text))
        name = operation(line, self.state)
        done = ops.OPERATIONS[name](asst, text, line, self.state, self)
        answer = done.answer
        if done.read_as and name != "new":
            answer = replace(answer, question=text, notes=(*answer.notes, f"read as: {done.read_as}"))
        self._remember(done, answer)
        self.turns.append(Turn(text, name, done.read_as or text, answer))
        return answer

    def _remember(self, done: ops.Done, answer: Answer) -> None:
        self.last = answer
        cited = tuple(c.entry for c in answer.citations)
        if done.keep_state and self.state is not None:
            focus = done.focus if done.focus else self.state.focus
            self.state = replace(self.state, focus=focus)
        elif not cited and answer.abstained and self.state is not None and done.query is None:
            pass  # an answer from the state that found nothing leaves the state as it was
        else:
            listed = answer.count is not None and answer.count != 1 or answer.kind == "clarify"
            focus = done.focus or (() if listed or not cited else (cited[0],))
            self.state = State(done.query, cited, listed, focus)
            self.shown = {}
        for s in answer.sentences:
            entry = answer.citations[s.citation - 1].entry
            sentences = replies.sentences(self.assistant, entry)
            if s.text in sentences:
                self.shown.setdefault(entry.id, set()).add(sentences.index(s.text))


def last_sentence(text: str) -> str:
    """ "That's helpful. What covered the IDB decision?": the last sentence is what is asked."""
    parts = [p for p in _SENTENCE.split(text) if re.search(r"\w", p)]
    return parts[-1] if len(parts) > 1 else text


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Za-z])")


# Deciding what a line does -------------------------------------------------------------------------


def operation(line: Line, state: State | None) -> str:
    """The first row of :data:`OPERATIONS_TABLE` that holds for the line and the state."""
    return next(name for name, holds in OPERATIONS_TABLE if holds(line, state))


def _refers(line: Line) -> bool:
    return bool(line.reference or line.ordinal or line.attribute or line.more or line.series or line.narrow
                or line.same_meeting or line.other or line.lead or line.descriptor)  # fmt: skip


def _follows(line: Line, state: State | None) -> bool:
    """Reads as a follow-up: it refers back, or it fills slots of the last question and names no topic of its own."""
    if state is None:
        return False
    bare_count = line.reading.how_many and not line.reading.names_slot  # "how many were there?"
    return _refers(line) or (not line.own and (line.reading.names_slot or bare_count))


OPERATIONS_TABLE: tuple[tuple[str, Callable[[Line, State | None], bool]], ...] = (
    ("nothing", lambda ln, st: bool((st is None or not st.cited and st.query is None) and _refers(ln)
     and not ln.own and (not ln.reading.names_slot or ln.narrow or ln.descriptor))),
    ("new", lambda ln, st: not _follows(ln, st) or ln.complete),
    ("more", lambda ln, st: ln.more and not ln.own),
    ("count", lambda ln, st: bool(ln.reading.how_many and not ln.own and not ln.reading.names_slot and st is not None
     and st.listed and st.cited)),
    ("pick", lambda ln, st: ln.ordinal is not None),
    ("meeting", lambda ln, st: ln.same_meeting and not ln.reading.period),
    ("series", lambda ln, st: bool(ln.series and not ln.reading.period and not ln.own)),
    ("presenter", lambda ln, st: bool((ln.other or ln.later) and not ln.own
     and (ln.reading.institutions or ln.presenter_ref) and not ln.reading.types)),
    ("attribute", lambda ln, st: ln.attribute is not None and not ln.own and (not ln.other or ln.presenter_ref)
     and not ln.narrow and (not ln.reading.types or ln.presenter_ref)
     and not (ln.reading.period or ln.reading.institutions or ln.reading.categories or ln.reading.economies)),
    ("others", lambda ln, st: ln.other),
    ("narrow", lambda ln, st: bool(st is not None and st.listed and (len(st.cited) > 1 or ln.narrow and st.cited)
     and (ln.narrow or ln.descriptor) and (ln.reading.names_slot or ln.own or ln.order is not None))),
    ("replace", lambda ln, st: bool(st is not None and st.query is not None
     and (ln.reading.names_slot or ln.lead and ln.own))),
    ("describe", lambda ln, st: bool(ln.reference) and not ln.own),
    ("refer", lambda ln, st: bool(ln.reference)),
    ("new", lambda ln, st: True),
)  # fmt: skip


__all__ = ["Conversation", "Reading", "State", "Turn", "abstain", "operation"]
