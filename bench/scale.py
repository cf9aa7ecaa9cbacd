"""Scale benchmark of the embeddings index: exact flat vs HNSW (and IVF) at 10k, 100k and 1M vectors.

    .venv/bin/python bench/scale.py              # 10k, 50k, 100k, 1M (the 1M builds take minutes)
    .venv/bin/python bench/scale.py --quick      # 10k only, fewer real texts: about a minute
    .venv/bin/python bench/scale.py --sizes 10000,100000 --store

Prints build time, single-query latency p50/p95, memory (RAM taken by the loaded index, size on disk)
and recall@10 against exact search, for each index type and search setting. Not a timed test.

Vectors are real all-MiniLM-L6-v2 embeddings of real text found on this machine (the seed catalogue
split into sentences and 12-word windows, Python standard-library docstrings, package descriptions in
site-packages, licence texts), plus, past the number of real texts, vectors derived from them: each is a
random mixture a*u + (1-a)*v of a real vector u and one of its 20 nearest real neighbours v
(a ~ U[0.2, 0.8]) plus Gaussian noise of norm 0.1, renormalised. Mixing near neighbours keeps the
derived points on the manifold the model produces (unlike random vectors, which make ANN look far
worse than it is and exact search no different). Queries are real held-out texts, never in the data.
The script prints nearest-neighbour similarities so the derived sets can be compared with the real one.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import resource
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from embeddings import ann  # noqa: E402  (light: numpy only; faiss and torch load on use)

OUT = REPO / "bench" / "out"
SENTENCE = re.compile(r"(?<=[.!?])\s+")
K = 10


# --- real texts ---------------------------------------------------------------------------------
def sentences(text: str) -> list[str]:
    out = []
    for s in SENTENCE.split(re.sub(r"\s+", " ", text)):
        s = s.strip()
        letters = sum(c.isalpha() for c in s)
        if 30 <= len(s) <= 300 and len(s.split()) >= 5 and letters >= 0.6 * len(s):
            out.append(s)
    return out


def catalogue_texts() -> list[str]:
    text = re.sub(r"\[bookmark: [^\]]*\]", "", (REPO / "seeds" / "wto-msme-presentations.txt").read_text("utf-8"))
    words = text.split()
    windows = [" ".join(words[i : i + 12]) for i in range(0, len(words) - 12, 6)]
    return sentences(text) + windows


def stdlib_texts() -> list[str]:
    """Docstrings of the standard library, read with ast (importing modules could have side effects)."""
    out: list[str] = []
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py")):
        if "test" in path.parts or "site-packages" in path.parts:
            continue
        try:
            tree = ast.parse(path.read_text("utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node)
                if doc:
                    out.extend(sentences(doc))
    return out


def package_texts() -> list[str]:
    out: list[str] = []
    for meta in sorted(Path(sysconfig.get_paths()["purelib"]).glob("*.dist-info/METADATA")):
        body = meta.read_text("utf-8", errors="replace").partition("\n\n")[2]
        out.extend(sentences(re.sub(r"```.*?```|<[^>]+>|[#*`|\[\]()]", " ", body, flags=re.S)))
    return out


def licence_texts() -> list[str]:
    root = Path("/usr/share/common-licenses")
    return [s for p in sorted(root.glob("*")) if p.is_file() for s in sentences(p.read_text("utf-8", "replace"))]


def real_texts(limit: int, rng: np.random.Generator) -> tuple[list[str], dict[str, int]]:
    """Up to ``limit`` distinct texts, sampled evenly across the sources."""
    sources: dict[str, Callable[[], list[str]]] = {
        "catalogue": catalogue_texts, "stdlib docstrings": stdlib_texts,
        "package descriptions": package_texts, "licences": licence_texts,
    }  # fmt: skip
    pools = {name: list(dict.fromkeys(fn())) for name, fn in sources.items()}
    share = limit // len(pools)
    chosen: dict[str, list[str]] = {}
    for name, pool in sorted(pools.items(), key=lambda kv: len(kv[1])):  # small pools first, rest to big
        take = min(len(pool), share)
        chosen[name] = [pool[i] for i in rng.permutation(len(pool))[:take]]
        share += (share - take) // max(1, len(pools) - len(chosen))
    texts = list(dict.fromkeys(t for group in chosen.values() for t in group))
    return texts, {name: len(group) for name, group in chosen.items()}


def embed(texts: list[str]) -> np.ndarray:
    """Real embeddings, cached in bench/out by the texts' hash and the model's fingerprint."""
    import hashlib

    from embeddings import SentenceTransformerEncoder, resolve_model

    ref = resolve_model(None)
    key = hashlib.sha256(("\n".join(texts) + ref.fingerprint).encode()).hexdigest()[:16]
    cache = OUT / f"real-{key}.npy"
    if cache.is_file():
        return np.load(cache)
    started = time.perf_counter()
    vectors = SentenceTransformerEncoder(ref).encode(texts)
    print(f"encoded {len(texts)} texts in {time.perf_counter() - started:.0f} s", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


# --- derived sets -------------------------------------------------------------------------------
def derive(base: np.ndarray, n: int, rng: np.random.Generator, neighbours: int = 20) -> np.ndarray:
    import faiss

    if n <= len(base):
        return base[:n].copy()
    flat = faiss.IndexFlatIP(base.shape[1])
    flat.add(base)
    _, knn = flat.search(base, neighbours + 1)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    out[: len(base)] = base
    for start in range(len(base), n, 100_000):
        m = min(100_000, n - start)
        i = rng.integers(len(base), size=m)
        j = knn[i, rng.integers(1, neighbours + 1, size=m)]
        a = rng.uniform(0.2, 0.8, size=(m, 1)).astype(np.float32)
        noise = rng.standard_normal((m, base.shape[1]), dtype=np.float32) * (0.1 / np.sqrt(base.shape[1]))
        x = a * base[i] + (1 - a) * base[j] + noise
        out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


# --- measurements -------------------------------------------------------------------------------
def latencies(search: Callable[[np.ndarray], Any], queries: np.ndarray) -> tuple[float, float]:
    for q in queries[:10]:
        search(q[None, :])
    times = []
    for q in queries:
        t = time.perf_counter()
        search(q[None, :])
        times.append(time.perf_counter() - t)
    return float(np.percentile(times, 50) * 1e3), float(np.percentile(times, 95) * 1e3)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth, strict=True)]))


LOADER = """
import sys, time
import faiss
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:")) / 1024
before, t = rss(), time.perf_counter()
index = faiss.read_index(sys.argv[1])
print(time.perf_counter() - t, rss() - before)
"""


def footprint(index: Any) -> tuple[float, float, float]:
    """Disk size (MB), and the load time (s) and RSS growth (MB) of faiss.read_index in a fresh process.

    A fresh process, because in this one freed buffers are reused and RSS growth means little.
    """
    import faiss

    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        path = Path(tmp) / "index.faiss"
        faiss.write_index(index, str(path))
        out = subprocess.run([sys.executable, "-c", LOADER, str(path)], capture_output=True, text=True, check=True)
        load_s, memory = (float(x) for x in out.stdout.split())
        return path.stat().st_size / 2**20, load_s, memory


def measure(kind: str, build: Callable[[], Any], settings: list[tuple[str, Callable[[Any], None]]],
            queries: np.ndarray, truth: np.ndarray, cores: int) -> list[dict[str, Any]]:  # fmt: skip
    import faiss

    faiss.omp_set_num_threads(cores)  # building parallelises over vectors
    t = time.perf_counter()
    index = build()
    build_s = time.perf_counter() - t
    size, load_s, memory = footprint(index)
    faiss.omp_set_num_threads(1)  # one query: 1 thread (2 OpenMP threads made flat search 7x slower here)
    rows = []
    for label, apply in settings:
        apply(index)
        p50, p95 = latencies(partial(index.search, k=K), queries)
        found = index.search(queries, K)[1]
        rows.append({"index": kind, "setting": label, "build_s": build_s, "rss_mb": memory, "disk_mb": size,
                     "load_s": load_s, "p50_ms": p50, "p95_ms": p95, "recall10": recall(found, truth)})  # fmt: skip
        print(f"  {kind:<28} {label:<13} build {build_s:7.1f} s  RAM {memory:6.0f} MB  disk {size:6.0f} MB  "
              f"load {load_s:5.2f} s  p50 {p50:7.3f} ms  p95 {p95:7.3f} ms  recall@10 {rows[-1]['recall10']:.3f}",
              flush=True)  # fmt: skip
    return rows


def tune(kind: str, params: dict[str, Any]) -> Callable[[Any], None]:
    return lambda index: ann.configure(index, kind, params)


def bench_size(data: np.ndarray, queries: np.ndarray, args: argparse.Namespace) -> list[dict[str, Any]]:
    import faiss

    from embeddings.encoder import available_cores

    cores = available_cores()
    n, dim = data.shape
    exact = faiss.IndexFlatIP(dim)
    exact.add(data)
    faiss.omp_set_num_threads(cores)
    sims, truth = exact.search(queries, K)
    del exact
    print(f"\n{n:,} vectors: query->1st neighbour cos {sims[:, 0].mean():.3f}, ->10th {sims[:, -1].mean():.3f}")

    def flat() -> Any:
        index = faiss.IndexFlatIP(dim)
        index.add(data)
        return index

    rows = measure("IndexFlatIP", flat, [("exact", lambda i: None)], queries, truth, cores)
    # ANN indexes are built by the code the product runs (embeddings.ann), then searched at each setting.
    for m, efc in args.hnsw:
        params = {"M": m, "efConstruction": efc, "efSearch": args.ef[0]}
        settings = [(f"efSearch={e}", tune(ann.HNSW, {**params, "efSearch": e})) for e in args.ef]
        build = partial(ann.build_index, data, ann.HNSW, params)
        rows += measure(f"IndexHNSWFlat M={m} efC={efc}", build, settings, queries, truth, cores)
    if args.ivf:
        params = ann.default_params(ann.IVF, n)
        settings = [(f"nprobe={p}", tune(ann.IVF, {**params, "nprobe": p})) for p in args.nprobe]
        build = partial(ann.build_index, data, ann.IVF, params)
        rows += measure(f"IndexIVFFlat nlist={params['nlist']}", build, settings, queries, truth, cores)
    for row in rows:
        row["n"] = n
    return rows


def bench_store(data: np.ndarray, queries: np.ndarray) -> dict[str, Any]:
    """End to end through embeddings: update_index (one text per document), open_index, Index.search."""
    from embeddings import Document, open_index, update_index

    class Lookup:
        dim = data.shape[1]

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            return data[[int(t) for t in texts]]

    docs = [Document(f"doc{i}", (str(i),)) for i in range(len(data))]
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        report = update_index(tmp, docs, encoder_factory=lambda ref: Lookup(), query_encoder=False)
        t = time.perf_counter()
        index = open_index(tmp, with_encoder=False)
        open_s = time.perf_counter() - t
        p50, p95 = latencies(lambda q: index.search(q[0], K), queries)
    row = {"n": len(data), "index": index.index_type, "build_s": report.seconds, "open_s": open_s,
           "p50_ms": p50, "p95_ms": p95}  # fmt: skip
    print(f"  store: {row['index']} update_index {report.seconds:.1f} s, open_index (verify + load) "
          f"{open_s:.2f} s, Index.search p50 {p50:.3f} ms p95 {p95:.3f} ms", flush=True)  # fmt: skip
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k vectors, 600 real texts (CI)")
    parser.add_argument("--sizes", default="10000,50000,100000,1000000")
    parser.add_argument("--texts", type=int, default=8000, help="real texts to encode (incl. queries)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--hnsw", default="32:80", help="M:efConstruction pairs ('' for none)")
    parser.add_argument("--ef", default="32,64,128,256,512", help="HNSW efSearch values")
    parser.add_argument("--nprobe", default="8,16,32,64", help="IVF nprobe values")
    parser.add_argument("--no-ivf", dest="ivf", action="store_false")
    parser.add_argument("--store", action="store_true", help="also time update_index/open_index (<=100k)")
    parser.add_argument("--json", type=Path, default=OUT / "scale.json")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.texts, args.queries, args.ef, args.nprobe = "10000", 600, 100, "64,128", "16,32"
    args.hnsw = [tuple(int(x) for x in pair.split(":")) for pair in args.hnsw.split(",") if pair]
    args.ef = [int(x) for x in args.ef.split(",")]
    args.nprobe = [int(x) for x in args.nprobe.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20240501)
    texts, counts = real_texts(args.texts, rng)
    vectors = embed(texts)
    queries, base = vectors[: args.queries], vectors[args.queries :]
    print(__doc__.split("\n\n")[3].strip())
    print(f"\nreal texts: {len(texts)} ({', '.join(f'{k} {v}' for k, v in counts.items())}); "
          f"{len(base)} form the data, {len(queries)} held out as queries")  # fmt: skip
    results: dict[str, Any] = {"texts": counts, "rows": [], "store": [], "loadavg_start": os.getloadavg()}
    print(f"load average at start: {results['loadavg_start'][0]:.2f} (other processes skew timings)")
    for n in (int(s) for s in args.sizes.split(",")):
        data = derive(base, n, rng)
        results["rows"] += bench_size(data, queries, args)
        if args.store and n <= 100_000:
            results["store"].append(bench_store(data, queries))
        del data
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["loadavg_end"] = os.getloadavg()
    print(f"\nload average (1/5/15 min) at end: {' '.join(f'{x:.2f}' for x in results['loadavg_end'])}")
    args.json.write_text(json.dumps(results, indent=1))
    print(f"\npeak RSS of this process: {results['peak_rss_mb']:.0f} MB; results: {args.json}")


if __name__ == "__main__":
    main()
