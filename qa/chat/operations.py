"""Follow-ups read as operations on what the conversation cited, each a small function over the state.

The state is the last answer's cited entries (``listed``: every entry a list cited) and the entry in
focus (what "it" is). An operation answers from catalogue fields and sentences only:

- **same meeting** ("Who else presented that day?"): the other entries of the referent's date;
- **same presenter** ("What else did they present?", "Did they come back later?"): the referent's
  institution's other entries (the later ones, for "later");
- **series** ("And the next update?", "the earlier one", "the follow-up presentation"): the next or
  previous entry by the same presenter with a near-identical title, else by the same presenter in date
  order;
- **filter / pick from the last list** ("Which of those was in 2022?", "the November one", "the one by
  Visa", "only the members", "the Kenyan one", "the later one"): a :class:`~qa.catalogue.filters.Filter`
  built from the follow-up's reading (period, institutions, institution types, economies, a month, a
  topic) applied to the listed entries;
- **attribute** ("got a link to the slides?", "is that presenter an IO?"): the referent's fields.

Each returns an :class:`Op` (the answer, how the line was read, and the new focus) or None when the line
is not that operation. A referent that cannot be decided (several listed, none picked) gets a question
back: "Which one do you mean: 1) ... 2) ...".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date
from qa.catalogue.filters import Filter
from qa.catalogue.model import Entry
from qa.chat import replies
from qa.chat.followups import LINK, OTHER, WHO, Names
from qa.engine import Assistant
from qa.question.intent import find_types
from qa.question.periods import find_period
from qa.question.places import economies_in
from qa.question.query import read_query
from qa.question.text import content_tokens


@dataclass(frozen=True)
class State:
    """What a follow-up can act on: the last list (or answer) and the entry in focus."""

    listed: tuple[Entry, ...]
    focus: tuple[Entry, ...]
    was_list: bool  # the last answer listed entries (a list or count answer)


@dataclass(frozen=True)
class Op:
    name: str
    answer: Answer
    read_as: str
    focus: tuple[Entry, ...] = ()
    listing: bool = False  # the answer lists entries: it becomes the last list


_REF = r"(?:that|this|the same|those|these)"
SAME_MEETING = re.compile(
    rf"\b{_REF}\s+(?:same\s+)?(?:day|date|meeting|session|sitting)\b|\bsame\s+(?:day|date|meeting|session)\b"
    r"|\bon\s+the\s+same\s+date\b|\balongside\b",
    re.I,
)
SAME_PRESENTER = re.compile(
    r"\b(?:what|which|anything|any)\s+(?:else|other)\b|\bother\s+(?:presentations?|talks?|topics?|subjects?)\b"
    r"|\b(?:come|came|coming)\s+back\b|\breturn(?:ed)?\b|\b(?:present|presented|speak|spoke)\s+again\b"
    r"|\banything\s+(?:else|later)\b",
    re.I,
)
PRESENTER_REF = re.compile(
    r"\b(?:they|them|their|he|she|his|her)\b|\b(?:that|this|the same)\s+(?:organi[sz]ation|institution|presenter|"
    r"speaker|body|agency|mission|member|government)\b",
    re.I,
)
SERIES = re.compile(
    r"\b(?:next|previous|earlier|prior|preceding|follow-?up|following up|subsequent|updated?\s+later|"
    r"(?:second|third)\s+time|later\s+(?:one|update|presentation|talk)|(?:before|after)\s+(?:that|it|this|them))\b",
    re.I,
)
BACKWARD = re.compile(r"\b(?:previous|earlier|prior|preceding|before|following up on|followed up)\b", re.I)
LIST_REF = re.compile(
    r"\b(?:of|among|from)\s+(?:those|these|them|the list)\b|\bwhich\s+(?:one|ones|of)\b|\bthe\s+(?:\w+[\s-]+){0,3}"
    r"ones?\b|^\s*(?:(?:and|but|so|ok(?:ay)?)\s+)?(?:only|just)\b|\bwhich\s+(?:were|was)\s+(?:by|from|in)\b",
    re.I,
)
BY_DATE = re.compile(
    r"\b(?P<late>later|latest|more recent|most recent|newer|newest)\b|\b(?P<early>earlier|earliest|older|oldest)\b",
    re.I,
)
TYPE_ASK = re.compile(r"\b(?:an?\s+)?(?:IO|international organi[sz]ation|secretariat)\b.*\bor\b|\bwhat\s+(?:kind|"
                      r"type)\s+of\s+(?:organi[sz]ation|institution|presenter|body)\b", re.I)
MONTHS = {m: i + 1 for i, m in enumerate("january february march april may june july august september october "
                                           "november december".split())}
MONTH = re.compile(rf"\b({'|'.join(MONTHS)})\b", re.I)
SERIES_TITLE = 0.2  # share of title words (stemmed) two entries of one series have in common, at least
_FILLER = {"got", "get", "have", "has", "there", "anything", "something", "speaker", "io", "member", "kind",
           "type", "exactly", "actually", "sort", "presenter", "organisation", "organization", "with", "whole"}


def operate(asst: Assistant, text: str, state: State, names: Names) -> Op | None:
    """The first operation the line reads as, or None (then the older rules read it)."""
    ops: tuple[Callable[[Assistant, str, State, Names], Op | None], ...] = (
        same_meeting, series, same_presenter, filter_list, attribute)
    for op in ops:
        found = op(asst, text, state, names)
        if found is not None:
            return found
    return None


# The operations -----------------------------------------------------------------------------------


def same_meeting(asst: Assistant, text: str, state: State, names: Names) -> Op | None:
    """ "Who else presented that day?": the other entries given on the referent's date."""
    if not SAME_MEETING.search(text) or find_period(text):
        return None
    dates = {e.date for e in (state.focus or state.listed)}
    if len(dates) != 1:
        return _clarify(text, state.listed, "same_meeting")
    day = dates.pop()
    named = _named_institutions(asst, text)
    skip = {e.id for e in (state.focus or state.listed)} | {e.id for e in state.listed if e.institution in named}
    rest = [e for e in asst.retriever.entries if e.date == day and e.id not in skip]
    when = format_date(day)
    return Op("same_meeting", listing_answer(text, rest, f"other presentations on {when}"),
              f"the other presentations given on {when}", listing=True)


def same_presenter(asst: Assistant, text: str, state: State, names: Names) -> Op | None:
    """ "What else did they present?", "Did they come back later?": the presenter's other entries."""
    if not SAME_PRESENTER.search(text) or re.match(r"\s*who\b", text, re.I) or find_period(text):
        return None
    named = _named_institutions(asst, text)
    if not named and not PRESENTER_REF.search(text):
        return None
    ref = _single(state) if not named else None
    if not named and ref is None:
        return _clarify(text, state.listed, "same_presenter")
    institutions = set(named) if named else {ref.institution} if ref else set()
    seen = {e.id for e in (state.focus or state.listed)}
    rest = [e for e in asst.retriever.entries if e.institution in institutions and e.id not in seen]
    who = " and ".join(sorted(institutions))
    if re.search(r"\b(?:later|come back|came back|return)", text, re.I) and ref is not None:
        rest = [e for e in rest if e.date > ref.date]
        return Op("same_presenter", listing_answer(text, rest, f"later presentations by {who}"),
                  f"the later presentations by {who}", _one(rest), listing=len(rest) != 1)
    return Op("same_presenter", listing_answer(text, rest, f"other presentations by {who}"),
              f"the other presentations by {who}", _one(rest), listing=len(rest) != 1)


def series(asst: Assistant, text: str, state: State, names: Names) -> Op | None:
    """ "And the next update?", "the earlier one": next or previous in the referent's series."""
    if not SERIES.search(text) or find_period(text):
        return None
    if state.was_list and len(state.listed) > 1 and not state.focus:
        return None  # "the earlier one" after a list picks from the list
    ref = _single(state)
    if ref is None:
        return _clarify(text, state.listed, "series")
    backward = bool(BACKWARD.search(text))
    nth = 2 if re.search(r"\bsecond time\b", text, re.I) else 3 if re.search(r"\bthird time\b", text, re.I) else 1
    found = in_series(asst.retriever.entries, ref, backward)
    word = "previous" if backward else "next"
    if len(found) < nth:
        return Op("series", listing_answer(text, [], f"{word} presentations by {ref.institution}"),
                  f"the {word} presentation by {ref.institution} after {ref.title!r}", listing=True)
    entry = found[nth - 1]
    read = f"the {word} presentation by {ref.institution} {'before' if backward else 'after'} {ref.title!r}"
    return Op("series", about_entry(asst, text, entry, names), read, (entry,))


def filter_list(asst: Assistant, text: str, state: State, names: Names) -> Op | None:
    """ "Which of those was in 2022?", "the one by Visa", "only the members", "the Kenyan one"."""
    if not state.was_list or len(state.listed) < 2 or not LIST_REF.search(text):
        return None
    kept, said = list_filter(asst, text, state.listed)
    if kept is None:
        return None
    if len(kept) > 1 and (m := BY_DATE.search(text)):
        kept = [max(kept, key=lambda e: e.date) if m.group("late") else min(kept, key=lambda e: e.date)]
        said.append("the later one" if m.group("late") else "the earlier one")
    kept = _by_topic(asst, text, kept, said, names)
    read = "those of the last list " + (", ".join(said) or "asked for")
    if len(kept) == 1:
        return Op("filter_list", about_entry(asst, text, kept[0], names), read, (kept[0],))
    return Op("filter_list", listing_answer(text, kept, "of those " + ", ".join(said)), read, listing=True)


def attribute(asst: Assistant, text: str, state: State, names: Names) -> Op | None:
    """ "got a link to the slides?", "is that presenter an IO, a member or something else?"."""
    if not (LINK.search(text) or WHO.search(text) or TYPE_ASK.search(text)) or find_period(text):
        return None
    if OTHER.search(text) and not TYPE_ASK.search(text):  # "Who else presented on that?": the rest
        return None
    if names.spans(text) or set(content_tokens(names.subject(text))) - _FILLER:
        return None
    ref = _single(state)
    if ref is None:
        if len(state.listed) > 1 and re.search(r"\b(?:it|that|this|she|he|the speaker|the presenter)\b", text, re.I):
            return _clarify(text, state.listed, "attribute")
        return None
    act = "link" if LINK.search(text) else "who"
    what = "the link" if act == "link" else "presenter and date"
    return Op("attribute", replies.template(text, (ref,), act), f"{what} of {ref.title!r}", (ref,))


# Helpers -------------------------------------------------------------------------------------------


def in_series(entries: list[Entry] | tuple[Entry, ...], ref: Entry, backward: bool) -> list[Entry]:
    """The same presenter's entries after (before) ``ref``, nearest first; near-identical titles first."""
    side = [e for e in entries if e.institution == ref.institution and e.id != ref.id
            and (e.date < ref.date if backward else e.date > ref.date)]
    side.sort(key=lambda e: abs((e.date - ref.date).days))
    similar = [e for e in side if title_similarity(e.title, ref.title) >= SERIES_TITLE]
    return similar + [e for e in side if e not in similar] if similar else side


def title_similarity(a: str, b: str) -> float:
    ta, tb = set(content_tokens(a)), set(content_tokens(b))
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def list_filter(asst: Assistant, text: str, listed: tuple[Entry, ...]) -> tuple[list[Entry] | None, list[str]]:
    """The listed entries the line's filters keep, and the filters in words; None if it names none."""
    query = read_query(text, asst.lexicon)  # only its filters are needed: no encoding
    period = query.period
    institutions = tuple(i for i in query.institutions if any(e.institution == i for e in listed))
    types = tuple(find_types(text))
    said = []
    if period:
        said.append(f"in {period.text}")
    if institutions:
        said.append("by " + " and ".join(institutions))
    if types:
        said.append("by type " + " or ".join(types))
    kept = Filter(period.start if period else None, period.end if period else None,
                  institutions or None, types).apply(listed)
    month = MONTH.search(text) if not period else None
    if month:
        kept = [e for e in kept if e.date.month == MONTHS[month.group(1).lower()]]
        said.append(f"in {month.group(1)}")
    places = economies_in(text)
    if places and not institutions:
        named = [e for e in kept if places & economies_in(f"{e.institution} {e.title}")]
        kept = named or [e for e in kept if places & economies_in(e.summary)]  # else a case study it tells
        said.append("from " + " and ".join(sorted(places)))
    if not said:
        return (list(listed) if BY_DATE.search(text) else None), said
    return kept, said


def _by_topic(asst: Assistant, text: str, kept: list[Entry], said: list[str], names: Names) -> list[Entry]:
    """ "which one was about finance": among several kept, the one best about the words after about/on."""
    m = re.search(r"\b(?:about|on|concerning|regarding)\s+(?P<t>[^?.,;]+)", text, re.I)
    if len(kept) < 2 or not m:
        return kept
    topic = names.subject(m.group("t"))
    if not topic:
        return kept
    index = asst.retriever.index_of
    ranked = asst.retrieve(asst.read(topic), top_k=1, candidates=[index[e.id] for e in kept if e.id in index])
    said.append(f"about {topic}")
    return [ranked[0].entry] if ranked else kept


def about_entry(asst: Assistant, text: str, entry: Entry, names: Names) -> Answer:
    """An answer about one entry: its fields for who/when/link, its sentences on the asked subject, else its opening."""
    if LINK.search(text) and not names.subject(text):
        return replies.template(text, (entry,), "link")
    if WHO.search(text) and not set(content_tokens(names.subject(text))) - _FILLER:
        return replies.template(text, (entry,), "who")
    subject = names.subject(re.sub(rf"{SERIES.pattern}|{LIST_REF.pattern}", " ", text, flags=re.I))
    if subject and (i := asst.retriever.index_of.get(entry.id)) is not None:
        query = asst.read(f"{subject}")
        ranked = asst.retrieve(query, top_k=1, candidates=[i])
        if ranked:
            return replace_question(asst.compose(query, ranked), text)
    return replies.pick(asst, text, (entry,))


def replace_question(answer: Answer, text: str) -> Answer:
    return replace(answer, question=text)


def listing_answer(question: str, entries: list[Entry], what: str) -> Answer:
    """A list answer in the list shape: count, every entry cited in date order."""
    entries = sorted(entries, key=lambda e: e.date)
    citations = tuple(Citation(i + 1, e) for i, e in enumerate(entries))
    if not entries:
        return Answer(question, f"The catalogue has no {what}.", count=0, kind="list")
    lines = [f"The catalogue has {len(entries)} {what}:"]
    lines += [f"[{c.n}] {format_date(c.entry.date)}: {c.entry.title} ({c.entry.institution})"
              for c in citations]
    return Answer(question, "\n".join(lines), count=len(entries), citations=citations, kind="list")


def _clarify(text: str, listed: tuple[Entry, ...], name: str) -> Op | None:
    """Several entries could be meant: ask which, listing them (a pick answers next)."""
    if len(listed) < 2:
        return None
    options = " ".join(f"{n}) {e.title} ({e.institution}, {format_date(e.date)})"
                       for n, e in enumerate(listed[:9], 1))
    answer = Answer(text, f"Which one do you mean: {options}? Say \"the second one\" or name it.",
                    citations=tuple(Citation(n, e) for n, e in enumerate(listed, 1)), kind="clarify")
    return Op(name, answer, "unresolved: which presentation is meant", listing=True)


def _single(state: State) -> Entry | None:
    if state.focus:
        return state.focus[0] if len(state.focus) == 1 else None
    return state.listed[0] if len(state.listed) == 1 else None


def _one(entries: list[Entry]) -> tuple[Entry, ...]:
    return (entries[0],) if len(entries) == 1 else ()


def _named_institutions(asst: Assistant, text: str) -> tuple[str, ...]:
    from qa.question.intent import find_institutions

    return tuple(find_institutions(text, asst.lexicon.aliases))
