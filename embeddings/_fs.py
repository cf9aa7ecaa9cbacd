"""Durable file operations: fsynced writes, hashing, linking, and the writer lock."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from embeddings.errors import IndexLocked

_CHUNK = 1 << 20
PRIVATE_DIR_MODE = 0o700  # what the XDG base-directory spec asks of the directories a program creates


def private_dir(path: Path | str) -> Path:
    """Make ``path`` a directory, creating it and any missing parent with mode 0700 whatever the umask.

    The one place that decides how msme-qa creates a directory (indexes, generations, the encoder
    cache, the chat history's directory). Directories that already exist are left as they are.
    Raises FileExistsError if ``path`` exists and is not a directory, like ``mkdir(exist_ok=True)``.
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, PRIVATE_DIR_MODE)
        except FileExistsError:
            continue  # another process made it first: it is theirs to have set
        os.chmod(directory, PRIVATE_DIR_MODE)  # a umask of 0o077 would agree; 0o277 would not
    if not path.is_dir():
        raise FileExistsError(errno.EEXIST, "exists and is not a directory", str(path))
    return path


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_record(path: Path) -> dict[str, Any]:
    """What the manifest stores about one file: its size and sha256."""
    return {"size": path.stat().st_size, "sha256": sha256_file(path)}


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a directory's entries (new names, renames) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file and fsync it (the caller renames or fsyncs the directory)."""
    with path.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def write_json(path: Path, obj: Any) -> None:
    write_bytes(path, (json.dumps(obj, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so a reader sees either the old or the new content, never a mix."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write_bytes(tmp, data)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link ``src`` to ``dst`` (files of a generation are never modified), else copy and fsync."""
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EACCES):
            raise
        shutil.copyfile(src, dst)
        fsync_file(dst)


def fsync_tree(root: Path) -> None:
    """Fsync every file and directory under ``root`` (bottom-up), then ``root`` itself."""
    for dirpath, _dirs, files in os.walk(root, topdown=False):
        for name in files:
            fsync_file(Path(dirpath, name))
        fsync_dir(Path(dirpath))


def remove_tree(path: Path) -> None:
    """Delete a directory tree, ignoring what has already gone (another cleanup, a reader's retry).

    A symbolic link is removed itself, never followed: an index someone else built may hold one that
    points at the user's files. (Inside a tree, rmtree never follows links either.)
    """
    if path.is_symlink():
        path.unlink(missing_ok=True)
        return
    shutil.rmtree(path, ignore_errors=True)


def contained(root: Path, name: object) -> Path | None:
    """``root / name`` when ``name`` is a plain relative path that stays inside ``root``, else None.

    Refused: anything but a non-empty string, absolute paths, ``..``, ``.`` or empty components,
    backslashes, NUL, and a path whose symbolic links (resolved without opening a file) lead out.
    """
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    if any(part in ("", ".", "..") for part in name.split("/")):
        return None
    path = root / name
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return path if inside else None


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, timeout: float) -> Iterator[None]:
    """Hold ``flock(LOCK_EX)`` on ``lock_path``; raise IndexLocked after ``timeout`` seconds of waiting.

    The kernel drops the lock when the holder dies, so a SIGKILLed rebuild never leaves a stale lock.
    """
    private_dir(lock_path.parent)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(lock_path, timeout) from None
                time.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
                delay = min(delay * 2, 0.25)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def read_json(path: Path) -> Any:
    """A JSON file's content; IndexCorrupt if it is missing, unreadable or not JSON."""
    from embeddings.errors import IndexCorrupt

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexCorrupt(path, "is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise IndexCorrupt(path, "is not valid JSON") from None
