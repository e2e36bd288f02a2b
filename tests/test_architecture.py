"""The shape of the package: data flows one way, so every import between planner's parts points down the layers.

Each part (a top-level module or a subpackage) may import only parts in lower layers: never a sibling in its own layer
and never a higher one, so no cycle can form. Imports inside functions and under TYPE_CHECKING count too: a lazy
import still ties the two parts together.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.paths import REPO

LAYERS: tuple[tuple[str, ...], ...] = (
    ("domain", "errors", "identity", "filenames"),
    ("clock", "themes", "audience"),
    ("programme", "io", "replan"),
    ("formats",),
    ("history", "solve", "check", "changes"),
    ("export", "summary"),
    ("sources",),
    ("cli",),
)
"""Lowest first: the models and leaf helpers; reading files; the file formats; analysis, solving, checking and what
changed between two programmes; the outputs; outside systems (pretalx, Sessionize: they read into a conference
folder and publish a programme, so they stand on every part below); the command line. README's Layout section says
the same."""


def part(module: str) -> str:
    """'planner.check.rules' -> 'check'; 'planner.domain' -> 'domain'."""
    return module.split(".")[1]


def import_graph(package: Path) -> dict[str, set[tuple[str, str]]]:
    """Part -> {(imported part, 'file:line')} for every import of another part of planner."""
    graph: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts).removesuffix(".__init__")
        source = part(module) if "." in module else ""
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("planner"):
                names = [f"{node.module}.{alias.name}" for alias in node.names] if node.module == "planner" else []
                targets = names or [node.module or ""]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names if alias.name.startswith("planner.")]
            else:
                continue
            for target in targets:
                if "." in target and source and part(target) != source:
                    graph[source].add((part(target), f"{path.relative_to(package.parent)}:{node.lineno}"))
    return graph


def violations(graph: dict[str, set[tuple[str, str]]], layers: tuple[tuple[str, ...], ...]) -> list[str]:
    """Every import that does not point to a strictly lower layer, and every part no layer names."""
    rank = {name: number for number, layer in enumerate(layers) for name in layer}
    found = []
    for source, imports in sorted(graph.items()):
        for target, where in sorted(imports):
            if source not in rank or target not in rank:
                found.append(f"{where}: {source} -> {target}: give every part a layer in LAYERS")
            elif rank[target] >= rank[source]:
                direction = "its own layer" if rank[target] == rank[source] else "a higher layer"
                found.append(f"{where}: {source} imports {target}, in {direction}")
    return found


def test_every_import_points_down_the_layers() -> None:
    graph = import_graph(REPO / "planner")
    assert graph, "no imports found: the graph reader is broken"
    assert violations(graph, LAYERS) == []


def test_every_part_of_the_package_has_a_layer() -> None:
    package = REPO / "planner"
    parts = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    parts |= {p.parent.name for p in package.glob("*/__init__.py")}
    named = {name for layer in LAYERS for name in layer}
    assert parts == named


def test_a_cycle_or_an_upward_import_is_caught() -> None:
    """The check itself can fail: an import from check to export (upward) and two siblings importing each other."""
    graph = {
        "check": {("export", "planner/check/x.py:1")},
        "history": {("solve", "planner/history/y.py:2")},
        "solve": {("history", "planner/solve/z.py:3")},
    }
    found = violations(graph, LAYERS)
    assert any("check imports export, in a higher layer" in line for line in found)
    assert any("history imports solve, in its own layer" in line for line in found)
    assert any("solve imports history, in its own layer" in line for line in found)
