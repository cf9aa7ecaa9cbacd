"""The typed query: a question read once, and every later stage reads its fields, never the wording.

``read_query(text, lexicon)`` does all the reading: folded tokens and stems, thesaurus expansions, the
kind (fact, list, count), the filters the question names (period, institutions, economies, institution
types, categories), the topic, the asked-for answer type, and the names the catalogue never uses.
The :class:`Lexicon` is what the reader knows of the catalogue (its names and vocabulary), built once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from qa.catalogue.filters import Filter
from qa.catalogue.institutions import institution_aliases
from qa.catalogue.model import Catalogue
from qa.question import reader
from qa.question import vocabulary as v
from qa.question.asked import asked_for, counted_tokens, expanded_acronyms, focus_phrase, ordinal_words
from qa.question.clauses import WRITTEN, change_verbs, indirect, indirect_topic, premise, surface
from qa.question.glossary import expansions
from qa.question.grounding import topic_asked, unused_words
from qa.question.places import economies_in
from qa.question.roles import presenter_phrase
from qa.question.shape import without_order
from qa.question.slots import find_types, toks
from qa.question.spelling import Speller
from qa.question.text import content_tokens, tokens
from qa.question.when import Period, find_points


@dataclass(frozen=True)
class Lexicon:
    """The catalogue as the question reader sees it: category names, institution aliases, vocabulary."""

    categories: tuple[str, ...]  # categories and sub-sections, as the catalogue writes them
    aliases: Mapping[str, set[str]]  # institution -> the names it goes by
    vocabulary: frozenset[str]  # every stemmed token of titles, institutions, aliases and summaries
    speller: Speller | None = None  # corrects words the catalogue does not contain to words it does

    @classmethod
    def of(cls, catalogue: Catalogue, aliases: Mapping[str, set[str]] | None = None) -> Lexicon:
        aliases = aliases if aliases is not None else institution_aliases(list(catalogue.entries))
        names = list(catalogue.categories) + sorted({e.subcategory for e in catalogue.entries if e.subcategory})
        vocabulary: set[str] = set()
        texts: list[str] = []
        for e in catalogue.entries:
            names_of = " ".join(sorted(aliases.get(e.institution, ())))
            for part in (e.title, f"{e.institution} {names_of}", e.summary):  # as BM25 tokenises an entry
                vocabulary.update(tokens(part))
                texts.append(part)
        # The question's own grammar is spelt too: "secton" is "section", not the catalogue's "sector".
        grammar = reader.grammar_words() | v.forms(f"{v.CATEGORY_CUES} {v.LATEST} {v.EARLIEST}")
        texts.append(" ".join(sorted(grammar)))
        return cls(tuple(dict.fromkeys(names)), aliases, frozenset(vocabulary), Speller(texts))


@dataclass(frozen=True)
class Query:
    """One question, read. Immutable; a follow-up or a correction is a new Query."""

    text: str  # the question as cleaned (printable, one line)
    kind: str = "fact"  # "fact", "list" or "count": the shape of the answer
    route: str = "fact"  # the kind decided by the reader's table (qa.question.reader.KINDS)
    content: tuple[str, ...] = ()  # content tokens (stemmed, no stopwords or question-form words)
    expansions: tuple[str, ...] = ()  # thesaurus words for the content, searched at a lower weight
    period: Period | None = None
    institutions: tuple[str, ...] = ()
    economies: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # institution types ("IO", "Member", ...)
    categories: tuple[str, ...] = ()  # category or sub-section names as the catalogue writes them
    category_text: str = ""  # the everyday words that named a category, as written ("intellectual property")
    category_words: tuple[str, ...] = ()  # their content tokens ("ip")
    topic: str = ""  # the words after "on"/"about" ("cyber security"), as written
    mentions: bool = False  # the topic is asked about as a mention ("mentioned", "touched on")
    presenter: str | None = None  # a presenter named in a list question's own words ("the World Bank")
    asked: str | None = None  # the answer type the form asks for: places, share, money, quantity, date, who
    subject: tuple[str, ...] = ()  # content tokens without the forum ("the WTO Informal Working Group")
    subject_expansions: tuple[str, ...] = ()
    topic_tokens: tuple[str, ...] = ()  # tokens of the topic (stopwords kept)
    topic_content: tuple[str, ...] = ()
    topic_expansions: tuple[str, ...] = ()
    period_tokens: tuple[str, ...] = ()  # tokens of the words that named the period
    acronyms: tuple[str, ...] = ()  # acronyms a "what does X stand for?" question asks to expand
    ordinals: frozenset[str] = frozenset()  # ordinal words used ("first", "last", ...)
    unknown_names: tuple[str, ...] = ()  # names (capitalised, or with digits) the catalogue never uses
    search: bool = False  # a few words typed into a search box ("de minimis"), not a question
    focus: tuple[str, ...] = ()  # content tokens of the thing a wh-phrase asks for ("What penalty ...")
    counted: tuple[str, ...] = ()  # what a count, amount or share is of ("banks" in "How many banks ...")
    frame: str | None = None  # "overview", "compare" or "yesno": a question that spans the catalogue
    typed: str = ""  # the question as typed, when spelling corrections made ``text`` differ from it
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as read) for each corrected word
    order: str | None = None  # "latest" or "earliest": an end of the date order is asked for
    ends: tuple[str, ...] = ()  # every end asked for: ("earliest", "latest") compares the first and the last
    meeting: bool = False  # a meeting (every presentation of one date) is asked about
    period_when: bool = False  # the period says when things were presented ("in 2024?"), not "the 2020 package"
    total: str | None = None  # "meetings", "institutions", "categories", "most" (presenter), "most-category", ...
    clause: str = ""  # the question as a clause after "does not say" ("what the ITC's budget is")
    about_clause: str = ""  # "anything about crypto assets" from "What did UNCITRAL say about crypto assets?"
    written: tuple[tuple[str, str], ...] = ()  # (token, the word as written) for each word of the question
    premises: tuple[tuple[str, str], ...] = ()  # (verb of change, what the question takes for granted)
    points: tuple[Period, ...] = ()  # every date named, each on its own ("the July 2021 and November 2021 ...")
    order_topic: str = ""  # the topic without the order words that end it ("payments came last" -> "payments")
    presenter_types: tuple[str, ...] = ()  # institution types the presenter phrase names ("the private sector")
    presenter_said: str | None = None  # the presenter as the question says it, with its article ("the World Bank")
    presenting: bool = False  # the question speaks of presenting or presentations ("presented", "talks")
    unused: tuple[str, ...] = ()  # topic words no entry grounds, as written ("thx", "bucket"): they filter nothing
    topic_asked: bool = False  # those words were asked as the topic ("talks on mining"), not said in passing
    vector: Any = field(default=None, compare=False, repr=False)  # the encoded question, set by the engine

    @property
    def structural(self) -> bool:
        """The question names a filter of the catalogue's structure (a period, presenter, type or category)."""
        return bool(self.period or self.institutions or self.types or self.categories)

    @property
    def filter(self) -> Filter:
        """The filters the question names, as data."""
        return Filter(
            start=self.period.start if self.period else None,
            end=self.period.end if self.period else None,
            institutions=self.institutions or None,
            types=self.types,
            categories=self.categories,
            months=(self.period.month,) if self.period and self.period.month else (),
        )

    def on_topic(self) -> Query:
        """The same query with its topic's words as the search words ("... on the Global Trade Helpdesk")."""
        return replace(self, content=self.topic_content, expansions=self.topic_expansions)

    def plain(self) -> Query:
        """The same words with no kind or filters: what a one-signal search sees."""
        return Query(self.text, content=self.content, expansions=self.expansions, asked=self.asked,
                     subject=self.subject, subject_expansions=self.subject_expansions, acronyms=self.acronyms,
                     ordinals=self.ordinals, unknown_names=self.unknown_names, vector=self.vector)  # fmt: skip

    def surface(self, token: str) -> str | None:
        """The question's word that folds and stems to ``token``, as written."""
        return next((word for t, word in self.written if t == token), None)

    def premise(self, token: str) -> str:
        """What the question takes for granted about the verb of change ``token`` ("WIPO did discontinue ...")."""
        return next((claim for t, claim in self.premises if t == token), self.clause)

    def with_vector(self, vector: Any) -> Query:
        return replace(self, vector=vector)

    def to_json(self) -> dict[str, Any]:
        """How the question was read, for tests, ``--explain`` and the evaluation."""
        period = None
        if self.period:
            period = {
                "text": self.period.text,
                "start": self.period.start.isoformat() if self.period.start else None,
                "end": self.period.end.isoformat() if self.period.end else None,
            }
        return {
            "text": self.text,
            "kind": self.kind,
            "content": list(self.content),
            "expansions": list(self.expansions),
            "period": period,
            "institutions": list(self.institutions),
            "economies": list(self.economies),
            "types": list(self.types),
            "categories": list(self.categories),
            "topic": self.topic,
            "mentions": self.mentions,
            "presenter": self.presenter,
            "asked": self.asked,
            "frame": self.frame,
            "unknown_names": list(self.unknown_names),
            "search": self.search,
            "corrections": [list(pair) for pair in self.corrections],
            "order": self.order,
            "meeting": self.meeting,
            "total": self.total,
            "unused": list(self.unused),
        }


def read_query(text: str, lexicon: Lexicon, close: Callable[[str], bool] | None = None) -> Query:
    """Read a cleaned question once into a :class:`Query`, misspelt words corrected first. ``close`` says
    whether words no entry uses are close in meaning to an entry (:mod:`qa.question.grounding`)."""
    if lexicon.speller is not None:
        corrected, fixes = lexicon.speller.correct_text(text)
        if fixes:
            return replace(_read(corrected, lexicon, close), typed=text, corrections=fixes)
    return _read(text, lexicon, close)


def _read(text: str, lexicon: Lexicon, close: Callable[[str], bool] | None = None) -> Query:
    r = reader.read(text, lexicon.aliases, lexicon.categories, known=lexicon.vocabulary)
    unused = unused_words(r.topic, lexicon.vocabulary, close)
    said = r.text
    period = r.period
    content = content_tokens(said)
    subject = content_tokens(_without_forum(said, r))
    topic_content = content_tokens(r.topic)
    listing = r.kind in ("list", "meeting") or (r.listing and r.kind in ("order", "total"))
    kind = "count" if r.kind == "count" else "list" if listing else "fact"
    asked = asked_for(said)
    presenter = presenter_phrase(said, r)
    return Query(
        text=text,
        kind=kind,
        route=r.kind,
        content=tuple(content),
        expansions=tuple(expansions(content)),
        period=period,
        institutions=tuple(r.institutions),
        economies=tuple(r.economies),
        types=tuple(r.types),
        categories=tuple(r.categories),
        category_text=r.category_text,
        category_words=tuple(content_tokens(r.category_text)),
        topic=r.topic,
        mentions=bool(r.topic) and r.mentions,
        presenter=presenter,
        asked=asked,
        subject=tuple(subject),
        subject_expansions=tuple(expansions(subject)),
        topic_tokens=tuple(tokens(r.topic)),
        topic_content=tuple(topic_content),
        topic_expansions=tuple(expansions(topic_content)),
        period_tokens=tuple(tokens(period.text)) if period else (),
        acronyms=expanded_acronyms(said),
        ordinals=ordinal_words(r.toks),
        unknown_names=tuple(_unknown_names(said.replace(period.text, " ") if period else said, lexicon.vocabulary)),
        search=r.kind == "search",
        focus=tuple(content_tokens(focus_phrase(said, r.toks))),
        counted=counted_tokens(said, asked, r.toks),
        frame=r.frame,
        order=r.order,
        ends=r.ends,
        meeting=r.meeting,
        period_when=bool(period) and r.period_when,
        total=r.total,
        presenting=any(t.low in _presenting_words() for t in r.toks),
        clause=indirect(said),
        about_clause=indirect_topic(said),
        written=tuple((t, w) for w in WRITTEN.findall(said) for t in tokens(w)),
        premises=tuple((t, premise(said, surface(said, t) or t)) for t in subject if t in change_verbs()),
        presenter_said=_with_article(said, presenter),
        points=tuple(find_points(r.toks, said)),
        order_topic=without_order(r.topic) if r.order else r.topic,
        presenter_types=tuple(find_types(toks(presenter), set())[0]) if presenter else (),
        unused=unused,
        topic_asked=topic_asked(r.toks, r.topic),
    )


def _with_article(text: str, name: str | None) -> str | None:
    """ "the World Bank" when the question says it so, else the name."""
    if name is None:
        return None
    return f"the {name}" if f"the {name}".casefold() in text.casefold() else name


@cache
def _presenting_words() -> frozenset[str]:
    return v.forms(v.PRESENT_VERBS) | v.forms(v.PRESENTATION_NOUNS) | v.forms(v.LIST_NOUNS) | v.forms(v.MEETING_NOUNS)


def _without_forum(text: str, r: reader.Reading) -> str:
    """The question without the forum's name ("the WTO Informal Working Group"): what it is about."""
    for start, end in sorted({(r.toks[i].start, r.toks[i].end) for i in r.forum}, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def _unknown_names(text: str, vocabulary: frozenset[str]) -> list[str]:
    """Names in the question (capitalised after its first word, or with digits) the catalogue never uses."""
    words = re.findall(r"[A-Za-z][\w&/-]*", text)[1:]
    names = [
        w for w in words if (w[0].isupper() and not w.isupper() or re.search(r"\d", w)) or len(w) > 1 and w.isupper()
    ]
    places = v.stems(v.REGIONS)
    return [
        w for w in names
        if not all(t in vocabulary for t in tokens(w)) and not economies_in(w) and not set(tokens(w)) <= places
    ]  # fmt: skip
