"""Answers a conversation gives from the entries it points at, without a generative model.

Their summary sentences ("more", "the second one"), their catalogue fields set in a fixed template ("who
gave it?", "link?"), or retrieval limited to some entries (a follow-up's restriction, exclusion or
referents). Used by :mod:`qa.chat.conversation`; nothing here decides how a question is read.
"""

from __future__ import annotations

from dataclasses import replace

from qa.answers import lists as listing
from qa.answers.facts import coverage
from qa.answers.lists import describe
from qa.answers.model import Answer, Citation, Sentence
from qa.catalogue.model import Entry
from qa.chat.followups import OTHER
from qa.engine import NOTHING, Assistant, abstain, clean_question, compose_fact
from qa.errors import UsageError
from qa.question.intent import Intent
from qa.search.retrieval import Retriever, Scored

MORE_SENTENCES = 3  # per "more" from one entry; after a list, the next sentence of each of MORE_ENTRIES
MORE_ENTRIES = 5
PICK_SENTENCES = 3  # "the second one": its opening sentences
SUBJECT_COVERAGE = 0.5  # a restricted follow-up's entry must hold this share of the subject's words ...
SUBJECT_DENSE = 0.6  # ... or be this close to the question in meaning


# Retrieval limited to some entries ----------------------------------------------------------------


def restricted(asst: Assistant, question: str, intent: Intent, scope: Intent, subject: str, top_k: int) -> Answer:
    """A follow-up naming a new institution or period: from its entries only, one of them about ``subject``."""
    retriever = asst.retriever
    qvec = retriever.query_vector(question)
    positions = [i for i, e in enumerate(retriever.entries) if _within(e, scope)]
    ranked = retriever.rank(question, intent, qvec, candidates=positions, limit=top_k)
    if not ranked or asst.should_abstain(question, ranked):
        return abstain(question)
    if not _about(subject, ranked[0], retriever):  # the named presenter never spoke about it
        text = f"{NOTHING[:-1]}: no presentation {describe(scope)} is about {subject}."
        return replace(abstain(question), text=text)
    return compose_fact(question, ranked, retriever)


def excluding(
    asst: Assistant, question: str, intent: Intent, exclude: tuple[Entry, ...], top_k: int, after_list: bool = False
) -> Answer:
    """ "Who else presented on that?": from every entry but ``exclude``.

    After a list, when the question without its "else" is a list question too ("Who presented on cyber
    security?"), the answer is that list without the entries already listed, and may be empty ("no other
    presentations"): the nearest remaining text would be about something else.
    """
    retriever = asst.retriever
    ids = {e.id for e in exclude}
    if after_list:
        plain = " ".join(OTHER.sub(" ", question).split())
        plain_intent = asst.analyse(plain)
        listed = listing.answer_list(asst, plain, plain_intent) if plain_intent.kind in ("list", "count") else None
        if listed is not None and listed.count is not None:
            rest = [c.entry for c in listed.citations if c.entry.id not in ids]
            return listing.others(question, plain_intent, rest)
    qvec = retriever.query_vector(question)
    positions = [i for i, e in enumerate(retriever.entries) if e.id not in ids]
    ranked = retriever.rank(question, intent, qvec, candidates=positions, limit=top_k)
    ok = ranked and not asst.should_abstain(question, ranked)
    return compose_fact(question, ranked, retriever) if ok else abstain(question)


def referring(
    asst: Assistant, question: str, intent: Intent, targets: tuple[Entry, ...], picked: bool, top_k: int
) -> Answer:
    """A reference back: from the entries referred to first (a picked entry alone), else from all of them."""
    retriever = asst.retriever
    qvec = retriever.query_vector(question)
    positions = [retriever.index_of[e.id] for e in targets if e.id in retriever.index_of]
    widen = [] if picked else [None]  # a picked entry answers alone; others may widen
    for candidates in ([positions] if positions else []) + widen:  # the entries referred to, then all
        ranked = retriever.rank(question, intent, qvec, candidates=candidates, limit=top_k)
        if ranked and not asst.should_abstain(question, ranked):
            return compose_fact(question, ranked, retriever)
    return abstain(question)


def _within(entry: Entry, scope: Intent) -> bool:
    if scope.institutions and entry.institution not in scope.institutions:
        return False
    return scope.period is None or scope.period.contains(entry.date)


def _about(subject: str, best: Scored, retriever: Retriever) -> bool:
    """Whether a restricted follow-up's entry is about the carried subject."""
    return not subject or best.dense >= SUBJECT_DENSE or coverage(subject, best, retriever) >= SUBJECT_COVERAGE


# The entries' own sentences and fields --------------------------------------------------------------


def more(
    asst: Assistant,
    question: str,
    listed: list[Entry],
    focus: tuple[Entry, ...],
    shown: dict[str, set[int]],
) -> Answer:
    """ "Tell me more": sentences of the entry in focus (or the next of each listed entry) not ``shown`` yet."""
    entries = list(focus) + [e for e in listed if e not in focus]
    after_list = not focus and len(listed) > 1
    picked: list[tuple[Entry, int]] = []
    for entry in entries:
        unseen = [j for j in range(len(sentences(asst, entry))) if j not in shown.get(entry.id, set())]
        picked += [(entry, j) for j in unseen[: 1 if after_list else MORE_SENTENCES - len(picked)]]
        if len(picked) >= (MORE_ENTRIES if after_list else MORE_SENTENCES):
            break
    if not picked:
        return replace(abstain(clean_question(question)), text="The catalogue says nothing more about this.")
    return _from_sentences(clean_question(question), asst, picked, "\n" if after_list else " ")


def pick(asst: Assistant, question: str, entries: tuple[Entry, ...]) -> Answer:
    """Opening sentences: several of one entry, or the first of each of several ("what were they about?")."""
    if not entries:
        raise UsageError("the last answer cited nothing; ask another question")
    per_entry = PICK_SENTENCES if len(entries) == 1 else 1
    picked = [(e, j) for e in entries[:MORE_ENTRIES] for j in range(min(per_entry, len(sentences(asst, e))))]
    if not picked:
        return template(question, entries, "who")
    return _from_sentences(clean_question(question), asst, picked, " " if len(entries) == 1 else "\n")


def sentences(asst: Assistant, entry: Entry) -> list[str]:
    """The entry's summary sentences, as the retriever split them (none for an entry it does not hold)."""
    i = asst.retriever.index_of.get(entry.id)
    return asst.retriever.sentences[i] if i is not None else []


def _from_sentences(question: str, asst: Assistant, picked: list[tuple[Entry, int]], joiner: str) -> Answer:
    """An answer made of given summary sentences, cited in order of first appearance."""
    numbers: dict[str, int] = {}
    chosen = []
    for entry, j in picked:
        n = numbers.setdefault(entry.id, len(numbers) + 1)
        chosen.append(Sentence(sentences(asst, entry)[j], n))
    by_id = {e.id: e for e, _ in picked}
    citations = tuple(Citation(n, by_id[i]) for i, n in numbers.items())
    text = joiner.join(f"{s.text} [{s.citation}]" for s in chosen)
    return Answer(question, text, sentences=tuple(chosen), citations=citations, kind="fact")


def template(question: str, entries: tuple[Entry, ...], act: str) -> Answer:
    """Catalogue fields, verbatim, in a fixed template: nothing here is written by the program."""
    if not entries:
        raise UsageError("the last answer cited nothing; ask another question")
    lines = []
    for n, e in enumerate(entries, 1):
        title = e.title.rstrip(".")
        if act == "link":
            lines.append(f"{title}: {e.link} [{n}]" if e.link else f"{title}: the catalogue gives no link. [{n}]")
        else:
            when = f"{e.date.day} {e.date:%B %Y}"
            lines.append(f"Presented by {e.institution} ({e.institution_type}) on {when}: {title}. [{n}]")
    citations = tuple(Citation(n, e) for n, e in enumerate(entries, 1))
    return Answer(clean_question(question), "\n".join(lines), citations=citations, kind=act)
