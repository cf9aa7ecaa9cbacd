"""Run the official MCP conformance suite against `msme-qa mcp --http`.

    python bench/mcp_conformance.py            # installs the suite under bench/mcp/ on first use (npm ci)

The suite (npm ``@modelcontextprotocol/conformance``) needs Node 22 or later; bench/mcp/package.json pins
npm's ``node`` package for that, so the system's Node version does not matter. The server is started on a
free loopback port with the bundled catalogue, and each scenario is run on its own.

Many of the suite's server scenarios test an SDK's sample server: they call tools, resources and prompts
that only that sample has (``test_simple_text``, ``test://static-text``) or capabilities a read-only
catalogue has no use for (sampling, elicitation, logging, completions). ``NOT_APPLICABLE`` lists each with
the reason; they are run too, with ``--all``, for the record. Exit 1 when an applicable scenario fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = ROOT / "bench" / "mcp"
NODE = CLIENTS / "node_modules" / ".bin" / "node"
SUITE = CLIENTS / "node_modules" / "@modelcontextprotocol" / "conformance" / "dist" / "index.js"

APPLICABLE = [
    "server-initialize",
    "ping",
    "tools-list",
    "resources-list",
    "server-sse-multiple-streams",
    "server-sse-polling",
    "dns-rebinding-protection",
]
_SAMPLE_TOOL = (
    "calls a tool of the SDK sample server ({}); this server's tools are ask, list_presentations, show_presentation"
)
_SAMPLE_RESOURCE = (
    "reads a resource of the SDK sample server ({}); this server's resources are msme://presentation/{{id}}"
)
_NO_PROMPTS = "prompts: this server serves and advertises no prompts"
NOT_APPLICABLE = {
    "logging-set-level": "logging: the server advertises no logging capability (status goes to its stderr)",
    "completion-complete": "completions: the server advertises none (no prompts or templated arguments to complete)",
    "tools-call-simple-text": _SAMPLE_TOOL.format("test_simple_text"),
    "tools-call-image": _SAMPLE_TOOL.format("test_image_content") + "; answers are text",
    "tools-call-audio": _SAMPLE_TOOL.format("test_audio_content") + "; answers are text",
    "tools-call-embedded-resource": _SAMPLE_TOOL.format("test_embedded_resource"),
    "tools-call-mixed-content": _SAMPLE_TOOL.format("test_multiple_content_types"),
    "tools-call-with-logging": _SAMPLE_TOOL.format("test_tool_with_logging"),
    "tools-call-error": _SAMPLE_TOOL.format("test_error_handling")
    + "; bad arguments are tool errors (tested in tests/test_mcp.py)",
    "tools-call-with-progress": _SAMPLE_TOOL.format("test_tool_with_progress")
    + "; ask reports progress while an index builds",
    "tools-call-sampling": _SAMPLE_TOOL.format("test_sampling") + "; answers are extracted, never sampled from a model",
    "tools-call-elicitation": _SAMPLE_TOOL.format("test_elicitation") + "; nothing is asked of the user",
    "elicitation-sep1034-defaults": "elicitation: nothing is asked of the user",
    "elicitation-sep1330-enums": "elicitation: nothing is asked of the user",
    "json-schema-2020-12": _SAMPLE_TOOL.format("json_schema_2020_12_tool"),
    "resources-read-text": _SAMPLE_RESOURCE.format("test://static-text"),
    "resources-read-binary": _SAMPLE_RESOURCE.format("test://static-binary") + "; entries are JSON text",
    "resources-templates-read": _SAMPLE_RESOURCE.format("test://template/{id}/data"),
    "resources-subscribe": "subscriptions: the catalogue does not change while the server runs; none advertised",
    "resources-unsubscribe": "subscriptions: the catalogue does not change while the server runs; none advertised",
    "prompts-list": _NO_PROMPTS,
    "prompts-get-simple": _NO_PROMPTS,
    "prompts-get-with-args": _NO_PROMPTS,
    "prompts-get-embedded-resource": _NO_PROMPTS,
    "prompts-get-with-image": _NO_PROMPTS,
}
RESULT = re.compile(r"Passed:\s*(\d+)/(\d+),\s*(\d+) failed,\s*(\d+) warnings")


def install() -> None:
    """npm ci under bench/mcp/ (Node 22 and the suite, as pinned in its package-lock.json)."""
    if SUITE.exists() and NODE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("bench/mcp_conformance.py: npm is needed to install the conformance suite")
    print("installing the conformance suite and Node 22 under bench/mcp/ (npm ci) ...", file=sys.stderr)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CLIENTS, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    """`python -m cli mcp --http` on the bundled catalogue; returns once it answers HTTP."""
    env = {k: v for k, v in os.environ.items() if k != "MSME_QA_MCP_TOKEN"}
    cmd = [sys.executable, "-m", "cli", "mcp", "--http", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300  # a first build of the index happens at start
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            sys.exit(f"the server stopped: {err.strip()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/mcp", timeout=2)
        except urllib.error.HTTPError:
            return proc  # any HTTP answer (a GET without a session is refused) means it listens
        except OSError:
            time.sleep(0.3)
            continue
        return proc
    proc.kill()
    sys.exit("the server did not start listening within 300 s")


def run_scenario(url: str, scenario: str) -> tuple[int, int, int, int]:
    """(passed, checks, failed, warnings) of one scenario."""
    cmd = [str(NODE), str(SUITE), "server", "--url", url, "--scenario", scenario]
    out = subprocess.run(cmd, cwd=CLIENTS, capture_output=True, text=True, timeout=300)
    found = RESULT.findall(out.stdout + out.stderr)
    if not found:
        return 0, 1, 1, 0
    passed, checks, failed, warnings = (int(x) for x in found[-1])
    return passed, checks, failed, warnings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also run the scenarios that do not apply")
    args = parser.parse_args()
    install()
    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}/mcp"
    failures = 0
    try:
        print(f"MCP conformance suite against msme-qa mcp --http ({url})\n")
        print("| scenario | checks passed | failed | warnings |\n|---|---|---|---|")
        for scenario in APPLICABLE:
            passed, checks, failed, warnings = run_scenario(url, scenario)
            failures += failed > 0
            print(f"| {scenario} | {passed}/{checks} | {failed} | {warnings} |")
        print(f"\napplicable scenarios: {len(APPLICABLE) - failures} of {len(APPLICABLE)} pass")
        print(f"\nnot applicable to a read-only catalogue server ({len(NOT_APPLICABLE)}):")
        for scenario, why in NOT_APPLICABLE.items():
            extra = ""
            if args.all:
                passed, checks, failed, _ = run_scenario(url, scenario)
                extra = f" [run: {passed}/{checks}]"
            print(f"- {scenario}: {why}{extra}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
