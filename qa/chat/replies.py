"""Answers a conversation gives from the entries it points at, without a generative model.

Their summary sentences ("more", "the second one"), their catalogue fields set in a fixed template ("who
gave it?", "link?"), or retrieval limited to some entries (a follow-up's restriction, exclusion or
referents). Used by :mod:`qa.chat.conversation`; nothing here decides how a question is read.
"""

from __future__ import annotations

from dataclasses import replace

from qa.answers.abstain import abstain
from qa.answers.model import Answer, Citation, Sentence
from qa.catalogue.dates import format_date
from qa.catalogue.model import Entry
from qa.engine import Assistant, clean_question
from qa.errors import UsageError
from qa.question.query import Query

# Retrieval limited to some entries ----------------------------------------------------------------


def referring(asst: Assistant, query: Query, targets: tuple[Entry, ...], picked: bool, top_k: int) -> Answer:
    """A reference back: from the entries referred to first (a picked entry alone), else from all of them."""
    retriever = asst.retriever
    positions = [retriever.index_of[e.id] for e in targets if e.id in retriever.index_of]
    widen = [] if picked else [None]  # a picked entry answers alone; others may widen
    for candidates in ([positions] if positions else []) + widen:  # the entries referred to, then all
        ranked = asst.retrieve(query, top_k=top_k, candidates=candidates)
        if not asst.refuses(query, ranked):
            return asst.compose(query, ranked)
    return abstain(query.text)


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
    most_sentences, most_entries = asst.settings.more_sentences, asst.settings.more_entries
    picked: list[tuple[Entry, int]] = []
    for entry in entries:
        unseen = [j for j in range(len(sentences(asst, entry))) if j not in shown.get(entry.id, set())]
        picked += [(entry, j) for j in unseen[: 1 if after_list else most_sentences - len(picked)]]
        if len(picked) >= (most_entries if after_list else most_sentences):
            break
    if not picked:
        return replace(abstain(clean_question(question)), text="The catalogue says nothing more about this.")
    return _from_sentences(clean_question(question), asst, picked, "\n" if after_list else " ")


def pick(asst: Assistant, question: str, entries: tuple[Entry, ...]) -> Answer:
    """Opening sentences: several of one entry, or the first of each of several ("what were they about?")."""
    if not entries:
        raise UsageError("the last answer cited nothing; ask another question")
    per_entry = asst.settings.pick_sentences if len(entries) == 1 else 1
    most = asst.settings.more_entries
    picked = [(e, j) for e in entries[:most] for j in range(min(per_entry, len(sentences(asst, e))))]
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
            when = format_date(e.date)
            lines.append(f"Presented by {e.institution} ({e.institution_type}) on {when}: {title}. [{n}]")
    citations = tuple(Citation(n, e) for n, e in enumerate(entries, 1))
    return Answer(clean_question(question), "\n".join(lines), citations=citations, kind=act)
