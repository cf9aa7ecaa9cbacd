"""Put a query encoder into a new generation, exporting the model to ONNX only once per fingerprint.

The export takes ~10 s (torch import, optimum export, parity check), so it is reused: first from the
live generation (hard links: generation files are immutable), then from an optional shared cache
directory, and only then exported afresh. Every reused file is verified by sha256 first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from embeddings import layout
from embeddings._fs import link_or_copy, private_dir, remove_tree
from embeddings.encoder import Encoder
from embeddings.errors import EmbeddingsError, IndexCorrupt, IndexMismatch, IndexMissing
from embeddings.model import ModelRef
from embeddings.query_encoder import CONFIG_FILE, export_onnx, read_encoder_config, verify_encoder_files
from embeddings.store import ENCODER_DIR

_STALE_EXPORT_SECONDS = 3600


def reusable_encoder(index_dir: Path, ref: ModelRef) -> Path | None:
    """The live generation's encoder dir if it was exported from ``ref`` and its files are intact."""
    try:
        gen = layout.current_generation(index_dir)
        manifest = layout.read_manifest(gen)
    except (IndexMissing, IndexCorrupt, IndexMismatch):
        return None
    info = manifest.get("encoder") or {}
    if info.get("model_fingerprint") != ref.fingerprint:
        return None
    names = [n for n in manifest["files"] if n.startswith(f"{ENCODER_DIR}/")]
    try:
        layout.verify_files(gen, manifest, names)
    except IndexCorrupt:
        return None
    return gen / ENCODER_DIR if names else None


def place_query_encoder(
    dest: Path,
    ref: ModelRef,
    dim: int,
    *,
    reuse: Path | None = None,
    cache: Path | str | None = None,
    reference: Encoder | None = None,
    on_export: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Fill ``dest`` with the encoder for ``ref``; returns the manifest's ``encoder`` section.

    ``on_export`` is called just before an ONNX export (the slow case), not when an export is reused.
    """
    if reuse is not None:
        _link_dir(reuse, dest)
    elif cache is not None:
        cached = cached_export(Path(cache), ref, reference, on_export)
        _link_dir(cached, dest)
    else:
        if on_export:
            on_export()
        export_onnx(ref, dest, reference=reference)
    config = read_encoder_config(dest)
    if int(config["dim"]) != dim:
        raise EmbeddingsError(f"the query encoder of {ref.id} has dimension {config['dim']}, the vectors {dim}")
    return {
        "dir": ENCODER_DIR,
        "model_fingerprint": ref.fingerprint,
        "max_seq_length": config["max_seq_length"],
        "pooling": config["pooling"],
    }


def cached_export(
    cache: Path, ref: ModelRef, reference: Encoder | None = None, on_export: Callable[[], None] | None = None
) -> Path:
    """``cache/<fingerprint>``, exported there first if absent or damaged."""
    private_dir(cache)
    target = cache / ref.short
    if (target / CONFIG_FILE).is_file():
        try:
            config = read_encoder_config(target)
            if config.get("model_fingerprint") == ref.fingerprint:
                verify_encoder_files(target, config)
                return target
        except IndexCorrupt:
            pass
        remove_tree(target)
    for stale in cache.glob(".tmp-export-*"):  # left by an export that was killed
        if time.time() - stale.stat().st_mtime > _STALE_EXPORT_SECONDS:
            remove_tree(stale)
    if on_export:
        on_export()
    return export_onnx(ref, target, reference=reference)


def _link_dir(src: Path, dest: Path) -> None:
    """Hard-link the regular files of ``src`` into a new ``dest``; a symlink is never followed or carried."""
    private_dir(dest)
    for file in sorted(src.iterdir()):
        if file.is_file() and not file.is_symlink():
            link_or_copy(file, dest / file.name)
