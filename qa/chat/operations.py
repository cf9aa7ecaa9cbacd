"""Follow-ups: a line read once (:func:`read_line`), and the operations it can be, each a small function over
the conversation's state (:mod:`qa.chat.conversation` decides which). Every answer is catalogue text or
catalogue fields; the words that signal a follow-up are those of :mod:`qa.question.vocabulary`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from qa.answers.abstain import abstain
from qa.answers.lists import others
from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date
from qa.catalogue.filters import Filter
from qa.catalogue.model import Entry
from qa.chat import replies
from qa.chat.lines import _SINGULAR, SERIES_TITLE, Line, State, updated
from qa.engine import Assistant
from qa.errors import UsageError
from qa.question.glossary import expansions
from qa.question.phrasing import TYPE_WORDS, as_question, join
from qa.question.places import economies_in
from qa.question.query import Query
from qa.question.text import content_tokens

# What an operation returns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Done:
    answer: Answer
    read_as: str
    query: Query | None = None  # the Query answered, when there is one: what the next follow-up updates
    focus: tuple[Entry, ...] = ()
    keep_state: bool = False  # an answer about the state's entries: the state stays, with a new focus


Operation = Callable[[Assistant, str, Line, "State | None", Any], Done]  # the last: the Conversation


def _referents(state: State | None) -> tuple[Entry, ...]:
    if state is None:
        return ()
    return state.focus or state.cited


def _single(state: State | None) -> Entry | None:
    refs = _referents(state)
    return refs[0] if len(refs) == 1 else None


def nothing(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    said = ("The last answer cited nothing, so there is nothing to refer to; ask a question."
            if state is not None else "There is nothing to refer to yet: ask a question first.")  # fmt: skip
    return Done(replace(abstain(text), text=said), "", keep_state=True)


def new(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    answer = asst.answer(text, top_k=conv.top_k)
    query = answer.trace.query if answer.trace is not None else None
    return Done(answer, "", query)


def more(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    cited = list(state.cited) if state else []
    answer = replies.more(asst, text, cited, state.focus if state else (), conv.shown)
    return Done(answer, _naming(text, cited), keep_state=True)


def pick(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    listed = state.cited if state else ()
    if not listed:
        raise UsageError("the last answer cited nothing to pick from; ask another question")
    n = line.ordinal if line.ordinal != -1 else len(listed)
    assert n is not None
    if not 1 <= n <= len(listed):
        if len(listed) == 1:
            raise UsageError("the last answer has only 1 source; pick number 1")
        raise UsageError(f"the last answer has {len(listed)} sources; pick a number from 1 to {len(listed)}")
    entry = listed[n - 1]
    return Done(about_entry(asst, text, line, entry), _naming(text, [entry]), focus=(entry,), keep_state=True)


def attribute(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    refs = _referents(state)
    singular = line.reference in _SINGULAR
    if len(refs) > 1 and state is not None and not state.listed:
        refs = refs[:1]  # a fact answer: "it" is its first source
    if len(refs) > 1 and singular:
        return _clarify(text, refs)  # "who gave it?" after a list: which one?
    act = line.attribute or "who"
    return Done(
        replies.template(text, refs, act), _naming(text, refs), focus=refs if len(refs) == 1 else (), keep_state=True
    )


def meeting(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    refs = _referents(state)
    days = {e.date for e in refs}
    if len(days) != 1:
        return _clarify(text, refs)
    day = days.pop()
    named = set(line.reading.institutions)
    skip = {e.id for e in refs} | {e.id for e in (state.cited if state else ()) if e.institution in named}
    rest = [e for e in asst.retriever.entries if e.date == day and e.id not in skip]
    when = format_date(day)
    return Done(
        listing_answer(text, rest, f"other presentations on {when}"), f"Which other presentations were given on {when}?"
    )


def series(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    if state is not None and state.listed and len(state.cited) > 1 and not state.focus and line.descriptor:
        return narrow(asst, text, replace(line, order="latest" if line.series == "next" else "earliest"), state, conv)
    named = line.reading.institutions
    ref = _single(state)
    if ref is None and not named:
        return _clarify(text, _referents(state))
    entries = asst.retriever.entries
    if named and ref is None:
        rest = [e for e in entries if e.institution in named]
        return Done(
            listing_answer(text, rest, f"presentations by {' and '.join(named)}"),
            f"Which presentations did {' and '.join(named)} give?",
        )
    assert ref is not None
    backward = line.series == "previous"
    found = [e for e in in_series(entries, ref, backward) if title_similarity(e.title, ref.title) >= SERIES_TITLE]
    if not found and not backward:
        found = same_subject_later(asst, ref)
    if not found:
        found = in_series(entries, ref, backward)
    word = "previous" if backward else "next"
    if not found:
        answer = listing_answer(text, [], f"{word} presentations by {ref.institution} or on its subject")
        answer = replace(answer, abstained=True, count=None, kind="abstain")
        return Done(
            answer, f"Which presentation came {'before' if backward else 'after'} {ref.title}?", keep_state=True
        )
    entry = found[0]
    read = f"Which presentation came {'before' if backward else 'after'} {ref.title}?"
    return Done(about_entry(asst, text, line, entry), read, focus=(entry,))


def presenter(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    """ "What else has UNCTAD presented?", "What other presentations has that organisation given?": the
    presenter's other entries (only the later ones for "later")."""
    named = tuple(line.reading.institutions)
    refs = _referents(state)
    if not named:
        institutions = {e.institution for e in refs}
        if len(institutions) != 1:
            return _clarify(text, refs)
        named = tuple(institutions)
    seen = {e.id for e in refs}
    rest = [e for e in asst.retriever.entries if e.institution in named and e.id not in seen]
    if line.later and refs:
        rest = [e for e in rest if e.date > max(e.date for e in refs)]
    who = " and ".join(named)
    word = "later" if line.later else "other"
    return Done(
        listing_answer(text, rest, f"{word} presentations by {who}"), f"Which {word} presentations did {who} give?"
    )


def others_(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    """ "Who else?": the last question's answer without what it cited."""
    if state is None or state.query is None:
        return nothing(asst, text, line, state, conv)
    exclude = {e.id for e in state.cited}
    query = state.query
    if line.own or line.reading.names_slot:  # "who else talked about innovation?": the line's own question
        query = asst.read(text)
    if state.listed or query.kind in ("list", "count"):
        listed = asst.answer(query, top_k=conv.top_k)
        rest = [c.entry for c in listed.citations if c.entry.id not in exclude]
        return Done(
            others(query, rest, question=text), f"{as_question(query)} (leaving out those already given)", query
        )
    positions = [i for i, e in enumerate(asst.retriever.entries) if e.id not in exclude]
    answer = asst.answer_fact(query, top_k=conv.top_k, candidates=positions)
    n = len(exclude)
    return Done(answer, f"{as_question(query)} (leaving out the {n if n > 1 else 'one'} already given)", query)


def narrow(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    """ "only 2022 ones", "just the UNCTAD ones", "the Kenyan one", "the later one": the last list, filtered."""
    listed = state.cited if state else ()
    r = line.reading
    said: list[str] = []
    kept = list(listed)
    if r.period:
        p = r.period
        kept = Filter(p.start, p.end, months=(p.month,) if p.month else ()).apply(kept)
        said.append(_period_words(p))
    institutions = tuple(i for i in r.institutions if any(e.institution == i for e in listed))
    if institutions:
        kept = [e for e in kept if e.institution in institutions]
        said.append("by " + " and ".join(institutions))
    if r.types:
        kept = [e for e in kept if e.institution_type in r.types]
        said.append("by " + join([TYPE_WORDS[t] for t in r.types]))
    if r.categories:
        kept = Filter(categories=tuple(r.categories)).apply(kept)
        said.append("in " + " and ".join(r.categories))
    places = set(r.economies)
    if places and not institutions:
        named = [e for e in kept if places & economies_in(f"{e.institution} {e.title}")]
        kept = named or [e for e in kept if places & economies_in(e.summary)]
        said.append("from " + " and ".join(sorted(places)))
    if len(kept) > 1 and line.order:
        kept = [max(kept, key=lambda e: e.date) if line.order == "latest" else min(kept, key=lambda e: e.date)]
        said.append("the later one" if line.order == "latest" else "the earlier one")
    if len(kept) > 1 and line.own:
        kept = _by_topic(asst, line, kept, said)
    read = f"Which of those were {', '.join(said)}?" if said else "Which of those?"
    if not kept and not line.narrow and state is not None and state.query is not None:
        return replace_slots(asst, text, line, state, conv)  # "what about the 13 October one?": not of those
    if not kept:
        answer = replace(listing_answer(text, [], "presentations of those " + ", ".join(said)), abstained=True,
                         count=None, kind="abstain")  # fmt: skip
        return Done(answer, read, keep_state=True)
    if len(kept) == 1:
        return Done(about_entry(asst, text, line, kept[0]), read, focus=(kept[0],), keep_state=True)
    return Done(listing_answer(text, kept, "of those " + ", ".join(said)), read, state.query if state else None)


def replace_slots(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    """ "and for Canada?", "what about 2022?", "and what about payments?": the last Query, slots replaced."""
    assert state is not None and state.query is not None
    query = updated(asst, state.query, line)
    named = line.reading.institutions
    if named and query.route in ("fact", "search") and state.query.topic_content:
        # "And what did WIPO say?": from the named party's entries, one of them about the subject
        positions = [i for i, e in enumerate(asst.retriever.entries) if e.institution in named]
        ranked = asst.retrieve(query, top_k=conv.top_k, candidates=positions)
        subject = state.query.topic or " ".join(state.query.topic_content)
        if not ranked or not _about(asst, state.query.topic_content, ranked[0]):
            who = " or ".join(named)
            said = f"Nothing in the catalogue answers that: no presentation by {who} is about {subject}."
            return Done(replace(abstain(text), text=said), as_question(query), query)
        return Done(asst.compose(query, ranked), as_question(query), query)
    answer = asst.answer(query, top_k=conv.top_k)
    return Done(answer, as_question(query), query)


def _about(asst: Assistant, words: tuple[str, ...], best: Any) -> bool:
    """Whether a restricted follow-up's entry is about the carried subject (its words, or its meaning)."""
    from qa.answers.facts import coverage

    if best.dense >= asst.settings.subject_dense:
        return True
    return coverage(list(words), best, asst.retriever) >= asst.settings.subject_coverage


def count(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    """ "How many were there?": the last list, counted."""
    listed = list(state.cited) if state else []
    answer = replace(listing_answer(text, listed, "of those"), kind="count")
    return Done(answer, _naming(text, listed), state.query if state else None)


def describe(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    """ "What was it about?", "what were they about?": the opening sentences of the entries referred to."""
    refs = _referents(state)
    if not refs:
        return nothing(asst, text, line, state, conv)
    return Done(replies.pick(asst, text, refs), _naming(text, refs), keep_state=True)


def refer(asst: Assistant, text: str, line: Line, state: State | None, conv: Any) -> Done:
    """ "What did they say about costs?", "Has it been adopted anywhere?": the line's own words and the last
    topic, answered from the entries referred to (only from them after a list)."""
    refs = _referents(state)
    if not refs or state is None:
        return nothing(asst, text, line, state, conv)
    query = asst.read(text)
    prev = state.query
    if prev is not None and prev.topic_content:
        words = tuple(dict.fromkeys((*query.content, *prev.topic_content)))
        search = f"{prev.topic} {line.reading.topic}".strip()
        query = replace(query, content=words, expansions=tuple(expansions(list(words))), frame=None, route="fact",
                        kind="fact").with_vector(asst.retriever.query_vector(search))  # fmt: skip
    index = asst.retriever.index_of
    ranked = asst.retrieve(query, top_k=conv.top_k, candidates=[index[e.id] for e in refs if e.id in index])
    from qa.answers.facts import coverage

    if ranked and (len(refs) == 1 or coverage(list(line.own), ranked[0], asst.retriever) > 0):
        answer = replace(asst.compose(query, ranked), question=text)  # the entries pointed at hold the words
    else:
        answer = replies.referring(asst, query, refs, state.listed, conv.top_k)
    return Done(answer, _naming(text, refs), query)


OPERATIONS: dict[str, Operation] = {
    "nothing": nothing, "new": new, "more": more, "pick": pick, "attribute": attribute, "meeting": meeting,
    "series": series, "presenter": presenter, "others": others_, "narrow": narrow, "replace": replace_slots,
    "describe": describe, "refer": refer, "count": count,
}  # fmt: skip


def _naming(text: str, entries: Sequence[Entry]) -> str:
    """The follow-up as typed, naming what it refers to: "Where are the slides for the second one? (Strengthening
    MSME Cyber Security)", "How many were there? (of the 4 presentations listed)"."""
    said = text.strip()
    if len(entries) == 1:
        return f"{said} ({entries[0].title})"
    return f"{said} (of the {len(entries)} presentations listed)" if entries else said


# Helpers -------------------------------------------------------------------------------------------------


def about_entry(asst: Assistant, text: str, line: Line, entry: Entry) -> Answer:
    """One entry: its fields for who/when/link, its sentences on the line's own words, else its opening."""
    if line.attribute and not line.own:
        return replies.template(text, (entry,), line.attribute)
    if line.own and (i := asst.retriever.index_of.get(entry.id)) is not None:
        query = asst.read(line.reading.topic or text)
        ranked = asst.retrieve(query, top_k=1, candidates=[i])
        if ranked:
            return replace(asst.compose(query, ranked), question=text)
    return replies.pick(asst, text, (entry,))


def _by_topic(asst: Assistant, line: Line, kept: list[Entry], said: list[str]) -> list[Entry]:
    """ "which one was about finance": among several kept, the one best about the line's own words."""
    index = asst.retriever.index_of
    ranked = asst.retrieve(
        asst.read(line.reading.topic), top_k=1, candidates=[index[e.id] for e in kept if e.id in index]
    )
    said.append(f"about {line.reading.topic}")
    return [ranked[0].entry] if ranked else kept


def in_series(entries: list[Entry] | tuple[Entry, ...], ref: Entry, backward: bool) -> list[Entry]:
    """The same presenter's entries after (before) ``ref``, nearest first; near-identical titles first."""
    side = [e for e in entries if e.institution == ref.institution and e.id != ref.id
            and (e.date < ref.date if backward else e.date > ref.date)]  # fmt: skip
    side.sort(key=lambda e: abs((e.date - ref.date).days))
    similar = [e for e in side if title_similarity(e.title, ref.title) >= SERIES_TITLE]
    return similar + [e for e in side if e not in similar] if similar else side


def same_subject_later(asst: Assistant, ref: Entry) -> list[Entry]:
    """A later presentation by another institution on the same subject (the coverage decision on the title)."""
    from qa.answers.relevance import judge

    later = [i for i, e in enumerate(asst.retriever.entries) if e.date > ref.date]
    if not later:
        return []
    cov = judge(asst.read(ref.title), asst.retriever, asst.settings, later)
    return sorted(cov.about_entries(), key=lambda e: e.date)[:1]


def title_similarity(a: str, b: str) -> float:
    ta, tb = set(content_tokens(a)), set(content_tokens(b))
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def listing_answer(question: str, entries: list[Entry], what: str) -> Answer:
    """A list answer in the list shape: count, every entry cited in date order."""
    entries = sorted(entries, key=lambda e: e.date)
    citations = tuple(Citation(i + 1, e) for i, e in enumerate(entries))
    if not entries:
        return Answer(question, f"The catalogue has no {what}.", count=0, kind="list")
    lines = [f"The catalogue has {len(entries)} {what}:"]
    lines += [f"[{c.n}] {format_date(c.entry.date)}: {c.entry.title} ({c.entry.institution})" for c in citations]
    return Answer(question, "\n".join(lines), count=len(entries), citations=citations, kind="list")


def _clarify(text: str, listed: tuple[Entry, ...]) -> Done:
    """Several entries could be meant: ask which, listing them (a pick answers next)."""
    if not listed:
        return Done(replace(abstain(text), text="There is nothing to refer to: ask a question first."), "")
    options = " ".join(f"{n}) {e.title} ({e.institution}, {format_date(e.date)})" for n, e in enumerate(listed[:9], 1))
    answer = Answer(text, f"Which one do you mean: {options}? Say \"the second one\" or name it.",
                    citations=tuple(Citation(n, e) for n, e in enumerate(listed, 1)), kind="clarify")  # fmt: skip
    return Done(answer, "", keep_state=True)


def _period_words(p: Any) -> str:
    from qa.question.phrasing import period_words

    return period_words(p)
