"""Every weight and threshold of the answer pipeline, in one object that the evaluation can sweep.

``bench/eval.py --set name=value`` answers with one of them changed. Unless a comment says otherwise,
a value was chosen on bench/devset.jsonl (see docs/quality.md). The ones in
:data:`MODEL_DEPENDENT` are cosines or weights of cosines: they were calibrated for all-MiniLM-L6-v2
and mean something else under another model, so opening the assistant with another ``--model`` warns.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Settings:
    # Retrieval: fusion weights (z-score units) and boosts for what the question names.
    w_lexical: float = 0.9
    w_expansion: float = 0.5  # a thesaurus word counts this much of a word the question used
    w_dense_entry: float = 1.0
    w_dense_sentence: float = 1.0
    boost_institution: float = 2.0
    boost_economy: float = 1.0
    boost_period: float = 2.0
    # Sentence choice (qa.answers.facts): the best sentence alone holds the fact ~70% of the time on the
    # dev set, the best three ~96%, hence up to three.
    max_sentences: int = 3
    keep_within: float = 0.5  # a further sentence must score this close to the best one
    second_entry_within: float = 0.25  # another entry contributes only if it ranks this close to the best
    near_duplicate: float = 0.8  # token Jaccard above which a sentence repeats one already chosen
    w_focus: float = 1.0
    w_synonym: float = 0.25  # a thesaurus word found in the sentence, against one the question used
    bonus_asked_type: float = 0.15  # the sentence holds what the form asks for (a number for "how many")
    bonus_expansion: float = 0.3  # "(AEO)" for "what does AEO stand for?"
    bonus_ordinal: float = 0.3  # "The first was ..." for "What was the first option?"
    bonus_opening: float = 0.1  # the opening sentence when only the entry's own name was asked about
    penalty_second_entry: float = 0.05
    max_with_enumeration: int = 6  # a sentence announcing a list brings its items, up to this many in all
    # Abstention (qa.answers.abstain): out-of-scope questions against in-scope paraphrases, a false
    # abstention counted as bad as a false answer.
    abstain_floor: float = 0.30  # below this cosine to every entry text, nothing in the catalogue is about it
    abstain_unknown_name: float = 0.45  # a name the catalogue never uses ("MC13") and no close entry
    abstain_look: int = 5  # the best entries whose closeness counts for both floors
    abstain_model: bool = False  # decide by the fitted model (qa/answers/abstain_model.json) instead
    # Partial answers (qa.answers.support): a salient question word the best entry lacks. Fitted by
    # bench/fit_support.py (5-fold cross-validation on the tune halves of bench/fresh2/gaps and answerable,
    # bench/fresh/near_oos and paraphrase, and bench/devset facts).
    partial_missing_rare: float = 1.01  # the rarest missing word's IDF against the rarest word's (1.01: never)
    partial_cover_entry: float = 0.0  # and the entry holds at most this share of the question's words
    topic_window: int = 12  # a keyword search (qa.answers.search) looks at this many of the best entries
    # Relevance (qa.answers.relevance): p(about) and p(about or mentions) = sigmoid(bias + weights . features),
    # features in the order of relevance.FEATURES, a weight of 0 a feature dropped by the fit. Fitted by
    # bench/fit_relevance.py (two logistic regressions on the FIT half of bench/relevance, thresholds by 5-fold
    # cross-validation by topic); a fast test checks these equal the fit of bench/relevance/features.jsonl.
    rel_about_weights: tuple[float, ...] = (0.0, 0.0, 0.985, 1.023, 0.0, 0.0, 0.0, 2.12, 0.0, 0.0, 0.0)
    rel_about_bias: float = -5.516
    rel_about_threshold: float = 0.37
    rel_any_weights: tuple[float, ...] = (0.0, 0.0, 0.0, 1.341, 0.0, 0.0, 0.0, 4.616, 0.0, 0.0, 0.517)
    rel_any_bias: float = -4.387
    rel_any_threshold: float = 0.37
    # Search answers (qa.answers.search) for a few words typed into a search box: not tuned yet.
    search_gap: float = 2.0  # entries this close to the best (fused score) are listed
    search_most: int = 5
    search_min_dense: float = 0.45  # an entry with none of the words must be this close in meaning
    # Conversation (qa.chat.replies).
    more_sentences: int = 3  # per "more" from one entry
    more_entries: int = 5  # after a list, the next sentence of each of this many entries
    pick_sentences: int = 3  # "the second one": its opening sentences
    subject_coverage: float = 0.5  # a restricted follow-up's entry must hold this share of the subject ...
    subject_dense: float = 0.6  # ... or be this close to the question in meaning
    calibrated_for: str = "all-MiniLM-L6-v2"

    def with_values(self, assignments: list[str]) -> Settings:
        """A copy with ``name=value`` assignments applied (values converted to the field's type)."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for item in assignments:
            name, _, value = item.partition("=")
            name = name.strip().replace("-", "_")
            if name not in known or not value:
                raise ValueError(f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
            current = getattr(self, name)
            if isinstance(current, bool):
                changes[name] = value.strip().lower() in ("1", "true", "yes", "on")
            else:
                changes[name] = type(current)(value)
        return replace(self, **changes)


MODEL_DEPENDENT = (
    "rel_about_weights",
    "rel_about_bias",
    "rel_any_weights",
    "rel_any_bias",
    "w_lexical",
    "w_dense_entry",
    "w_dense_sentence",
    "abstain_floor",
    "abstain_unknown_name",
    "subject_dense",
)
DEFAULT = Settings()
