"""Does one MCP client sending the largest allowed arguments hold up another? And does the server grow?

    python bench/mcp_stall.py                 # both measures against `msme-qa mcp --http` on the bundled catalogue
    python bench/mcp_stall.py --calls 1000    # the memory probe's number of maximal calls (default 1000)

1. Stall: client A makes ordinary calls (a question, a filtered list, one entry) one after another and
   records each latency: first alone, then while client B sends the largest arguments the tools take
   (a 2,000-character question, 200 characters in every other string, `--flood` calls in flight at once).
   Printed: A's median and p95 in both phases, and the ratio of the medians (the target is under 2).
2. Memory: the server's resident memory (VmRSS) once warm, then after ``--calls`` maximal calls spread
   over 10 sessions that stay open (so that their stored events count), and after those sessions close.
   Printed: the three figures and the growth (the target is under 50 MB).

The server runs in a subprocess on a free loopback port with the bundled catalogue and an index under
``--index`` (built there first if needed). Everything goes over real HTTP with the MCP SDK's client.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cli.mcp_tools import MAX_QUESTION, MAX_TEXT  # noqa: E402

ORDINARY = [
    ("ask", {"question": "What is Australia's de minimis threshold?"}),
    ("list_presentations", {"institution": "ITC", "since": "2022"}),
    ("show_presentation", {"id": "2022-02-08-greentocompete"}),
]
WORDS = (
    "what did the group hear about cyber security e-commerce digital trade finance for small businesses "
    "and how do customs thresholds low value shipments women entrepreneurs sustainability help MSMEs export "
)


def maximal_calls() -> list[tuple[str, dict[str, Any]]]:
    """The largest arguments each tool takes, and the largest result (every presentation)."""
    question = (WORDS * (MAX_QUESTION // len(WORDS) + 1))[:MAX_QUESTION]
    text = ("International Trade Centre e-commerce " * 10)[:MAX_TEXT]
    return [
        ("ask", {"question": question, "top_k": 50}),
        ("list_presentations", {"institution": text, "category": text, "since": text, "until": text}),
        ("show_presentation", {"id": "2021-05-04" + "x" * (MAX_TEXT - 10)}),
        ("list_presentations", {}),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(index: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "MSME_QA_MCP_TOKEN"}
    cmd = [sys.executable, "-m", "cli", "mcp", "--http", str(port), "--index", str(index)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 600
    while "index ready" not in log.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the server did not start: {log.read_text().strip()}")
        time.sleep(0.3)
    with contextlib.suppress(urllib.error.HTTPError):  # it answers
        urllib.request.urlopen(url, timeout=5)
    return proc, url


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms ({len(times)} calls)"


def by_tool(times: list[float]) -> str:
    """The median of each of A's tools (its calls go round ORDINARY in turn)."""
    parts = []
    for k, (name, _) in enumerate(ORDINARY):
        parts.append(f"{name} {statistics.median(times[k :: len(ORDINARY)]) * 1000:.0f}")
    return "medians by tool (ms): " + ", ".join(parts)


async def probe(s: ClientSession, rounds: int) -> list[float]:
    times = []
    for n in range(rounds):
        name, args = ORDINARY[n % len(ORDINARY)]
        started = time.perf_counter()
        result = await s.call_tool(name, args)
        times.append(time.perf_counter() - started)
        assert not result.is_error, result.content
    return times


async def flood(s: ClientSession, stop: anyio.Event, in_flight: int, sent: list[int]) -> None:
    calls = maximal_calls()

    async def one_lane(lane: int) -> None:
        n = lane
        while not stop.is_set():
            name, args = calls[n % len(calls)]
            await s.call_tool(name, args)
            sent[0] += 1
            n += 1

    async with anyio.create_task_group() as group:
        for lane in range(in_flight):
            group.start_soon(one_lane, lane)


async def stall(url: str, rounds: int, in_flight: int) -> tuple[list[float], list[float], int]:
    async with (
        streamable_http_client(url) as (read_a, write_a),
        ClientSession(read_a, write_a) as a,
        streamable_http_client(url) as (read_b, write_b),
        ClientSession(read_b, write_b) as b,
    ):
        await a.initialize()
        await b.initialize()
        await probe(a, 6)  # warm
        for name, args in maximal_calls():
            await b.call_tool(name, args)
        quiet = await probe(a, rounds)
        stop, sent = anyio.Event(), [0]
        async with anyio.create_task_group() as group:
            group.start_soon(flood, b, stop, in_flight, sent)
            await anyio.sleep(0.5)
            loaded = await probe(a, rounds)
            stop.set()
        return quiet, loaded, sent[0]


async def memory(url: str, pid: int, calls: int, sessions: int = 10) -> tuple[float, float, float]:
    work = maximal_calls()
    per_session = calls // sessions

    async def session_calls(s: ClientSession, k: int) -> None:
        for n in range(per_session):
            name, args = work[(n + k) % len(work)]
            await s.call_tool(name, args)

    async with streamable_http_client(url) as (read, write), ClientSession(read, write) as warm_up:
        await warm_up.initialize()
        for name, args in work * 3:
            await warm_up.call_tool(name, args)
    start = rss_mb(pid)
    async with contextlib.AsyncExitStack() as stack:
        opened = []
        for _ in range(sessions):
            read, write = await stack.enter_async_context(streamable_http_client(url))
            s = await stack.enter_async_context(ClientSession(read, write))
            await s.initialize()
            opened.append(s)
        async with anyio.create_task_group() as group:
            for k, s in enumerate(opened):
                group.start_soon(session_calls, s, k)
        during = rss_mb(pid)
    await anyio.sleep(1)
    return start, during, rss_mb(pid)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="the index directory (default: a temporary one, built first)")
    parser.add_argument("--rounds", type=int, default=60, help="client A's calls in each phase (default 60)")
    parser.add_argument("--flood", type=int, default=1, help="client B's calls in flight at once (default 1)")
    parser.add_argument("--calls", type=int, default=1000, help="maximal calls of the memory probe (default 1000)")
    parser.add_argument("--no-memory", action="store_true", help="measure the stall only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index or Path(tmp) / "index"
        proc, url = start(index, Path(tmp) / "stderr")
        try:
            print(f"msme-qa mcp --http at {url}, pid {proc.pid}, {os.cpu_count()} CPUs\n")
            quiet, loaded, sent = anyio.run(stall, url, args.rounds, args.flood)
            ratio = statistics.median(loaded) / statistics.median(quiet)
            print("Stall: client A's ordinary calls (ask, list_presentations, show_presentation in turn)")
            print(f"  alone:                       {summary(quiet)}; {by_tool(quiet)}")
            print(f"  while B sends maximal calls: {summary(loaded)}; {by_tool(loaded)}")
            print(f"  (B: {sent} maximal calls, {args.flood} in flight at once)")
            print(f"  ratio of medians: {ratio:.2f}x (target < 2x)\n")
            if args.no_memory:
                return 0
            start_mb, during_mb, end_mb = anyio.run(memory, url, proc.pid, args.calls)
            print(f"Memory: {args.calls} maximal calls over 10 open sessions")
            print(
                f"  RSS warm: {start_mb:.0f} MB; after the calls: {during_mb:.0f} MB; sessions closed: {end_mb:.0f} MB"
            )
            print(f"  growth: {during_mb - start_mb:+.1f} MB with the sessions open, {end_mb - start_mb:+.1f} MB after")
            print("  (target: within 50 MB of the start)")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
