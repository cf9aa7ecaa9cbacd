"""Rewriting a follow-up as a question that stands alone, from the previous question and what it cited.

Plain string edits, used by :mod:`qa.chat.conversation` (rule 2 of its docstring); nothing here answers anything.
"""

from __future__ import annotations

import re

from qa.catalogue.model import Entry
from qa.chat.followups import ORDINALS, PERSONAL, Names, period_span
from qa.errors import UsageError
from qa.question.periods import find_period


def nth(listed: tuple[Entry, ...], m: re.Match[str]) -> Entry:
    """The entry an ordinal ("the second one", "#3", "the last one") picks from the last answer's sources."""
    if m.group("last"):
        n = len(listed)
    else:
        word = (m.group("word") or "").lower()
        digits = m.group("num") or m.group("hash") or m.group("br") or m.group("bare") or word[:-2]
        n = ORDINALS.get(word) or int(digits)
    if not listed:
        raise UsageError("the last answer cited nothing to pick from; ask another question")
    if not 1 <= n <= len(listed):
        if len(listed) == 1:
            raise UsageError("the last answer has only 1 source; pick number 1")
        raise UsageError(f"the last answer has {len(listed)} sources; pick a number from 1 to {len(listed)}")
    return listed[n - 1]


def name_picked(rest: str, ordinal: re.Match[str], entry: Entry) -> str:
    """ "What did the second one say about costs?": the ordinal replaced by the picked entry's title."""
    return " ".join((rest[: ordinal.start()] + entry.title + rest[ordinal.end() :]).split())


def stand_in(rest: str, pronoun: re.Match[str], subject: str, targets: tuple[Entry, ...]) -> str:
    """ "Who adopted it?": the reference back replaced by what it stands for.

    "they"/"their" become the presenters referred to (up to three), with the subject added; "it", "that
    talk" (or "they" for many) the subject, or the one entry's title when there is no subject.
    """
    word = pronoun.group(0).lower()
    presenters = list(dict.fromkeys(e.institution for e in targets))
    tail = ""
    if word in PERSONAL and 0 < len(presenters) <= 3:  # "they", "their": the presenters referred to
        text = " and ".join(presenters) + ("'s" if word in ("their", "his", "her") else "")
        tail = f", on {subject}" if subject else ""
    else:  # "it", "that talk" (or "they" for many): the subject, or the one entry's title
        text = subject or (targets[0].title if len(targets) == 1 else pronoun.group(0))
    rewritten = rest[: pronoun.start()] + text + rest[pronoun.end() :]
    if tail:
        rewritten = rewritten.rstrip(" ?.!") + tail + "?"
    return " ".join(rewritten.split())


def carry(question: str, before: str, subject: str, names: Names) -> str:
    """ "And what did UNCITRAL say?": the question, with the previous subject, presenter and period it lacks.

    ``before`` is the previous question (as answered), ``subject`` its topic words.
    """
    parts = [question.rstrip(" ?.!")]
    if subject:
        parts.append(f"about {subject}")
    if not names.spans(question) and (who := names.spans(before)):
        parts.append("by " + " and ".join(before[s:e] for s, e in who))
    if not find_period(question) and (period := period_span(before)):
        parts.append(period[2])
    return " ".join(" ".join(parts).split()) + "?"


def swap_in(fragment: str, before: str, names: Names) -> str:
    """ "And in 2022?", "What about Canada?": the previous question with the fragment's parts swapped in.

    The fragment's presenter, period and topic each replace the previous question's own, or are added.
    """
    base = before.rstrip(" ?.!")
    edits: list[tuple[int, int, str]] = []
    appends: list[str] = []
    who = names.spans(fragment)
    if who:
        new = " and ".join(fragment[s:e] for s, e in who)
        old = names.spans(base)
        for k, (s, e) in enumerate(old):
            possessive = base[s:e].endswith(("'s", "\u2019s"))
            edits.append((s, e, "" if k else new + ("'s" if possessive and not new.endswith("s") else "")))
        if not old:
            appends.append(f"by {new}")
    period = period_span(fragment)
    if period:
        old_period = period_span(base)
        if old_period:
            edits.append((old_period[0], old_period[1], period[2]))
        else:
            appends.append(period[2])
    subject = names.subject(fragment)
    if subject:
        old_subject = names.subject_span(base)
        if old_subject:
            edits.append((old_subject[0], old_subject[1], subject))
        else:
            appends.append(f"on {subject}")
    for s, e, new_text in sorted(edits, reverse=True):
        base = base[:s] + new_text + base[e:]
    return " ".join(" ".join([base, *appends]).split()) + "?"
