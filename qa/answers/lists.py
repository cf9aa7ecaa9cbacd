"""List and count questions: the complete set of matching entries, in date order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from qa.answers.facts import compose_fact
from qa.answers.model import Answer, Citation
from qa.catalogue.dates import format_date
from qa.catalogue.filters import Filter
from qa.catalogue.model import Entry
from qa.question.phrasing import as_question, describe, join
from qa.question.query import Query
from qa.question.text import content_tokens, tokens
from qa.search.retrieval import Retriever
from qa.settings import DEFAULT, Settings

# A topic list ("Who presented on cyber security?") holds the entries the relevance judgment finds about the topic.


def answer_list(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer | None:
    """The complete answer to a list or count question; "No presentation is about X" when nothing is."""
    chosen = select(query, retriever, settings)
    if chosen is None:
        if query.frame or not _topic_words(query):  # "Has anyone presented on X?", "talks on mining": nothing about X
            from qa.answers.relevance import judge
            from qa.answers.spans import uncovered

            topical = replace(query, topic_content=tuple(_topic_words(query)))
            said = uncovered(topical, judge(topical, retriever, settings), retriever=retriever)
            return replace(said, kind=query.kind)
        return None
    entries, on_topic, matched = chosen
    if query.structural and query.topic and (not entries or (query.topic_asked and not _topic_of(query, retriever))):
        # The strictest reading finds nothing (or its topic is a word no entry uses); the slots alone find entries.
        pool = sorted(query.filter.apply(retriever.entries), key=lambda e: e.date)
        if pool and query.topic_asked:  # "talks by UNCTAD on mining": say there are none, and show the slots' list
            return _none_on_topic(query, pool)
        if pool:  # "... did the WTO Secretariat run over the period": the slots' list, the other words not used
            unused = tuple(dict.fromkeys([*query.unused, *_topic_surface(query)]))
            query = replace(query, topic="", topic_content=(), unused=unused)
            entries = pool
    if query.category_text and not all(Filter(categories=query.categories).passes(e) for e in entries):
        # the category and entries elsewhere whose titles name it: the heading says both
        heading = f"{query.category_text} ({join(list(query.categories))} and titles that name it)"
        query, on_topic = replace(query, categories=(), topic=heading), True
    if len(entries) == 1:
        listed = _single(query, retriever, settings, entries[0], on_topic)
    else:
        listed = _compose(query, entries, on_topic=on_topic, matched=matched, nearest=_nearest(query, retriever))
    return replace(listed, read_as=as_question(query)) if query.unused else listed


def _nearest(query: Query, retriever: Retriever) -> str:
    """ "; the nearest meetings were 8 February 2022 and 7 April 2022.": around a period with no presentation."""
    p = query.period
    if p is None or p.month is not None:
        return ""
    days = sorted({e.date for e in retriever.entries})
    before = [d for d in days if p.start and d < p.start]
    after = [d for d in days if p.end and d > p.end]
    near = ([before[-1]] if before else []) + ([after[0]] if after else [])
    if not near:
        return ""
    said = " and ".join(format_date(d) for d in near)
    return f"; the nearest meeting{'s were' if len(near) > 1 else ' was'} {said}."


def select(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> tuple[list[Entry], bool, bool] | None:
    """The entries a list question means, in date order: those its filters keep (narrowed by its topic, if
    one stands out: ``on_topic``), else those about its topic (``matched``), else all. None when nothing is
    about its topic (a fact question)."""
    on_topic = matched = False
    if query.structural:
        entries = query.filter.apply(retriever.entries)
        if len(entries) > 1 and _topic_of(query, retriever):
            refined = _refine(
                replace(query, topic_content=tuple(_topic_of(query, retriever))), retriever, settings, entries
            )
            on_topic = len(refined) < len(entries)  # the topic picked some: say so in the heading
            entries = refined
        elif query.category_words:  # "talks on intellectual property": also those elsewhere whose title names it
            pool = replace(query.filter, categories=()).apply(retriever.entries)
            entries += [e for e in _titled(retriever, query.category_words, pool) if e not in entries]
    elif _topic_words(query):
        entries = _topic_entries(query, retriever, settings)
        if not entries:
            return None
        matched = True
    elif query.topic_asked:  # "talks on mining": the whole topic is a word no entry uses
        return None
    else:
        entries = list(retriever.entries)
    return sorted(entries, key=lambda e: e.date), on_topic, matched


def _single(query: Query, retriever: Retriever, settings: Settings, entry: Entry, on_topic: bool = False) -> Answer:
    """One match: say so, and let its summary answer ("What did WIPO present in November 2021?")."""
    ranked = retriever.rank(query, candidates=[retriever.index_of[entry.id]])
    fact = compose_fact(query, ranked, retriever, settings)
    scope = describe(query, on_topic=on_topic)
    scope = f" {scope}" if scope else ""
    head = f"The catalogue has 1 presentation{scope}: {entry.title} ({entry.institution}, {format_date(entry.date)})."
    return replace(fact, text=f"{head} {fact.text}".strip(), count=1, kind=query.kind)


_LIST_WORDS = {"list", "which", "who", "all", "every", "name", "give", "many", "time", "often", "number", "count"}
# Words for the whole catalogue, not a topic ("How many presentations does the catalogue hold?").
_LIST_WORDS |= set(tokens("catalogue catalog total altogether overall hold contain ever group heard"))


def _topic_words(query: Query) -> list[str]:
    """The topic's grounded words: those no entry uses filter nothing (qa.question.grounding)."""
    unused = _unused(query)
    return [t for t in query.topic_content if t not in _LIST_WORDS and t not in unused]


def _topic_surface(query: Query) -> list[str]:
    """The topic's content words as written."""
    return [w for w in query.topic.split() if content_tokens(w)]


def _unused(query: Query) -> set[str]:
    return {t for w in query.unused for t in tokens(w)}


def _topic_of(query: Query, retriever: Retriever) -> list[str]:
    """Words of an explicit topic ("... on the Global Trade Helpdesk") that no filter already covers."""
    if not query.topic:
        return []
    covered = set(_LIST_WORDS)
    for inst in query.institutions:
        covered.update(tokens(inst + " " + " ".join(retriever.aliases.get(inst, ()))))
    for name in query.categories:
        covered.update(tokens(name))
    covered.update(query.period_tokens)
    covered.update(_unused(query))
    return [t for t in query.topic_content if t not in covered and not t.isdigit()]


def _titled(retriever: Retriever, words: Sequence[str], pool: Sequence[Entry]) -> list[Entry]:
    """The entries of ``pool`` whose titles hold every one of ``words`` (content tokens); none for no words."""
    want = set(words)
    index = retriever.index_of
    return [e for e in pool if want and want <= set(retriever.title_tokens[index[e.id]])]


def _refine(query: Query, retriever: Retriever, settings: Settings, entries: list[Entry]) -> list[Entry]:
    """The filtered entries about the question's topic or naming it (qa.answers.coverage); may be none."""
    from qa.answers.relevance import judge

    positions = [retriever.index_of[e.id] for e in entries]
    cov = judge(query.on_topic(), retriever, settings, positions)
    kept = {j.entry.id for j in cov.about} | {j.entry.id for j in cov.mentions}
    return [e for e in entries if e.id in kept]


def _topic_entries(query: Query, retriever: Retriever, settings: Settings) -> list[Entry]:
    """ "Who presented on X?": the entries the relevance judgment (qa.answers.relevance) finds about X;
    "Which talks touched on X?" (a question about mentions): also those that mention it in passing."""
    from qa.answers.relevance import judge

    cov = judge(replace(query, topic_content=tuple(_topic_words(query))), retriever, settings)
    return cov.about_entries() + ([j.entry for j in cov.mentions] if query.mentions else [])


def _none_on_topic(query: Query, pool: list[Entry]) -> Answer:
    """ "No presentation by UNCTAD is about mining; its 3 presentations are: ...": the asked list is empty
    (count 0), and what the slots alone find is shown as related, not as the answer."""
    bare = replace(query, topic="", topic_content=(), category_text="")
    scope = describe(bare)
    topic = query.topic.strip() or " ".join(query.unused)
    verb = "is about" if _topic_words(query) else "mentions"  # "mentions mining": no entry uses the word
    n = len(pool)
    whose = f"its {n} presentation{'s are' if n > 1 else ' is'}"
    if len(query.institutions) != 1:
        whose = f"the {n} presentation{'s' if n > 1 else ''}{' ' + scope if scope else ''} {'are' if n > 1 else 'is'}"
    lines = [f"No presentation{' ' + scope if scope else ''} {verb} {topic}; {whose}:"]
    related = tuple(Citation(i + 1, e) for i, e in enumerate(pool))
    lines += [f"[{c.n}] {format_date(c.entry.date)}: {c.entry.title} ({c.entry.institution})" for c in related]
    return Answer(query.text, "\n".join(lines), count=0, kind=query.kind, related=related)


def others(query: Query, entries: list[Entry], question: str | None = None) -> Answer:
    """ "Who else ...?": the rest of a list, in date order; "no other presentations" when none is left."""
    return _compose(query, sorted(entries, key=lambda e: e.date), on_topic=True, other=True, question=question)


def _compose(
    intent: Query,
    entries: list[Entry],
    by: str | None = None,
    matched: bool = False,
    on_topic: bool = False,
    other: bool = False,
    question: str | None = None,
    nearest: str = "",
) -> Answer:
    n = len(entries)
    noun = ("other " if other else "") + ("presentation" if n == 1 else "presentations")
    scope = describe(intent, by, on_topic)
    scope = f" {scope}" if scope else (" that match" if matched and n != 1 else "")
    citations = tuple(Citation(i + 1, e) for i, e in enumerate(entries))
    if n == 0:
        text = f"The catalogue has no {'other ' if other else ''}presentations{scope}."
        if nearest and intent.period and not (intent.institutions or intent.types or intent.categories or intent.topic):
            text = text[:-1] + nearest
    else:
        lines = [f"The catalogue has {n} {noun}{scope}:"]
        lines += [f"[{c.n}] {format_date(c.entry.date)}: {c.entry.title} ({c.entry.institution})" for c in citations]
        text = "\n".join(lines)
    return Answer(question or intent.text, text, count=n, citations=citations, kind=intent.kind)
