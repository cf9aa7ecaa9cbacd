"""What a decompression bomb costs now, against reading the real catalogue in the same run.

Every case is `msme-qa list --json --catalogue FILE` in a fresh process, timed from start to exit,
with the process's own peak RSS (os.wait4). Figures are medians of --runs runs, and each is also given
as a ratio to the baseline (the bundled text export, read the same way in the same run), so a slow or
busy machine moves both sides alike.

    .venv/bin/python bench/bomb.py                 # about a minute: the bombs and catalogues are made first
    .venv/bin/python bench/bomb.py --runs 5 --out bench/out/bomb.json

Cases: the real catalogue (text export and the Word form written by pandoc); a 1.8 MB .docx whose
document.xml expands to 800 MB, with an honest zip directory and with one that claims 1,000 bytes; a
synthetic 10,000-entry catalogue as text and as Word. Targets: the bombs refused with exit 2
in under 5 s and under 300 MB peak RSS; the other cases read with exit 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile_files import ROOT, synthetic_text, text_as_docx, write_bomb  # noqa: E402

BOMB_BYTES = 800_000_000
TARGET_SECONDS = 5.0
TARGET_RSS_MB = 300.0


@dataclass
class Run:
    case: str
    file_mb: float
    exit_code: int
    seconds: float
    peak_rss_mb: float
    result: str  # entries read, or the refusal's message


def measure(path: Path) -> tuple[int, float, float, str]:
    """One `msme-qa list --json` process: exit code, wall seconds, peak RSS (MB), what it said."""
    cmd = [sys.executable, "-m", "cli", "list", "--json", "--catalogue", str(path)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, env={**os.environ, "MSME_QA_DEBUG": ""})
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read().decode("utf-8", "replace").strip()
    said = f"{len(json.loads(stdout))} entries" if proc.returncode == 0 else stderr
    return proc.returncode, seconds, usage.ru_maxrss / 1024, said  # ru_maxrss is in KiB on Linux


def make_files(work: Path) -> dict[str, Path]:
    print("writing the bombs and the synthetic catalogues ...", file=sys.stderr)
    text = synthetic_text(10_000)
    synthetic = work / "synthetic-10k.txt"
    synthetic.write_text(text, encoding="utf-8")
    return {
        "real catalogue .txt (baseline)": ROOT / "seeds" / "wto-msme-presentations.txt",
        "real catalogue .docx": ROOT / "tests" / "fixtures" / "catalogue_pandoc.docx",
        "800 MB bomb, honest zip directory": write_bomb(work / "bomb.docx", BOMB_BYTES),
        "800 MB bomb, lying zip directory": write_bomb(work / "bomb-lying.docx", BOMB_BYTES, lie=True),
        "synthetic 10,000 entries .txt": synthetic,
        "synthetic 10,000 entries .docx": text_as_docx(work / "synthetic-10k.docx", text),
    }


def run_case(case: str, path: Path, runs: int) -> Run:
    results = [measure(path) for _ in range(runs)]
    codes = {r[0] for r in results}
    return Run(
        case=case,
        file_mb=path.stat().st_size / 1e6,
        exit_code=codes.pop() if len(codes) == 1 else -1,
        seconds=statistics.median(r[1] for r in results),
        peak_rss_mb=statistics.median(r[2] for r in results),
        result=results[-1][3],
    )


def report(rows: list[Run]) -> bool:
    """Print the table; True when every target holds."""
    base = rows[0]
    print(f"{'case':36} {'file':>8} {'exit':>4} {'time':>8} {'x base':>7} {'peak RSS':>9} {'x base':>7}")
    ok = True
    for row in rows:
        print(
            f"{row.case:36} {row.file_mb:6.2f}MB {row.exit_code:>4} {row.seconds:7.2f}s "
            f"{row.seconds / base.seconds:7.2f} {row.peak_rss_mb:7.0f}MB {row.peak_rss_mb / base.peak_rss_mb:7.2f}"
        )
        bomb = "bomb" in row.case
        if bomb:
            ok &= row.exit_code == 2 and row.seconds < TARGET_SECONDS and row.peak_rss_mb < TARGET_RSS_MB
        else:
            ok &= row.exit_code == 0
    print()
    for row in rows:
        print(f"  {row.case}: {row.result[:160]}")
    verdict = "hold" if ok else "DO NOT hold"
    print(f"\ntargets (bombs: exit 2, < {TARGET_SECONDS:g} s, < {TARGET_RSS_MB:g} MB; others exit 0): {verdict}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="processes per case; the median is reported")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="msme-qa-bomb-") as tmp:
        rows = [run_case(case, path, args.runs) for case, path in make_files(Path(tmp)).items()]
    ok = report(rows)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
