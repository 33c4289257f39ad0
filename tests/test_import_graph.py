"""The three packages import each other without a circle.

A cycle works until someone moves an import to the top of a module; then the
package fails to import, in an order that depends on who imported first. The
graph is read from the source with :mod:`ast`: every import a module can run,
at its top or inside a function (a deferred import only hides a circle).
Imports under ``if TYPE_CHECKING:`` are left out: they never run, and mypy
handles circular annotations. A package's own ``__init__`` is not counted as
imported by its submodules, as Python's import system only runs it first.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"
PACKAGES = ("jarjesto_core", "jarjesto_cli", "jarjesto_web")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (SRC / package).rglob("*.py"):
            parts = path.relative_to(SRC).with_suffix("").parts
            if "migrations" in parts:  # Alembic's scripts, run by Alembic alone
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    return skipped


def _imported(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            # ``from package import submodule`` imports the submodule, not the package.
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                yield name


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {module: set(_imported(module, path, known)) for module, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_packages_import_without_a_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_detector_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_deferred_imports_and_not_type_checking_ones() -> None:
    graph = import_graph()
    # assess() builds its default registry through a deferred import.
    assert "jarjesto_core.plugins" in graph["jarjesto_core.assessment"]
    # The hook specifications name ReportFormat for mypy only.
    assert "jarjesto_core.reports.base" not in graph["jarjesto_core.hookspecs"]


def test_no_workspace_module_holds_more_than_one_idea() -> None:
    """The workspace's modules stay small: one concern each (about 400 lines at most)."""
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in (SRC / "jarjesto_core" / "workspace").glob("*.py")
    }
    assert "store.py" not in sizes
    assert {name: n for name, n in sizes.items() if n > 400} == {}
