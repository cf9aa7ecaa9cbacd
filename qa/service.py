"""Opening the assistant: catalogue + index + query encoder, with the index brought up to date.

`ask` and `chat` never answer from an index that does not match the catalogue and model: the
entries' content hashes are compared with the index's (in memory, no model load); a difference
triggers an incremental update, reported on stderr through ``on_status``. The caller may watch a
build's phases through ``watch`` (the CLI draws them; qa draws nothing).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.catalogue.load import load_catalogue, resolve_catalogue
from qa.catalogue.model import Catalogue
from qa.search.dense import MatrixDense, entry_texts
from qa.settings import DEFAULT, Settings

if TYPE_CHECKING:
    from embeddings.steps import StepFn
    from qa.engine import Assistant

INDEX_ENV = "MSME_QA_INDEX"
MODEL_ENV = "MSME_QA_MODEL"
# Rows scored exactly in memory (the threshold embeddings measured, bench/scale.py); above, FAISS finds candidates.
EXACT_LIMIT = 50_000
Status = Callable[[str], None]
# Called as a build starts, with whether it builds from scratch (no index, a damaged one, another model)
# rather than updating a few entries; the context it returns gives the step callback for that build.
Watch = Callable[[bool], AbstractContextManager["StepFn | None"]]


def cache_dir(*parts: str) -> Path:
    """Where msme-qa keeps what it can rebuild: the user's cache dir (``$XDG_CACHE_HOME/msme-qa``).

    Only a path: the embeddings package creates what it writes there with embeddings.private_dir,
    so every directory msme-qa makes is 0700.
    """
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("msme-qa"), *parts)


def default_index_dir(catalogue_path: Path) -> Path:
    """One index per catalogue, under the user's cache dir."""
    digest = hashlib.sha256(str(catalogue_path.resolve()).encode()).hexdigest()[:12]
    return cache_dir("indexes", f"{catalogue_path.stem}-{digest}")


def resolve_index(index: str | os.PathLike[str] | None, catalogue_path: Path) -> Path:
    chosen = index or os.environ.get(INDEX_ENV) or None
    return Path(chosen).expanduser() if chosen else default_index_dir(catalogue_path)


def resolve_model_spec(model: str | None) -> str | None:
    return model or os.environ.get(MODEL_ENV) or None


def file_source(path: Path) -> dict[str, Any]:
    """What the index records of the catalogue it was built from."""
    stat = path.stat()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"catalogue": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}


def documents(catalogue: Catalogue) -> list[Any]:
    from embeddings import Document

    return [Document(e.id, entry_texts(e)) for e in catalogue.entries]


def rebuild(
    catalogue: Catalogue,
    index_dir: Path,
    model: str | None,
    *,
    full: bool = False,
    progress: Callable[[int, int], None] | None = None,
    on_step: StepFn | None = None,
) -> Any:
    """Bring the index up to date with the catalogue; returns the embeddings RebuildReport.

    ``progress(done, total)`` counts documents; ``on_step`` hears each phase (embeddings.steps).
    """
    from embeddings import update_index

    assert catalogue.path is not None
    # The ONNX export of a model (~10 s) is shared by every index built with it; so are the vectors of
    # entries another catalogue's index holds already (an updated catalogue in a new file re-embeds only
    # what changed).
    encoders = cache_dir("encoders")
    indexes = cache_dir("indexes")
    donors = sorted(indexes.iterdir()) if indexes.is_dir() else []
    return update_index(
        index_dir,
        documents(catalogue),
        model,
        full=full,
        source=file_source(catalogue.path),
        progress=progress,
        encoder_cache=encoders,
        on_step=on_step,
        donors=donors,
    )


def _matches(index: Any, docs: list[Any]) -> bool:
    keys = set(index.keys())
    if keys != {d.key for d in docs}:
        return False
    return all(index.content_hash(d.key) == d.content_hash() for d in docs)


def dense_from_index(index: Any) -> Any:
    """qa's view of the loaded index: exact scores in memory, FAISS candidates past EXACT_LIMIT rows."""
    keys = index.keys()
    if sum(len(index.vectors(k)) for k in keys) > EXACT_LIMIT:
        return FaissDense(index)
    rows = [(k, i) for k in keys for i in range(len(index.vectors(k)))]
    vectors = np.vstack([index.vectors(k) for k in keys]) if keys else np.zeros((0, index.dim), np.float32)
    return MatrixDense(vectors, rows, index.encode_queries)


@dataclass
class FaissDense:
    """For very large catalogues: score only the entries FAISS finds near the question."""

    index: Any
    candidates: int = 256

    def encode(self, text: str) -> np.ndarray:
        return np.asarray(self.index.encode_queries([text])[0], dtype=np.float32)

    def scores(self, query: np.ndarray) -> dict[str, np.ndarray]:
        keys = {hit.key for hit in self.index.search(query, k=self.candidates)}
        return {k: self.index.vectors(k) @ query for k in keys}


def open_assistant(
    catalogue: str | os.PathLike[str] | None = None,
    index: str | os.PathLike[str] | None = None,
    model: str | None = None,
    *,
    on_status: Status | None = None,
    settings: Settings = DEFAULT,
    watch: Watch | None = None,
) -> Assistant:
    """Load catalogue and index, updating the index first if it does not match (saying so).

    With a model other than the one ``settings`` were calibrated for, says so: the cosine thresholds
    (``qa.settings.MODEL_DEPENDENT``) mean something else under another model.
    """
    from embeddings import IndexCorrupt, IndexLocked, IndexMismatch, IndexMissing, ModelNotFound, open_index

    say = on_status or (lambda _message: None)
    cat = load_catalogue(catalogue)
    assert cat.path is not None
    index_dir = resolve_index(index, cat.path)
    model = resolve_model_spec(model)
    docs = documents(cat)
    scratch = True
    try:
        loaded = open_index(index_dir, model)
        if _matches(loaded, docs):
            return _assistant(cat, loaded, settings, say)
        say("the catalogue changed since the index was built; updating the index")
        scratch = False
    except (ModelNotFound, IndexLocked):
        raise
    except IndexMissing:
        say("no index for this catalogue and model yet; building the index (10-20 s, once)")
    except IndexCorrupt as exc:
        say(f"the index is damaged ({exc.path.name} {exc.problem}); building the index again")
    except IndexMismatch as exc:
        say(f"the index does not match ({exc.problem}); building the index again")
    with watch(scratch) if watch else nullcontext(None) as on_step:
        report = rebuild(cat, index_dir, model, on_step=on_step)
    say(f"index updated: {report.added} added, {report.changed} changed, {report.removed} removed")
    return _assistant(cat, open_index(index_dir, model), settings, say)


def _assistant(cat: Catalogue, loaded: Any, settings: Settings, say: Status) -> Assistant:
    from qa.engine import Assistant

    if loaded.model_id != settings.calibrated_for:
        say(
            f"the answer thresholds were calibrated for {settings.calibrated_for}, not {loaded.model_id}; "
            "expect more or fewer refusals (see docs/answers.md, 'Settings')"
        )
    return Assistant.build(cat, dense_from_index(loaded), settings)


@dataclass
class LiveAssistant:
    """An assistant that notices when its catalogue file changes (chat sessions are long)."""

    catalogue: str | os.PathLike[str] | None
    index: str | os.PathLike[str] | None
    model: str | None
    on_status: Status | None = None
    watch: Watch | None = None

    def __post_init__(self) -> None:
        self._stamp: tuple[int, int] | None = None
        self._assistant: Assistant | None = None

    def _file_stamp(self) -> tuple[int, int]:
        stat = resolve_catalogue(self.catalogue).stat()
        return stat.st_size, stat.st_mtime_ns

    def get(self) -> Assistant:
        """The assistant, reloaded (and the index updated) if the catalogue file changed: a stat per call."""
        stamp = self._file_stamp()
        if self._assistant is None or stamp != self._stamp:
            if self._assistant is not None and self.on_status:
                self.on_status("the catalogue file changed; reloading it")
            self._assistant = open_assistant(
                self.catalogue, self.index, self.model, on_status=self.on_status, watch=self.watch
            )
            self._stamp = stamp
        return self._assistant
