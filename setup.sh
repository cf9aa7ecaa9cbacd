#!/usr/bin/env bash
# Sets up .venv with everything msme-qa and its tests need. Safe to run again: it only installs
# what is missing. Torch comes first and pinned: the CPU build (2.13.0) lies on this machine's disk,
# while a plain install of sentence-transformers would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
if ! .venv/bin/python -c 'import torch' 2>/dev/null; then
    .venv/bin/python -m pip install --quiet "torch==2.13.0"
fi
.venv/bin/python -m pip install --quiet -e ".[dev]"
