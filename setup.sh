#!/usr/bin/env bash
# Sets up .venv with everything msme-qa and its tests need, then prepares the first start: the query
# encoder's export and the index of the catalogue `msme-qa` opens by default (the bundled one, or
# MSME_QA_CATALOGUE / MSME_QA_INDEX / MSME_QA_MODEL when set), so that the first question answers at once.
# Safe to run again: it only installs and builds what is missing.
# Torch comes first and pinned: the CPU build (2.13.0) lies on this machine's disk, while a plain install
# of sentence-transformers would pull a multi-GB CUDA build.
# One line per step; pip's output goes to .venv/setup.log, shown only when a step fails.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
LOG=.venv/setup.log

step() {
    echo "setup: $*"
}

failed() {
    echo "setup.sh: '$*' failed; the last lines of $LOG:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
}

run() {
    "$@" >>"$LOG" 2>&1 || failed "$@"
}

if [ ! -x .venv/bin/python ]; then
    step "creating .venv"
    "$PY" -m venv .venv
    : >"$LOG"
    step "upgrading pip"
    run .venv/bin/python -m pip install --quiet --upgrade pip
fi
: >"$LOG"
export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! .venv/bin/python -c 'import torch' 2>/dev/null; then
    step "installing torch (CPU)"
    run .venv/bin/python -m pip install --quiet "torch==2.13.0"
fi
step "installing msme-qa and its development tools"
run .venv/bin/python -m pip install --quiet -e ".[dev]"
# Bytecode for the project's own modules, as a regular pip install writes it: a cold `ask` then
# skips compiling ~40 modules (about 0.1-0.2 s), even where Python is told not to write bytecode.
step "compiling the project's modules"
run .venv/bin/python -m compileall -q qa cli embeddings

# The product's own command prepares the first start. Its phase lines ("msme-qa: exporting the query
# encoder", "msme-qa: encoding 288 texts ...") become setup's lines; everything it prints goes to the log.
step "preparing the index of the catalogue msme-qa opens (msme-qa rebuild)"
relay() {
    local line
    while IFS= read -r line; do
        printf '%s\n' "$line" >>"$LOG"
        case "$line" in
        "msme-qa: "*) step "${line#msme-qa: }" ;;
        esac
    done
}
OUT=.venv/setup-rebuild.txt
if ! .venv/bin/msme-qa rebuild 2>&1 >"$OUT" | relay; then
    cat "$OUT" >>"$LOG"
    failed .venv/bin/msme-qa rebuild
fi
report=$(cat "$OUT")
printf '%s\n' "$report" >>"$LOG"
rm -f "$OUT"
case "$report" in
*"(nothing to do)"*) step "the index is up to date" ;;
*) step "index ready: ${report%% -> *}" ;;
esac
step "done: .venv/bin/msme-qa chat"
