"""app/'s import graph: acyclic, layered by concern, no web framework below app.http."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import app

APP = Path(app.__file__).parent

# Each group may import only itself and the groups before it.
LAYERS = [
    {"app.errors", "app.settings", "app.work", "app.limits"},
    {"app.spec"},
    {"app.classroom"},
    {"app.sessions"},
    {"app.wire"},
    {"app.http"},
    {"app.routers"},
    {"app.main", "app.cli"},
]
# The domain, persistence and translation: usable without a web framework.
NO_WEB = (
    "app.errors",
    "app.work",
    "app.limits",
    "app.spec",
    "app.classroom",
    "app.sessions",
    "app.wire",
)
WEB = ("fastapi", "starlette", "uvicorn")


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(APP.rglob("*.py"))}


def imports(path: Path) -> Iterator[str]:
    """Every module a file imports, at any depth (function-local imports too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            # `from app.spec import requests` imports the module app.spec.requests
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def app_graph() -> dict[str, set[str]]:
    return {
        name: {m for m in imports(path) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def layer_of(name: str) -> int:
    for i, group in enumerate(LAYERS):
        if any(name == g or name.startswith(g + ".") for g in group):
            return i
    raise AssertionError(f"{name} belongs to no layer of this test: add it to LAYERS")


def test_the_checks_see_a_cycle_and_the_imports() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    graph = app_graph()
    assert "app.sessions.session" in graph["app.sessions.store"]
    assert "app.spec.requests" in graph["app.spec.build"]
    assert len(MODULES) > 40


def test_the_import_graph_has_no_cycle() -> None:
    cycle = find_cycle(app_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "app"))
def test_a_module_imports_only_its_layer_and_those_below(name: str) -> None:
    mine = layer_of(name)
    above = sorted(m for m in app_graph()[name] if m != "app" and layer_of(m) > mine)
    assert not above, f"{name} (layer {mine}) imports {above} from a layer above it"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(NO_WEB)))
def test_domain_persistence_and_translation_import_no_web_framework(name: str) -> None:
    web = sorted(m for m in imports(MODULES[name]) if m.split(".")[0] in WEB)
    assert not web, f"{name} imports {web}: raise an app.errors error and let app.http map it"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("app.routers.")))
def test_no_router_imports_another(name: str) -> None:
    others = sorted(m for m in app_graph()[name] if m.startswith("app.routers"))
    assert not others, f"{name} imports {others}; shared pieces belong in app.http"
