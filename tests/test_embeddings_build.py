"""Building and updating an index with the real model: full, no-op, incremental, model change."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from embeddings import (
    PHASES,
    Document,
    IndexMismatch,
    RebuildReport,
    Step,
    ann,
    check_fresh,
    open_index,
    resolve_model,
    update_index,
)
from embeddings.layout import iter_generations
from embeddings.model import ModelRef
from embeddings.testing import (
    HashEncoder,
    documents_from_text,
    shared_encoder,
    shared_encoder_factory,
    shared_export_cache,
    shared_onnx_dir,
)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "wto-msme-presentations.txt"
SOURCE = {"path": "/data/catalogue.txt", "size": 1234, "sha256": "ab" * 32}
HEAVY = ("torch", "transformers", "sentence_transformers", "optimum")


def seed_documents(limit: int) -> list[Document]:
    text = re.sub(r"\[bookmark: [^\]]*\]", "", SEED.read_text(encoding="utf-8"))
    return documents_from_text(text, limit)


class RecordingEncoder:
    """The real encoder, remembering every text it was asked to encode."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.dim = 384

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return shared_encoder().encode(texts)


class RecordingHashEncoder(HashEncoder):
    """The fake encoder (a vector per text, whoever encodes it), remembering every text it encoded."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return super().encode(texts)


def must_not_encode(ref: ModelRef) -> HashEncoder:
    raise AssertionError("the model was loaded although nothing had to be encoded")


def build(index_dir: Path, docs: list[Document], **kwargs: object) -> RebuildReport:
    options: dict = {"encoder_factory": shared_encoder_factory, "encoder_cache": shared_export_cache()}
    options.update(kwargs)
    return update_index(index_dir, docs, source=SOURCE, **options)


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return seed_documents(24)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, docs: list[Document]) -> tuple[Path, RebuildReport]:
    index_dir = tmp_path_factory.mktemp("built") / "index"
    return index_dir, build(index_dir, docs)


@pytest.fixture
def index_dir(built: tuple[Path, RebuildReport], tmp_path: Path) -> Path:
    """A private copy of the built index (hard links: generations are never modified in place)."""
    return Path(shutil.copytree(built[0], tmp_path / "index", copy_function=os.link))


def test_a_full_build_indexes_every_text(built: tuple[Path, RebuildReport], docs: list[Document]) -> None:
    index_dir, report = built
    n_texts = sum(len(d.texts) for d in docs)
    assert (report.entries, report.added, report.encoded, report.unchanged) == (len(docs), len(docs), len(docs), 0)
    assert report.full and report.reason == "there was no index yet"
    assert report.model == "all-MiniLM-L6-v2" and report.index == str(index_dir)
    assert set(report.to_json()) >= {"entries", "added", "changed", "removed", "unchanged", "encoded", "seconds"}
    index = open_index(index_dir)
    assert index.keys() == [d.key for d in docs]
    assert index.source == SOURCE
    assert index.manifest["counts"] == {"documents": len(docs), "vectors": n_texts}
    expected = shared_encoder().encode(list(docs[3].texts))
    np.testing.assert_allclose(index.vectors(docs[3].key), expected, atol=1e-6)


def test_search_agrees_with_brute_force(built: tuple[Path, RebuildReport], docs: list[Document]) -> None:
    index = open_index(built[0])
    question = index.encode_queries(["How do small businesses get trade finance?"])[0]
    hits = index.search(question, k=5)
    every = [(float(v @ question), d.key, pos) for d in docs for pos, v in enumerate(index.vectors(d.key))]
    best = sorted(every, reverse=True)[:5]
    assert [(h.key, h.position) for h in hits] == [(key, pos) for _s, key, pos in best]
    np.testing.assert_allclose([h.score for h in hits], [s for s, _k, _p in best], atol=1e-5)
    own = docs[5].texts[0]
    top = index.search_text(own, k=1)[0]
    assert (top.key, top.position) == (docs[5].key, 0) and top.score > 0.999


def test_a_rebuild_with_nothing_to_do_never_loads_the_model(index_dir: Path, docs: list[Document]) -> None:
    report = build(index_dir, docs, encoder_factory=must_not_encode)
    assert (report.encoded, report.unchanged, report.written) == (0, len(docs), False)
    assert report.generation == "gen-000001"


def test_a_no_op_rebuild_imports_no_torch(index_dir: Path, docs: list[Document], tmp_path: Path) -> None:
    docs_file = tmp_path / "docs.json"
    docs_file.write_text(json.dumps([[d.key, list(d.texts)] for d in docs]))
    code = f"""
import json, sys
from embeddings import Document, update_index
docs = [Document(k, tuple(t)) for k, t in json.load(open({str(docs_file)!r}))]
report = update_index({str(index_dir)!r}, docs, source={SOURCE!r})
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print(json.dumps({{"encoded": report.encoded, "written": report.written, "heavy": heavy}}))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"encoded": 0, "written": False, "heavy": []}


def test_add_change_remove_encode_only_what_changed(index_dir: Path, docs: list[Document]) -> None:
    before = open_index(index_dir, with_encoder=False)
    kept = {d.key: np.array(before.vectors(d.key)) for d in docs[2:]}
    changed = Document(docs[4].key, (*docs[4].texts, "A sentence added by a correction."))
    new = seed_documents(26)[24:]
    edited = [*docs[2:4], changed, *docs[5:], *new]  # docs[0] and docs[1] removed
    encoder = RecordingEncoder()
    report = build(index_dir, edited, encoder_factory=lambda ref: encoder)
    assert (report.added, report.changed, report.removed, report.unchanged) == (2, 1, 2, len(docs) - 3)
    assert report.encoded == 3 and not report.full
    assert sorted(encoder.texts) == sorted([*changed.texts, *new[0].texts, *new[1].texts])
    after = open_index(index_dir)
    assert after.keys() == [d.key for d in edited]
    for key in set(kept) - {changed.key}:
        assert np.array_equal(after.vectors(key), kept[key]), "unchanged vectors are copied, not recomputed"
    assert after.vectors(changed.key).shape == (len(changed.texts), 384)
    assert [g.name for g in iter_generations(index_dir)] == ["gen-000001", "gen-000002"]


def test_a_new_index_takes_the_vectors_another_index_holds(tmp_path: Path, docs: list[Document]) -> None:
    """An updated catalogue in a new file: only what changed is encoded; the rest comes from a donor index."""
    fake = HashEncoder()
    options = {"source": SOURCE, "query_encoder": False}
    update_index(tmp_path / "donor", docs, encoder_factory=lambda ref: fake, **options)
    update_index(tmp_path / "smaller", docs[:3], encoder_factory=lambda ref: fake, **options)
    (tmp_path / "not-an-index").mkdir()
    changed = Document(docs[4].key, (*docs[4].texts, "A sentence added by a correction."))
    edited = [*docs[:4], changed, *docs[5:]]
    donors = [tmp_path / "not-an-index", tmp_path / "missing", tmp_path / "smaller", tmp_path / "donor"]
    recorder = RecordingHashEncoder()
    report = update_index(tmp_path / "new", edited, encoder_factory=lambda ref: recorder, donors=donors, **options)
    assert (report.added, report.encoded) == (len(docs), 1)
    assert sorted(recorder.texts) == sorted(changed.texts)
    donor, new = open_index(tmp_path / "donor", with_encoder=False), open_index(tmp_path / "new", with_encoder=False)
    assert all(np.array_equal(new.vectors(d.key), donor.vectors(d.key)) for d in docs if d.key != changed.key)
    again = update_index(tmp_path / "full", edited, encoder_factory=lambda ref: fake, donors=donors, full=True,
                         **options)  # fmt: skip
    assert again.encoded == len(docs), "--full encodes everything, whatever a donor holds"
    itself = update_index(tmp_path / "donor", edited, encoder_factory=lambda ref: fake, donors=donors, **options)
    assert itself.encoded == 1 and itself.changed == 1, "an index with a previous generation updates as before"


def test_full_re_encodes_everything(index_dir: Path, docs: list[Document]) -> None:
    fake = HashEncoder()
    report = build(index_dir, docs, full=True, encoder_factory=lambda ref: fake)
    assert (report.encoded, report.unchanged, report.full) == (len(docs), len(docs), True)
    assert report.reason == "a full rebuild was requested"


def test_a_new_source_is_recorded_without_encoding(index_dir: Path, docs: list[Document]) -> None:
    newer = {**SOURCE, "size": 4321}
    assert not check_fresh(index_dir, None, newer)
    report = update_index(index_dir, docs, source=newer, encoder_factory=must_not_encode)
    assert (report.encoded, report.written) == (0, True)
    assert check_fresh(index_dir, None, newer)
    assert open_index(index_dir).source == newer


def test_progress_counts_documents(tmp_path: Path, docs: list[Document]) -> None:
    calls: list[tuple[int, int]] = []
    update_index(tmp_path, docs, encoder_factory=lambda ref: HashEncoder(), query_encoder=False,
                 progress=lambda done, total: calls.append((done, total)))  # fmt: skip
    assert calls[0] == (0, len(docs)) and calls[-1] == (len(docs), len(docs))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


@pytest.mark.slow  # exports the real query encoder
def test_steps_report_each_phase_once_and_the_texts_encoded(tmp_path: Path, docs: list[Document]) -> None:
    shared_onnx_dir()  # the query encoder is exported into the shared cache (once per process), so reused here
    steps: list[Step] = []
    build(tmp_path / "index", docs, on_step=steps.append)
    n_texts = sum(len(d.texts) for d in docs)
    assert [s.phase for s in steps if s.phase != "encode"] == ["load-model", "write"]
    encoding = [s for s in steps if s.phase == "encode"]
    assert steps[1:-1] == encoding, "encoding comes between loading the model and writing"
    assert (encoding[0].done, encoding[-1].done) == (0, n_texts)
    assert {(s.total, s.documents) for s in encoding} == {(n_texts, len(docs))}
    assert [s.done for s in encoding] == sorted({s.done for s in encoding})


def test_steps_name_only_the_work_done(index_dir: Path, docs: list[Document], tmp_path: Path) -> None:
    steps: list[Step] = []
    build(index_dir, docs, encoder_factory=must_not_encode, on_step=steps.append)
    assert steps == [], "a rebuild with nothing to do reports nothing"
    update_index(index_dir, docs, source={**SOURCE, "size": 99}, encoder_factory=must_not_encode,
                 encoder_cache=shared_export_cache(), on_step=steps.append)  # fmt: skip
    assert [s.phase for s in steps] == ["write"], "a new source is written, nothing encoded"
    steps.clear()
    fresh_cache = tmp_path / "encoders"
    update_index(tmp_path / "other", docs[:2], encoder_factory=lambda ref: HashEncoder(), encoder_cache=fresh_cache,
                 on_step=steps.append)  # fmt: skip
    phases = [s.phase for s in steps]
    assert phases[0] == "load-model" and phases[-2:] == ["export-encoder", "write"], phases
    assert all(p in PHASES for p in phases)


def test_check_fresh_explains_what_is_stale(index_dir: Path, tmp_path: Path) -> None:
    assert check_fresh(index_dir, None, SOURCE).fresh
    assert check_fresh(tmp_path / "none", None, SOURCE).reason == "no index has been built yet"
    assert check_fresh(index_dir, None, {**SOURCE, "sha256": "cd" * 32}).reason == (
        "the source changed since the last build"
    )
    (index_dir / "gen-000001" / "documents.json").unlink()
    reason = check_fresh(index_dir, None, SOURCE).reason
    assert reason is not None and "documents.json is missing" in reason


def test_a_model_change_re_encodes_everything(index_dir: Path, docs: list[Document], tmp_path: Path) -> None:
    """A copy of the model that truncates at 128 tokens is another model: full rebuild, new encoder."""
    other = Path(shutil.copytree(resolve_model(None).path, tmp_path / "mini-128", copy_function=os.link))
    config = other / "sentence_bert_config.json"
    settings = json.loads(config.read_text())
    config.unlink()
    config.write_text(json.dumps({**settings, "max_seq_length": 128}))
    ref = resolve_model(str(other))
    assert "does not match" in (check_fresh(index_dir, ref, SOURCE).reason or "")

    report = build(index_dir, docs, model=ref, encoder_factory=None)
    assert (report.encoded, report.full, report.model) == (len(docs), True, str(other.resolve()))
    assert report.reason is not None and report.reason.startswith("the previous index did not match")
    index = open_index(index_dir, ref)
    assert index.manifest["encoder"]["max_seq_length"] == 128
    assert index.query_encoder().max_seq_length == 128
    with pytest.raises(IndexMismatch, match="msme-qa rebuild --full"):
        open_index(index_dir, None)


def test_documents_must_have_unique_keys(tmp_path: Path) -> None:
    twice = [Document("a", ("x",)), Document("a", ("y",))]
    with pytest.raises(ValueError, match="duplicate document key 'a'"):
        update_index(tmp_path, twice, encoder_factory=lambda ref: HashEncoder(), query_encoder=False)


def test_a_document_without_texts_is_kept_but_never_found(tmp_path: Path) -> None:
    docs = [Document("empty", ()), Document("full", ("Some text.", "More text."))]
    update_index(tmp_path, docs, encoder_factory=lambda ref: HashEncoder(), query_encoder=False)
    index = open_index(tmp_path, with_encoder=False)
    assert index.keys() == ["empty", "full"] and index.vectors("empty").shape == (0, 384)
    hits = index.search(HashEncoder().vector("Some text."), k=10)
    assert [(h.key, h.position) for h in hits] == [("full", 0), ("full", 1)]


class ClusteredEncoder(HashEncoder):
    """Fake vectors grouped around 40 centres, as real embeddings are; uniform random vectors have no
    structure for IVF's lists to exploit, which is why bench/scale.py measures real embeddings."""

    def vector(self, text: str) -> np.ndarray:
        centre = super().vector(f"centre {int(text.split()[1]) % 40}")
        v = centre + 0.6 * super().vector(text)
        return v / np.linalg.norm(v)


@pytest.mark.parametrize("kind", [ann.IVF, ann.HNSW])
def test_ann_indexes_agree_with_exact_search(tmp_path: Path, kind: str) -> None:
    """IVF and HNSW, saved and reloaded with their search parameters, find what the flat index finds."""
    docs = [Document(f"d{i}", (f"text {i} a", f"text {i} b")) for i in range(1500)]
    for name, index_type in (("exact", ann.FLAT), ("ann", kind)):
        update_index(tmp_path / name, docs, encoder_factory=lambda ref: ClusteredEncoder(), query_encoder=False,
                     index_type=index_type)  # fmt: skip
    exact, approx = (open_index(tmp_path / name, with_encoder=False) for name in ("exact", "ann"))
    assert approx.manifest["faiss"]["type"] == kind and (tmp_path / "ann" / approx.generation / "index.faiss").exists()
    if kind == ann.IVF:
        import faiss

        assert approx._faiss is not None
        assert faiss.extract_index_ivf(approx._faiss).nprobe == approx.manifest["faiss"]["params"]["nprobe"] == 32
    rng = np.random.default_rng(7)
    stored = np.vstack([exact.vectors(d.key) for d in docs[::50]])
    queries = stored + rng.standard_normal(stored.shape).astype(np.float32) * 0.03
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    found = [{(h.key, h.position) for h in approx.search(q, 10)} for q in queries]
    truth = [{(h.key, h.position) for h in exact.search(q, 10)} for q in queries]
    recall = np.mean([len(f & t) / 10 for f, t in zip(found, truth, strict=True)])
    assert recall >= 0.95


def test_the_index_type_follows_the_measured_threshold() -> None:
    assert ann.choose_index_type(ann.FLAT_MAX_VECTORS) == ann.FLAT
    assert ann.choose_index_type(ann.FLAT_MAX_VECTORS + 1) == ann.IVF
    params = ann.default_params(ann.IVF, 1_000_000)
    assert params == {"nlist": 4000, "nprobe": 32, "train_size": 256_000}
