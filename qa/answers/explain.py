"""Why an answer is what it is (``--explain``): how the question was read, the signals that ranked each
entry and how they were combined, and for a refusal the evidence that decided it.

Read from the answer's :class:`~qa.answers.model.Trace` (the Query, the Scored entries with the arrays
their fused scores were summed from, the decision), so it cannot disagree with the answer.
"""

from __future__ import annotations

from typing import Any

from qa.answers.model import Answer
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
    entries = []
    for rank, scored in enumerate(trace.ranked, 1):
        i = retriever.index_of.get(scored.entry.id)
        held = retriever.bm25.tf[i] if i is not None else {}
        entries.append(
            {
                "rank": rank,
                "id": scored.entry.id,
                "title": scored.entry.title,
                "cited": cited.get(scored.entry.id),
                "score": round(scored.score, 4),
                "bm25": round(scored.lexical, 4),
                "matched_terms": [t for t in terms if t in held],
                **{name: round(value, 4) for name, value in scored.parts().items()},
            }
        )
    decision = {k: _rounded(v) for k, v in trace.decision.items() if k != "route"}
    return {
        "read": query.to_json(),
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
        shown = {k: v for k, v in read.items() if v and k not in ("text", "content", "expansions", "search")}
        lines.append(f"  read as {read.get('kind')}: " + ", ".join(f"{k}={v}" for k, v in shown.items() if k != "kind"))
        if read.get("content"):
            thesaurus = " ".join(read.get("expansions", [])) or "-"
            lines.append(f"  searched words: {' '.join(read['content'])}; thesaurus: {thesaurus}")
    lines.append(f"  route: {data.get('route')}")
    if data.get("entries"):
        lines.append(f"  {data['combined']}")
    for e in data.get("entries", []):
        cited = f"[{e['cited']}] " if e.get("cited") else ""
        lines.append(
            f"  #{e['rank']} {cited}{e['title'][:60]}: score {e['score']:.2f} = lexical {e.get('lexical', 0):.2f}"
            f" + dense entry {e.get('dense_entry', 0):.2f} + dense sentence {e.get('dense_sentence', 0):.2f}"
            f" + boost {e.get('boost', 0):.2f}; cosines {e.get('entry_cosine', 0):.2f}/"
            f"{e.get('best_sentence_cosine', 0):.2f}; BM25 {e['bm25']:.2f} on {' '.join(e['matched_terms']) or '-'}"
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


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value
