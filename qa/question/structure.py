"""What a question asks of the catalogue's order and shape: the latest or earliest presentation or
meeting, and totals (how many presentations, meetings, institutions or categories; who presented most).

Read from the wording once, into :class:`~qa.question.query.Query` fields (``order``, ``meeting``,
``total``); the answers are made in :mod:`qa.answers.order`.
"""

from __future__ import annotations

import re

_LATEST = r"latest|most\s+recent(?:ly)?|newest|last|final|lately"
_EARLIEST = r"earliest|oldest|first|very\s+first"
# What an order word qualifies: a presentation or meeting ("the first Global Trade Helpdesk update"), or
# presenting itself ("When did the WTO last present ...?", "who presented first?").
_THING = (
    r"(?:presentations?|talks?|sessions?|briefings?|updates?|ones?|meetings?|entr(?:y|ies)|items?|"
    r"contributions?|appearances?|presenters?|speakers?|dates?|days?)"
)
_DOING = r"(?:present(?:ed|ing|s)?|spoke|talked|briefed|gave|g[ai]ve|came|appeared|met)"
_NOT_ORDER = r"(?!\s+(?:half|quarter|step|of\s+all\b|year|month|week)\b)"


def _order_pattern(words: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b(?:{words}){_NOT_ORDER}(?=(?:\s+[\w&'/().-]+){{0,5}}?\s+{_THING}\b|\s+{_DOING}\b|\s*[?.!]*\s*$)"
        rf"|\b{_DOING}\b[^?.!]*?\b(?:{words})\s*[?.!]*\s*$"
        rf"|\b{_DOING}\b[^?.!]*?\bfor\s+the\s+(?:{words})\s+time\b"
        rf"|\b{_DOING}\s+(?:{words})\b",
        re.IGNORECASE,
    )


_ORDER = (("latest", _order_pattern(_LATEST)), ("earliest", _order_pattern(_EARLIEST)))
_MEETING = re.compile(r"\b(?:meetings?|dates?|days?)\b", re.IGNORECASE)

_HOW_MANY = r"\b(?:how\s+many|number\s+of|count\s+(?:the\s+)?)\s+(?:different\s+|distinct\s+|unique\s+|separate\s+)?"
_TOTALS = (
    ("meetings", re.compile(_HOW_MANY + r"(?:meetings?|dates?|sessions\s+(?:were|took|did|has|have|of))\b", re.I)),
    ("categories", re.compile(_HOW_MANY + r"(?:thematic\s+)?(?:categories|topics\s+(?:are|does|did))\b", re.I)),
    (
        "institutions",
        re.compile(
            _HOW_MANY + r"(?:institutions?|organi[sz]ations?|presenters?|speakers?|ios|members|bodies|agencies|"
            r"(?:international|intergovernmental)\s+organi[sz]ations?|entities)\b",
            re.I,
        ),
    ),
    (
        "most",
        re.compile(
            r"\bmost\s+(?:often|frequently|times)\b|\bthe\s+most(?:\s+(?:presentations?|talks?|times|often))?\s*[?.!]*\s*$|"
            r"\bthe\s+most\s+(?:presentations?|talks?)\b|\bmost\s+presentations\b|\bmore\s+than\s+any(?:one|\s+other)\b",
            re.I,
        ),
    ),
)
# Words that say "the whole catalogue", not a topic ("How many presentations are in the catalogue?").
WHOLE = re.compile(
    r"\b(?:catalogu?e?s?|in\s+total|total(?:\s+number)?|altogether|overall|all\s+told|so\s+far|to\s+date|"
    r"(?:does|do)\s+(?:it|you)\s+(?:hold|have|contain|list)|(?:are|were)\s+there|ever)\b",
    re.IGNORECASE,
)


def find_order(question: str) -> str | None:
    """ "latest" or "earliest" when the question asks for an end of the date order, else None."""
    found = [(m.start(), name) for name, pattern in _ORDER if (m := pattern.search(question))]
    return min(found)[1] if found else None


_TRAILING = re.compile(
    rf"(?:\s+(?:came|come|was|were|given|presented|held|delivered|the|one|dates?|days?|meetings?|{_LATEST}|{_EARLIEST}))+"
    r"\s*[?.!]*\s*$",
    re.I,
)


def without_order(topic: str) -> str:
    """A topic without the order words that end it ("payments came last" -> "payments")."""
    return _TRAILING.sub("", " " + topic).strip()


def asks_meeting(question: str) -> bool:
    """The question is about a meeting (a date of the group), not one presentation."""
    return bool(_MEETING.search(question))


# A total is about the catalogue: presenting, meeting, or the catalogue itself.
_OF_CATALOGUE = re.compile(
    r"\b(?:present\w*|gave|give|given|giving|spoke|speak\w*|talk\w*|brief\w*|appear\w*|took\s+part|"
    r"participat\w*|contribut\w*|took\s+place|held|met|meetings?|sessions?|categor(?:y|ies))\b|" + WHOLE.pattern,
    re.IGNORECASE,
)
_REPEAT = re.compile(r"\b(?:more\s+than\s+once|several\s+times|multiple\s+times|repeatedly|twice\s+or\s+more)\b", re.I)
_MOST_OF = (
    ("most-category", re.compile(r"\b(?:categor(?:y|ies)|topics?|themes?|subjects?)\b", re.I)),
    ("most-meeting", re.compile(r"\b(?:meetings?|dates?|days?|sessions?)\b", re.I)),
    ("most-year", re.compile(r"\b(?:years?)\b", re.I)),
)


_WHEN_BEFORE = re.compile(r"\b(?:in|during|since|before|after|until|from|between|throughout|over|of)\s*$", re.I)
_WHEN_AFTER = re.compile(r"^\s*(?:[?.!,;:]|$|(?:on|about|regarding|concerning|and|or|for|at|by|with|to)\b)", re.I)


def period_is_when(question: str, period_text: str) -> bool:
    """The period says when something was presented ("What did the group discuss in 2024?"), not which
    thing is meant ("the 2020 package", "its 2019 study")."""
    at = question.find(period_text)
    if at < 0:
        return False
    before, after = question[:at], question[at + len(period_text) :]
    if not _WHEN_AFTER.match(after):
        return False
    return bool(_WHEN_BEFORE.search(before)) or not period_text[:1].isdigit()


def find_total(question: str) -> str | None:
    """What a totals question counts: "meetings", "categories", "institutions", or the most frequent
    presenter ("most"), category ("most-category"), meeting ("most-meeting") or year ("most-year");
    None for anything else (a count of presentations is an ordinary count question)."""
    if not _OF_CATALOGUE.search(question):
        return None  # "How many members has the ICC got?" counts something else
    for name, pattern in _TOTALS:
        if pattern.search(question):
            if name == "most":
                return next((most for most, of in _MOST_OF if of.search(question)), name)
            if name == "institutions" and _REPEAT.search(question):
                return "institutions-repeat"
            return name
    return None


# A list asked as a noun phrase ("Secretariat talks on trade facilitation", "IO presentations in 2022") or
# about presenters of a type ("Which IOs presented in ...?").
_PLURAL = r"(?:presentations|talks|sessions|briefings|presenters|speakers)"
_NOUN_PHRASE = re.compile(
    r"^\s*(?:the\s+|all\s+)?(?!(?:how|why|what|who|when|where|which|is|are|was|were|has|have|do|does|did|can)\b)"
    rf"(?:[\w&'/-]+\s+){{0,3}}{_PLURAL}\b(?!\s+(?:is|are|was|were|do|does|did|has|have)\b)",
    re.IGNORECASE,
)
_LIST_FORMS = (
    _NOUN_PHRASE,
    # "Which IOs presented in ...?"
    re.compile(
        r"\b(?:which|what)\s+(?:other\s+)?(?:ios|members|international\s+organi[sz]ations)\s+(?:have\s+|has\s+)?"
        r"(?:presented|spoke|talked|briefed|gave)\b",
        re.IGNORECASE,
    ),
    # "What MSME Financing presentations were given in 2022?"
    re.compile(
        rf"\b(?:which|what)\s+(?:[\w&'/()-]+\s+){{1,8}}?{_PLURAL}\s+(?:were|was|have\s+been|had\s+been)\s+"
        r"(?:given|presented|delivered|made|held|on|about|in|from|by)\b",
        re.IGNORECASE,
    ),
    # "Were there any presentations in Q3 2021?", "Who were the presenters classed as Other?"
    re.compile(rf"^\s*(?:(?:were|was|are|is)\s+there|who\s+(?:were|are))\s+(?:any\s+|the\s+)?{_PLURAL}\b", re.I),
)


def list_form(question: str) -> bool:
    """The question asks for a list without a list question's usual words."""
    return any(p.search(question) for p in _LIST_FORMS)
