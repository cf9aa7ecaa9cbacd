"""Correcting misspelt words to the catalogue's own words ("intelectual proprety" -> "intellectual property").

Only a word the catalogue does not contain is corrected, and only to a word it does: never a number, a
word with digits, a place name, or an acronym the catalogue uses. Candidates are the catalogue's folded
words (titles, institutions and their aliases, summaries) and its two-word phrases written as one
("derisking" -> "de-risking", "Vietnam" -> "Viet Nam"), compared by optimal-string-alignment distance
(rapidfuzz: insertions, deletions, substitutions and swaps of two neighbours), with the same first
letter. A word of up to six letters may be one edit away, a longer one two; the nearest wins, then the
more frequent in the catalogue. A common English word is never corrected, however close a catalogue word
is ("theme" is not "the e", "plant" not "plan"): common means at least COMMON occurrences in the English
frequency list that symspellpy ships (82,765 words counted over a large web corpus; 200,000 keeps the
43,500 most frequent, and leaves rarer forms such as "minimus" open to correction).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from qa.question.places import economies_in
from qa.question.text import STOPWORDS, stem
from qa.question.vocabulary import ABBREVIATIONS

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?|\w+")
MIN_LENGTH = 4
COMMON = 200_000
_JOINED_PART = 4  # a two-word phrase is a fuzzy candidate only if both words have this many letters


def english_count(word: str) -> int:
    """How often English text uses ``word`` (symspellpy's frequency list; 0 for a word it lacks)."""
    return _English.count(word)


def common(word: str) -> bool:
    """A common English word (at least ``COMMON`` occurrences): never corrected, never a name."""
    return english_count(word) >= COMMON


class _English:
    """Occurrence counts of English words (symspellpy's frequency list), read on first use (~30 ms)."""

    _text: str | None = None

    @classmethod
    def count(cls, word: str) -> int:
        if cls._text is None:
            from importlib.resources import files

            cls._text = "\n" + (files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text("utf-8")
        at = cls._text.find(f"\n{word} ")
        if at < 0:
            return 0
        end = cls._text.find("\n", at + 1)
        digits = cls._text[at + len(word) + 2 : end if end > 0 else None].strip()
        return int(digits) if digits.isdigit() else 0


def fold(text: str) -> str:
    """Lower case, accents off; unlike qa.question.text.fold, phrases stay as written ("intellectual property")."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


class Speller:
    """The catalogue's vocabulary, and the nearest catalogue word for one it does not contain."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        forms: dict[str, Counter[str]] = {}  # folded word -> how the catalogue writes it
        joined: dict[str, str] = {}
        for text in texts:
            written = re.findall(r"[^\W\d_]+", text)
            found = [fold(w) for w in written]
            counts.update(found)
            for w, f in zip(written, found, strict=True):
                forms.setdefault(f, Counter())[w] += 1
            for a, b in zip(found, found[1:], strict=False):
                joined.setdefault(a + b, f"{a} {b}")
        self.counts = counts
        self._forms = {f: c.most_common(1)[0][0] for f, c in forms.items()}
        self.stems = {stem(w) for w in counts}
        self.spelt = {w: w for w in counts} | {j: two for j, two in joined.items() if j not in counts}
        self._by_letter: dict[str, list[str]] = {}
        for word, spelt in self.spelt.items():
            parts = spelt.split()
            if len(word) >= MIN_LENGTH - 1 and (len(parts) == 1 or min(map(len, parts)) >= _JOINED_PART):
                self._by_letter.setdefault(word[0], []).append(word)

    def known(self, word: str) -> bool:
        folded = fold(word)
        return folded in self.counts or stem(folded) in self.stems

    def correct(self, word: str) -> str | None:
        """The catalogue's spelling of ``word`` (possibly two words), or None to leave it as typed."""
        folded = fold(word)
        if folded in ABBREVIATIONS and folded not in self.counts:  # "incl", "govt": unless the catalogue says it
            return ABBREVIATIONS[folded]
        if len(folded) < MIN_LENGTH or not folded.isalpha() or folded in STOPWORDS or self.known(word):
            return None
        if economies_in(word):
            return None  # a real place the catalogue does not name ("Japan") is no misspelling
        if folded in self.spelt:
            return self._written(folded)  # two words written as one: "cybersecurity"
        most = 1 if len(folded) <= 6 else 2
        found = process.extract(
            folded, self._by_letter.get(folded[0], []), scorer=OSA.distance, score_cutoff=most, limit=12
        )
        if not found or common(folded):
            return None
        # Ties go to the fewest letters left out or added ("secton": "section" before "sector"; a dropped
        # letter is the commonest slip), then to the commoner word.
        best = min(found, key=lambda hit: (hit[1], Indel.distance(folded, hit[0]), -self._frequency(hit[0]), hit[0]))
        return self._written(best[0])

    def _written(self, key: str) -> str:
        return " ".join(self._forms.get(w, w) for w in self.spelt[key].split())

    def _frequency(self, spelt: str) -> int:
        return min(self.counts.get(w, 0) for w in self.spelt[spelt].split())

    def correct_text(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """``text`` with each misspelt word replaced, and the (typed, read) pairs."""
        fixes: list[tuple[str, str]] = []
        pieces: list[str] = []
        last = 0
        for m in _WORD.finditer(text):
            fixed = self.correct(m.group(0))
            if fixed is None:
                continue
            pieces += [text[last : m.start()], fixed]
            last = m.end()
            fixes.append((m.group(0), fixed))
        if not fixes:
            return text, ()
        return "".join([*pieces, text[last:]]), tuple(fixes)
