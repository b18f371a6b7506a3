"""Loading: one named graph per file, all or nothing, syntax errors named by file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from attgraph.errors import LoadError
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import graph_iri
from attgraph.settings import Settings

from .conftest import FIXTURES


def test_broken_turtle_names_file_and_line(make_project: Callable[..., Path]) -> None:
    root = make_project({"data/broken.ttl": FIXTURES / "broken.ttl"})
    with pytest.raises(LoadError) as caught:
        KnowledgeGraph.load(Settings(root=root))
    error = caught.value
    assert error.details["file"] == str(root / "data" / "broken.ttl")
    assert error.details["line"] == 8
    assert error.details["reason"] == "newline found in string literal"
    assert error.message.startswith(f"{root / 'data' / 'broken.ttl'}:8: Turtle syntax error:")


def test_nothing_is_half_loaded(make_project: Callable[..., Path]) -> None:
    """A good file before a bad one must not leave a graph behind: the load raises, nothing is returned."""
    root = make_project({"data/a-good.ttl": FIXTURES / "small.ttl", "data/b-broken.ttl": FIXTURES / "broken.ttl"})
    with pytest.raises(LoadError) as caught:
        KnowledgeGraph.load(Settings(root=root))
    assert caught.value.details["file"].endswith("b-broken.ttl")


def test_one_named_graph_per_file(make_project: Callable[..., Path]) -> None:
    root = make_project({"data/small.ttl": FIXTURES / "small.ttl",
                         "ontology/empty.ttl": "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"})
    graph = KnowledgeGraph.load(Settings(root=root))
    assert graph.graph_names() == [graph_iri("data/small.ttl"), graph_iri("ontology/empty.ttl")]
    assert graph.counts().graphs == {str(graph_iri("data/small.ttl")): 8}


def test_sources_folder_is_not_loaded(make_project: Callable[..., Path]) -> None:
    root = make_project({"data/small.ttl": FIXTURES / "small.ttl",
                         "data/sources/not-rdf.ttl": "this is not Turtle"})
    graph = KnowledgeGraph.load(Settings(root=root))
    assert [f.relative for f in graph.files] == ["data/small.ttl"]


def test_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "data" / "gone.ttl"
    with pytest.raises(LoadError, match=r"gone\.ttl: cannot read"):
        KnowledgeGraph.load(Settings(root=tmp_path), extra=[missing])
