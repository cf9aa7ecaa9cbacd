"""The query path: an ONNX export of the model run by onnxruntime + tokenizers, without torch.

Importing torch and sentence-transformers costs ~5 s; onnxruntime + tokenizers cost ~0.3 s and encode a
question in ~10 ms on one thread. :func:`export_onnx` (build time, needs torch) writes a directory that
:class:`OnnxEncoder` (query time, never imports torch) reads:

    model.onnx       the transformer, exported by sentence-transformers' own ONNX backend (optimum)
    tokenizer.json   the fast tokenizer; truncation and padding are set here, not taken from the file
    encoder.json     dim, max_seq_length, pooling, pad id, and size + sha256 of the two files above
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from embeddings._fs import (
    contained,
    file_record,
    fsync_dir,
    fsync_tree,
    private_dir,
    read_json,
    remove_tree,
    sha256_file,
    write_json,
)
from embeddings.encoder import (
    Encoder,
    SentenceTransformerEncoder,
    embedding_dimension,
    load_sentence_transformer,
    normalize_rows,
)
from embeddings.errors import EmbeddingsError, IndexCorrupt
from embeddings.model import ModelRef, resolve_model

ENCODER_FORMAT = "embeddings-onnx-encoder"
ENCODER_FORMAT_VERSION = 1
CONFIG_FILE = "encoder.json"
ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
_POOLING_MODES = ("mean", "cls", "max", "mean_sqrt_len_tokens")
_SUPPORTED_MODULES = ("Transformer", "Pooling", "Normalize")
# Texts the export is checked on against the torch model before anyone can use it.
PROBE_TEXTS = (
    "",
    "What is the de minimis threshold for low-value imported goods?",
    "Les petites et moyennes entreprises exportent davantage grâce au commerce numérique.",
    " ".join(["Trade facilitation reduces the cost of exporting for small firms."] * 60),
)
PARITY_MIN_COSINE = 0.9999


class OnnxEncoder:
    """Encodes texts with onnxruntime, pooling and normalising as the sentence-transformers model does."""

    def __init__(self, directory: Path | str, *, threads: int = 1, verify: bool = True) -> None:
        """Open an exported encoder; ``verify`` checks both files' sha256 before onnxruntime reads them.

        One intra-op thread is the fastest for a single question on 2 cores (measured p50 11.6 ms vs
        11.2 ms with 2 threads, but p95 19 ms vs 29 ms); batch callers may pass more.
        """
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.directory = Path(directory)
        self.config = read_encoder_config(self.directory)
        if verify:
            verify_encoder_files(self.directory, self.config)
        self.dim = int(self.config["dim"])
        self.max_seq_length = int(self.config["max_seq_length"])
        self.pooling = tuple(self.config["pooling"])
        self._pad_id = int(self.config["pad_token_id"])
        self._tokenizer = Tokenizer.from_file(str(self.directory / TOKENIZER_FILE))
        # tokenizer.json carries whatever its author saved (all-MiniLM-L6-v2's says 128, padded to 128);
        # sentence-transformers truncates at max_seq_length and pads per batch, so do exactly that.
        self._tokenizer.enable_truncation(max_length=self.max_seq_length)
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self._session = ort.InferenceSession(
            str(self.directory / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = [i.name for i in self._session.get_inputs()]

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> np.ndarray:
        """Embed ``texts``; returns (len(texts), dim) float32 with unit-length rows.

        Batches hold texts of similar length (as sentence-transformers sorts them), so little is padded:
        288 catalogue texts take 4.6 s on 2 threads sorted, 12.3 s in their own order.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._encode_batch([texts[i] for i in rows])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(texts), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        types = np.zeros((len(texts), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            n = len(enc.ids)
            ids[row, :n], mask[row, :n], types[row, :n] = enc.ids, enc.attention_mask, enc.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        tokens = self._session.run(None, {name: feeds[name] for name in self._inputs})[0]
        return normalize_rows(pool(np.asarray(tokens, dtype=np.float32), mask, self.pooling))


def pool(tokens: np.ndarray, mask: np.ndarray, modes: Sequence[str]) -> np.ndarray:
    """sentence-transformers' Pooling for right-padded batches, in numpy; several modes concatenate."""
    weights = mask[..., None].astype(np.float32)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    parts = []
    for mode in modes:
        if mode == "cls":
            parts.append(tokens[:, 0])
        elif mode == "max":
            parts.append(np.where(weights > 0, tokens, -np.inf).max(axis=1))
        elif mode == "mean":
            parts.append((tokens * weights).sum(axis=1) / counts)
        elif mode == "mean_sqrt_len_tokens":
            parts.append((tokens * weights).sum(axis=1) / np.sqrt(counts))
        else:
            raise EmbeddingsError(f"pooling mode {mode!r} is not supported by the ONNX query encoder")
    return np.concatenate(parts, axis=1)


def read_encoder_config(directory: Path) -> dict[str, Any]:
    """Read and sanity-check ``encoder.json``; IndexCorrupt if it is missing or malformed."""
    path = directory / CONFIG_FILE
    config = read_json(path)
    required = ("format", "format_version", "dim", "max_seq_length", "pooling", "pad_token_id", "files")
    if not isinstance(config, dict) or any(key not in config for key in required):
        raise IndexCorrupt(path, "lacks required fields")
    if config["format"] != ENCODER_FORMAT or config["format_version"] != ENCODER_FORMAT_VERSION:
        raise IndexCorrupt(path, f"has unknown format {config['format']!r} v{config['format_version']}")
    return config


def verify_encoder_files(directory: Path, config: dict[str, Any]) -> None:
    """Check size and sha256 of the model and tokenizer against encoder.json."""
    for name, record in config["files"].items():
        path = contained(directory, name)
        if path is None:
            raise IndexCorrupt(directory / CONFIG_FILE, f"names a file outside its directory ({str(name)[:80]!r})")
        if not path.is_file():
            raise IndexCorrupt(path, "is missing")
        if path.stat().st_size != record["size"]:
            raise IndexCorrupt(path, f"is {path.stat().st_size} bytes, expected {record['size']}")
        if sha256_file(path) != record["sha256"]:
            raise IndexCorrupt(path, "does not match its sha256 (the file was altered)")


def export_onnx(
    model: ModelRef | str | None,
    dest_dir: Path | str,
    *,
    reference: Encoder | None = None,
) -> Path:
    """Export ``model`` for :class:`OnnxEncoder` into ``dest_dir``, which appears whole or not at all.

    The export is checked against the torch model (``reference``, or a freshly loaded
    SentenceTransformerEncoder) on :data:`PROBE_TEXTS`; a cosine under 0.9999 raises EmbeddingsError.
    If ``dest_dir`` already holds an export (a concurrent writer won the race), it is kept.
    """
    ref = model if isinstance(model, ModelRef) else resolve_model(model)
    dest = Path(dest_dir)
    private_dir(dest.parent)
    work = Path(tempfile.mkdtemp(prefix=".tmp-export-", dir=dest.parent))
    try:
        stage = _export_to(ref, work)
        encoder = OnnxEncoder(stage, verify=False)
        _check_parity(encoder, reference or SentenceTransformerEncoder(ref), ref)
        fsync_tree(stage)
        try:
            os.rename(stage, dest)
        except OSError:
            if not (dest / CONFIG_FILE).is_file():
                raise
        fsync_dir(dest.parent)
    finally:
        remove_tree(work)
    return dest


def _export_to(ref: ModelRef, work: Path) -> Path:
    st = load_sentence_transformer(ref, backend="onnx", model_kwargs={"export": True})
    modules = list(st.children())
    kinds = [type(module).__name__ for module in modules]
    if any(kind not in _SUPPORTED_MODULES for kind in kinds) or kinds[:2] != ["Transformer", "Pooling"]:
        raise EmbeddingsError(
            f"Model {ref.id} has modules {kinds}; the ONNX query encoder reproduces only "
            "Transformer + Pooling (+ Normalize): choose another --model."
        )
    modes: Any = getattr(modules[1], "pooling_mode", "mean")
    pooling = [modes] if isinstance(modes, str) else list(modes)
    if any(mode not in _POOLING_MODES for mode in pooling):
        raise EmbeddingsError(f"Model {ref.id} pools with {pooling}; the ONNX query encoder supports {_POOLING_MODES}.")
    saved = work / "saved"
    st.save_pretrained(str(saved))
    stage = private_dir(work / "encoder")  # renamed to the destination: private like every directory made
    if not (saved / TOKENIZER_FILE).is_file():
        raise EmbeddingsError(f"Model {ref.id} has no fast tokenizer (tokenizer.json); choose another --model.")
    shutil.copyfile(saved / "onnx" / ONNX_FILE, stage / ONNX_FILE)
    shutil.copyfile(saved / TOKENIZER_FILE, stage / TOKENIZER_FILE)
    tokenizer = st.tokenizer
    write_json(
        stage / CONFIG_FILE,
        {
            "format": ENCODER_FORMAT,
            "format_version": ENCODER_FORMAT_VERSION,
            "model_id": ref.id,
            "model_fingerprint": ref.fingerprint,
            "dim": embedding_dimension(st),
            "max_seq_length": int(st.max_seq_length or 0),
            "pooling": pooling,
            "normalize": "l2",
            "pad_token_id": int(getattr(tokenizer, "pad_token_id", 0) or 0),
            "files": {name: file_record(stage / name) for name in (ONNX_FILE, TOKENIZER_FILE)},
        },
    )
    return stage


def _check_parity(encoder: OnnxEncoder, reference: Encoder, ref: ModelRef) -> None:
    texts = list(PROBE_TEXTS)
    cosines = np.sum(encoder.encode(texts) * reference.encode(texts), axis=1)
    if float(cosines.min()) < PARITY_MIN_COSINE:
        raise EmbeddingsError(
            f"The ONNX export of {ref.id} disagrees with the model (cosine {float(cosines.min()):.5f} "
            f"< {PARITY_MIN_COSINE}); choose another --model."
        )
