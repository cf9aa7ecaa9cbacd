"""The ONNX query encoder gives the sentence-transformers vectors, and its path never imports torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from embeddings import Document, OnnxEncoder, SentenceTransformerEncoder, update_index
from embeddings.query_encoder import pool
from embeddings.testing import HashEncoder, shared_encoder, shared_export_cache, shared_onnx_dir

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "sentence_transformers", "optimum")
LONG = " ".join(
    f"Clause {i}: small firms exporting under the trade agreement must file form {i} with customs." for i in range(80)
)  # ~1,500 tokens, far past the 256-token limit
PARITY_TEXTS = [
    "What is Australia's de minimis threshold?",
    "GST",
    LONG,
    LONG[:1200],
    "Les micro, petites et moyennes entreprises représentent 90 % des entreprises.",
    "Las mipymes y el comercio electrónico transfronterizo",
    "中小企业如何利用数字贸易？",
    "Малые и средние предприятия",
    "?!... ---",
    "",
    "   ",
    "e-commerce, e-payments & e-signatures (2021/22) — see https://www.wto.org/msmes",
]


@pytest.fixture(scope="module")
def st_encoder() -> SentenceTransformerEncoder:
    return shared_encoder(None)


@pytest.fixture(scope="module")
def onnx_encoder() -> OnnxEncoder:
    return OnnxEncoder(shared_onnx_dir(None))


def test_onnx_vectors_equal_sentence_transformers(
    st_encoder: SentenceTransformerEncoder, onnx_encoder: OnnxEncoder
) -> None:
    reference = st_encoder.encode(PARITY_TEXTS)
    ours = onnx_encoder.encode(PARITY_TEXTS)
    assert ours.dtype == np.float32 and ours.shape == (len(PARITY_TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * reference, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.9999, f"text {PARITY_TEXTS[worst][:40]!r}: cosine {cosines[worst]:.6f}"


def test_text_past_the_token_limit_is_truncated_like_sentence_transformers(
    st_encoder: SentenceTransformerEncoder, onnx_encoder: OnnxEncoder
) -> None:
    assert onnx_encoder.max_seq_length == st_encoder.max_seq_length == 256
    extended = LONG + " This sentence lies far beyond the limit and must not change the vector."
    a, b = onnx_encoder.encode([LONG, extended])
    assert float(a @ b) > 0.99999


def test_a_batch_gives_the_same_vectors_as_single_texts(onnx_encoder: OnnxEncoder) -> None:
    batch = onnx_encoder.encode(PARITY_TEXTS, batch_size=len(PARITY_TEXTS))
    singles = np.vstack([onnx_encoder.encode([t]) for t in PARITY_TEXTS])
    assert np.sum(batch * singles, axis=1).min() > 0.99999, "padding must not leak into the pooling"


def test_no_texts_give_an_empty_array(onnx_encoder: OnnxEncoder) -> None:
    assert onnx_encoder.encode([]).shape == (0, 384)


@settings(max_examples=50, deadline=None)
@given(
    tokens=arrays(np.float32, (3, 5, 4), elements=st.floats(-10, 10, width=32)),
    lengths=st.lists(st.integers(1, 5), min_size=3, max_size=3),
)
def test_mean_pooling_ignores_padding(tokens: np.ndarray, lengths: list[int]) -> None:
    mask = np.array([[1] * n + [0] * (5 - n) for n in lengths])
    pooled = pool(tokens, mask, ["mean"])
    for row, n in enumerate(lengths):
        np.testing.assert_allclose(pooled[row], tokens[row, :n].mean(axis=0), rtol=1e-5, atol=1e-5)


@pytest.mark.slow  # exports the real query encoder
def test_query_path_imports_no_torch(tmp_path: Path) -> None:
    """Open an index, encode a question and search: torch and friends must stay out of sys.modules."""
    shared_onnx_dir(None)  # make sure the export exists, so the build below only links it
    docs = [Document("a", ("Customs thresholds for low-value goods.",)), Document("b", ("Green finance.",))]
    update_index(tmp_path, docs, encoder_factory=lambda ref: HashEncoder(), encoder_cache=shared_export_cache())
    code = f"""
import json, sys
from embeddings import open_index
index = open_index({str(tmp_path)!r})
hits = index.search(index.encode_queries(["What is the threshold for low-value goods?"])[0], k=2)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
print(json.dumps({{"hits": [h.key for h in hits], "heavy": heavy}}))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert len(result["hits"]) == 2
    assert result["heavy"] == []
