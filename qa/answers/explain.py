"""Why an answer is what it is (``--explain``): how the question was read, the signals that ranked each
entry and how they were combined, and for a refusal the evidence that decided it.

Read from the answer's :class:`~qa.answers.model.Trace` (the Query, the Scored entries with the arrays
their fused scores were summed from, the decision), so it cannot disagree with the answer.
"""

from __future__ import annotations

import re
from typing import Any

from qa.answers.model import Answer
from qa.question.glossary import phrases
from qa.question.text import stem, tokens, words
from qa.search.retrieval import Retriever

COMBINED = "score = lexical + dense_entry + dense_sentence + boost (each part a weighted z-score over the catalogue)"


def explain(answer: Answer, retriever: Retriever) -> dict[str, Any]:
    """The ``explain`` object of ``--json --explain``."""
    trace = answer.trace
    if trace is None:
        return {"read": None, "route": "conversation", "entries": [], "decision": {}}
    query = trace.query
    cited = {c.entry.id: c.n for c in answer.citations}
    terms = list(dict.fromkeys([*query.content, *query.expansions]))
    # The user's words first, then the thesaurus's, then the ranked entries': each term as someone wrote it.
    entry_texts = (f"{s.entry.title} {s.entry.summary}" for s in trace.ranked)
    spelled = spellings(query.text, query.typed, " | ".join(phrases()), *entry_texts)
    entries = []
    for rank, scored in enumerate(trace.ranked, 1):
        i = retriever.index_of.get(scored.entry.id)
        held = retriever.bm25.tf[i] if i is not None else {}
        matched = [t for t in terms if t in held]
        entries.append(
            {
                "rank": rank,
                "id": scored.entry.id,
                "title": scored.entry.title,
                "cited": cited.get(scored.entry.id),
                "score": round(scored.score, 4),
                "bm25": round(scored.lexical, 4),
                "matched_terms": matched,
                "matched_words": [spelled.get(t, t) for t in matched],
                **{name: round(value, 4) for name, value in scored.parts().items()},
            }
        )
    decision = {k: _rounded(v) for k, v in trace.decision.items() if k != "route"}
    read = query.to_json()
    read["words"] = [spelled.get(t, t) for t in query.content]
    read["expansion_words"] = [spelled.get(t, t) for t in query.expansions]
    return {
        "read": read,
        "route": trace.decision.get("route"),
        "combined": COMBINED if entries else None,
        "entries": entries,
        "decision": decision,
    }


def explain_lines(data: dict[str, Any]) -> list[str]:
    """The same, as lines for a person."""
    read = data.get("read") or {}
    lines = ["How this was answered:"]
    if read:
        hidden = ("text", "content", "expansions", "search", "words", "expansion_words")
        shown = {k: v for k, v in read.items() if v and k not in hidden}
        lines.append(f"  read as {read.get('kind')}: " + ", ".join(f"{k}={v}" for k, v in shown.items() if k != "kind"))
        if read.get("content"):
            said = read.get("words") or read["content"]
            thesaurus = " ".join(read.get("expansion_words") or read.get("expansions") or []) or "-"
            lines.append(f"  searched words: {' '.join(said)}; thesaurus: {thesaurus}")
    lines.append(f"  route: {data.get('route')}")
    if data.get("entries"):
        lines.append(f"  {data['combined']}")
    for e in data.get("entries", []):
        cited = f"[{e['cited']}] " if e.get("cited") else ""
        lines.append(
            f"  #{e['rank']} {cited}{e['title'][:60]}: score {e['score']:.2f} = lexical {e.get('lexical', 0):.2f}"
            f" + dense entry {e.get('dense_entry', 0):.2f} + dense sentence {e.get('dense_sentence', 0):.2f}"
            f" + boost {e.get('boost', 0):.2f}; cosines {e.get('entry_cosine', 0):.2f}/"
            f"{e.get('best_sentence_cosine', 0):.2f}; BM25 {e['bm25']:.2f} on {_listed(e)}"
        )
    decision = data.get("decision") or {}
    if decision.get("rule"):
        lines.append(f"  decision: {decision['rule']}")
    if decision.get("missing"):
        lines.append(f"  question words the best entry lacks: {' '.join(decision['missing'])}")
    for c in decision.get("coverage") or ():
        verdict = "about" if c["about"] else ("mentions" if c["mentions"] else "not about")
        signals = ", ".join(f"{k} {c[k]:.2f}" for k in ("entry", "sentence", "words", "named", "title", "lexical"))
        p = f"p(about) {c['p_about']:.3f}, p(any) {c['p_any']:.3f}"
        lines.append(f"  relevance: {verdict}, {p}: {c['name'][:60]} ({signals})")
    if decision.get("support"):
        gap = f"; missing: {'; '.join(decision['gap'])}" if decision.get("gap") else ""
        lines.append(f"  support: {decision['support']} ({decision.get('support_rule', '')}){gap}")
    return lines


def spellings(*texts: str) -> dict[str, str]:
    """Each search token of ``texts`` -> the word it was written as (the first text that holds it wins):
    "minimi" -> "minimis", "valu" -> "value", so that people read their own words, not stems."""
    out: dict[str, str] = {}
    for text in texts:
        written_words = [_POSSESSIVE.sub("", m.group(0).strip(".-")) for m in _WRITTEN.finditer(text)]
        for n in (4, 3, 2):  # "intellectual property" and "small businesses" fold to one token ("ip", "msme")
            for i in range(len(written_words) - n + 1):
                phrase = " ".join(written_words[i : i + n])
                folded = tokens(phrase)
                if len(folded) == 1 and folded[0] not in out:
                    out[folded[0]] = phrase
        for written in written_words:
            stems = tokens(written)
            if len(stems) == 1:
                out.setdefault(stems[0], written)
            else:  # "e-commerce" folds to one token, "U.S.-based" to several: the folded words then
                for word in words(written):
                    out.setdefault(stem(word), word)
    return out


_WRITTEN = re.compile(r"[\w.'’-]+")
_POSSESSIVE = re.compile(r"['’]s$")


def _listed(entry: dict[str, Any]) -> str:
    return " ".join(entry.get("matched_words") or entry["matched_terms"]) or "-"


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value
