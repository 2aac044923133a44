"""triage/ imports form no cycle, and the core never imports its tools."""

import ast
import importlib
from pathlib import Path

import pytest

TRIAGE = Path(__file__).resolve().parents[2] / "triage"
# `python -m triage.bench` (make bench, README) only starts triage.tools.bench.
ENTRY_POINTS = {"triage.bench"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(TRIAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(TRIAGE.rglob("*.py"))}


def _triage_imports(path: Path) -> set[str]:
    """triage modules a source file imports anywhere in it, inside functions too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # "from triage import x" may name a submodule x.
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(n for n in names if n in MODULES)
    return found


GRAPH = {name: _triage_imports(path) - {name} for name, path in MODULES.items()}
CORE = {
    name
    for name in MODULES
    if name != "triage.tools" and not name.startswith("triage.tools.") and name not in ENTRY_POINTS
}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in the graph, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_triage_module_imports(name):
    assert importlib.import_module(name).__name__ == name


def test_the_core_import_graph_has_no_cycle():
    core = {name: GRAPH[name] & CORE for name in CORE}
    assert _cycle(core) is None


def test_no_triage_module_is_in_an_import_cycle():
    assert _cycle(GRAPH) is None


def test_the_core_never_imports_the_tools():
    offenders = {
        name: sorted(n for n in GRAPH[name] if n == "triage.tools" or n.startswith("triage.tools."))
        for name in CORE
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_graph_sees_imports_inside_functions_and_would_catch_a_cycle(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from triage.normalize import fold\n    import triage.tools.cli\n"
    )
    assert _triage_imports(sample) == {"triage.normalize", "triage.tools.cli"}
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_scan_covers_core_and_tools():
    assert {"triage.parser", "triage.wordlist", "triage.tools.build_wordlist"} <= set(MODULES)
    assert "triage.tools.cli" not in CORE and "triage.parser" in CORE
