"""Search answers: a few words typed into a search box get the matching presentations, best first, each with
its most relevant sentence and its citation ("de minimis", "customs", "UNCITRAL")."""

from __future__ import annotations

from qa.answers.facts import choose_sentences
from qa.answers.model import Answer, Citation, Sentence, Trace
from qa.catalogue.dates import format_date
from qa.question.query import Query
from qa.search.retrieval import Retriever, Scored
from qa.settings import DEFAULT, Settings


def answer_search(query: Query, retriever: Retriever, settings: Settings = DEFAULT) -> Answer | None:
    """The matching presentations, or None when nothing in the catalogue contains or is close to the words."""
    ranked = retriever.rank(query, limit=settings.topic_window)
    hits = matching(query, ranked, retriever, settings)
    if not hits:
        return None
    lines: list[str] = []
    sentences: list[Sentence] = []
    citations: list[Citation] = []
    for n, scored in enumerate(hits, 1):
        e = scored.entry
        pick = choose_sentences(query, [scored], retriever, settings, limit=1)
        said = f": {pick[0].text}" if pick else ""
        lines.append(f"[{n}] {e.title} ({e.institution}, {format_date(e.date)}){said}")
        if pick:
            sentences.append(Sentence(pick[0].text, n))
        citations.append(Citation(n, e, scored.dense))
    noun = "presentation" if len(hits) == 1 else "presentations"
    text = "\n".join([f"{len(hits)} {noun} match:", *lines])
    trace = Trace(query, tuple(hits), {"route": "search", "matched": len(hits)})
    return Answer(query.text, text, sentences=tuple(sentences), citations=tuple(citations), kind="search", trace=trace)


def matching(query: Query, ranked: list[Scored], retriever: Retriever, settings: Settings) -> list[Scored]:
    """Best first: the entries near the best one that contain some of the words (or, with none, are close in
    meaning), and every entry that contains all of them."""
    found = [s for s in ranked if s.lexical > 0 or s.dense >= settings.search_min_dense]
    if not found:
        return []
    every = set(retriever.bm25.containing(list(query.content)).tolist()) if query.content else set()
    best = found[0].score
    near = [s for s in found if s.score >= best - settings.search_gap or retriever.index_of[s.entry.id] in every]
    return near[: settings.search_most]
