"""Choosing the sentences that answer a fact question from the best entries.

A sentence scores by its similarity to the question (dense, on "title: sentence"), by the share of
the question's *focus* words it contains (question words that the entry's title and institution
do not already explain: they point at the sentence, not the entry), and by whether it holds the
kind of thing asked for (a number for "how many", a date for "when", ...). Measured on the dev set
(bench/eval.py): the best sentence alone holds the asked-for fact about 70% of the time, the best
three about 96%, hence answers of up to three sentences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa.answers.model import Answer, Citation, Sentence
from qa.question.places import economies_in
from qa.question.query import Query
from qa.question.text import content_tokens, tokens
from qa.question.vocabulary import MONTHS, ORDINALS
from qa.search.retrieval import Retriever, Scored
from qa.settings import DEFAULT, Settings

_MONTH_NAMES = "|".join(name for name in MONTHS if len(name) > 3 or name == "may")  # the vocabulary's months
_WHEN = re.compile(rf"\b(?:19|20)\d{{2}}\b|\b(?:{_MONTH_NAMES})\b", re.IGNORECASE)
# A person's name: two capitalised words, then a comma, "of"/"from", an article, or a verb in the past tense
# ("Clovis Freire, an economist", "Jane Doe of the OECD", "Jane Doe joined").
_PERSON = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+(?:,| of\b| from\b| an?\b| the\b| [a-z]+ed\b)")
_ORDINAL_NAMES = "|".join([*(w for w in ORDINALS if w.isalpha() and ORDINALS[w] <= 5), "final", "last"])
_ORDINAL_START = re.compile(rf"^(?:the\s+)?(?P<o>{_ORDINAL_NAMES})(?:ly)?\b|^(?P<f>finally|lastly)\b", re.IGNORECASE)
# "TLIP is a suite of digital solutions around three components." announces what follows.
_ANNOUNCES = re.compile(r"\b(?:two|three|four|five|six|several|following)\b[^.]*[.:]$", re.IGNORECASE)


@dataclass(frozen=True)
class Pick:
    rank: int  # entry rank among the scored entries (0 = best)
    index: int  # sentence index within the entry's summary
    text: str
    score: float


def answer_type_bonus(query: Query, sentence: str, settings: Settings = DEFAULT) -> float:
    """A small lift for sentences holding what the question's form asks for."""
    bonus = 0.0
    holds = _HOLDS.get(query.asked or "")
    if holds and holds(sentence):
        bonus += settings.bonus_asked_type
    if any(f"({a})" in sentence for a in query.acronyms):
        bonus += settings.bonus_expansion
    start = _ORDINAL_START.match(sentence)
    if start and start.group("o") and start.group("o").lower() in query.ordinals:
        bonus += settings.bonus_ordinal  # "What was the first option?" -> "The first was ..."
    return bonus


# A quantity, not a year ("2021") nor a reference number ("Annex 4", "W/6/Rev.3", "Article 7").
_QUANTITY = re.compile(
    r"(?<![\w/.])(?!(?:19|20)\d\d\b)\d[\d,.]*(?![\w/])|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|half|third|quarter|dozen|twice|double|"
    r"triple)\b",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"(?:annex|article|rev\.|no\.|phase|pillar|section|chapter|paragraph|/)\s*$", re.IGNORECASE)
_HALF = math.log(2.0)  # BM25 idf of a word in half of the entries


def _counts(sentence: Sequence[str], counted: set[str], near: int = 3) -> bool:
    """A number next to the thing counted, in a sentence's tokens: "116 interventions", "six guided steps"."""
    for i, token in enumerate(sentence):
        if (token[:1].isdigit() and not _YEAR.fullmatch(token)) or token in _NUMBER_WORDS:
            window = [*sentence[max(0, i - near) : i], *sentence[i + 1 : i + 1 + near]]
            if counted.intersection(window):
                return True
    return False


_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMBER_WORDS = frozenset(
    tokens("one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
           "thousand million billion half third quarter dozen twice double triple")
)  # fmt: skip


def _quantities(sentence: str) -> bool:
    before = (sentence[max(0, m.start() - 12) : m.start()] for m in _QUANTITY.finditer(sentence))
    return any(not _REFERENCE.search(text) for text in before)


# Kinds of quantity a passage can hold.
_SHARE = re.compile(
    r"\bwhat (?:\w+ )?(?:share|percentage|proportion|fraction|rate)\b|\bwhat per ?cent\b|\bhow much (?:more|less)\b",
    re.IGNORECASE,
)
_ASKS_MONEY = re.compile(r"\b(?:fees?|costs?|price|prices|charges?|spend|spent|budget)\b", re.IGNORECASE)
_SHARE = re.compile(
    r"%|\bper ?cent\b|\b(?:half|halves|thirds?|quarters?|fifths?|tenths?|majority|twice|double|triple|times)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$€£¥]|\b(?:USD|US\$|EUR|AUD|CAD|CHF|GBP|NZD|SGD|JPY|dollars?|euros?|francs?|pounds?)\b|"
    r"\b(?:fees?|costs?|prices?|charges?|spend|spent|budget)\b",
    re.IGNORECASE,
)


def _shares(sentence: str) -> bool:
    return bool(_SHARE.search(sentence))


# "Free" as a price: free of charge, free to use/access/join, for free, at no cost, without charge, cost-free.
_FREE = re.compile(
    r"\bfree[- ](?:of[- ]charge|to[- ][a-z]+|access|service|tool)\b|\bfor free\b|\bat no (?:cost|charge)\b"
    r"|\b(?:no|without) (?:charge|fee)s?\b|\b(?:cost|charge)[- ]free\b",
    re.IGNORECASE,
)


def _money(sentence: str) -> bool:
    return _quantities(sentence) and bool(_MONEY.search(sentence)) or bool(_FREE.search(sentence))


def _dates(sentence: str) -> bool:
    return bool(_WHEN.search(sentence))


def _person(sentence: str) -> bool:
    return bool(_PERSON.search(sentence))


# The test of a sentence that holds what Query.asked names.
_HOLDS: dict[str, Callable[[str], object]] = {
    "places": economies_in,
    "share": _shares,
    "money": _money,
    "quantity": _quantities,
    "date": _dates,
    "who": _person,
}


def lacks_asked_type(query: Query, ranked: Sequence[Scored], retriever: Retriever) -> bool:
    """True when the question asks for places, a quantity, a date or a who, and no passage of the best two
    entries gives one about the question's subject.

    "Which countries have ratified X?" is not answered by passages that name no economy, however close in
    meaning they are; "How many concerns were raised in 2022?" is not answered by "Annex 4 of the December
    2020 package". The passage must also share a word with the question (or a thesaurus word for one) that is
    not in half the catalogue, or follow one that does: a number elsewhere in the entry is about something else.
    Nearly every passage names someone, so a "who" passage must share two such words ("Who chairs the
    Group?" is not answered by a passage that only mentions the Group).
    """
    if query.asked is None:
        return False
    holds: Callable[[str], object] = _HOLDS[query.asked]
    needed = 1
    if query.asked == "who":  # the name may be the presenter's, cited, not in the passage
        holds, needed = bool, 2
    # The subject leaves out the forum: "the WTO Informal Working Group" is where, not what.
    idf = retriever.bm25.idf
    subject = {
        t
        for t in (*query.subject, *query.subject_expansions)
        if idf.get(t, _HALF + 1) > _HALF and not DATE_WORD.match(t)
    }
    # "How many banks ...", "How much GST revenue ...": a number is about the thing counted, so the passage
    # must also name it (the wh-phrase's words), not only the subject.
    counted = set(query.counted)
    for scored in ranked[:2]:
        i = retriever.index_of[scored.entry.id]
        if holds is _dates and subject & set(tokens(f"{scored.entry.title} {scored.entry.institution}")):
            return False  # "When was the Climate Impact report presented?": the entry's own date answers
        previous: set[str] = set()
        for text, sentence_tokens in zip(retriever.sentences[i], retriever.sentence_tokens[i], strict=True):
            here = set(sentence_tokens)
            # "The platform links ... . It will be available at the end of 2021.": the subject may be
            # named in the sentence before.
            about = len(subject & (here | previous)) >= needed and (not counted or _counts(sentence_tokens, counted))
            if about and holds(text):
                return False
            previous = here
    return True


def _overlap(
    words: set[str], sentence: set[str], idf: dict[str, float], rare: float, of: set[str] | None = None
) -> float:
    """IDF mass of ``words`` found in the sentence, as a share of the IDF mass of ``of`` (default: words)."""
    total = sum(idf.get(t, rare) for t in (of if of is not None else words))
    return sum(idf.get(t, 0.0) for t in words if t in sentence) / total if total else 0.0


DATE_WORD = re.compile(
    r"^(?:(?:19|20)\d\d|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)$"
)


def choose_sentences(
    query: Query, ranked: Sequence[Scored], retriever: Retriever, settings: Settings = DEFAULT, limit: int | None = None
) -> list[Pick]:
    """Up to ``limit`` sentences, in summary order, from the best entry (and a close second)."""
    if not ranked:
        return []
    limit = settings.max_sentences if limit is None else limit
    q = set(query.content)
    synonyms = list(query.expansions)
    idf = retriever.bm25.idf
    rare = max(idf.values(), default=1.0)
    candidates: list[Pick] = []
    for rank, scored in enumerate(ranked[:2]):
        if rank and scored.score < ranked[0].score - settings.second_entry_within:
            break
        i = retriever.index_of[scored.entry.id]
        # Focus words point at a sentence; the entry's own name and the date only pointed at the entry.
        focus = {
            t for t in q - set(tokens(f"{scored.entry.title} {scored.entry.institution}")) if not DATE_WORD.match(t)
        }
        for j, text in enumerate(retriever.sentences[i]):
            dense = float(scored.sentence_dense[j]) if j < len(scored.sentence_dense) else 0.0
            sentence = set(retriever.sentence_tokens[i][j])
            lexical = _overlap(focus, sentence, idf, rare, of=q)
            lexical += settings.w_synonym * _overlap(set(synonyms) - focus, sentence, idf, rare, of=q)
            # With nothing but the entry's own name to go on ("What did WIPO present?"), the opening
            # sentence, which says what the talk was, is the answer.
            opening = settings.bonus_opening if j == 0 and not focus else 0.0
            bonus = answer_type_bonus(query, text, settings) + opening - settings.penalty_second_entry * rank
            score = dense + settings.w_focus * lexical + bonus
            candidates.append(Pick(rank, j, text, score))
    candidates.sort(key=lambda p: -p.score)
    best = candidates[0]
    chosen = [best]
    for pick in candidates[1:]:
        if len(chosen) >= limit or pick.score < best.score - settings.keep_within:
            break
        if any(_jaccard(pick.text, c.text) > settings.near_duplicate for c in chosen):
            continue
        chosen.append(pick)
    chosen.sort(key=lambda p: (p.rank, p.index))
    return _with_enumerations(chosen, retriever, ranked, settings.max_with_enumeration)


def _with_enumerations(chosen: list[Pick], retriever: Retriever, ranked: Sequence[Scored], most: int) -> list[Pick]:
    """A sentence that announces a list ("... around three components.") brings the items that follow it."""
    out: list[Pick] = []
    for pick in chosen:
        if pick in out:
            continue
        out.append(pick)
        if not _ANNOUNCES.search(pick.text):
            continue
        sentences = retriever.sentences[retriever.index_of[ranked[pick.rank].entry.id]]
        for j in range(pick.index + 1, len(sentences)):
            if not _ORDINAL_START.match(sentences[j]) or len(out) >= most:
                break
            item = next((c for c in chosen if c.rank == pick.rank and c.index == j), None)
            out.append(item or Pick(pick.rank, j, sentences[j], pick.score))
    out.sort(key=lambda p: (p.rank, p.index))
    return out


def _jaccard(a: str, b: str) -> float:
    ta, tb = set(content_tokens(a)), set(content_tokens(b))
    return len(ta & tb) / max(1, len(ta | tb))


def coverage(words: Sequence[str], scored: Scored, retriever: Retriever) -> float:
    """Share of the IDF mass of ``words`` (content tokens) found anywhere in the entry (title, institution,
    summary)."""
    i = retriever.index_of[scored.entry.id]
    idf = retriever.bm25.idf
    rare = max(idf.values(), default=1.0)
    return _overlap(set(words), set(retriever.bm25.tf[i]), idf, rare)


def compose_fact(query: Query, ranked: Sequence[Scored], retriever: Retriever, settings: Settings = DEFAULT) -> Answer:
    """A fact answer from ranked entries: chosen sentences, each with its entry's citation number."""
    picks = choose_sentences(query, ranked, retriever, settings)
    numbers: dict[int, int] = {}
    sentences = [Sentence(p.text, numbers.setdefault(p.rank, len(numbers) + 1)) for p in picks]
    citations = tuple(Citation(n, ranked[rank].entry, ranked[rank].dense) for rank, n in numbers.items())
    text = " ".join(f"{s.text} [{s.citation}]" for s in sentences)
    return Answer(query.text, text, sentences=tuple(sentences), citations=citations, kind="fact")
