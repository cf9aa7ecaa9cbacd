"""The question readers' code, counted: compiled regular expressions and lines per module.

    .venv/bin/python bench/code_stats.py            # qa/question and qa/chat (the readers of questions and follow-ups)
    .venv/bin/python bench/code_stats.py qa         # any folders

A regular expression is counted where it is compiled at module level or in a function (``re.compile``)
and where a pattern is used directly (``re.search(r"...")`` and the like). Everything is read with ``ast``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}


def regexes(tree: ast.AST) -> int:
    n = 0
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in CALLS
        ):
            n += 1
    return n


def main(argv: list[str]) -> int:
    folders = argv or ["qa/question", "qa/chat"]
    total_re = total_lines = 0
    print("| module | lines | regexes |\n|---|---|---|")
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            lines, found = len(text.splitlines()), regexes(ast.parse(text))
            total_re += found
            total_lines += lines
            print(f"| {path.relative_to(ROOT)} | {lines} | {found} |")
    print(f"| total | {total_lines} | {total_re} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
