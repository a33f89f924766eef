"""Which app imports which, read from the code (tests and migrations aside).

The graph goes one way: an app never imports one that imports it, directly or through others.
`NOT_YET_ONE_WAY` lists the cycles that remain, each with why; the test fails when a new cycle
appears and when a listed one is gone, so the list (and docs/architecture.md) stays true.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]

# Imports against the direction of the graph that remain, each with why. None today: pages that
# join several apps (an organisation's page, the area's picture) live in an app above them.
NOT_YET_ONE_WAY: set[tuple[str, str]] = set()


def app_imports() -> dict[str, set[str]]:
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] not in apps or "tests" in parts or "migrations" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                bits = name.split(".")
                if len(bits) > 1 and bits[0] == "yhdyspinta" and bits[1] in apps - {parts[0]}:
                    graph[parts[0]].add(bits[1])
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as a path of apps, or None."""
    state: dict[str, str] = {}

    def visit(app: str, path: list[str]) -> list[str] | None:
        state[app] = "open"
        for target in sorted(graph.get(app, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target] if target in path else [app, target]
            if target not in state:
                found = visit(target, [*path, target])
                if found:
                    return found
        state[app] = "done"
        return None

    for app in sorted(graph):
        if app not in state:
            found = visit(app, [app])
            if found:
                return found
    return None


def test_the_app_graph_goes_one_way_but_for_the_listed_imports():
    graph = app_imports()
    without = {
        app: targets - {t for a, t in NOT_YET_ONE_WAY if a == app} for app, targets in graph.items()
    }
    assert cycle_in(without) is None, f"a cycle between apps: {' -> '.join(cycle_in(without))}"
    gone = {(a, t) for a, t in NOT_YET_ONE_WAY if t not in graph.get(a, set())}
    assert not gone, f"no longer imported, remove from NOT_YET_ONE_WAY: {sorted(gone)}"


def test_core_and_the_demo_sit_at_the_ends():
    graph = app_imports()
    assert graph["core"] == set(), "core is the frame every app uses; it uses none"
    assert not any("demo" in targets for targets in graph.values()), "nothing uses the demo"
    assert "demo" not in graph["api"]
