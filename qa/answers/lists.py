"""List and count questions: the complete set of matching entries, in date order."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from qa.answers.model import Answer, Citation
from qa.catalogue.dates import month_end
from qa.catalogue.filters import matches_category
from qa.catalogue.model import Entry
from qa.question.intent import Intent, presenter_phrase
from qa.question.periods import Period
from qa.question.places import economies_in
from qa.question.text import content_tokens, tokens
from qa.search.retrieval import Retriever, Scored

if TYPE_CHECKING:
    from qa.engine import Assistant

# A topic list ("Who presented on cyber security?") is the leading group of the ranking: the
# entries above the largest drop in fused score among the first TOPIC_WINDOW. On the dev set the
# relevant group stands 2.5 to 8 z-score units above the rest.
TOPIC_WINDOW = 12
TOPIC_GAP = 2.0  # a drop this large separates the group; smaller ones do not
TOPIC_MIN_DENSE = 0.35
_TYPE_WORDS = {
    "Member": "members",
    "IO": "international organizations",
    "Secretariat": "the Secretariat",
    "Other": "other institutions",
    "organized by Member": "institutions invited by a member",
}


def answer_list(assistant: Assistant, question: str, intent: Intent) -> Answer | None:
    """The complete answer to a list or count question, or None when it is really a fact question."""
    rest = question
    if intent.period:
        rest = rest.replace(intent.period.text, " ")
    for name in intent.categories:
        rest = re.sub(re.escape(name), " ", rest, flags=re.IGNORECASE)
    who = presenter_phrase(rest)
    if who and not (intent.institutions or intent.types or economies_in(who)):
        return _compose(question, intent, [], by=f"the {who}" if not who.lower().startswith("the ") else who)
    on_topic = False
    if intent.structural:
        entries = [e for e in assistant.catalogue.entries if _passes(e, intent)]
        if len(entries) > 1 and _topic_of(intent, assistant):
            refined = _refine(assistant, question, intent, entries)
            on_topic = len(refined) < len(entries)  # the topic picked some: say so in the heading
            entries = refined
    elif _topic_words(question):
        entries = _topic_entries(assistant, question, intent)
        if not entries:
            return None
        entries.sort(key=lambda e: e.date)
        if len(entries) == 1:
            return _single(assistant, question, intent, entries[0])
        return _compose(question, intent, entries, matched=True)
    else:
        entries = list(assistant.catalogue.entries)
    entries.sort(key=lambda e: e.date)
    if len(entries) == 1:
        return _single(assistant, question, intent, entries[0], on_topic)
    return _compose(question, intent, entries, on_topic=on_topic)


def _single(assistant: Assistant, question: str, intent: Intent, entry: Entry, on_topic: bool = False) -> Answer:
    """One match: say so, and let its summary answer ("What did WIPO present in November 2021?")."""
    from qa.engine import compose_fact  # here: qa.engine imports this module

    retriever = assistant.retriever
    ranked = retriever.rank(
        question, intent, retriever.query_vector(question), candidates=[retriever.index_of[entry.id]]
    )
    fact = compose_fact(question, ranked, retriever)
    scope = describe(intent, on_topic=on_topic)
    scope = f" {scope}" if scope else ""
    head = f"The catalogue has 1 presentation{scope}: {entry.title} ({entry.institution}, {_day(entry.date)})."
    return replace(fact, text=f"{head} {fact.text}".strip(), count=1, kind=intent.kind)


def _passes(e: Entry, intent: Intent) -> bool:
    if intent.period and not intent.period.contains(e.date):
        return False
    if intent.institutions and e.institution not in intent.institutions:
        return False
    if intent.types and e.institution_type not in intent.types:
        return False
    return not intent.categories or any(matches_category(e, c) for c in intent.categories)


_LIST_WORDS = {"list", "which", "who", "all", "every", "name", "give", "many", "time", "often", "number", "count"}


def _topic_words(question: str) -> list[str]:
    return [t for t in content_tokens(question) if t not in _LIST_WORDS]


def _topic_of(intent: Intent, assistant: Assistant) -> list[str]:
    """Words of an explicit topic ("... on the Global Trade Helpdesk") that no filter already covers."""
    if not intent.topic:
        return []
    covered = set(_LIST_WORDS)
    for inst in intent.institutions:
        covered.update(tokens(inst + " " + " ".join(assistant.retriever.aliases.get(inst, ()))))
    for name in intent.categories:
        covered.update(tokens(name))
    if intent.period:
        covered.update(tokens(intent.period.text))
    return [t for t in content_tokens(intent.topic) if t not in covered and not t.isdigit()]


def _refine(assistant: Assistant, question: str, intent: Intent, entries: list[Entry]) -> list[Entry]:
    """The filtered entries that are about the question's topic (all of them if none stands out)."""
    retriever = assistant.retriever
    ranked = retriever.rank(
        intent.topic,
        intent,
        retriever.query_vector(question),
        [retriever.index_of[e.id] for e in entries],
        limit=TOPIC_WINDOW,
    )
    return _leading_group(ranked) or entries


def _topic_entries(assistant: Assistant, question: str, intent: Intent) -> list[Entry]:
    """The leading group of the ranking; for a question about mentions, also every entry whose title or
    summary names the topic outright. When nothing stands out in the ranking, the entries naming it."""
    retriever = assistant.retriever
    named = _naming(retriever, intent.topic)
    ranked = retriever.rank(question, intent, retriever.query_vector(question), limit=TOPIC_WINDOW)
    if not ranked or assistant.should_abstain(question, ranked):
        return named
    group = _leading_group(ranked)
    if not group or intent.mentions:
        return group + [e for e in named if e not in group]
    return group


_ARTICLES = {"the", "a", "an", "its", "their"}


def _naming(retriever: Retriever, topic: str) -> list[Entry]:
    """Entries whose title or summary contains the topic's words in a row (folded and stemmed)."""
    words = tokens(topic)
    while words and words[0] in _ARTICLES:
        words = words[1:]
    if not words or not set(content_tokens(topic)) or len(words) > 6:
        return []
    n = len(words)
    found = []
    for i in retriever.bm25.containing(words).tolist():  # only entries holding every word are read
        title, sentences = tokens(retriever.entries[i].title), retriever.sentence_tokens[i]
        if any(seq[k : k + n] == words for seq in (title, *sentences) for k in range(len(seq) - n + 1)):
            found.append(retriever.entries[i])
    return found


def _leading_group(ranked: list[Scored]) -> list[Entry]:
    """Entries above the largest drop in score; without a clear drop, those near the best."""
    window = ranked[:TOPIC_WINDOW]
    drops = [window[i].score - window[i + 1].score for i in range(len(window) - 1)]
    if drops and max(drops) >= TOPIC_GAP:
        window = window[: drops.index(max(drops)) + 1]
    else:
        window = [s for s in window if s.score >= window[0].score - TOPIC_GAP]
    return [s.entry for s in window if s.dense >= TOPIC_MIN_DENSE]


def describe(intent: Intent, by: str | None = None, on_topic: bool = False) -> str:
    """ "by the ITC in October 2022", in words a person would use; ``on_topic``: the topic narrowed the list."""
    parts = []
    if by:
        parts.append(f"by {by}")
    elif intent.institutions:
        parts.append("by " + _join(list(intent.institutions)))
    if intent.types:
        parts.append("by " + _join([_TYPE_WORDS[t] for t in intent.types]))
    if intent.categories:
        parts.append("in " + _join(list(intent.categories)))
    elif intent.topic and (on_topic or not (intent.institutions or intent.types or intent.period)):
        parts.append(f"on {intent.topic}")
    if intent.period:
        parts.append(period_words(intent.period))
    return " ".join(parts)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def period_words(p: Period) -> str:
    lo, hi = p.start, p.end
    if lo and hi:
        if lo == hi:
            return f"on {_day(lo)}"
        if lo.day == 1 and hi == month_end(hi.year, hi.month):
            if (lo.year, lo.month) == (hi.year, hi.month):
                return f"in {lo:%B %Y}"
            if lo.month == 1 and hi.month == 12:
                return f"in {lo.year}" if lo.year == hi.year else f"from {lo.year} to {hi.year}"
            return f"from {lo:%B %Y} to {hi:%B %Y}"
        return f"from {_day(lo)} to {_day(hi)}"
    if lo:
        return f"since {_day(lo)}"
    assert hi is not None
    return f"up to {_day(hi)}"


def others(question: str, intent: Intent, entries: list[Entry]) -> Answer:
    """ "Who else ...?": the rest of a list, in date order; "no other presentations" when none is left."""
    return _compose(question, intent, sorted(entries, key=lambda e: e.date), on_topic=True, other=True)


def _compose(
    question: str,
    intent: Intent,
    entries: list[Entry],
    by: str | None = None,
    matched: bool = False,
    on_topic: bool = False,
    other: bool = False,
) -> Answer:
    n = len(entries)
    noun = ("other " if other else "") + ("presentation" if n == 1 else "presentations")
    scope = describe(intent, by, on_topic)
    scope = f" {scope}" if scope else (" that match" if matched and n != 1 else "")
    citations = tuple(Citation(i + 1, e) for i, e in enumerate(entries))
    if n == 0:
        text = f"The catalogue has no {'other ' if other else ''}presentations{scope}."
    else:
        lines = [f"The catalogue has {n} {noun}{scope}:"]
        lines += [f"[{c.n}] {_day(c.entry.date)}: {c.entry.title} ({c.entry.institution})" for c in citations]
        text = "\n".join(lines)
    return Answer(question, text, count=n, citations=citations, kind=intent.kind)
