"""The words of this domain, as data: the one place every question and follow-up reader takes them from.

Each table is plain words. Readers compare them as folded, stemmed tokens (:func:`stems`, :func:`phrases`),
so case, plural and tense never matter: "presented", "Presents" and "presenting" are one word, as are
"talk", "talks" and "talked". Nothing outside this module keeps its own list of these words; the month
names are the catalogue's own (:data:`qa.catalogue.dates.MONTHS`, which reads the catalogue's dates).

To teach the reader a word, add it here; every reader (questions, follow-ups, list filters) sees it.
"""

from __future__ import annotations

from functools import cache

from qa.catalogue.dates import MONTHS
from qa.question.text import tokens

# Presenting -------------------------------------------------------------------------------------------

# Verbs for giving a presentation. A follow-up or question that uses one asks about presentations.
PRESENT_VERBS = """present presented presenting presents talk talked talking talks discuss discussed discussing
speak spoke spoken speaking speaks give gave given giving gives cover covered covering covers brief briefed
briefing address addressed addressing deal dealt dealing share shared sharing report reported reporting
deliver delivered delivering outline outlined explain explained introduce introduced showcase showcased
update updated feature featured appear appeared contribute contributed walk walked"""
# The verbs that make a capitalised name before them a presenter ("What did the World Bank present?").
PRESENTER_VERBS = """present presented give gave make made talk talked speak spoke brief briefed say said share shared
deliver delivered tell told"""
# Presenting verbs that are never the topic; the others may be nouns after these words ("about reporting").
VERBS_ONLY = "present presented presenting presents gave given give spoke speak"
NOUN_LEADS = "the a an on about regarding"
# Verbs that ask for passing mentions as well as the presentations about a topic.
MENTION_VERBS = "mention mentioned mentions mentioning cite cited refer referred refers touch touched touches"
# Nouns for one presentation.
PRESENTATION_NOUNS = """presentation presentations talk talks session sessions briefing briefings contribution
contributions update updates slide slides deck decks entry entries item items one ones lecture lectures"""
# The nouns that, in a fragment or after "were there any", ask for presentations ("blockchain talks 2022").
LIST_NOUNS = """presentation presentations talk talks session sessions briefing briefings contribution contributions
lecture lectures presenter presenters speaker speakers entry entries"""
# Nouns for who presented.
PRESENTER_NOUNS = """presenter presenters speaker speakers institution institutions organisation organisations
organization organizations body bodies agency agencies entity entities"""
# A meeting of the group: every presentation of one date.
MEETING_NOUNS = "meeting meetings sitting sittings agenda gathering gatherings date dates day days"
# A meeting as what is asked about ("the last meeting", "the agenda"), and what a meeting does.
MEETING_OBJECTS = "meeting meetings sitting sittings agenda gathering gatherings"
MEETING_VERBS = "met meet convened gathered held place"

# Periods ----------------------------------------------------------------------------------------------

ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
    "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9,
    "tenth": 10, "10th": 10,
}  # fmt: skip
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a": 1, "an": 1}
# Prepositions before a date, and what they make of it.
PERIOD_PREPOSITIONS = {
    "in": "in", "during": "in", "on": "in", "at": "in", "of": "in", "from": "in", "within": "in", "throughout": "in",
    "since": "since", "after": "after", "before": "before", "until": "until", "till": "until", "through": "until",
    "by": "until", "to": "until", "dated": "in",
}  # fmt: skip
# Several words that act as one preposition.
PERIOD_PHRASES = {
    "prior to": "before", "earlier than": "before", "later than": "after", "up to": "until", "no later than": "until",
    "as of": "since", "starting in": "since", "starting from": "since", "on or after": "since",
}  # fmt: skip
ONWARDS = "onwards onward forward later"
RANGE_OPENERS = "between from"  # "between July and December 2021", "from May to July 2022"
RANGE_JOINERS = "and to until till through"
# "in May" is a period; "may" alone is a verb.
MAY_PREPOSITIONS = "in during from since until before after"
# After an order word, these make it part of a period or a count, not an order ("the first half", "first of all").
NOT_ORDER_AFTER = "half quarter step steps year month week of phase"
# Periods the totals cannot rank ("which month had the most presentations?").
UNRANKED_PERIODS = "month months week weeks quarter"
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
PARTS_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "middle": (5, 8), "late": (9, 12)}
HALF_WORDS = "half"
QUARTER_WORDS = "quarter"
# Relative periods, against today's date: "last year", "this year", "two years ago", "last month".
RELATIVE_NEAR = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1}
RELATIVE_UNITS = "year years month months"
AGO = "ago"
# A year followed by one of these names a thing ("the 2020 package", "World Trade Report 2020"), not a period.
NAME_AFTER_YEAR = "package decision report agenda forum edition programme program declaration"

# Order, totals, meetings -------------------------------------------------------------------------------

LATEST = "latest last final newest recent recently lately"
EARLIEST = "earliest first oldest initial inaugural opening"
ORDER_INTENSIFIERS = "most very"  # "the most recent", "the very first"
# Two-word order phrases.
ORDER_PHRASES = {"most recent": "latest", "most recently": "latest", "very first": "earliest", "very last": "latest"}
# What an order word may qualify without being a period ("the last meeting", "the first update").
HOW_MANY = {"how many": "count", "how often": "count", "number of": "count", "count": "count", "tally": "count"}
# Nouns a "how many" counts that are not presentations: totals of the catalogue.
TOTAL_NOUNS = {
    "meetings": "meeting meetings sitting sittings date dates",
    "institutions": "institution institutions organisation organisations organization organizations presenter "
    "presenters speaker speakers body bodies agency agencies entity entities io ios member members",
    "categories": "category categories theme themes topic topics",
}
# Who or what has the most: "who presented the most", "more than anyone", "the largest number of talks".
MOST = """most|more than any|more than anyone|more than anybody|more times than any|more often than any|
largest number|highest number|greatest number|biggest number"""
# What may follow "most" in a totals question ("most often", "the most presentations", "the most?").
MOST_AFTER = """often frequently times presentations talks sessions briefings entries of contributions
appearances"""
# Words that make a "how many" a total of the catalogue ("how many institutions took part").
TOTAL_CONTEXT = "took part|participate|participated|take part|appear|appeared|came from|come from|held|met"
REPEAT = "more than once|several times|multiple times|repeatedly|twice or more|again and again"
# "Which category / meeting / year had the most ...?": what is ranked, in this order.
MOST_OF = {
    "most-category": "category categories topic topics theme themes subject subjects",
    "most-meeting": "meeting meetings date dates day days session sessions",
    "most-year": "year years",
}
WHOLE_CATALOGUE = "catalogue catalog total altogether overall ever there category categories"

# Institution types ------------------------------------------------------------------------------------

# Type as the catalogue writes it -> the words people use for it.
TYPES = {
    "IO": "io|ios|international organisation|international organisations|international organization|"
    "international organizations|intergovernmental organisation|intergovernmental organization|"
    "intergovernmental organisations|intergovernmental organizations|multilateral|agency|agencies",
    "Secretariat": "secretariat|wto secretariat|the secretariat",
    "Member": "member|members|government|governments|member government|member governments|member state|"
    "member states|member economies|member countries|national government",
    "Other": "type other|other-type|other type|classed as other|classified as other|listed as other|marked as other|"
    "other presenters|"
    "other institutions|other organisations|other organizations|private sector|private-sector|private companies|"
    "private firms|industry associations|industry association|non-governmental|ngo|ngos|civil society|"
    "business associations|business association",
    "organized by Member": "organized by member|organised by member|on behalf of|invited by member|"
    "invited by a member|organized by a member|organised by a member|on behalf of an outside organization|"
    "on behalf of an outside organisation|on behalf of outside organizations|on behalf of outside organisations",
}
# Words near "other" that make it the catalogue's type ("listed as Other", "presenter type is other").
TYPE_CUES = """type types typed listed classed classified categorised categorized tagged marked labelled labeled
kind category"""

# Categories in everyday words -------------------------------------------------------------------------

# Everyday phrases for the catalogue's own thematic categories, keyed by a word of the category's name.
# A category is also found by its own name, read from the catalogue (qa.question.slots).
CATEGORY_WORDS = {
    "financing": "financing for small firms|financing for small businesses|msme financing|msme finance|"
    "sme finance|sme financing|finance for msmes|financing for msmes|access to finance|access to financing|"
    "access to credit|small business finance|small business financing|financing|finance|funding",
    "digital": "digital economy|digital|digitalisation|digitalization|digitisation|digitization|digital trade|"
    "digital transformation",
    "cyber": "cyber|cyber security|cybersecurity|cyber risk|cyber readiness|cyber-readiness|cyber resilience",
    "sustainability": "sustainability|sustainable|green|environment|environmental|climate",
    "innovation": "innovation|innovative",
    "intellectual": "intellectual property|ip|ip tools|patents|trademarks",
    "low-value": "low value shipments|low-value shipments|low value parcels|small parcels|de minimis",
    "facilitation": "trade facilitation",
    "rtas": "regional trade agreements|rtas|rta|free trade agreements|trade agreements|ftas|msme provisions",
    "package": "december 2020 package|2020 package|the package|december package",
    "other": "other topics",
}

# Places -----------------------------------------------------------------------------------------------

# Regions and their adjectives: a place a talk is about, never a presenter ("What did the Europeans say ...?").
REGIONS = """europe european europeans africa african africans asia asian asians america american americans
latin caribbean pacific gulf arab arabs middle eastern western northern southern nordic balkan mediterranean
oceania southeast northeast southwest northwest sub-saharan"""

# Question frames --------------------------------------------------------------------------------------

WH_WORDS = "who whom whose what which when where why how"
# Verbs that ask for an explanation rather than name presentations ("tell me about ...", "describe ...").
ASK_VERBS = "tell explain describe summarise summarize please"
# Words that say a one-word category name is meant as the category ("the Digital category", "under Digital").
CATEGORY_CUES = "category section theme subsection sub-section heading subheading bucket"
# Short forms people type, read as the words they stand for (before spelling correction).
ABBREVIATIONS = {
    "incl": "including", "govt": "government", "govts": "governments", "intl": "international",
    "dept": "department", "approx": "approximately", "esp": "especially", "info": "information",
    "orgs": "organisations", "biz": "business", "regs": "regulations", "yr": "year", "yrs": "years",
    "preso": "presentation", "presos": "presentations",
}  # fmt: skip
AUXILIARIES = "is are was were do does did has have had can could will would should may might"
# Words a question may open with before it starts ("please list ...", "hey, which talks ...").
LEADS = "please and so ok okay now then kindly hey hi hello well"
# Openers of a list request: "list the ...", "show me ...", "were there any ...".
LIST_OPENERS = "list show name enumerate give find get display"
LIST_WORDS = "all every everything any anything anyone anybody ones"
# Words after which the topic starts, and other function words of the frame.
# The words that introduce an asked topic ("talks on mining", "anything about payments").
TOPIC_MARKERS = "on about regarding concerning re covering"
TOPIC_PREPOSITIONS = """on about regarding concerning re covering related relating around touching into of for
with to in at by"""
FRAME_WORDS = """please tell me us i we you kindly thanks there were was been being any anything something
anyone anybody someone somebody group the a an all every everything which who whom what when how many much
often number count list show name give find get display were any did does do has have had is are be ones one
time times ever so far to date also and just only got take took taken place held happen happened category
categories section sections theme themes fall falls include includes including marked classed classified listed
labelled labeled tagged year years hear heard say said know tell told happen happened
different distinct unique separate catalogue catalog total altogether overall frequently often highest
largest greatest biggest twice once month months thematic met meet convened gathered come came coming
receive received receiving coverage"""
# The forum itself, not a presenter or a topic: "the WTO Informal Working Group", "WTO members".
FORUM = """wto informal working group on msmes|wto informal working group|informal working group on msmes|
informal working group|working group on msmes|working group|msme group|the group|wto msme group|wto members|
wto member|wto committee|wto ministerial|wto msme|members of the group|group members"""
# Compare, overview, yes/no.
COMPARE_WORDS = "compare compared comparison contrast differ differed differs difference differences versus vs"
YESNO_OPENERS = "has have had did does do was were is are"
# A yes/no typed without its auxiliary: "anyone present on RCEP?", "somebody talk about tourism?".
YESNO_SUBJECTS = "anyone anybody someone somebody"
YESNO_CUES = """presentation presentations session sessions talk talks briefing present presented presenting
brief briefed discuss discussed cover covered subject report give gave talk talked speak spoke mention
mentioned raise raised say said"""
OVERVIEW_WORDS = "overview summary summarise summarize summarised summarized recap rundown roundup gist synopsis"
# Asking for a summary in so many words ("walk me through ...", "anything on ...").
OVERVIEW_PHRASES = """what came up|what has come up|anything on|anything about|everything on|everything about|
tell me about|tell us about|walk me through|walk us through|take me through|take us through|run me through|
run us through|fill me in on|fill us in on|catch me up on|catch us up on|brief me on|brief us on"""
# Asking what the audience took in: "What did we hear about ...", "What have members learned on ...".
AUDIENCE = "we us group members delegates delegations everyone"
RECEPTION_VERBS = "hear heard learn learned learnt get got receive received"
# Asking what was said, with no one saying it: "What was discussed about ...", "what has been shared on ...".
SAID_VERBS = """said discussed presented covered shared raised mentioned reported addressed heard explored
highlighted told"""
PASSIVES = "was were been is are being"
# Asking how a topic figured in the talks: "How did COVID-19 feature ...", "How did blockchain come up?".
APPEARANCE_VERBS = "feature featured features figure figured appear appeared arise arose"
APPEARANCE_PHRASES = "come up|came up|crop up|cropped up"

# Verbs whose question presupposes that something changed or ended ("Why did WIPO discontinue ...?"): such an
# event is a claim the entry must make itself.
CHANGE_VERBS = """abandon drop discontinue cancel reject stop scrap withdraw terminate suspend close shut abolish revoke
raise lower increase reduce cut fall rise decline double halve quit reverse delay postpone fail lose ban replace
retire shelve pause freeze relocate downgrade"""

# Follow-ups -------------------------------------------------------------------------------------------

# Words that refer back to what the conversation cited.
REFERENCES = "it its they them their theirs those these that this he she him his her same"
PERSONAL_REFERENCES = "they them their he she him his her"
SINGULAR_REFERENCES = "it its that this he she him his her"  # one entry is meant
# Starts of a follow-up fragment: "and in 2022?", "what about Canada?", "same for the ITC".
FOLLOW_LEADS = "and|also|but|so|then|ok|okay|now|what about|how about|same for"
# Narrowing the last list: "only the 2022 ones", "just the UNCTAD ones", "which of those".
NARROW_WORDS = "only just those these them of among which ones one"
# "did they come back later?": every later presentation of the presenter.
SERIES_LATER = "later|come back|came back|coming back|return|returned|again|afterwards"
# "the later one", "the earlier one": which end of the last list.
LATER_ONE = "later latest newer newest recent"
EARLIER_ONE = "earlier earliest older oldest"
# "that organisation", "the same presenter": a reference to who presented.
PRESENTER_REFERENCE_NOUNS = """organisation organization institution presenter speaker body agency mission member
government"""
# Nouns after an ordinal that pick from the last list ("the second one", "the third talk").
PICK_NOUNS = "one entry item result source citation presentation talk link slides"
NUMBER_NOUNS = "number no item entry source citation"  # "number 3", "item 2"
# Instructions to narrow the last list: never its topic, and "to" in them names no period ("narrow it to 2021").
NARROW_INSTRUCTIONS = """narrow it to|narrow it down to|narrow down to|narrow that to|narrow that down to|
narrow them to|narrow to|narrow it|narrow down|restrict it to|restrict that to|restrict them to|restrict to|
limit it to|limit that to|limit them to|limit to|filter it to|filter that to|filter them to|filter to|filter by|
filter for|cut it down to|keep only|only keep|just keep|just show|only show|show only|show just"""
NARROW_PHRASES = """of those|of these|of them|among them|among those|which of|from the list|the ones|those from|
those by|those in|those that"""
# Attributes of a presentation asked in a follow-up.
ATTRIBUTES = {
    "link": "slides slide link links url pdf deck download document where",
    "who": "who whom presenter presenters speaker speakers gave institution organisation organization by",
    "when": "when date day year",
}
MORE_WORDS = "more continue go on keep going further details detail elaborate"
# Moving through a series: the presenter's next or previous presentation, or anyone's follow-up.
SERIES_NEXT = """next|later|subsequent|following|after|afterwards|come back|came back|coming back|return|returned|
again|follow-up|follow up"""
SERIES_PREVIOUS = "previous|earlier|prior|preceding|before"
OTHER_WORDS = "else other others another"
SAME_MEETING = """same day|same date|same meeting|same session|that day|that meeting|that date|that session|alongside|
this meeting|this day|this session|meeting where|meeting at which|meeting in which|session where|day when|
day on which"""

# Stop words -------------------------------------------------------------------------------------------

STOP_WORDS = """a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing done down during each either else ever every few for
from further get give given gives had has have having he her here hers him his how i if in into is it its
itself just know let like made make many may me more most much must my no nor not now of off on once only or
other our ours out over own please same say said says she should show so some such tell than that the their
theirs them then there these they this those through to too under until up upon us very was we were what
when where whether which while who whom whose why will with would you your yours"""


# Reading the tables ----------------------------------------------------------------------------------


@cache
def stems(table: str) -> frozenset[str]:
    """The table's words as folded, stemmed tokens."""
    return frozenset(t for word in table.split() for t in tokens(word))


@cache
def phrases(table: str) -> tuple[tuple[str, ...], ...]:
    """A "|"-separated table as token sequences, longest first."""
    found = {tuple(t for w in p.split() for t in tokens(w)) for p in table.replace("\n", " ").split("|")}
    found.discard(())
    return tuple(sorted(found, key=len, reverse=True))


@cache
def alternatives(table: str) -> tuple[str, ...]:
    """A "|"-separated table's phrases, lower case, one space between words."""
    return tuple(" ".join(p.lower().split()) for p in table.split("|") if p.strip())


@cache
def forms(table: str) -> frozenset[str]:
    """The table's words as written, lower case: for words whose stems collide ("presenters" and "presented"
    both stem to "present"), the written forms tell a verb from a noun."""
    return frozenset(table.lower().split())


def month_number(word: str) -> int | None:
    """1-12 for a month's name or abbreviation in any case ("Dec", "dec.", "December"), else None."""
    return MONTHS.get(word.lower().rstrip("."))


__all__ = ["MONTHS", "alternatives", "forms", "month_number", "phrases", "stems"]
