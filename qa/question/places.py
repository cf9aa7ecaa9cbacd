"""Economies people name in questions ("What did Canada present?", "Brazilian MSMEs").

The WTO's members and observers, with the adjectives people use for them and their capitals, which people
use for their governments ("Canberra's tax on parcels"). A question that names
one of these is about that economy: entries whose institution or title names it are preferred, and
a fact question about an economy the catalogue never mentions is not answered from another one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_ECONOMIES = """
Afghanistan|Afghan; Albania|Albanian; Angola|Angolan; Antigua and Barbuda; Argentina|Argentine|Argentinian;
Armenia|Armenian; Australia|Australian|Canberra; Austria|Austrian; Bahrain|Bahraini|Manama; Bangladesh|Bangladeshi;
Barbados; Belgium|Belgian; Belize; Benin; Bolivia|Bolivian; Botswana; Brazil|Brazilian|Brasilia|Brasília; Brunei;
Bulgaria|Bulgarian; Burkina Faso; Burundi; Cabo Verde|Cape Verde; Cambodia|Cambodian; Cameroon;
Canada|Canadian|Ottawa; Central African Republic; Chad; Chile|Chilean; China|Chinese|Beijing; Colombia|Colombian;
Congo; Costa Rica|Costa Rican; Cote d'Ivoire|Ivory Coast; Croatia|Croatian; Cuba|Cuban; Cyprus; Czech
Republic|Czechia|Czech; Denmark|Danish; Djibouti; Dominica; Dominican Republic; Ecuador|Ecuadorian|Quito;
Egypt|Egyptian; El Salvador; Estonia|Estonian; Eswatini; Ethiopia|Ethiopian; European
Union|EU|European|Europe|Brussels; Fiji; Finland|Finnish; France|French|Paris; Gabon; Gambia; Georgia;
Germany|German|Berlin; Ghana|Ghanaian; Greece|Greek; Grenada; Guatemala; Guinea; Guyana; Haiti; Honduras; Hong Kong;
Hungary|Hungarian; Iceland; India|Indian|New Delhi; Indonesia|Indonesian|Jakarta; Iran; Iraq; Ireland|Irish;
Israel|Israeli; Italy|Italian; Jamaica; Japan|Japanese|Tokyo; Jordan|Jordanian; Kazakhstan; Kenya|Kenyan|Nairobi;
Korea|Korean|Seoul; Kuwait; Kyrgyz Republic|Kyrgyzstan; Lao PDR|Laos; Latvia; Lesotho; Liberia; Liechtenstein;
Lithuania; Luxembourg; Macao; Madagascar; Malawi; Malaysia|Malaysian; Maldives; Mali; Malta; Mauritania; Mauritius;
Mexico|Mexican; Moldova; Mongolia; Montenegro; Morocco|Moroccan; Mozambique; Myanmar; Namibia; Nepal;
Netherlands|Dutch; New Zealand; Nicaragua; Niger; Nigeria|Nigerian|Abuja; North Macedonia; Norway|Norwegian; Oman;
Pakistan|Pakistani; Panama; Papua New Guinea; Paraguay; Peru|Peruvian; Philippines|Philippine|Filipino;
Poland|Polish; Portugal|Portuguese; Qatar; Romania|Romanian; Russia|Russian Federation|Russian; Rwanda; Saint Lucia;
Samoa; Saudi Arabia|Saudi; Senegal; Seychelles; Sierra Leone; Singapore|Singaporean; Slovak Republic|Slovakia;
Slovenia; Solomon Islands; South Africa|South African|Pretoria; Spain|Spanish; Sri Lanka; Suriname; Sweden|Swedish;
Switzerland|Swiss; Chinese Taipei|Taiwan; Tajikistan; Tanzania; Thailand|Thai; Togo; Tonga; Trinidad and Tobago;
Tunisia; Turkey|Turkiye|Turkish; Uganda; Ukraine|Ukrainian; United Arab Emirates|UAE|Emirati|Abu Dhabi|Dubai; United
Kingdom|UK|Britain|British|London; United States|USA|US|American|Washington; Uruguay|Uruguayan|Montevideo;
Uzbekistan; Vanuatu; Venezuela; Viet Nam|Vietnam|Vietnamese; Yemen; Zambia; Zimbabwe
"""


@lru_cache(maxsize=1)
def economies() -> dict[str, str]:
    """Lower-case name or adjective -> the economy's name."""
    table: dict[str, str] = {}
    for group in _ECONOMIES.split(";"):
        names = [" ".join(n.split()) for n in group.split("|") if n.strip()]  # a name may wrap a line
        for name in names:
            table[name.casefold()] = names[0]
    return table


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(" + _trie(economies()) + r")(?:'s|')?(?![\w])", re.IGNORECASE)


def _trie(names: Iterable[str]) -> str:
    """One regex for the names, factored by common prefixes ("niger(?:ia)?").

    Scanning a summary is ~6x faster than with ~250 alternatives tried at every position, and the matches
    are the same as the alternation's sorted longest first: the names that match at one position are
    prefixes of one another, and the trie tries the longer before the shorter (``(?:...)?`` is greedy).
    """
    root: dict[str, dict] = {}
    for name in names:
        node = root
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def regex(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + regex(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return regex(root)


# Prefixes that make an economy's adjective part of another word: "Inter-American", "Pan-African".
_PREFIXES = ("inter-", "pan-", "trans-", "intra-", "sub-", "latin-", "anti-", "pro-", "non-")


def economies_in(text: str) -> set[str]:
    """The economies a text names. Short all-caps codes (US, UK, EU) only count in capitals."""
    found = set()
    for m in _pattern().finditer(text):
        word = m.group(1)
        if text[max(0, m.start() - 6) : m.start()].lower().endswith(_PREFIXES):
            continue
        if len(word) <= 3 and word != word.upper():
            continue  # "us" is a pronoun, not the United States
        found.add(economies()[word.casefold()])
    return found
