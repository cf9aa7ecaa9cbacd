"""The phases of a rebuild, reported as they start and while encoding, for whoever draws progress.

The package only reports; how a step is shown (a bar, a line in a log, nothing) is the caller's
business. A rebuild with nothing to encode reports at most :data:`WRITE`; one with nothing to write
reports nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

LOAD_MODEL = "load-model"  # importing torch and loading the sentence-transformers model (~5 s)
ENCODE = "encode"  # embedding texts; reported at the start and after every chunk
EXPORT_ENCODER = "export-encoder"  # exporting the query encoder to ONNX (~10 s, once per model)
WRITE = "write"  # writing the new generation and swapping it in
PHASES = (LOAD_MODEL, ENCODE, EXPORT_ENCODER, WRITE)


@dataclass(frozen=True)
class Step:
    """One report: ``phase`` is one of :data:`PHASES`; ``done`` of ``total`` texts while encoding.

    ``documents`` is how many documents those texts belong to (ENCODE only; 0 otherwise).
    """

    phase: str
    done: int = 0
    total: int = 0
    documents: int = 0


StepFn = Callable[[Step], None]


def report(on_step: StepFn | None, phase: str, done: int = 0, total: int = 0, documents: int = 0) -> None:
    """Call ``on_step`` with a :class:`Step` when there is one to call."""
    if on_step is not None:
        on_step(Step(phase, done, total, documents))
