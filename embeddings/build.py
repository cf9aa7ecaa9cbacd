"""Bring an index up to date with a set of documents: encode only what is new or changed.

A rebuild with nothing to do returns after reading the manifest and hashing the files: it never
imports torch nor loads the model. A previous index that is damaged or was built with another model
is replaced by a full rebuild, and the report says why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from embeddings import ann, layout
from embeddings._fs import exclusive_lock, private_dir, write_json
from embeddings.encoder import Encoder, SentenceTransformerEncoder, normalize_rows
from embeddings.errors import EmbeddingsError, IndexCorrupt, IndexMismatch, IndexMissing
from embeddings.freshness import ModelSpec, as_model_ref, json_normalized
from embeddings.model import ModelRef
from embeddings.placement import cached_export, place_query_encoder, reusable_encoder
from embeddings.steps import ENCODE, EXPORT_ENCODER, LOAD_MODEL, WRITE, StepFn, report
from embeddings.store import DOCUMENTS, ENCODER_DIR, FAISS_FILE, VECTORS, Document, Index

ProgressFn = Callable[[int, int], None]
EncoderFactory = Callable[[ModelRef], Encoder]
DEFAULT_LOCK_TIMEOUT = 30.0
# Progress granularity: documents are encoded in chunks of about this many texts (4 batches of 16). The bundled
# catalogue's 288 texts encode as fast in chunks of 64 as of 256 (best of 3, same machine), in 5 steps, not 2.
_TEXTS_PER_CHUNK = 64


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild did; counts are per document. :meth:`to_json` gives the INTERFACE.md shape."""

    entries: int
    added: int
    changed: int
    removed: int
    unchanged: int
    encoded: int
    seconds: float
    index: str
    model: str
    full: bool = False
    reason: str | None = None  # why everything was re-encoded (first build, --full, damage, new model)
    generation: str | None = None
    written: bool = True  # False when the index was already up to date

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 2)
        for internal in ("generation", "written"):
            del data[internal]
        return data


@dataclass
class _Plan:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    to_encode: list[Document] = field(default_factory=list)


def update_index(
    index_dir: Path | str,
    docs: Sequence[Document],
    model: ModelSpec = None,
    *,
    full: bool = False,
    source: dict[str, Any] | None = None,
    progress: ProgressFn | None = None,
    encoder_factory: EncoderFactory | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    query_encoder: bool = True,
    encoder_cache: Path | str | None = None,
    index_type: str | None = None,
    on_step: StepFn | None = None,
    donors: Sequence[Path | str] = (),
) -> RebuildReport:
    """Make ``index_dir`` hold exactly ``docs`` embedded with ``model``; returns what changed.

    ``source`` is opaque metadata stored in the manifest and compared by :func:`check_fresh`.
    ``progress(done, total)`` is called while encoding (documents). ``encoder_factory`` replaces the
    sentence-transformers encoder (tests). ``query_encoder=False`` skips the ONNX export; an
    ``encoder_cache`` directory shares exports between indexes. ``index_type`` overrides the FAISS
    index chosen by size. ``on_step`` hears each phase as it starts (:mod:`embeddings.steps`).
    ``donors`` are other index directories: when this one has no usable index yet (a new or updated
    catalogue in a new place), a document whose key and texts a donor built with the same model holds takes
    the donor's vectors instead of being encoded again (not with ``full``).
    Raises IndexLocked if another rebuild holds the lock past ``lock_timeout``.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir).expanduser()
    ref = as_model_ref(model)
    docs = _checked(docs)
    stored_source = json_normalized(source or {})
    private_dir(index_dir)
    with exclusive_lock(index_dir / layout.LOCK, lock_timeout):
        layout.collect_garbage(index_dir)
        prev, reason = _previous(index_dir, ref)
        if full and reason is None:
            reason = "a full rebuild was requested"
        plan = _plan(docs, prev, everything=reason is not None)
        donor = _donor(donors, index_dir, ref, docs) if prev is None and not full else None
        if donor is not None:
            plan.to_encode = [d for d in plan.to_encode if not _holds(donor, d)]
        n_vectors = sum(len(d.texts) for d in docs)
        kind = index_type or ann.choose_index_type(n_vectors)
        reuse = reusable_encoder(index_dir, ref) if query_encoder else None

        def summary(encoded: int, generation: str, written: bool) -> RebuildReport:
            return RebuildReport(
                len(docs), len(plan.added), len(plan.changed), len(plan.removed), len(plan.unchanged),
                encoded, time.perf_counter() - started, str(index_dir), ref.id,
                reason is not None, reason, generation, written,
            )  # fmt: skip

        if prev is not None and reason is None and not plan.to_encode and not plan.removed:
            same = prev.keys() == [d.key for d in docs] and prev.source == stored_source
            if same and prev.index_type == kind and (reuse is not None or not query_encoder) and _intact(prev):
                return summary(0, prev.generation, written=False)

        if encoder_factory is None and query_encoder and plan.to_encode:
            encoder_factory = _exported_encoder(ref, reuse, encoder_cache, on_step)
        encoder = _LazyEncoder(ref, encoder_factory, on_step)
        encoded = _encode(plan.to_encode, encoder, progress, on_step)
        dim = _dimension(encoded, prev or donor, encoder)
        vectors, records = _assemble(docs, encoded, prev or donor, dim)
        with layout.new_generation(index_dir) as gen:
            encoder_info = None
            if query_encoder:  # first, so that writing is the last phase a progress display shows
                reference = encoder.loaded if isinstance(encoder.loaded, SentenceTransformerEncoder) else None
                encoder_info = place_query_encoder(
                    gen.path / ENCODER_DIR, ref, dim, reuse=reuse, cache=encoder_cache, reference=reference,
                    on_export=lambda: report(on_step, EXPORT_ENCODER),
                )  # fmt: skip
            report(on_step, WRITE)
            np.save(gen.path / VECTORS, vectors, allow_pickle=False)
            write_json(gen.path / DOCUMENTS, {"documents": records})
            params = ann.default_params(kind, n_vectors)
            if kind != ann.FLAT:
                import faiss

                faiss.write_index(ann.build_index(vectors, kind, params), str(gen.path / FAISS_FILE))
            manifest = {
                "model": {"id": ref.id, "fingerprint": ref.fingerprint, "dim": dim},
                "normalization": "l2",
                "metric": "inner_product",
                "faiss": {"type": kind, "params": params},
                "counts": {"documents": len(docs), "vectors": len(vectors)},
                "source": stored_source,
                "encoder": encoder_info,
            }
            final = gen.commit(manifest)
        layout.collect_garbage(index_dir)
        return summary(len(plan.to_encode), final.name, written=True)


def _exported_encoder(
    ref: ModelRef, reuse: Path | None, cache: Path | str | None, on_step: StepFn | None
) -> EncoderFactory | None:
    """Encode with the ONNX export when there is one (exported first into ``cache`` if need be), else None.

    The export is what answers questions, so vectors made with it match the queries exactly; it is
    also faster than torch here (288 catalogue texts in 4.6 s against 5.6 s on 2 cores, length-sorted
    batches), and when the export is already cached, as for a second catalogue or an updated one,
    a build never imports torch at all.
    """
    if reuse is None and cache is None:
        return None
    from embeddings.encoder import available_cores
    from embeddings.query_encoder import OnnxEncoder

    exported = reuse or cached_export(Path(cache), ref, None, lambda: report(on_step, EXPORT_ENCODER))  # type: ignore[arg-type]
    return lambda _ref: OnnxEncoder(exported, threads=available_cores(), verify=False)


class _LazyEncoder:
    """Creates the encoder (and so loads the model) only if something must be encoded."""

    def __init__(self, ref: ModelRef, factory: EncoderFactory | None, on_step: StepFn | None = None) -> None:
        self.ref = ref
        self.factory: EncoderFactory = factory or SentenceTransformerEncoder
        self.loaded: Encoder | None = None
        self.on_step = on_step

    def get(self) -> Encoder:
        if self.loaded is None:
            report(self.on_step, LOAD_MODEL)
            encoder = self.factory(self.ref)
            _ = encoder.dim  # loads the model now (it would on first use), inside its own phase
            self.loaded = encoder
        return self.loaded


def _checked(docs: Sequence[Document]) -> list[Document]:
    seen: set[str] = set()
    out = []
    for doc in docs:
        if not isinstance(doc.key, str) or not doc.key:
            raise ValueError(f"document keys must be non-empty strings, got {doc.key!r}")
        if doc.key in seen:
            raise ValueError(f"duplicate document key {doc.key!r}")
        if not all(isinstance(text, str) for text in doc.texts):
            raise TypeError(f"document {doc.key!r}: texts must be strings")
        seen.add(doc.key)
        out.append(doc if isinstance(doc.texts, tuple) else Document(doc.key, tuple(doc.texts)))
    return out


def _previous(index_dir: Path, ref: ModelRef) -> tuple[Index | None, str | None]:
    """The live generation if it is intact and built with ``ref``; else None and why."""
    try:
        gen = layout.current_generation(index_dir)
        return Index(gen, layout.read_manifest(gen), fingerprint=ref.fingerprint, with_faiss=False), None
    except IndexMissing:
        return None, "there was no index yet"
    except IndexCorrupt as exc:
        return None, f"the previous index was damaged ({exc.path.name} {exc.problem})"
    except IndexMismatch as exc:
        return None, f"the previous index did not match ({exc.problem})"


def _holds(index: Index, doc: Document) -> bool:
    return doc.key in index and index.content_hash(doc.key) == doc.content_hash()


def _donor(donors: Sequence[Path | str], index_dir: Path, ref: ModelRef, docs: list[Document]) -> Index | None:
    """Of the other indexes built with ``ref``, the intact one that holds the most of ``docs``, if any does."""
    best, held = None, 0
    for place in donors:
        path = Path(place).expanduser()
        if path.resolve() == index_dir.resolve() or not path.is_dir():
            continue
        try:
            candidate, _ = _previous(path, ref)
        except (EmbeddingsError, OSError, ValueError):  # unreadable: a donor is only ever an offer
            continue
        if candidate is None:
            continue
        n = sum(_holds(candidate, d) for d in docs)
        if n > held:
            best, held = candidate, n
    return best


def _intact(prev: Index) -> bool:
    """Whether the stored FAISS index (not read by the rebuild until now) matches the manifest."""
    if FAISS_FILE not in prev.manifest["files"]:
        return True
    try:
        layout.verify_files(prev.path, prev.manifest, [FAISS_FILE])
    except IndexCorrupt:
        return False
    return True


def _plan(docs: list[Document], prev: Index | None, *, everything: bool) -> _Plan:
    plan = _Plan()
    for doc in docs:
        if prev is None or doc.key not in prev:
            plan.added.append(doc.key)
            plan.to_encode.append(doc)
        elif prev.content_hash(doc.key) != doc.content_hash():
            plan.changed.append(doc.key)
            plan.to_encode.append(doc)
        else:
            plan.unchanged.append(doc.key)
            if everything:
                plan.to_encode.append(doc)
    if prev is not None:
        wanted = {d.key for d in docs}
        plan.removed = [key for key in prev.keys() if key not in wanted]  # noqa: SIM118 - ordered list
    return plan


def _encode(
    docs: list[Document], encoder: _LazyEncoder, progress: ProgressFn | None, on_step: StepFn | None = None
) -> dict[str, np.ndarray]:
    """Vectors of ``docs`` by key, encoded in chunks so ``progress`` (documents) and ``on_step`` (texts) advance."""
    out: dict[str, np.ndarray] = {}
    if not docs:
        return out
    total, done = sum(len(d.texts) for d in docs), 0
    if total:
        encoder.get()  # the model loads before the first ENCODE step, in its own phase
    report(on_step, ENCODE, 0, total, len(docs))
    if progress:
        progress(0, len(docs))
    chunk: list[Document] = []
    for i, doc in enumerate(docs, start=1):
        chunk.append(doc)
        if i == len(docs) or sum(len(d.texts) for d in chunk) >= _TEXTS_PER_CHUNK:
            texts = [t for d in chunk for t in d.texts]
            vectors = encoder.get().encode(texts) if texts else np.zeros((0, 0), np.float32)
            if len(vectors) != len(texts) or not np.isfinite(vectors).all():
                raise EmbeddingsError(f"the encoder returned {vectors.shape} values for {len(texts)} texts")
            vectors = normalize_rows(vectors) if texts else vectors
            offset = 0
            for d in chunk:
                out[d.key] = vectors[offset : offset + len(d.texts)]
                offset += len(d.texts)
            done += offset
            chunk = []
            report(on_step, ENCODE, done, total, len(docs))
            if progress:
                progress(i, len(docs))
    return out


def _dimension(encoded: dict[str, np.ndarray], prev: Index | None, encoder: _LazyEncoder) -> int:
    for vectors in encoded.values():
        if vectors.ndim == 2 and len(vectors):
            return int(vectors.shape[1])
    return prev.dim if prev is not None else encoder.get().dim


def _assemble(
    docs: list[Document], encoded: dict[str, np.ndarray], prev: Index | None, dim: int
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """All vectors in document order (new ones from ``encoded``, the rest copied from ``prev``)."""
    vectors = np.empty((sum(len(d.texts) for d in docs), dim), dtype=np.float32)
    records = []
    start = 0
    for doc in docs:
        n = len(doc.texts)
        if n:
            source = encoded[doc.key] if doc.key in encoded else prev.vectors(doc.key)  # type: ignore[union-attr]
            if source.shape != (n, dim):
                raise EmbeddingsError(f"vectors of {doc.key!r} have shape {source.shape}, expected ({n}, {dim})")
            vectors[start : start + n] = source
        records.append({"key": doc.key, "sha256": doc.content_hash(), "start": start, "count": n})
        start += n
    return vectors, records
