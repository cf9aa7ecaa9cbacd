"""The package layout's rules, read from the source: imports point one way and nothing imports in a cycle.

cli -> qa -> embeddings; inside qa: catalogue -> question -> search -> answers -> engine -> chat, with
service on top and settings/errors at the bottom. Every import counts, also those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

# The layer of each part of qa/; a module may import only from its own layer or below.
LAYERS = {
    "qa.errors": 0,
    "qa.settings": 0,
    "qa.catalogue": 1,
    "qa.question": 2,
    "qa.search": 3,
    "qa.answers": 4,
    "qa.engine": 5,
    "qa.chat": 6,
    "qa.service": 7,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def layer(name: str) -> int | None:
    for prefix, level in LAYERS.items():
        if name == prefix or name.startswith(prefix + "."):
            return level
    return None


def graph(package: str) -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (ROOT / package).rglob("*.py")}
    return {name: {i for i in imports(path) if i in modules} for name, path in modules.items()}


def test_qa_imports_point_down_the_pipeline() -> None:
    wrong = []
    for name, targets in graph("qa").items():
        mine = layer(name)
        if mine is None:
            continue
        for target in targets:
            theirs = layer(target)
            if theirs is not None and theirs > mine:
                wrong.append(f"{name} imports {target}")
    assert not wrong, wrong


def test_no_import_cycle_in_qa() -> None:
    edges = graph("qa")
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> None:
        if node in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(node) :] + [node]))
        if node in done:
            return
        path.append(node)
        for target in edges.get(node, ()):
            if target != node and not node.startswith(target + "."):  # a package's own __init__
                visit(target)
        path.pop()
        done.add(node)

    for node in edges:
        visit(node)


def test_layers_do_not_reach_outward() -> None:
    for name, path in {module_name(p): p for p in (ROOT / "qa").rglob("*.py")}.items():
        assert not any(i.startswith(("cli", "typer", "rich")) for i in imports(path)), name
    for path in (ROOT / "embeddings").rglob("*.py"):
        assert not any(i.startswith(("qa", "cli")) for i in imports(path)), module_name(path)
