"""What a question asks of the catalogue's shape: the latest or earliest presentation, a meeting as the
object, counts and totals; each finder claims the tokens it reads."""

from __future__ import annotations

from collections.abc import Sequence

from qa.question import vocabulary as v
from qa.question.slots import Tok, find_phrase, toks
from qa.question.when import at


def _things() -> frozenset[str]:
    return v.stems(v.PRESENTATION_NOUNS) | v.stems(v.MEETING_NOUNS) | v.stems(v.PRESENTER_NOUNS) | {"time"}


def find_order(ts: Sequence[Tok], taken: set[int]) -> tuple[str | None, set[int]]:
    """ "latest" or "earliest" when an order word qualifies a presentation, a meeting or presenting itself."""
    verbs = v.forms(v.PRESENT_VERBS) | v.forms(v.MENTION_VERBS) | v.forms("came come met held hear heard")
    things = _things()
    for i, t in enumerate(ts):
        if i in taken:
            continue
        pair = f"{t.low} {ts[i + 1].low}" if i + 1 < len(ts) else ""
        if pair in v.ORDER_PHRASES:
            return v.ORDER_PHRASES[pair], {i, i + 1}
        order = "latest" if t.low in v.LATEST.split() else "earliest" if t.low in v.EARLIEST.split() else None
        if order is None:
            continue
        nxt = at(ts, i + 1)
        if nxt is not None and nxt.low in v.NOT_ORDER_AFTER.split():
            continue
        ahead, behind = ts[i + 1 : i + 6], ts[max(0, i - 6) : i]
        if ahead[:1] and ahead[0].stem == "time" and not any(x.low in verbs for x in ts):
            continue  # "made a transfer for the first time"
        at_end = i == len(ts) - 1
        if (
            any(x.stem in things for x in ahead)
            or (ahead and ahead[0].low in verbs)
            or (at_end and any(x.low in verbs or x.stem in things for x in behind))  # "which talk is the newest?"
            or (behind and behind[-1].low in verbs)
        ):
            return order, {i}
    return None, set()


def find_ends(ts: Sequence[Tok], taken: set[int], comparing: bool = False) -> tuple[str, ...]:
    """Every end of the date order asked for, in the order said: ("earliest", "latest") for "the first and the
    last updates". In a comparison every order word counts ("the earliest and latest GEA proposals"), but for
    those that name no date order ("the first half")."""
    if comparing:
        ends: list[str] = []
        for i, t in enumerate(ts):
            nxt = at(ts, i + 1)
            if i in taken or (nxt is not None and nxt.low in v.NOT_ORDER_AFTER.split()):
                continue
            pair = f"{t.low} {nxt.low}" if nxt is not None else ""
            order = v.ORDER_PHRASES.get(pair) or (
                "latest" if t.low in v.LATEST.split() else "earliest" if t.low in v.EARLIEST.split() else None
            )
            if order is not None and (not ends or ends[-1] != order):
                ends.append(order)
        return tuple(ends)
    found: list[str] = []
    seen = set(taken)
    while (one := find_order(ts, seen))[0] is not None:
        found.append(one[0])
        seen |= one[1]
    return tuple(found)


def find_meeting(ts: Sequence[Tok], taken: set[int]) -> tuple[bool, set[int]]:
    """A meeting of the group is what is asked about: "the last meeting", "which meeting", "the agenda"."""
    nouns = v.stems(v.MEETING_OBJECTS)
    orders = set(v.LATEST.split()) | set(v.EARLIEST.split()) | {"most", "which", "what"}
    used = set()
    for i, t in enumerate(ts):
        if t.stem not in nouns or i in taken:
            continue
        before = {x.low for x in ts[max(0, i - 3) : i]}
        if t.low == "agenda" or before & orders:
            used.add(i)
    return bool(used), used


def find_count(ts: Sequence[Tok], start: int = 0) -> tuple[bool, bool, set[int]]:
    """("how many"/"how often"/"number of" asked, it counts presentations, the tokens it took); "count" and
    "tally" ask only as the question's first word (``start``: past "please", "kindly", ...)."""
    lows = [t.low for t in ts]
    things = v.stems(v.PRESENTATION_NOUNS) | {"time", "times"}
    verbs = v.forms(v.PRESENT_VERBS)
    for i in range(len(ts)):
        pair = " ".join(lows[i : i + 2])
        single = lows[i]
        if pair in v.HOW_MANY:
            k = i + 2
        elif single in ("count", "tally") and i == start:
            k = i + 1
        else:
            continue
        if pair == "how often":  # "how often did the ITC present?", not "how often has innovation come up?"
            return True, any(t.low in verbs for t in ts), {i, i + 1}
        auxiliaries = set(v.AUXILIARIES.split())
        about = False
        for t in ts[k : k + 5]:
            if t.stem in things:
                about = True
                break
            if t.low in auxiliaries:  # "how many did the ITC give", not "how many economies does it cover"
                about = t is ts[k] and any(x.low in verbs for x in ts[k:])
                break
        return True, about, set(range(i, k))
    return False, False, set()


def find_total(ts: Sequence[Tok], text: str, how_many: bool) -> str | None:
    """What a totals question counts ("meetings", "institutions", "categories"), or who/what has the most."""
    stems = [t.stem for t in ts]
    lows = [t.low for t in ts]
    joined = " " + " ".join(lows) + " "
    heads = {w for table in v.TOTAL_NOUNS.values() for w in table.split()}
    about_catalogue = (
        any(t.low in v.forms(v.PRESENT_VERBS) | v.forms(v.LIST_NOUNS) for t in ts)
        or any(s in v.stems(v.MEETING_NOUNS) | v.stems(v.WHOLE_CATALOGUE) for s in stems)
        or any(f" {p} " in joined for p in v.alternatives(v.TOTAL_CONTEXT))
        or any(s in v.stems(v.TOTAL_CONTEXT.replace("|", " ")) for s in stems)  # "appears", "participating"
    )
    if about_catalogue:
        for phrase in v.alternatives(v.MOST):
            at = joined.find(f" {phrase} ")
            if at < 0:
                continue
            after = joined[at + len(phrase) + 2 :].split()
            if phrase == "most" and after and after[0] not in v.MOST_AFTER.split():
                continue  # "the most recent", "the most important"
            return None if set(lows) & set(v.UNRANKED_PERIODS.split()) else _most_of(stems)
        repeat = any(f" {p} " in joined for p in v.alternatives(v.REPEAT))
        if repeat and (lows[:1] == ["who"] or any(w in v.forms(v.PRESENTER_NOUNS) for w in lows)):
            return "institutions-repeat"  # "who presented more than once?"
    if how_many:
        at = next(
            i for i in range(len(lows)) if " ".join(lows[i : i + 2]) in v.HOW_MANY or lows[i] in ("count", "tally")
        )
        ahead = lows[at + 1 : at + 6]
        forum = {k - at - 1 for i, j, _ in find_phrase(ts, v.phrases(v.FORUM), set()) for k in range(i, j)}
        for k, w in enumerate(ahead):  # the counted noun, past adjectives ("different", "thematic")
            if k in forum:
                return None  # "how many WTO members ...": the forum's members, not presenters
            if w not in heads and w in set(v.AUXILIARIES.split()) | v.forms(v.LIST_NOUNS):
                if w in ("session", "sessions") and set(lows) & set(v.MEETING_VERBS.split()):
                    return "meetings"  # "how many sessions were held": meetings of the group
                break
            if w in heads and (about_catalogue or w in v.forms(v.PRESENTER_NOUNS)):
                if k + 1 < len(ahead) and ahead[k + 1] in v.forms(v.LIST_NOUNS):
                    return None  # "how many IO presentations": a count of presentations
                name = next(n for n, table in v.TOTAL_NOUNS.items() if w in table.split())
                repeat = any(f" {p} " in joined for p in v.alternatives(v.REPEAT))
                return "institutions-repeat" if name == "institutions" and repeat else name
        if set(lows) & set(v.MEETING_VERBS.split()) - {"held", "place"}:
            return "meetings"  # "how many times has the group met?"
        return None
    return None


def _most_of(stems: list[str]) -> str:
    """Who or what has the most: the presenter, unless the question names categories, meetings or years."""
    for name, table in v.MOST_OF.items():
        if set(stems) & v.stems(table):
            return name
    return "most"


def without_order(topic: str) -> str:
    """A topic without the order words that end it ("payments came last" -> "payments")."""
    ts = toks(topic)
    drop = (
        set(v.LATEST.split())
        | set(v.EARLIEST.split())
        | {"came", "come", "was", "were", "given", "presented", "held", "delivered", "the", "one", "most"}
    )
    drop |= set(v.MEETING_NOUNS.split())
    while ts and ts[-1].low in drop:
        ts = ts[:-1]
    return topic[: ts[-1].end].strip() if ts else ""
