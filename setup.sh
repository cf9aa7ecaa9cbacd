#!/usr/bin/env bash
# Sets up .venv with everything msme-qa and its tests need. Safe to run again: it only installs
# what is missing. Torch comes first and pinned: the CPU build (2.13.0) lies on this machine's disk,
# while a plain install of sentence-transformers would pull a multi-GB CUDA build.
# Quiet when all goes well: pip's output goes to .venv/setup.log, shown only when a step fails.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
LOG=.venv/setup.log

run() {
    if ! "$@" >>"$LOG" 2>&1; then
        echo "setup.sh: '$*' failed; the last lines of $LOG:" >&2
        tail -n 30 "$LOG" >&2
        exit 1
    fi
}

if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
    : >"$LOG"
    run .venv/bin/python -m pip install --quiet --upgrade pip
fi
: >"$LOG"
export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! .venv/bin/python -c 'import torch' 2>/dev/null; then
    run .venv/bin/python -m pip install --quiet "torch==2.13.0"
fi
run .venv/bin/python -m pip install --quiet -e ".[dev]"
# Bytecode for the project's own modules, as a regular pip install writes it: a cold `ask` then
# skips compiling ~40 modules (about 0.1-0.2 s), even where Python is told not to write bytecode.
run .venv/bin/python -m compileall -q qa cli embeddings
