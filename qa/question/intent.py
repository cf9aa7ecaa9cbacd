"""What a question asks for: a fact, or a list or count of entries, and the structure it names
(a period, institutions, institution types, categories)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from qa.catalogue.institutions import norm
from qa.question.places import economies_in
from qa.question.text import tokens

_COUNTED = r"(?:times|presentations?|talks?|sessions?|briefings?|updates?|entries|items|slides?|decks?)"
_COUNT = re.compile(
    rf"\bhow many\s+(?:[\w&'-]+\s+){{0,4}}?{_COUNTED}\b"
    rf"|\bhow often\b.*\b(?:present|presented|gave|given|spoke|briefed|appear|appeared)\b"
    rf"|\bnumber of\s+{_COUNTED}\b|\bcount (?:the |all )?{_COUNTED}\b"
    r"|\bhow many\s+(?:did|has|have|does|were|was)\b.*\b(?:present|presented|give|gave|given|make|made)\b",
    re.IGNORECASE,
)
_LIST = re.compile(
    r"^\s*(?:please\s+)?(?:list|show|name|enumerate|give me)\b"
    r"|\b(?:which|what)\s+(?:other\s+)?(?:presentations?|talks?|sessions?|briefings?|entries)\b"
    r"|\b(?:which|what)\s+(?:other\s+)?(?:institutions|organi[sz]ations|members|presenters?|countries|economies)\b"
    r".*\b(?:present|presented|presenting|spoke|talked|briefed|gave|given)\b"
    r"|\bwhat\s+(?:was|were|has been|have been)\s+presented\b"
    r"|^\s*when\s+(?:did|was|were|has|have|had)\b.*\b(?:present|presented|spoke|talked|briefed)\b"
    r"|\bwho\s+(?:has\s+)?(?:presented|spoke|talked|gave (?:a )?(?:presentations?|talks?))\b"
    r"|\bwhat\s+(?:did|has|have)\s+.+?\s+presen(?:t|ted)\b(?:\s+(?:to|at|in|on|before|since|during|between|after)\b.*)?\s*[?.!]*\s*$"
    r"|\b(?:all|every|everything)\b.*\bpresent"
    r"|\beverything\b",
    re.IGNORECASE,
)
# "Which talks mentioned / touched on / talked about X?" asks for every mention; "presented on X" for the
# talks that are about X.
MENTION = re.compile(
    r"\b(?:mention\w*|refer(?:s|red|ring)? to|touch(?:es|ed|ing)? on|discuss\w*|cover(?:s|ed|ing)?|"
    r"(?:talk(?:s|ed|ing)?|spoke|speak(?:s|ing)?|said (?:anything|something)) about)\b",
    re.IGNORECASE,
)
_TOPIC_AFTER = re.compile(
    r"\b(?:on|about|regarding|concerning|related to|mention(?:s|ed)?|discuss(?:es|ed)?|cover(?:s|ed)?|"
    r"refer(?:s|red)? to)\s+(?!behalf\b)(?P<topic>[^?.!]+)",
    re.IGNORECASE,
)
# "the WTO" as the forum, not as the presenter.
FORUM = re.compile(
    r"\b(?:the\s+)?wto(?:'s)?\s+(?:informal\s+)?(?:working\s+group|msme\s+group|members?|msme|committee|ministerial)\b"
    r"|\b(?:the\s+)?(?:informal\s+)?(?:msme|working)\s+group(?:\s+on\s+msmes?)?\b",
    re.IGNORECASE,
)
_TYPES = [
    (re.compile(r"\borgani[sz]ed by (?:a )?members?\b|\bon behalf of\b", re.I), "organized by Member"),
    (re.compile(r"\b(?:international|intergovernmental) organi[sz]ations?\b|\bios?\b|\btype io\b", re.I), "IO"),
    (re.compile(r"\b(?:the )?(?:wto )?secretariat\b", re.I), "Secretariat"),
    (
        re.compile(
            r"\b(?:type |category )?other\b(?= (?:institutions?|organi[sz]ations?|presenters?|type))|\btype other\b"
            r"|\b(?:classed|classified|listed|marked|typed|categori[sz]ed|labell?ed)\s+as\s+(?:an?\s+)?[\"']?other\b",
            re.I,
        ),
        "Other",
    ),
    (re.compile(r"(?<!^)(?<![.?!] )\bOther\b(?= (?:presentations?|talks?|presenters?|speakers?)\b)"), "Other"),
    (re.compile(r"\bmembers?(?: governments?| states| economies| countries)?\b|\bgovernments?\b", re.I), "Member"),
]


def find_categories(question: str, names: Sequence[str]) -> list[str]:
    """Category and sub-section names (``names``) the question contains (stemmed words, in order)."""
    q = tokens(question)
    spans: dict[str, list[range]] = {}
    for name in names:
        words = tokens(re.sub(r"\(.*?\)", "", name))
        n = len(words)
        at = [range(i, i + n) for i in range(len(q) - n + 1) if n and q[i : i + n] == words]
        if at:
            spans[name] = at

    # "Digital" inside "Standards to digitalize trade" is one mention, not two; said apart, it is two.
    def inside(r: range, other: str) -> bool:
        return any(r != o and r.start >= o.start and r.stop <= o.stop for o in spans[other])

    return [n for n, at in spans.items() if not all(any(inside(r, m) for m in spans if m != n) for r in at)]


def find_institutions(question: str, aliases: Mapping[str, set[str]]) -> list[str]:
    """Institutions named by acronym, name or economy ("Canada" -> Government of Canada, ...)."""
    text = " " + norm(FORUM.sub(" ", question)) + " "
    found = [inst for inst, names in aliases.items() if any(f" {a} " in text for a in names if a)]
    for economy in economies_in(FORUM.sub(" ", question)):
        key = norm(economy)
        found += [inst for inst in aliases if f" {key} " in f" {norm(inst)} " and inst not in found]
    # An acronym inside a longer name that also matched ("ICC" in "ICC-UK") is the longer one's.
    return [i for i in found if not any(norm(i) != norm(j) and f" {norm(i)} " in f" {norm(j)} " for j in found)]


def question_kind(question: str) -> str:
    """ "count", "list" or "fact", from the question's form."""
    return "count" if _COUNT.search(question) else "list" if _LIST.search(question) else "fact"


def find_types(rest: str) -> list[str]:
    """Institution types a list or count question names ("by IOs", "members", "the Secretariat")."""
    types: list[str] = []
    scrubbed = FORUM.sub(" ", rest)
    for pattern, name in _TYPES:
        if pattern.search(scrubbed):
            types += [name] if name not in types else []
            scrubbed = pattern.sub(" ", scrubbed)
    return types


def topic_of(rest: str) -> str:
    """The words after "on"/"about"/"regarding" ... up to the end of the sentence."""
    m = _TOPIC_AFTER.search(rest)
    return m.group("topic").strip() if m else ""


_WHO = [
    re.compile(
        r"\b(?:did|has|have|does|do)\s+(?:the\s+)?(?P<who>[\w&'/.-]+(?:\s+[\w&'/.-]+){0,7}?)\s+"
        r"(?:present|presented|give|gave|make|made|talk|speak|brief|say|share|deliver|tell|told)\b",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<who>\b[A-Z][\w&/.-]*(?:\s+[A-Z][\w&/.-]*){0,5})['\u2019]s\s+(?:presentation|talk|briefing|slides)\b"),
    re.compile(
        r"\b(?:by|from)\s+(?:the\s+)?(?P<who>[\w&'/.-]+(?:\s+[\w&'/.-]+){0,7}?)\s*(?=[?.!,]|$|\s+(?:in|on|since|before|after|during|between|at|to|about)\b)",
        re.IGNORECASE,
    ),
]
_NOT_A_NAME = re.compile(
    r"^(?:(?:it|they|them|he|she|we|you|i|anyone|someone|somebody|anybody|each|all|any|this|that|these|those|"
    r"presentations?|talks?|sessions?|members?|presenters?|speakers?|institutions?|organi[sz]ations?|group|meeting|"
    r"\d.*|a|an|the|its|their|there|[a-z]+ly)\b.*)?$",
    re.IGNORECASE,
)


def presenter_phrase(question: str) -> str | None:
    """The presenter a question names ("the World Bank" in "What did the World Bank present?").

    Only phrases shaped like names count: capitalised words (with "of", "for", "and" between them), maybe
    followed by a possessive and one word ("Singapore's government"); so "what did they present" and "did
    the Boracay review say" name no presenter.
    """
    scrubbed = FORUM.sub(" ", question)
    for pattern in _WHO:
        for m in pattern.finditer(scrubbed):
            who = m.group("who").strip(" .,'")
            if who and not _NOT_A_NAME.match(who) and _NAME_SHAPE.match(who):
                return who
    return None


_NAME_WORD = r"(?:[A-Z0-9][\w&/.-]*)"
_NAME_SHAPE = re.compile(
    rf"^{_NAME_WORD}(?:\s+(?:(?:of|for|and|on|the|de|&)\s+)*{_NAME_WORD})*(?:['\u2019]s\s+[a-z]+)?$"
)


_QUESTION_START = re.compile(
    r"^\s*(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|can|could|will|would|"
    r"should|has|have|had|tell|list|show|give|name|describe|explain|summari[sz]e|find|please)\b",
    re.IGNORECASE,
)
SEARCH_WORDS = 4


def looks_like_search(text: str) -> bool:
    """A few words typed into a search box ("de minimis", "GST Australia"), not a sentence or a question."""
    count = len(re.findall(r"\w+(?:[-'\u2019]\w+)*", text))
    return 0 < count <= SEARCH_WORDS and not text.rstrip().endswith("?") and not _QUESTION_START.match(text)


_FOCUS = re.compile(
    r"^\s*(?:(?:and|so|then|but)\s+)?(?:what|which|how many|how much|how long)\s+"
    r"(?:(?:is|are|was|were|does|do|did|the|a|an|kind of|type of|sort of|exactly)\s+)*"
    r"(?P<head>[\w-]+(?:\s+(?!(?:is|are|was|were|does|do|did|has|have|had|can|could|will|would)\b)[\w-]+)?)",
    re.IGNORECASE,
)


def focus_phrase(text: str) -> str:
    """The words right after the wh-word: what is asked for ("penalty" in "What penalty does ...")."""
    m = _FOCUS.match(text)
    return m.group("head") if m else ""
