"""The reader's API: open the live generation, or decide cheaply whether it matches model and source."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from embeddings import layout
from embeddings.errors import IndexCorrupt, IndexMismatch, IndexMissing
from embeddings.model import ModelRef, resolve_model
from embeddings.store import ENCODER_DIR, Index

ModelSpec = ModelRef | str | os.PathLike[str] | None


@dataclass(frozen=True)
class Freshness:
    """Whether the index can answer as is; ``reason`` says why not, in words fit for stderr."""

    fresh: bool
    reason: str | None = None
    generation: str | None = None

    def __bool__(self) -> bool:
        return self.fresh


def as_model_ref(model: ModelSpec) -> ModelRef:
    return model if isinstance(model, ModelRef) else resolve_model(model)


def json_normalized(obj: Any) -> Any:
    """``obj`` as it reads back from JSON (tuples become lists), so stored and given sources compare."""
    return json.loads(json.dumps(obj, ensure_ascii=False))


def open_index(index_dir: Path | str, model: ModelSpec = None, *, with_encoder: bool = True) -> Index:
    """Load and verify the live generation (manifest, then every file's sha256, then FAISS).

    Raises IndexMissing, IndexCorrupt or IndexMismatch (other model, dimension or format); never returns
    damaged vectors. A generation replaced and collected while being loaded is retried.
    """
    index_dir = Path(index_dir)
    ref = as_model_ref(model)
    for attempt in range(3):
        name = layout.current_name(index_dir) if index_dir.is_dir() else None
        try:
            gen = layout.current_generation(index_dir)
            return Index(gen, layout.read_manifest(gen), fingerprint=ref.fingerprint, with_encoder=with_encoder)
        except (IndexCorrupt, IndexMissing):
            if attempt < 2 and index_dir.is_dir() and layout.current_name(index_dir) != name:
                continue  # a writer swapped generations under us: load the new one
            raise
    raise AssertionError("unreachable")


def check_fresh(
    index_dir: Path | str,
    model: ModelSpec = None,
    source: dict[str, Any] | None = None,
    *,
    verify: bool = False,
) -> Freshness:
    """Decide without loading vectors or the model whether the index matches ``model`` and ``source``.

    Reads CURRENT and the manifest (checksummed), compares the model fingerprint and the source
    metadata, and stats every file (``verify=True`` also hashes them). Cost: a few milliseconds.
    """
    index_dir = Path(index_dir)
    ref = as_model_ref(model)  # ModelNotFound propagates: rebuilding would not help
    try:
        gen = layout.current_generation(index_dir)
        manifest = layout.read_manifest(gen)
        layout.check_model(gen, manifest, ref.fingerprint)
        layout.verify_files(gen, manifest, full=verify)
    except IndexMissing:
        return Freshness(False, "no index has been built yet")
    except IndexMismatch as exc:
        return Freshness(False, f"the index does not match ({exc.problem})")
    except IndexCorrupt as exc:
        return Freshness(False, f"the index is damaged ({exc.path.name} {exc.problem})")
    if not any(name.startswith(f"{ENCODER_DIR}/") for name in manifest["files"]):
        return Freshness(False, "the index has no query encoder", gen.name)
    if source is not None and json_normalized(source) != manifest["source"]:
        return Freshness(False, "the source changed since the last build", gen.name)
    return Freshness(True, None, gen.name)
