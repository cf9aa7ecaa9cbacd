"""The package's domain errors: each message is one sentence that says what went wrong and what to run.

Callers (qa, cli) show ``str(exc)`` as is, so messages never contain a traceback or a Python repr.
"""

from __future__ import annotations

from pathlib import Path

#: The command that repairs an index; messages name it so a user knows what to type.
REBUILD_COMMAND = "msme-qa rebuild"


class EmbeddingsError(Exception):
    """Base class of every error raised on purpose by :mod:`embeddings`."""


class ModelNotFound(EmbeddingsError):
    """The model spec names nothing that can be loaded offline."""

    def __init__(self, spec: str, tried: list[str]) -> None:
        self.spec = spec
        self.tried = tried
        super().__init__(
            f"Model {spec!r} was not found (tried: {'; '.join(tried)}); pass a sentence-transformers "
            "model directory with --model, or omit --model to use the packaged all-MiniLM-L6-v2."
        )


class IndexMissing(EmbeddingsError):
    """No usable index exists in the directory (never built, or a file is gone)."""

    def __init__(self, index_dir: Path, detail: str = "no index has been built there") -> None:
        self.index_dir = index_dir
        self.detail = detail
        super().__init__(f"No embeddings index in {index_dir} ({detail}); run `{REBUILD_COMMAND}`.")


class IndexCorrupt(EmbeddingsError):
    """A file of the index does not match its manifest, or the manifest itself is unreadable."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"The embeddings index is damaged: {path} {problem}; run `{REBUILD_COMMAND} --full`.")


class IndexMismatch(EmbeddingsError):
    """The index was built for another model, dimension or format version."""

    def __init__(self, index_dir: Path, problem: str) -> None:
        self.index_dir = index_dir
        self.problem = problem
        super().__init__(
            f"The embeddings index in {index_dir} does not match: {problem}; run `{REBUILD_COMMAND} --full`."
        )


class IndexLocked(EmbeddingsError):
    """Another process holds the writer lock for longer than the timeout."""

    def __init__(self, lock_path: Path, timeout: float) -> None:
        self.lock_path = lock_path
        self.timeout = timeout
        super().__init__(
            f"Another rebuild is updating the index (lock {lock_path} held for more than {timeout:g} s); "
            f"wait for it to finish, then run `{REBUILD_COMMAND}` again."
        )
