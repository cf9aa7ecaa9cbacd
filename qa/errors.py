"""Domain errors of the qa package. The CLI turns each into a message on stderr and an exit code."""

from __future__ import annotations


class MsmeQaError(Exception):
    """Base class; ``exit_code`` follows INTERFACE.md (2 = bad input or usage, 1 = anything else)."""

    exit_code = 1


class CatalogueError(MsmeQaError):
    """The catalogue cannot be read: missing, empty, binary, truncated, unknown form."""

    exit_code = 2


class UsageError(MsmeQaError):
    """The request itself is unusable: an empty question, an unknown id, a bad filter."""

    exit_code = 2
