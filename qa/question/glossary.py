"""A trade-policy thesaurus: the words people use for a thing, and the words the catalogue's summaries
(written by trade officials) use for it. "import duty" and "tariff", "trusted trader" and "Authorized
Economic Operator", "bookkeeping" and "accounting" name the same thing but share no letters, which neither
BM25 nor a small sentence encoder bridges reliably.

Each line of ``_GROUPS`` is one concept: phrases separated by "|", all equivalent. Phrases are compared as
folded, stemmed tokens (``qa.question.text.tokens``), so "tariffs", "Tariff" and "tariff" are one phrase. The table
is general trade, customs and small-business vocabulary, not a list of this catalogue's entries: it is
meant to hold for any edition of the catalogue. Matching uses it in one direction only: a question's
phrase brings its group's other phrases as extra, lower-weight search terms (see ``qa.search.retrieval``).
"""

from __future__ import annotations

from functools import lru_cache

from qa.question.text import content_tokens

_GROUPS = """
tariff | import duty | customs duty | duty | duties | levy | border tax
tax | taxation | vat | value added tax | gst | goods and services tax | levy
tax collection | collect tax | collect duty | revenue collection
de minimis | threshold | low value | low-value | small parcel | cheap import | low value shipment
parcel | package | shipment | consignment | express delivery | courier
shipping | logistics | freight | transport | delivery | carrier
customs | border | border agency | border procedure | clearance | customs clearance | border crossing
trade facilitation | border procedure | border formality | customs procedure | red tape at the border
trusted trader | authorized economic operator | authorised economic operator | aeo
paperwork | document | documentation | formality | red tape | administrative burden | bureaucracy
paperless | electronic | digital | digitized | digitised | e-document | without paper | dematerialized
bill of lading | transferable record | negotiable document | warehouse receipt | title document
electronic signature | e-signature | digital signature | electronic authentication
single window | one-stop shop | one stop shop
accounting | bookkeeping | book keeping | accounts | financial statement | financial reporting | ledger
finance | financing | funding | loan | credit | capital | lending | borrowing | money to grow
access to finance | get a loan | get credit | raise money | obtain financing | funding gap | financing gap
supply chain finance | invoice finance | invoice financing | factoring | reverse factoring | trade finance
trade finance | letter of credit | export credit | trade credit | guarantee
payment | pay | e-payment | electronic payment | mobile money | money transfer | remittance
bank | banking | financial institution | lender | unbanked
identity | identification | identifier | legal entity identifier | lei | verify identity | know your customer | kyc
intellectual property | ip | patent | trademark | trade mark | copyright | brand | design right | invention
research | r&d | research and development | innovation | innovate | new technology
innovation | technological upgrading | new product | invention | creativity
green | environment | environmental | climate | sustainability | sustainable | eco-friendly | carbon | emission
climate | global warming | greenhouse gas | carbon footprint | net zero | emission
circular economy | recycling | waste | reuse
food safety | plant health | animal health | sps | sanitary and phytosanitary | phytosanitary | sanitary
standard | standards | technical regulation | conformity assessment | certification | tbt | technical barrier
regulation | rule | rules | law | legislation | regulatory | legal framework | rule-making | policy
model law | legal text | legislative guide | uniform law
adopt a law | enact | legislation | put into law | implement in law | incorporate into law
government | public sector | authority | authorities | policymaker | policy maker | ministry
government support | public support | subsidy | grant | incentive | assistance | help | direct financial support
customer | client | buyer | consumer | demand | sale | sell
export | exporter | exporting | sell abroad | sell overseas | foreign market | international market
import | importer | importing | buy abroad | purchase from abroad
large firm | large company | large enterprise | big company | big firm | big business | corporation | multinational
competitiveness | compete | competitive | competition
global value chain | gvc | supply chain | value chain | production network
online | internet | web | digital | ecommerce | online shopping | online sale | online store | marketplace
ecommerce | online trade | digital trade | electronic commerce | online business
platform | portal | website | online tool | database | helpdesk | help desk | hub
tool | toolkit | guide | guidance | handbook | manual | resource
cyber security | cybersecurity | hacker | hacking | cyber attack | cyberattack | phishing | malware | ransomware
cyber security | online security | data security | information security | protect data
data protection | privacy | personal data
training | capacity building | workshop | course | webinar | teach | learn | skill | education
transparency | awareness | knowledge | data
statistics | data | figure | survey | indicator
woman | women | female | gender | woman-owned | women-owned | women entrepreneur
young | youth | young entrepreneur | startup | new business
informal | informality | informal sector | unregistered
register a business | business registration | start a business | incorporate | company registration
limited liability | limited company | llc | liability
developing country | developing economy | least developed | ldc | poor country | low-income
africa | african | sub-saharan
covid | covid-19 | pandemic | coronavirus | lockdown
crisis | shock | disruption | recovery
cost | expense | fee | charge | price | costly | expensive
faster | speed | quicker | delay | waiting time | reduce time | saving time
cheaper | lower cost | reduce cost | saving | cost reduction
blockchain | distributed ledger | dlt
trade agreement | free trade agreement | fta | rta | regional trade agreement | preferential agreement
wto agreement | trade facilitation agreement | tfa
notification | notify | eping | alert
market access | enter a market | access to market | market entry | barrier
barrier | obstacle | challenge | difficulty | problem | constraint | hurdle
tourism | tourist | travel
agriculture | farmer | farming | agri-food | agricultural
services | service sector | service trade
manufacturing | manufacturer | factory | industry | industrial
entrepreneur | business owner | founder | entrepreneurship
cooperation | partnership | collaboration | work together | coordinate
dialogue | consultation | stakeholder engagement | public-private dialogue
best practice | good practice | lesson learned | experience | case study
strategy | plan | roadmap | action plan | programme | program | initiative
pilot | pilot phase | testing phase | trial | prototype
survey | questionnaire | poll | study | research | report
""".strip()


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, ...], frozenset[int]]:
    """Phrase (as content tokens) -> the groups it belongs to."""
    table: dict[tuple[str, ...], set[int]] = {}
    for g, line in enumerate(_GROUPS.splitlines()):
        for phrase in line.split("|"):
            key = tuple(content_tokens(phrase))
            if key:
                table.setdefault(key, set()).add(g)
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _group_tokens() -> list[frozenset[str]]:
    return [frozenset(t for phrase in line.split("|") for t in content_tokens(phrase)) for line in _GROUPS.splitlines()]


MAX_PHRASE = 4


def phrases() -> list[str]:
    """Every phrase of the thesaurus as written (for showing its words, not their tokens)."""
    return [phrase.strip() for line in _GROUPS.splitlines() for phrase in line.split("|")]


def expansions(words: list[str]) -> set[str]:
    """Tokens that name the same things as ``words`` (content tokens, in order), minus ``words`` themselves."""
    table = _table()
    groups: set[int] = set()
    for i in range(len(words)):
        for n in range(1, MAX_PHRASE + 1):
            key = tuple(words[i : i + n])
            if len(key) == n and key in table:
                groups |= table[key]
    found = set().union(*(_group_tokens()[g] for g in groups)) if groups else set()
    return found - set(words)
