"""The package's architecture, checked: packages by layer, imports only downwards, no import circles.

Every ``import`` of every module counts, wherever it stands (module level, inside a function, under
``TYPE_CHECKING``): a deferred import is still a dependency. ``docs/architecture.md`` draws the same layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "attgraph"

#: Each layer and the layers its modules may import (besides their own). ``base`` is the package's root
#: module and its leaf modules, which import nothing of ours.
LAYERS: dict[str, frozenset[str]] = {
    "base": frozenset(),
    "knowledge": frozenset({"base"}),
    "ingest": frozenset({"base", "knowledge"}),
    "checks": frozenset({"base", "knowledge"}),
    "build": frozenset({"base", "knowledge", "checks"}),
    "engine": frozenset({"base", "knowledge", "checks", "build"}),
    "web": frozenset({"base", "knowledge", "checks", "build", "engine"}),
    "cli": frozenset({"base", "knowledge", "ingest", "checks", "build", "engine", "web"}),
}
BASE_MODULES = frozenset({"attgraph", "attgraph.errors", "attgraph.settings", "attgraph.textio"})
MAX_LINES = 400


def layer_of(module: str) -> str:
    """The layer of a module of ours (``attgraph.engine.guard`` → ``engine``)."""
    if module in BASE_MODULES:
        return "base"
    if module == "attgraph.cli":
        return "cli"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in LAYERS:
        return parts[1]
    raise AssertionError(f"{module} belongs to no layer: add it to a package or to LAYERS")


def module_name(path: Path, root: Path = PACKAGE) -> str:
    """The dotted name of the module in ``path``."""
    parts = ("attgraph", *path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imports(path: Path, name: str, known: Iterable[str]) -> set[str]:
    """The modules of ours that the module ``name`` (in ``path``) imports, resolved to module names."""
    known = set(known)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "attgraph")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "attgraph":
                continue
            for alias in node.names:  # ``from attgraph.web import svg`` imports the module attgraph.web.svg
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    return {module for module in found if module != name}


def graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """The import graph of the package: each module and the modules of ours it imports."""
    found = modules(root)
    return {name: imports(path, name, found) for name, path in found.items()}


def upward(edges: Mapping[str, set[str]]) -> list[str]:
    """Each import that runs against the layers, as ``"a → b (layer → layer)"``."""
    wrong = []
    for module, targets in sorted(edges.items()):
        here = layer_of(module)
        for target in sorted(targets):
            there = layer_of(target)
            if there != here and there not in LAYERS[here]:
                wrong.append(f"{module} → {target} ({here} → {there})")
    return wrong


def circles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The import circles: every strongly connected set of two or more modules (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                found.append(sorted(members))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


# -- the package as it is ------------------------------------------------------------------------


def test_every_import_runs_down_the_layers() -> None:
    assert upward(graph()) == []


def test_no_import_circles() -> None:
    assert circles(graph()) == []


def test_only_base_modules_and_the_cli_stand_at_the_top() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "cli.py", "errors.py", "settings.py", "textio.py"]


def test_the_base_imports_nothing_of_ours_but_itself() -> None:
    edges = graph()
    assert {module: sorted(edges[module]) for module in BASE_MODULES if edges[module]} == {}


def _docstring_line(name: str, label: str) -> frozenset[str]:
    text = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8"))) or ""
    lines = [line for line in text.splitlines() if line.startswith(label)]
    assert len(lines) == 1, f"the docstring of attgraph.{name} has no single line starting {label!r}"
    listed = lines[0].removeprefix(label).strip().rstrip(".")
    return frozenset() if listed == "nothing" else frozenset(part.strip() for part in listed.split(","))


@pytest.mark.parametrize("name", sorted(set(LAYERS) - {"base", "cli"}))
def test_each_package_says_what_it_may_import_and_what_imports_it(name: str) -> None:
    """The docstring of every package names the layers it may import and the layers that may import it,
    exactly as :data:`LAYERS` has them."""
    assert _docstring_line(name, "May import:") == LAYERS[name]
    users = frozenset(layer for layer, allowed in LAYERS.items() if name in allowed)
    assert _docstring_line(name, "Imported by:") == users


def test_no_module_is_longer_than_the_limit() -> None:
    long = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {name: lines for name, lines in long.items() if lines > MAX_LINES} == {}


# -- the checks catch what they are for ------------------------------------------------------------


def test_an_upward_import_is_named() -> None:
    edges = {"attgraph.knowledge.graph": {"attgraph.checks.reasoning", "attgraph.errors"},
             "attgraph.checks.reasoning": set(), "attgraph.errors": set()}
    assert upward(edges) == ["attgraph.knowledge.graph → attgraph.checks.reasoning (knowledge → checks)"]


def test_peers_may_not_import_each_other() -> None:
    edges = {"attgraph.ingest.pipeline": {"attgraph.checks.validation"}, "attgraph.checks.validation": set()}
    assert upward(edges) == ["attgraph.ingest.pipeline → attgraph.checks.validation (ingest → checks)"]


def test_a_circle_is_found_whatever_its_length() -> None:
    edges = {"attgraph.a": {"attgraph.b"}, "attgraph.b": {"attgraph.c"}, "attgraph.c": {"attgraph.a"},
             "attgraph.d": {"attgraph.a"}, "attgraph.e": {"attgraph.e"}}
    assert circles(edges) == [["attgraph.a", "attgraph.b", "attgraph.c"]]


def test_deferred_and_relative_imports_count(tmp_path: Path) -> None:
    root = tmp_path / "attgraph"
    (root / "knowledge").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "knowledge" / "__init__.py").write_text("")
    (root / "knowledge" / "graph.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import search\n"
        "if TYPE_CHECKING:\n    from ..checks.reasoning import Report\n"
        "def later():\n    from attgraph.web import svg\n")
    (root / "knowledge" / "search.py").write_text("")
    found = modules(root)
    assert imports(found["attgraph.knowledge.graph"], "attgraph.knowledge.graph", found) == {
        "attgraph.knowledge.search", "attgraph.checks.reasoning", "attgraph.web"}
