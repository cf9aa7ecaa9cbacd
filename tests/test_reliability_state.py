"""Random sequences of catalogue edits with rebuilds in between: the incremental index equals a full one.

A hypothesis state machine adds, edits, duplicates and deletes entries in a catalogue file and rebuilds
the index incrementally after some of the steps. After every rebuild: the index holds exactly the
catalogue's entries, each with the vectors a full rebuild computes, and the answers cite only entries
that exist. The bookkeeping version uses a fake encoder (deterministic vectors per text, so
"same vectors" is exact and hundreds of steps are cheap); a short version runs the real model through
the CLI for a few random steps.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from embeddings import open_index, update_index
from embeddings.testing import HashEncoder
from qa.catalogue.export import to_text
from qa.catalogue.load import load_catalogue
from qa.catalogue.model import Entry
from qa.catalogue.split import split_heading
from qa.engine import Assistant
from qa.search.dense import MatrixDense
from qa.service import _matches, documents, file_source

from .test_reliability_support import QUESTION, SMALL, answer, bundled, cli, clone_index, ids_of, small_index

# Entries whose heading splits into title and institution without help from the rest of the catalogue:
# "Supporting MSMEs on Accounting and Financial, Sustainability and SDG Reporting, UNCTAD" splits right
# only because UNCTAD presents other talks, so it cannot move to a catalogue without them.
POOL = tuple(
    e for e in bundled().entries if split_heading(f"{e.title}, {e.institution}", set()) == (e.title, e.institution)
)
SENTENCES = [
    "Members asked about the timeline for implementation.",
    "The slides were updated after the meeting.",
    "A follow-up session is planned for next year.",
    "Figures are in US dollars.",
]
QUESTIONS = [
    QUESTION,
    "Who presented on cyber security?",
    "What was presented in 2022?",
    "How many talks did ITC give?",
]


def fake(ref: object) -> HashEncoder:
    return HashEncoder()


def build(index: Path, catalogue: Path, *, full: bool = False):
    """What `msme-qa rebuild` does (qa.service.rebuild), with the fake encoder and no query encoder."""
    cat = load_catalogue(catalogue)
    return update_index(
        index, documents(cat), None, full=full, source=file_source(catalogue), encoder_factory=fake, query_encoder=False
    )


def fake_assistant(index: Path, catalogue: Path) -> Assistant:
    """The assistant as open_assistant builds it, with the fake encoder for questions too."""
    loaded = open_index(index, with_encoder=False)
    cat = load_catalogue(catalogue)
    assert _matches(loaded, documents(cat)), "open_assistant would find the index stale"
    keys = loaded.keys()
    rows = [(k, i) for k in keys for i in range(len(loaded.vectors(k)))]
    vectors = np.vstack([loaded.vectors(k) for k in keys])
    return Assistant.build(cat, MatrixDense(vectors, rows, HashEncoder().encode))


class CatalogueEdits(RuleBasedStateMachine):
    """The model is the list of entries; the system is the catalogue file and its incremental index."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="msme-qa-state-"))
        self.catalogue = self.dir / "catalogue.txt"
        self.index = self.dir / "index"
        self.entries: list[Entry] = [e for e in POOL if e.id in SMALL]
        self.rebuilds = 0
        self.save()
        build(self.index, self.catalogue)
        self.built = list(self.entries)

    def save(self) -> None:
        self.catalogue.write_text(to_text(replace(bundled(), entries=tuple(self.entries))), encoding="utf-8")

    # Edits ------------------------------------------------------------------------------------------

    @rule(entry=st.sampled_from(POOL), at=st.integers(0, 60))
    def add(self, entry: Entry, at: int) -> None:
        self.entries.insert(at % (len(self.entries) + 1), entry)
        self.save()

    @rule(at=st.integers(0, 60), days=st.integers(1, 400), suffix=st.sampled_from(["revisited", "(part 2)", "update"]))
    def add_a_new_talk(self, at: int, days: int, suffix: str) -> None:
        base = self.entries[at % len(self.entries)]
        talk = replace(base, title=f"{base.title} {suffix}", date=base.date + timedelta(days=days))
        self.entries.insert(at % (len(self.entries) + 1), talk)
        self.save()

    @rule(at=st.integers(0, 60), sentence=st.sampled_from(SENTENCES))
    def edit_summary(self, at: int, sentence: str) -> None:
        i = at % len(self.entries)
        self.entries[i] = replace(self.entries[i], summary=f"{self.entries[i].summary} {sentence}".strip())
        self.save()

    @rule(at=st.integers(0, 60))
    def edit_institution(self, at: int) -> None:
        i = at % len(self.entries)
        self.entries[i] = replace(self.entries[i], institution="World Bank")
        self.save()

    @rule(at=st.integers(0, 60), day=st.dates(date(2020, 1, 1), date(2024, 12, 31)))
    def redate(self, at: int, day: date) -> None:
        """A new date changes the id: for the index, one entry removed and one added."""
        i = at % len(self.entries)
        self.entries[i] = replace(self.entries[i], date=day)
        self.save()

    @precondition(lambda self: len(self.entries) > 1)
    @rule(at=st.integers(0, 60))
    def delete(self, at: int) -> None:
        del self.entries[at % len(self.entries)]
        self.save()

    @rule(at=st.integers(0, 60))
    def duplicate(self, at: int) -> None:
        """The same talk pasted twice: the copy gets the id "...-2"."""
        entry = self.entries[at % len(self.entries)]
        self.entries.insert(at % len(self.entries) + 1, entry)
        self.save()

    # Rebuild and check ------------------------------------------------------------------------------

    @rule()
    def rebuild(self) -> None:
        report = build(self.index, self.catalogue)
        self.rebuilds += 1
        docs = documents(load_catalogue(self.catalogue))
        assert report.entries == len(docs)
        assert report.encoded == report.added + report.changed, "only new and changed entries are encoded"
        self.built = list(self.entries)
        self.check_against_a_full_rebuild()

    def check_against_a_full_rebuild(self) -> None:
        full_dir = self.dir / f"full-{self.rebuilds}"
        build(full_dir, self.catalogue, full=True)
        incremental, full = open_index(self.index, with_encoder=False), open_index(full_dir, with_encoder=False)
        assert incremental.keys() == full.keys() == ids_of(self.catalogue)
        for key in full.keys():  # noqa: SIM118 - keys() is the ordered list, Index has no __iter__
            assert incremental.content_hash(key) == full.content_hash(key)
            np.testing.assert_allclose(incremental.vectors(key), full.vectors(key), atol=1e-6)
        shutil.rmtree(full_dir)
        asst = fake_assistant(self.index, self.catalogue)
        existing = {e.id for e in asst.catalogue.entries}
        for question in [*QUESTIONS, self.entries[0].title]:
            cited = {c.entry.id for c in asst.answer(question).citations}
            assert cited <= existing, cited - existing

    @invariant()
    def the_file_reads_back_as_the_model(self) -> None:
        parsed = load_catalogue(self.catalogue).entries
        assert [(e.title, e.date, e.summary, e.institution) for e in parsed] == [
            (e.title, e.date, e.summary, e.institution) for e in self.entries
        ]

    def teardown(self) -> None:
        try:
            if self.entries != self.built:
                self.rebuild()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


TestCatalogueEdits = pytest.mark.slow(CatalogueEdits.TestCase)  # ~10 s of generated edit sequences
TestCatalogueEdits.settings = settings(
    max_examples=25, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.slow
def test_a_few_random_edits_with_the_real_model_match_a_full_rebuild(built_index: Path, tmp_path: Path) -> None:
    """The real path: `msme-qa rebuild` after each random edit, compared with `msme-qa rebuild --full`."""
    catalogue, index = small_index(built_index, tmp_path)
    rng = random.Random(11)
    entries = [e for e in POOL if e.id in SMALL]
    others = [e for e in POOL if e.id not in SMALL]
    steps = ["add", "edit", "delete"]
    rng.shuffle(steps)
    for step, n in zip(steps, range(len(steps)), strict=True):
        if step == "add":
            entries.insert(rng.randrange(len(entries) + 1), rng.choice(others))
        elif step == "edit":
            i = rng.randrange(len(entries))
            entries[i] = replace(entries[i], summary=f"{entries[i].summary} {rng.choice(SENTENCES)}")
        else:
            del entries[rng.randrange(1, len(entries))]  # keep the Australian talk: the question is about it
        catalogue.write_text(to_text(replace(bundled(), entries=tuple(entries))), encoding="utf-8")

        result = cli("rebuild", "--json", "--catalogue", str(catalogue), "--index", str(index))
        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["encoded"] == report["added"] + report["changed"] <= 1

        full = clone_index(index, tmp_path / f"full-{n}")
        result = cli("rebuild", "--full", "--json", "--catalogue", str(catalogue), "--index", str(full))
        assert result.exit_code == 0 and json.loads(result.stdout)["encoded"] == len(entries), result.stderr
        incremental, reference = open_index(index), open_index(full)
        assert incremental.keys() == reference.keys() == ids_of(catalogue)
        for key in reference.keys():  # noqa: SIM118 - keys() is the ordered list, Index has no __iter__
            np.testing.assert_allclose(incremental.vectors(key), reference.vectors(key), atol=1e-4)
        data = answer(cli("ask", QUESTION, "--json", "--catalogue", str(catalogue), "--index", str(index)), catalogue)
        assert data["citations"][0]["id"] == SMALL[0]
