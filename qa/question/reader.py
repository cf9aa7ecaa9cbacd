"""One reader for questions and follow-ups: slots anywhere, the frame, the kind from one table, the topic.

:func:`read` finds the slots (:mod:`qa.question.slots`) wherever they stand, then the frame (how the question
asks: a list request, a count, a wh-question, a fragment), then decides the kind once in :data:`KINDS`.
The topic is what remains once the slots, the frame's words and the vocabulary's function words are out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from qa.question import shape, when
from qa.question import slots as sl
from qa.question import vocabulary as v
from qa.question.slots import Tok
from qa.question.text import content_tokens
from qa.question.when import Period


@dataclass
class Reading:
    """A line read: its slots, its frame, its kind, its topic."""

    text: str  # as read (an all-capitals line is read in lower case)
    toks: list[Tok]
    period: Period | None = None
    period_when: bool = False
    period_span: tuple[int, int] | None = None
    institutions: list[str] = field(default_factory=list)
    economies: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    category_words: bool = False  # a category was named in everyday words ("financing for small firms")
    category_text: str = ""  # those words, as written ("intellectual property")
    order: str | None = None
    ends: tuple[str, ...] = ()  # every order word: ("earliest", "latest") in "the first and the last updates"
    meeting: bool = False
    same_meeting: bool = False  # asks for the meeting another presentation was given at ("same day as X")
    total: str | None = None
    count: bool = False  # asks how many presentations
    how_many: bool = False  # asks how many of anything
    listing: bool = False  # asks for presentations (a list request, "who presented", a fragment)
    frame: str | None = None  # "compare", "yesno", "overview"
    search: bool = False  # a few words typed into a search box
    mentions: bool = False  # asks for passing mentions too
    topic: str = ""  # the words left over, as written
    grounded: bool = False  # some word of the topic is one the catalogue uses (qa.question.grounding)
    forum: set[int] = field(default_factory=set)  # tokens naming the forum ("the WTO Informal Working Group")
    instruction: set[int] = field(default_factory=set)  # a follow-up's instruction to narrow ("narrow it to")
    kind: str = "fact"  # decided by KINDS
    taken: set[int] = field(default_factory=set)

    @property
    def names_slot(self) -> bool:
        return bool(self.period or self.institutions or self.types or self.categories or self.economies)


def _bracketed(ts: Sequence[Tok], text: str) -> set[int]:
    """The positions of the words inside round brackets."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]
    return {i for i, t in enumerate(ts) if any(a < t.start < b for a, b in spans)}


def shouting(text: str) -> bool:
    """The line is written in capitals ("WHO SPOKE ON BLOCKCHAIN IN 2022"): read it in lower case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and all(c.isupper() for c in letters)


@cache
def _frame_words() -> frozenset[str]:
    return (
        v.stems(v.WH_WORDS)
        | v.stems(v.AUXILIARIES)
        | v.stems(v.LIST_OPENERS)
        | v.stems(v.PRESENT_VERBS)
        | v.stems(v.MENTION_VERBS)
        | v.stems(v.PRESENTATION_NOUNS)
        | v.stems(v.PRESENTER_NOUNS)
        | v.stems(v.MEETING_NOUNS)
        | v.stems(v.FRAME_WORDS)
        | v.stems(v.OVERVIEW_WORDS)
        | v.stems(v.TYPE_CUES)
        | v.stems(v.COMPARE_WORDS)
    )


def read(
    text: str,
    aliases: Mapping[str, set[str]],
    categories: Sequence[str],
    today: date | None = None,
    follow_up: bool = False,
    known: frozenset[str] = frozenset(),
) -> Reading:
    """Read one line: slots, frame, kind and topic. A follow-up's types are always read ("which of those
    came from an IO?"); a first question's only when it asks for presentations."""
    said = text.lower() if shouting(text) else text
    ts = sl.toks(said)
    r = Reading(said, ts)
    taken: set[int] = set()
    forum = {k for i, j, _ in sl.find_phrase(ts, v.phrases(v.FORUM), set()) for k in range(i, j)}
    r.forum = forum
    taken |= forum
    if follow_up:  # "narrow it to 2021": the instruction is no topic, and its "to" no period
        said_to = sl.find_phrase(ts, v.phrases(v.NARROW_INSTRUCTIONS), set())
        r.instruction = {k for i, j, _ in said_to for k in range(i, j)}
        taken |= r.instruction
    if found := when.find_period(ts, said, taken, today):
        r.period, lo, hi, r.period_when = found
        r.period_span = (lo, hi)
        taken |= set(range(lo, hi))
    asides = _asides(ts, known)
    start = next((i for i, t in enumerate(ts) if i not in asides and t.low not in _LEADS), 0)
    r.how_many, about_presentations, counted = shape.find_count(ts, start)
    r.count = r.how_many and about_presentations
    r.frame, framing = framed(ts, said, taken)
    r.total = shape.find_total(ts, said, r.how_many)
    r.ends = shape.find_ends(ts, taken, comparing=r.frame == "compare")
    r.order, order_at = shape.find_order(ts, taken)
    if r.frame == "compare" and len(set(r.ends)) == 2:  # "the first and the last updates": the sides, not the topic
        order_at |= {i for i, t in enumerate(ts) if t.low in v.forms(f"{v.LATEST} {v.EARLIEST} {v.ORDER_INTENSIFIERS}")}
    taken |= order_at
    r.meeting, meeting_at = shape.find_meeting(ts, taken)
    same = sl.find_phrase(ts, v.phrases(v.SAME_MEETING), taken)
    presenting = v.stems(v.PRESENT_VERBS) | v.stems(v.PRESENTATION_NOUNS) | v.stems(v.MEETING_NOUNS)
    # One word ("alongside") says "at the same meeting" only where presenting is spoken of: not "What law did
    # Bahrain issue alongside its ETR law?"
    same = [m for m in same if len(m[2]) > 1 or any(t.stem in presenting for t in ts)]
    r.same_meeting = bool(same) and not follow_up
    meeting_at |= {k for i, j, _ in same for k in range(i, j)} if r.same_meeting else set()
    r.listing = list_form(ts, taken | asides)
    r.mentions = any(t.stem in v.stems(v.MENTION_VERBS) for t in ts)
    structural = r.count or r.listing or bool(r.order) or bool(r.total) or r.meeting
    r.institutions, inst_at = sl.find_institutions(ts, said, aliases, taken | forum, family=structural or follow_up)
    r.economies = sorted(sl.economies_in(said), key=lambda e: (said.casefold().find(e.casefold()) % (len(said) + 1), e))
    taken |= inst_at
    phrases_of = sl.category_phrases(tuple(categories))
    r.categories, cat_at = sl.find_categories(
        ts, phrases_of, taken, everyday=structural and r.frame is None and not r.mentions
    )
    own = sl.find_categories(ts, phrases_of, taken, everyday=False)[0]
    r.category_words = bool(set(r.categories) - set(own))
    if r.category_words:
        r.category_text = " ".join(said[ts[i].start : ts[i].end] for i in sorted(cat_at))
    taken |= cat_at
    if structural or follow_up:
        r.types, type_at = sl.find_types(ts, taken)
        taken |= type_at
    r.search = search_form(ts, said)
    r.taken = taken | counted | meeting_at | framing
    # Words in brackets elaborate ("financing options (loans, credit, supply-chain finance)"): not the topic,
    # unless nothing else is.
    aside = _bracketed(ts, said) - r.taken
    if aside and topic_of(said, ts, r.taken | aside):
        r.taken |= aside
    r.topic = topic_of(said, ts, r.taken)
    single = [c for c in r.categories if len(sl.toks(c)) == 1 and not _said_as_category(ts, c)]
    grounded = [t for t in content_tokens(r.topic) if not known or t in known]  # "thx" is no topic of its own
    if grounded and (r.category_words or single):  # a category named in passing is the topic's
        r.categories = [c for c in own if c not in single]
        kept = {c: phrases_of[c] for c in r.categories}
        r.taken = (r.taken - cat_at) | sl.find_categories(ts, kept, r.taken - cat_at, everyday=False)[1]
        r.category_words = False
        r.category_text = ""
        r.topic = topic_of(said, ts, r.taken)
    r.grounded = bool(content_tokens(r.topic)) and (not known or any(t in known for t in content_tokens(r.topic)))
    r.kind = kind_of(r)
    return r


@cache
def grammar_words() -> frozenset[str]:
    """Every word the question tables write, as written (lower case)."""
    tables = (
        v.WH_WORDS,
        v.AUXILIARIES,
        v.LIST_OPENERS,
        v.PRESENT_VERBS,
        v.MENTION_VERBS,
        v.PRESENTATION_NOUNS,
        v.PRESENTER_NOUNS,
        v.MEETING_NOUNS,
        v.FRAME_WORDS,
        v.OVERVIEW_WORDS,
        v.TYPE_CUES,
        v.STOP_WORDS,
        v.ASK_VERBS,
        v.LIST_WORDS,
        v.COMPARE_WORDS,
        v.YESNO_OPENERS,
        v.FOLLOW_LEADS.replace("|", " "),
    )
    return frozenset(w for table in tables for w in v.forms(table))


def _asides(ts: Sequence[Tok], known: frozenset[str]) -> set[int]:
    """Leading words that neither the catalogue nor the question's grammar knows ("kindly", "hey", "quick q:"):
    asides before the question, skipped when looking for how it starts. Without ``known``, none."""
    if not known:
        return set()
    out: set[int] = set()
    for i, t in enumerate(ts):
        if t.stem in known or t.low in grammar_words() or t.upper:
            break
        out.add(i)
    return out


def _said_as_category(ts: Sequence[Tok], name: str) -> bool:
    """ "in the Digital category", "under Digital": a one-word category said as a category."""
    for i, t in enumerate(ts):
        if t.low == name.lower():
            before = [x.low for x in ts[max(0, i - 2) : i]]
            after = ts[i + 1].low if i + 1 < len(ts) else ""
            return after in v.CATEGORY_CUES.split() or before[-1:] == ["under"] or before == ["in", "the"]
    return False


# The frame --------------------------------------------------------------------------------------------


def frame_of(ts: Sequence[Tok], text: str, taken: set[int] | None = None) -> str | None:
    """ "compare", "yesno", "overview" or None (the words are vocabulary.COMPARE_WORDS, ...). ``taken``: the
    words already read as slots; when not given, the period's."""
    if taken is None:
        found = when.find_period(ts, text, set())
        taken = set(range(found[1], found[2])) if found else set()
    return framed(ts, text, taken)[0]


def framed(ts: Sequence[Tok], text: str, taken: set[int]) -> tuple[str | None, set[int]]:
    """The frame and, for an overview, the positions of the words that asked for it (no topic words)."""
    stems = [t.stem for t in ts]
    if v.forms(v.COMPARE_WORDS).intersection(t.low for t in ts):  # forms: "different" is no comparison
        return "compare", set()
    lows = [t.low for t in ts]
    asks_for_them = lows[1:3] == ["there", "any"]  # "were there any talks ...": a list, not a yes/no
    if (
        stems
        and (stems[0] in v.stems(v.YESNO_OPENERS) or lows[0] in v.forms(v.YESNO_SUBJECTS))
        and v.stems(v.YESNO_CUES).intersection(stems[1:])
        and not asks_for_them
    ):
        return "yesno", set()
    at = {i for i, s in enumerate(stems) if s in v.stems(v.OVERVIEW_WORDS)}
    at |= {k for i, j, _ in sl.find_phrase(ts, v.phrases(v.OVERVIEW_PHRASES), set()) for k in range(i, j)}
    at |= _heard(lows) | _said_on(lows, taken) | _figured(ts, lows)
    return ("overview", at) if at else (None, set())


def _heard(lows: Sequence[str]) -> set[int]:
    """The audience took it in: "What did we hear about ...", "what have members learned on ..."."""
    audience, verbs = v.forms(v.AUDIENCE), v.forms(v.RECEPTION_VERBS)
    for i, w in enumerate(lows):
        heard = [k for k in range(i + 1, min(i + 3, len(lows))) if lows[k] in verbs]
        if w in audience and heard:
            return {i, heard[0]}
    return set()


def _said_on(lows: Sequence[str], taken: set[int]) -> set[int]:
    """What was said, by no one named, on a topic: a passive verb of saying followed by a topic word ("What was
    discussed about e-commerce?", "what has been shared regarding ...") or ending the line ("blockchain: what
    was said?"); not a date ("What was presented on 24 September 2021?")."""
    passives, verbs, markers = v.forms(v.PASSIVES), v.forms(v.SAID_VERBS), v.forms(v.TOPIC_MARKERS)
    for i in range(1, len(lows)):
        if lows[i] in verbs and lows[i - 1] in passives:
            if i + 1 == len(lows) and "what" in lows[:i]:
                return {i - 1, i}
            if i + 2 < len(lows) and lows[i + 1] in markers and i + 2 not in taken:
                return {i - 1, i, i + 1}
    return set()


def _figured(ts: Sequence[Tok], lows: Sequence[str]) -> set[int]:
    """How a topic figured in the talks: "How did COVID-19 feature ...", "how has blockchain come up?"."""
    if lows[:1] != ["how"] or lows[1:2] not in (["did"], ["does"], ["has"], ["have"], ["was"]):
        return set()
    at = {k for k in range(3, len(lows)) if lows[k] in v.forms(v.APPEARANCE_VERBS)}
    return at | {k for i, j, _ in sl.find_phrase(ts, v.phrases(v.APPEARANCE_PHRASES), set()) for k in range(i, j)}


_LEADS = v.forms(v.LEADS)
_TYPE_WORDS = frozenset(
    w for table in v.TYPES.values() for p in v.alternatives(table) for w in p.split() if " " not in p
)
# After "what did X present": a period, a place or an audience ("to the group"), not a subject ("about X").
_WHEN_OR_WHERE = (frozenset(v.PERIOD_PREPOSITIONS) | set(v.RANGE_OPENERS.split())) - {"of"}


def list_form(ts: Sequence[Tok], taken: set[int]) -> bool:
    """The line asks for presentations: "list ...", "which talks ...", "who presented ...", "were there any
    ...", "what was presented ...", "anything from December?", or a fragment naming presentations."""
    if not ts:
        return False
    lows, stems = [t.low for t in ts], [t.stem for t in ts]
    verbs = v.forms(v.PRESENT_VERBS)  # written forms: "presenters" is no verb, though it stems to "present"
    # The first word that is no lead ("and", "please") and no slot ("In 2022, who talked ...").
    at = next((i for i, w in enumerate(lows) if i not in taken and w not in _LEADS), 0)
    first = lows[at]
    if first in v.LIST_OPENERS.split() and not (first == "give" and "examples" in lows):
        return True
    auxiliaries = set(v.AUXILIARIES.split())
    if first in ("which", "what"):
        for k in range(at + 1, min(at + 5, len(ts))):
            if lows[k] in auxiliaries:
                break
            if lows[k] in v.forms(v.PRESENTATION_NOUNS):
                return True  # "which talks ..."
            if lows[k] in v.forms(v.PRESENTER_NOUNS) | _TYPE_WORDS:
                return any(t.low in verbs for t in ts)  # "which IOs presented ...", not "which bodies helped write"
    k = at + 1
    while k < min(len(ts), at + 6) and lows[k] not in verbs and lows[k] not in auxiliaries - {"has", "have", "had"}:
        k += 1  # "who has presented", "who from the private sector presented"
    if first == "who" and k < len(ts) and lows[k] in verbs:
        return True  # "who presented ...", "who has spoken ..."; not "who was surveyed for the report"
    if first in ("were", "was", "are", "is") and lows[at + 1 : at + 2] == ["there"]:
        return any(s in v.stems(v.LIST_NOUNS) for s in stems) or bool(taken)
    if first in ("any", "anything", "everything", "all", "every") and bool(
        taken or any(s in v.stems(v.LIST_NOUNS) for s in stems)
    ):
        return True
    if first in ("what", "which") and any(w in verbs for w in lows[at + 1 : at + 4]) and lows[at + 1] in (
        "was", "were", "has", "have", "had", "is", "are", "got", "get"
    ):  # fmt: skip
        return True
    if first == "what" and lows[at + 1 : at + 2] in (["did"], ["has"], ["have"]):
        # "What did the ICC present?", "... present on digital trade documents?", "... present since 2022?";
        # not "What did the CBSA present about X?", which asks what was said.
        for k in range(at + 2, len(ts)):
            if lows[k] in verbs:
                after = lows[k + 1] if k + 1 < len(ts) else None
                if after is None or after in _WHEN_OR_WHERE:
                    return True
    if (
        first == "when"
        and lows[at + 1 : at + 2] in (["did"], ["was"], ["were"], ["has"], ["have"], ["had"])
        and any(w in verbs for w in lows[at + 2 :])
    ):
        return True  # "When did the ITC present?": its presentations, with dates
    opener = v.stems(v.WH_WORDS) | v.stems(v.AUXILIARIES) | v.stems(v.ASK_VERBS)
    # A fragment: "blockchain talks 2022", "UNCTAD presentations"; no question word, no auxiliary anywhere.
    return not any(s in opener for s in stems) and any(s in v.stems(v.LIST_NOUNS) for s in stems)


def search_form(ts: Sequence[Tok], text: str) -> bool:
    """A few words typed into a search box ("de minimis", "GST Australia"), not a sentence or a question."""
    words = {(t.start, t.end) for t in ts}
    if not 0 < len(words) <= 4 or text.rstrip().endswith("?"):
        return False
    opener = v.stems(v.WH_WORDS) | v.stems(v.AUXILIARIES) | v.stems(v.LIST_OPENERS) | v.stems(v.ASK_VERBS)
    return ts[0].stem not in opener


# The kind, decided once ----------------------------------------------------------------------------------

# (kind, when): the first row that holds decides. Overview, comparison and yes/no are recognised here and
# answered across the catalogue (qa.answers.spans); order and totals from the catalogue's dates and fields.
KINDS: tuple[tuple[str, Callable[[Reading], bool]], ...] = (
    ("compare", lambda r: r.frame == "compare"),
    ("yesno", lambda r: r.frame == "yesno"),
    ("total", lambda r: bool(r.total)),
    ("order", lambda r: bool(r.order)),
    ("meeting", lambda r: r.same_meeting and bool(r.topic or r.institutions) and not r.period),
    ("overview", lambda r: r.frame == "overview"),
    ("count", lambda r: r.count),
    (
        "list",
        lambda r: (
            r.listing
            or (r.meeting and bool(r.period))
            or (bool(r.period or r.categories or r.types) and not r.grounded and not r.how_many and not r.frame)
        ),
    ),
    ("search", lambda r: r.search),
    ("fact", lambda r: True),
)


def kind_of(r: Reading) -> str:
    return next(kind for kind, holds in KINDS if holds(r))


# The topic -------------------------------------------------------------------------------------------------


def topic_of(text: str, ts: Sequence[Tok], taken: set[int]) -> str:
    """The words left once slots and frame words are out, as written: runs of content words with the small
    words between them ("access to finance"); a slot or a frame word ends a run."""
    frame, stop = _frame_words(), v.stems(v.STOP_WORDS)
    runs: list[list[Tok]] = [[]]
    nouns = v.stems(v.PRESENT_VERBS) - v.stems(v.VERBS_ONLY) - v.stems(v.PRESENTATION_NOUNS)
    for i, t in enumerate(ts):
        noun_use = t.stem in nouns and i > 0 and ts[i - 1].low in v.NOUN_LEADS.split()  # "on reporting"
        if i in taken or t.stem in frame and t.stem not in stop and not noun_use:
            if runs[-1]:
                runs.append([])
            continue
        if t.stem in stop or t.low in v.STOP_WORDS.split():
            nxt = ts[i + 1] if i + 1 < len(ts) else None
            leads = t.low == "the" and nxt is not None and i + 1 not in taken and nxt.stem not in frame | stop
            if runs[-1] or leads:  # "the Global Trade Helpdesk", as written
                runs[-1].append(t)
            continue
        runs[-1].append(t)
    spans = []
    for run in runs:
        while run and (run[-1].low in v.STOP_WORDS.split() or run[-1].stem in stop):
            run.pop()
        if run:
            spans.append((run[0].start, run[-1].end))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and merged[-1][1] == s:
            merged[-1] = (merged[-1][0], e)
        elif not merged or merged[-1] != (s, e):
            merged.append((s, e))
    return " ".join(text[s:e] for s, e in merged)
