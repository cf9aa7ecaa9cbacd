"""One place that turns domain errors into a message on stderr and the exit code of INTERFACE.md."""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from qa.errors import MsmeQaError

F = TypeVar("F", bound=Callable[..., Any])
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def debug() -> bool:
    return os.environ.get("MSME_QA_DEBUG", "") not in ("", "0")


def fail(message: str, code: int) -> typer.Exit:
    """Print ``msme-qa: message`` on stderr and return the Exit to raise.

    The message may quote a file name or catalogue text: no control character of theirs gets through.
    """
    from qa.catalogue.controls import strip_controls

    sys.stderr.write(f"msme-qa: {strip_controls(message, keep_newlines=True)}\n")
    sys.stderr.flush()
    return typer.Exit(code)


def exit_code_for(exc: BaseException) -> int:
    code = getattr(exc, "exit_code", 1)
    return code if isinstance(code, int) else 1


def handled(func: F) -> F:
    """Run a command; domain errors become one or two lines on stderr, never a traceback.

    With MSME_QA_DEBUG=1 the original exception propagates, traceback and all.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except BrokenPipeError:
            # The reader went away (`msme-qa list | head`): not an error worth a message.
            sys.stderr.close()
            raise typer.Exit(0) from None
        except Exception as exc:
            if debug():
                raise
            raise fail(message_for(exc), exit_code_for(exc) if _is_domain(exc) else 1) from None

    return wrapper  # type: ignore[return-value]


def message_for(exc: BaseException) -> str:
    """What the CLI says about ``exc`` after ``msme-qa: ``: the domain message, a machine problem, or a bug."""
    if _is_domain(exc):
        return str(exc)
    if (problem := environment_problem(exc)) is not None:
        return problem
    return (
        f"unexpected error: {type(exc).__name__}: {exc}\n"
        "  run again with MSME_QA_DEBUG=1 for the traceback, and please report it"
    )


def environment_problem(exc: BaseException) -> str | None:
    """The message for a failure of the machine rather than of the program (a full disk); None otherwise."""
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        # Not a bug to report. Index writes are atomic (new generation, then one rename): nothing is lost.
        where = f" ({exc.filename})" if exc.filename else ""
        return (
            f"no space left on device{where}; free some disk space, then run the command again "
            "(an index already built is left as it was)"
        )
    return None


def _is_domain(exc: BaseException) -> bool:
    if isinstance(exc, MsmeQaError):
        return True
    try:  # embeddings errors share the contract without importing qa
        from embeddings.errors import EmbeddingsError
    except ImportError:
        return False
    return isinstance(exc, EmbeddingsError)
