"""A conversation: follow-up questions answered from what was said, without a generative model.

Every answer is still catalogue text (summary sentences) or catalogue fields set in a fixed template;
the conversation only decides *which question* is answered and *from which entries*. The rules are
plain patterns, tried in this order (see :meth:`Conversation.read`):

1. **Acts on what the last answer cited**, when the line has no subject, name or period of its own:

   - "more", "tell me more", "go on", "and?": further sentences of the cited entries, not shown yet;
   - "who gave it?", "by whom?", "when was that?":
     ``Presented by <institution> (<type>) on <date>: <title>. [1]``;
   - "where are the slides?", "link?": ``<title>: <link> [1]``;
   - "the second one", "number 3", "#3", "the last one", "what was it about?": opening sentences.

   An ordinal picks from the last question's sources (a list's numbering). Otherwise "it"/"that" is
   the entry in focus (a fact answer's first source, or the entry picked last); "they"/"them", or
   anything said after a list with nothing picked, means every listed entry.
2. **Follow-up questions** carry the previous subject (its topic words) and cited entries:

   - a fragment after "and"/"also"/"what about"/"how about" ("And in 2022?", "What about Canada?"):
     the previous question with the fragment's presenter, period or topic put in place of its own;
   - "and" + a question with no subject of its own ("And what did UNCITRAL say?"): that question,
     with the previous subject (and the presenter and period it does not name itself);
   - a reference back: it, its, they, them, their, those, these, "the same", "that"/"this" at the end
     or before a noun (talk, one, law, ...), an ordinal ("What did the second one say about costs?"):
     "it"/"that" becomes the previous subject (or the one entry's title), "they"/"their" the presenters
     referred to (up to three), an ordinal the picked entry's title;
   - "else"/"other" in a follow-up ("Who else presented on that?"): the same, minus the cited entries.

   A newly named institution or period restricts the answer to its entries
   (``Retriever.rank(candidates=...)``), and one of them must be about the subject (its words or its
   meaning), else the answer abstains and says so. A reference back answers from the entries referred
   to first (a picked entry alone), from the whole catalogue if none of them does.
3. **Anything else is a new question**, answered exactly as if asked first: it names its own subject,
   so it is never pulled toward the earlier topic, and it becomes the subject. ("its"/"their" is no
   reference back when the question names an institution itself: "What does ITC say about its helpdesk?")
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from qa.answer import Answer, Citation, Sentence
from qa.engine import NOTHING, Assistant, abstain, clean_question, compose_fact
from qa.errors import UsageError
from qa.extract import coverage
from qa.followups import (
    LEAD,
    LINK,
    MORE,
    ORDINAL,
    ORDINALS,
    OTHER,
    PERSONAL,
    PLURAL,
    WH,
    WHO,
    Names,
    period_span,
    reference,
)
from qa.intent import Intent
from qa.listing import describe
from qa.model import Entry
from qa.periods import find_period
from qa.retrieval import Retriever, Scored

MORE_SENTENCES = 3  # per "more" from one entry; after a list, the next sentence of each of MORE_ENTRIES
MORE_ENTRIES = 5
PICK_SENTENCES = 3  # "the second one": its opening sentences
SUBJECT_COVERAGE = 0.5  # a restricted follow-up's entry must hold this share of the subject's words ...
SUBJECT_DENSE = 0.6  # ... or be this close to the question in meaning


@dataclass(frozen=True)
class Reading:
    """How a question was read: the act, the question actually answered, and the entries it is about."""

    act: str  # "new", "follow", "more", "who", "link" or "pick"
    question: str
    targets: tuple[Entry, ...] = ()  # the entries an act or a reference back is about
    restrict: bool = False  # a follow-up names a new institution or period: answer from its entries only
    picked: bool = False  # an ordinal chose the entry: it becomes the focus
    exclude: tuple[Entry, ...] = ()  # "who else ...?": not these


@dataclass
class Topic:
    """The last question answered from the catalogue: what follow-ups refer back to."""

    question: str  # as answered (rewritten when it was a follow-up)
    intent: Intent
    subject: str  # its topic words as written ("de minimis threshold"), names and question words removed
    answer: Answer


@dataclass
class Conversation:
    """Wraps an assistant (or a function returning the current one) and remembers what was said."""

    source: Assistant | Callable[[], Assistant]
    top_k: int = 5
    topic: Topic | None = None
    focus: tuple[Entry, ...] = ()  # what "it" refers to; empty after a list: "it" is then every listed entry
    last: Answer | None = None  # the last answer shown (/sources, /open N)
    shown: dict[str, set[int]] = field(default_factory=dict)  # entry id -> summary sentences shown
    _cache: tuple[Retriever, Names] | None = field(default=None, init=False, repr=False)

    def _names(self, asst: Assistant) -> Names:
        if self._cache is None or self._cache[0] is not asst.retriever:
            self._cache = (asst.retriever, Names(asst.retriever))
        return self._cache[1]

    @property
    def assistant(self) -> Assistant:
        return self.source if isinstance(self.source, Assistant) else self.source()

    def reset(self) -> None:
        """Forget the conversation (/reset)."""
        self.topic, self.focus, self.last, self.shown = None, (), None, {}

    def ask(self, question: str) -> Answer:
        """Answer ``question`` in the light of what was said; UsageError for an empty or unanswerable reference."""
        asst = self.assistant
        reading = self.read(question, asst)
        if reading.act == "more":
            answer = self._more(asst, question)
        elif reading.act in ("who", "link"):
            answer = _template(question, reading.targets, reading.act)
        elif reading.act == "pick":
            answer = self._pick(asst, question, reading.targets)
        else:
            answer = self._answer(asst, reading)
            if reading.question != answer.question or reading.act == "follow":
                answer = replace(answer, question=clean_question(question), notes=(f"read as: {reading.question}",))
        self._remember(asst, reading, answer)
        return answer

    def more(self) -> Answer:
        """Further sentences from the last answer's entries (/more)."""
        return self.ask("more")

    # Reading a question --------------------------------------------------------------------------

    def read(self, question: str, asst: Assistant | None = None) -> Reading:
        """Decide, by the rules in the module docstring, how ``question`` relates to the conversation."""
        asst = asst or self.assistant
        text = clean_question(question)
        lead = LEAD.match(text)
        marker = bool(lead and lead.group(0).strip())
        rest = text[lead.end() :] if lead else text
        ordinal = ORDINAL.search(rest)
        names = self._names(asst)
        bare = rest[: ordinal.start()] + rest[ordinal.end() :] if ordinal else rest
        empty = not names.subject(bare) and not names.spans(bare) and not find_period(bare)
        if self.topic is None:
            if empty and (ordinal or MORE.match(bare)):
                raise UsageError("there is nothing to refer back to yet; ask a question first")
            return Reading("new", text)
        targets = self._targets(rest, ordinal)
        picked = ordinal is not None
        if OTHER.search(rest):  # "Who else presented on that?": the subject again, without what was cited
            reading = self._read_follow(asst, rest, marker, None, targets, names)
            if reading is not None:
                return replace(reading, targets=(), exclude=targets, picked=False)
        elif empty:
            if MORE.match(bare) and not ordinal:
                return Reading("more", text, targets)
            for act, pattern in (("link", LINK), ("who", WHO)):
                if pattern.search(bare):
                    return Reading(act, text, targets, picked=picked)
            if ordinal or self._refers(bare, names):
                return Reading("pick", text, targets, picked=picked)
        return self._read_follow(asst, rest, marker, ordinal, targets, names) or Reading("new", text)

    def _read_follow(
        self,
        asst: Assistant,
        rest: str,
        marker: bool,
        ordinal: re.Match[str] | None,
        targets: tuple[Entry, ...],
        names: Names,
    ) -> Reading | None:
        """A follow-up question's reading (rule 2), or None when the question stands alone."""
        if ordinal or self._refers(rest, names):
            return self._follow_reference(asst, rest, ordinal, targets, names)
        if marker and not WH.match(rest):
            return self._follow_fragment(asst, rest, names)
        if marker and not names.subject(rest):
            return self._follow(asst, self._carry(rest, names), ())
        return None

    def _refers(self, text: str, names: Names) -> bool:
        return reference(text, names) is not None

    def _targets(self, rest: str, ordinal: re.Match[str] | None) -> tuple[Entry, ...]:
        assert self.topic is not None
        listed = tuple(c.entry for c in self.topic.answer.citations)
        if ordinal:
            return (self._nth(listed, ordinal),)
        if PLURAL.search(rest) or not self.focus:
            return listed
        return self.focus

    def _nth(self, listed: tuple[Entry, ...], m: re.Match[str]) -> Entry:
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

    def _follow_reference(
        self, asst: Assistant, rest: str, ordinal: re.Match[str] | None, targets: tuple[Entry, ...], names: Names
    ) -> Reading:
        """ "Who adopted it?", "What did the second one say about costs?": the reference gets its subject."""
        assert self.topic is not None
        if ordinal:  # the entry is named: answer from it alone
            rewritten = " ".join((rest[: ordinal.start()] + targets[0].title + rest[ordinal.end() :]).split())
            return Reading("follow", rewritten, targets, picked=True)
        pronoun = reference(rest, names)
        assert pronoun is not None
        word, subject = pronoun.group(0).lower(), self.topic.subject
        presenters = list(dict.fromkeys(e.institution for e in targets))
        tail = ""
        if word in PERSONAL and 0 < len(presenters) <= 3:  # "they", "their": the presenters referred to
            stand_in = " and ".join(presenters) + ("'s" if word in ("their", "his", "her") else "")
            tail = f", on {subject}" if subject else ""
        else:  # "it", "that talk" (or "they" for many): the subject, or the one entry's title
            stand_in = subject or (targets[0].title if len(targets) == 1 else pronoun.group(0))
        rewritten = rest[: pronoun.start()] + stand_in + rest[pronoun.end() :]
        if tail:
            rewritten = rewritten.rstrip(" ?.!") + tail + "?"
        rewritten = " ".join(rewritten.split())
        if names.spans(rest) or find_period(rest):
            return self._follow(asst, rewritten, ())  # it names someone or some time anew: not only the referents
        return Reading("follow", rewritten, targets)

    def _carry(self, question: str, names: Names) -> str:
        """ "And what did UNCITRAL say?": the question, with the previous subject, presenter and period it lacks."""
        assert self.topic is not None
        before = self.topic.question
        parts = [question.rstrip(" ?.!")]
        if self.topic.subject:
            parts.append(f"about {self.topic.subject}")
        if not names.spans(question) and (who := names.spans(before)):
            parts.append("by " + " and ".join(before[s:e] for s, e in who))
        if not find_period(question) and (period := period_span(before)):
            parts.append(period[2])
        return " ".join(" ".join(parts).split()) + "?"

    def _follow_fragment(self, asst: Assistant, fragment: str, names: Names) -> Reading:
        """ "And in 2022?", "What about Canada?": the previous question with the fragment's parts swapped in."""
        assert self.topic is not None
        base = self.topic.question.rstrip(" ?.!")
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
        rewritten = " ".join(" ".join([base, *appends]).split()) + "?"
        return self._follow(asst, rewritten, ())

    def _follow(self, asst: Assistant, rewritten: str, referents: tuple[Entry, ...]) -> Reading:
        return Reading("follow", rewritten, referents, restrict=self._scope(asst.analyse(rewritten)) is not None)

    def _scope(self, intent: Intent) -> Intent | None:
        """What a follow-up names anew (institutions, a period), as an Intent; None if nothing."""
        before = self.topic.intent if self.topic else Intent("fact")
        institutions = tuple(sorted(set(intent.institutions) - set(before.institutions)))
        period = intent.period
        if period and before.period and (period.start, period.end) == (before.period.start, before.period.end):
            period = None
        return Intent("fact", period=period, institutions=institutions) if institutions or period else None

    # Answering -------------------------------------------------------------------------------------

    def _answer(self, asst: Assistant, reading: Reading) -> Answer:
        if reading.act == "new":
            return asst.answer(reading.question, top_k=self.top_k)
        question, retriever = reading.question, asst.retriever
        intent = asst.analyse(question)
        if intent.kind in ("list", "count"):
            return asst.answer(question, top_k=self.top_k, intent=intent)
        qvec = retriever.query_vector(question)
        scope = self._scope(intent) if reading.restrict else None
        if scope is not None:
            positions = [i for i, e in enumerate(retriever.entries) if _within(e, scope)]
            ranked = retriever.rank(question, intent, qvec, candidates=positions)[: self.top_k]
            subject = self._names(asst).subject(question)
            if not ranked or asst.should_abstain(question, ranked[0]):
                return abstain(question)
            if not _about(subject, ranked[0], retriever):  # the named presenter never spoke about it
                text = f"{NOTHING[:-1]}: no presentation {describe(scope)} is about {subject}."
                return replace(abstain(question), text=text)
            return compose_fact(question, ranked, retriever)
        if reading.exclude:
            ids = {e.id for e in reading.exclude}
            positions = [i for i, e in enumerate(retriever.entries) if e.id not in ids]
            ranked = retriever.rank(question, intent, qvec, candidates=positions)[: self.top_k]
            ok = ranked and not asst.should_abstain(question, ranked[0])
            return compose_fact(question, ranked, retriever) if ok else abstain(question)
        positions = [retriever.index_of[e.id] for e in reading.targets if e.id in retriever.index_of]
        widen = [] if reading.picked else [None]  # a picked entry answers alone; others may widen
        for candidates in ([positions] if positions else []) + widen:  # the entries referred to, then all
            ranked = retriever.rank(question, intent, qvec, candidates=candidates)[: self.top_k]
            if ranked and not asst.should_abstain(question, ranked[0]):
                return compose_fact(question, ranked, retriever)
        return abstain(question)

    def _more(self, asst: Assistant, question: str) -> Answer:
        assert self.topic is not None
        listed = [c.entry for c in self.topic.answer.citations]
        entries = list(self.focus) + [e for e in listed if e not in self.focus]
        after_list = not self.focus and len(listed) > 1
        picked: list[tuple[Entry, int]] = []
        for entry in entries:
            unseen = [j for j in range(len(_sentences(asst, entry))) if j not in self.shown.get(entry.id, set())]
            picked += [(entry, j) for j in unseen[: 1 if after_list else MORE_SENTENCES - len(picked)]]
            if len(picked) >= (MORE_ENTRIES if after_list else MORE_SENTENCES):
                break
        if not picked:
            return replace(abstain(clean_question(question)), text="The catalogue says nothing more about this.")
        return _from_sentences(clean_question(question), asst, picked, "\n" if after_list else " ")

    def _pick(self, asst: Assistant, question: str, entries: tuple[Entry, ...]) -> Answer:
        """Opening sentences: several of one entry, or the first of each of several ("what were they about?")."""
        if not entries:
            raise UsageError("the last answer cited nothing; ask another question")
        per_entry = PICK_SENTENCES if len(entries) == 1 else 1
        picked = [(e, j) for e in entries[:MORE_ENTRIES] for j in range(min(per_entry, len(_sentences(asst, e))))]
        if not picked:
            return _template(question, entries, "who")
        return _from_sentences(clean_question(question), asst, picked, " " if len(entries) == 1 else "\n")

    def _remember(self, asst: Assistant, reading: Reading, answer: Answer) -> None:
        self.last = answer
        if reading.act in ("new", "follow"):
            intent = asst.analyse(reading.question)
            subject = self._names(asst).subject(reading.question)
            if reading.act == "follow" and not subject and self.topic:
                subject = self.topic.subject
            self.topic = Topic(reading.question, intent, subject, answer)
            listed = answer.count is not None and answer.count != 1
            self.focus = () if listed or not answer.citations else (answer.citations[0].entry,)
            self.shown = {}
        elif reading.picked:
            self.focus = reading.targets
        for s in answer.sentences:
            entry = answer.citations[s.citation - 1].entry
            sentences = _sentences(asst, entry)
            if s.text in sentences:
                self.shown.setdefault(entry.id, set()).add(sentences.index(s.text))


def _within(entry: Entry, scope: Intent) -> bool:
    if scope.institutions and entry.institution not in scope.institutions:
        return False
    return scope.period is None or scope.period.contains(entry.date)


def _about(subject: str, best: Scored, retriever: Retriever) -> bool:
    """Whether a restricted follow-up's entry is about the carried subject."""
    return not subject or best.dense >= SUBJECT_DENSE or coverage(subject, best, retriever) >= SUBJECT_COVERAGE


def _sentences(asst: Assistant, entry: Entry) -> list[str]:
    i = asst.retriever.index_of.get(entry.id)
    return asst.retriever.sentences[i] if i is not None else []


def _from_sentences(question: str, asst: Assistant, picked: list[tuple[Entry, int]], joiner: str) -> Answer:
    """An answer made of given summary sentences, cited in order of first appearance."""
    numbers: dict[str, int] = {}
    sentences = []
    for entry, j in picked:
        n = numbers.setdefault(entry.id, len(numbers) + 1)
        sentences.append(Sentence(_sentences(asst, entry)[j], n))
    by_id = {e.id: e for e, _ in picked}
    citations = tuple(Citation(n, by_id[i]) for i, n in numbers.items())
    text = joiner.join(f"{s.text} [{s.citation}]" for s in sentences)
    return Answer(question, text, sentences=tuple(sentences), citations=citations, kind="fact")


def _template(question: str, entries: tuple[Entry, ...], act: str) -> Answer:
    """Catalogue fields, verbatim, in a fixed template: nothing here is written by the program."""
    if not entries:
        raise UsageError("the last answer cited nothing; ask another question")
    lines = []
    for n, e in enumerate(entries, 1):
        title = e.title.rstrip(".")
        if act == "link":
            lines.append(f"{title}: {e.link} [{n}]" if e.link else f"{title}: the catalogue gives no link. [{n}]")
        else:
            when = f"{e.date.day} {e.date:%B %Y}"
            lines.append(f"Presented by {e.institution} ({e.institution_type}) on {when}: {title}. [{n}]")
    citations = tuple(Citation(n, e) for n, e in enumerate(entries, 1))
    return Answer(clean_question(question), "\n".join(lines), citations=citations, kind=act)
