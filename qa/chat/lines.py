"""A follow-up line read once (:func:`read_line`): the question reader's slots, and the cues that make it a
follow-up (references, ordinals, attributes, series, narrowing), with the vocabulary's words. The conversation's
state (:class:`State`) is what those cues refer to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from qa.catalogue.model import Entry
from qa.question import reader
from qa.question import vocabulary as v
from qa.question.glossary import expansions
from qa.question.grounding import topic_asked, unused_words
from qa.question.query import Lexicon, Query
from qa.question.reader import Reading
from qa.question.roles import presenter_phrase
from qa.question.text import content_tokens, tokens

if TYPE_CHECKING:
    from qa.engine import Assistant


@dataclass(frozen=True)
class State:
    """What a follow-up acts on: the last Query answered, what its answer cited, and the entry in focus."""

    query: Query | None
    cited: tuple[Entry, ...]
    listed: bool  # the answer listed entries (a list, a count, a question back)
    focus: tuple[Entry, ...] = ()


_SINGULAR = frozenset(v.SINGULAR_REFERENCES.split())
SERIES_TITLE = 0.2  # share of title words (stemmed) two entries of one series have in common, at least
_PICK_NOUNS = frozenset(v.PICK_NOUNS.split())
_NUMBER_WORDS = frozenset(v.NUMBER_NOUNS.split())


@dataclass(frozen=True)
class Line:
    """A line of the conversation as read: the reading, and the follow-up cues it holds."""

    text: str
    reading: Reading
    own: tuple[str, ...]  # content words of its own (a topic), without the follow-up cues
    complete: bool  # reads as a complete question on its own
    reference: str | None = None  # "it", "they", "that talk", ...
    plural: bool = False  # "they", "them", "those": every entry referred to
    ordinal: int | None = None  # "the second one" -> 2; "the last one" -> -1
    attribute: str | None = None  # "link" or "who"
    more: bool = False
    series: str | None = None  # "next" or "previous"
    later: bool = False  # "did they come back later?": every later presentation
    same_meeting: bool = False
    other: bool = False  # "who else?"
    narrow: bool = False  # "only ...", "just ...", "which of those ..."
    lead: bool = False  # "and ...", "what about ...", "same for ..."
    descriptor: bool = False  # "the Kenyan one", "the 2022 ones"
    presenter_ref: bool = False  # "they", "that organisation": the presenter referred to
    order: str | None = None  # "the later one" / "the earlier one"


def _cue_words() -> frozenset[str]:
    words = " ".join(
        [
            v.REFERENCES,
            v.MORE_WORDS,
            v.SERIES_NEXT.replace("|", " "),
            v.SERIES_PREVIOUS.replace("|", " "),
            v.OTHER_WORDS,
            v.NARROW_WORDS,
            v.FOLLOW_LEADS,
            *v.ATTRIBUTES.values(),
            *v.ORDINALS,
            "got get one ones anything something please tell",
        ]
    )
    return v.stems(words)


def read_line(lexicon: Lexicon, text: str) -> Line:
    """Read a line with the question reader, then find its follow-up cues (vocabulary's tables)."""
    r = reader.read(text, lexicon.aliases, lexicon.categories, follow_up=True, known=lexicon.vocabulary)
    ts = r.toks
    lows = [t.low for t in ts]
    joined = " " + " ".join(lows) + " "
    cues = _cue_words()
    # Words no entry uses standing apart from the question ("... from 2021 pls") are no topic to narrow by;
    # asked as one ("any on mining?") they are, and find nothing (qa.question.grounding).
    stray = not topic_asked(r.toks, r.topic)
    ungrounded = set(tokens(" ".join(unused_words(r.topic, lexicon.vocabulary)))) if stray else set()
    own = tuple(t for t in content_tokens(r.topic) if t not in cues and not t.isdigit() and t not in ungrounded)
    # The lead: "and", "what about", "same for" ... (vocabulary.FOLLOW_LEADS, longest first)
    leads = sorted((p.split() for p in v.alternatives(v.FOLLOW_LEADS)), key=len, reverse=True)
    k = 0
    while (step := next((len(p) for p in leads if lows[k : k + len(p)] == p), 0)) > 0:
        k += step
    # A preface ended by a colon ("separate question: when did ...", "quick q: ..."): the question follows it.
    colon = next((i + 1 for i, t in enumerate(ts[:5]) if text[t.end : t.end + 1] == ":"), 0)
    k = max(k, colon)
    lead = k > 0 and not colon
    rest = lows[k:]
    framed = bool(rest) and rest[0] in set(v.WH_WORDS.split()) | set(v.AUXILIARIES.split()) | set(
        v.LIST_OPENERS.split()
    )
    # "any talks on payments?" is a question of its own
    framed = framed or rest[:1] in (["any"], ["anything"]) and bool(set(lows) & v.forms(v.LIST_NOUNS))
    references = set(v.REFERENCES.split())
    reference = None
    for i, w in enumerate(lows):
        if w not in references:
            continue
        if w in ("that", "this") and not (
            i == len(lows) - 1
            or i + 1 < len(lows)
            and ts[i + 1].stem in v.stems(v.PRESENTATION_NOUNS) | v.stems(v.MEETING_NOUNS) | v.stems(v.PRESENTER_NOUNS)
        ):
            continue
        if w in ("its", "their") and r.institutions:
            continue  # "What does ITC say about its helpdesk?": its = ITC's
        if w == "same" and not (i > 0 and lows[i - 1] == "the"):
            continue
        reference = w
        break
    ordinal = _ordinal(lows)
    attribute = None
    for name, table in v.ATTRIBUTES.items():
        if set(lows) & set(table.split()):
            attribute = name if name == "link" else "who"
            break
    more_words = set(v.MORE_WORDS.split()) | set(v.STOP_WORDS.split()) | {"tell", "please", "say"}
    more = bool(set(lows) & set(v.MORE_WORDS.split())) and set(lows) <= more_words and not reference
    more = more or bool(lows) and set(lows) <= {"and", "so", "then"}  # "and?"
    series = None
    later = any(f" {p} " in joined for p in v.alternatives(v.SERIES_LATER))
    prepositions = {"after", "before"} if r.period else set()  # "before 2022" is a period
    if any(f" {p} " in joined for p in v.alternatives(v.SERIES_NEXT) if p not in prepositions):
        series = "next"
    if any(f" {p} " in joined for p in v.alternatives(v.SERIES_PREVIOUS) if p not in prepositions):
        series = "previous"
    same_meeting = any(f" {p} " in joined for p in v.alternatives(v.SAME_MEETING))
    other = any(w in v.OTHER_WORDS.split() and i not in r.taken for i, w in enumerate(lows))  # not "type Other"
    bare_which = rest[:1] == ["which"] and len(rest) > 1 and rest[1] in v.AUXILIARIES.split()  # "which were by X"
    # "any from Canada?", "were any by IOs?": a filter of the last list; "any talks on payments?" is a new question
    any_of = rest[:1] == ["any"] or rest[1:2] == ["any"] and rest[:1] in (["were"], ["was"], ["are"])
    bare_which = bare_which or any_of and not own and not set(lows) & v.forms(v.LIST_NOUNS)
    narrow = bare_which or bool(rest) and rest[0] in ("only", "just")
    narrow = narrow or any(f" {p} " in joined for p in v.alternatives(v.NARROW_PHRASES)) or bool(r.instruction)
    descriptor = bool({"one", "ones"} & set(lows)) and (r.names_slot or bool(own))
    order = None
    if descriptor and set(v.LATER_ONE.split()) & set(lows):
        order = "latest"
    elif descriptor and set(v.EARLIER_ONE.split()) & set(lows):
        order = "earliest"
    # Complete on its own: a topic of its own, or slots with a presentation noun or verb ("Who presented in
    # 2022?"); "Which were by the GEA?" names no presentations and reads as a follow-up.
    asks_presentations = any(w in v.forms(v.LIST_NOUNS) | v.forms(v.PRESENT_VERBS) for w in lows)
    # "and which talks covered payments?" has a frame of its own: a question, whatever its lead
    complete = (bool(own) or (r.names_slot and asks_presentations)) and framed and not reference
    complete = complete and ordinal is None
    complete = complete and not other and not descriptor and not narrow
    presenter_nouns = set(v.PRESENTER_REFERENCE_NOUNS.split())
    presenter_ref = reference in set(v.PERSONAL_REFERENCES.split()) or any(
        lows[i] in ("that", "this", "same") and lows[i + 1] in presenter_nouns for i in range(len(lows) - 1)
    )
    return Line(text, r, own, complete, reference, reference in set(v.PERSONAL_REFERENCES.split()) | {"those", "these"},
                ordinal, attribute, more, series, later, same_meeting, other, narrow, lead, descriptor,
                presenter_ref=presenter_ref, order=order)  # fmt: skip


def _ordinal(lows: list[str]) -> int | None:
    """ "the second one", "the 3rd", "number 3", "#3", "3", "the last one": which entry of the last list."""
    if len(lows) == 1 and lows[0].isdigit() and len(lows[0]) <= 2:
        return int(lows[0])
    for i, w in enumerate(lows):
        after = lows[i + 1] if i + 1 < len(lows) else None
        if w in v.ORDINALS and (after is None or after in _PICK_NOUNS):
            return v.ORDINALS[w]
        if w in ("last", "final") and after in _PICK_NOUNS and i > 0 and lows[i - 1] == "the":
            return -1
        if w in _NUMBER_WORDS and after is not None and after.isdigit() and len(after) <= 3:
            return int(after)
    return None


# Slot updates ---------------------------------------------------------------------------------------------


def updated(asst: Assistant, prev: Query, line: Line) -> Query:
    """The previous Query with the slots the line fills put in place of its own; its search words follow."""
    r = line.reading
    changes: dict[str, Any] = {"text": line.text, "corrections": (), "typed": ""}
    drop: set[str] = set()
    add: list[str] = []
    names: list[str] = []
    if r.period:
        changes.update(period=r.period, period_when=True, period_tokens=tuple(tokens(r.period.text)))
        drop |= set(prev.period_tokens)
    if r.institutions or r.economies:
        changes.update(institutions=tuple(r.institutions), economies=tuple(r.economies), presenter=None)
        for inst in prev.institutions:
            drop |= set(tokens(inst + " " + " ".join(asst.retriever.aliases.get(inst, ()))))
        for economy in prev.economies:
            drop |= set(tokens(economy))
        names = list(r.economies) or list(r.institutions)
        add += [t for n in names for t in content_tokens(n)]
    elif (who := presenter_phrase(line.text, r)) is not None:  # "and by the World Bank?": no such presenter
        changes.update(institutions=(), economies=(), presenter=who)
    if r.types:
        changes["types"] = tuple(r.types)
    if r.categories:
        changes.update(categories=tuple(r.categories), category_text=r.category_text,
                       category_words=tuple(content_tokens(r.category_text)))  # fmt: skip
    topic = prev.topic
    if line.own:
        topic = r.topic
        topic_content = content_tokens(topic)
        changes.update(topic=topic, topic_tokens=tuple(tokens(topic)), topic_content=tuple(topic_content),
                       topic_expansions=tuple(expansions(topic_content)), mentions=r.mentions)  # fmt: skip
        drop |= set(prev.topic_content)
        add += topic_content
    content = [t for t in prev.content if t not in drop] + [t for t in add if t not in prev.content]
    subject = [t for t in prev.subject if t not in drop] + [t for t in add if t not in prev.subject]
    changes.update(content=tuple(dict.fromkeys(content)), expansions=tuple(expansions(content)),
                   subject=tuple(dict.fromkeys(subject)), subject_expansions=tuple(expansions(subject)))  # fmt: skip
    new = replace(prev, **changes)
    search = " ".join([topic or " ".join(content), *names]).strip() or line.text
    return new.with_vector(asst.retriever.query_vector(search))
