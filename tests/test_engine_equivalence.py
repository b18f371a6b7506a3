"""Every named query gives the same answer on pyoxigraph (our engine) and on rdflib (the reference).

rdflib's evaluator is far too slow for the service, but it is an independent implementation of SPARQL:
agreement on every named query is a check on both the queries and the engine.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namedqueries import NamedQuery, load_catalog
from attgraph.settings import PROJECT_ROOT

CATALOG = load_catalog(PROJECT_ROOT / "queries") if (PROJECT_ROOT / "queries").is_dir() else {}


def _rdflib_term(term: Any) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(rdflib.XSD.string):
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _key(term: Any) -> str:
    """A term as comparable text: IRIs and plain strings as themselves, typed literals by canonical value."""
    if term is None:
        return ""
    if isinstance(term, rdflib.Literal):
        if term.datatype and str(term.datatype) != str(rdflib.XSD.string):
            value = term.toPython()
            return f"{value!r}^^{term.datatype}" if not isinstance(value, rdflib.Literal) else str(term)
        return f"{term}@{term.language}" if term.language else str(term)
    return str(term)


def _concatenated(query: NamedQuery) -> set[str]:
    """The variables a query fills with GROUP_CONCAT, whose order of parts SPARQL leaves open."""
    return set(re.findall(r"GROUP_CONCAT\((?:[^()]|\([^()]*\))*\)\s+AS\s+\?(\w+)", query.sparql, re.I))


def _unordered(row: tuple[str, ...], variables: list[str], concatenated: set[str]) -> tuple[str, ...]:
    return tuple(" ".join(sorted(value.split())) if name in concatenated else value
                 for name, value in zip(variables, row, strict=True))


def _oxigraph_rows(graph: KnowledgeGraph, query: NamedQuery) -> list[tuple[str, ...]] | bool:
    result = graph.run(query)
    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        return sorted(_nt(tuple(_rdflib_term(t) for t in (x.subject, x.predicate, x.object)))
                      for x in result.triples())
    rows = []
    for row in result.rows():
        values = tuple(_key(_rdflib_term(row[v])) if v in row else "" for v in result.variables)
        rows.append(_unordered(values, list(result.variables), _concatenated(query)))
    return rows


@pytest.fixture(scope="module")
def reference(graph: KnowledgeGraph) -> rdflib.Dataset:
    """The same quads (asserted and inferred) in an rdflib dataset, for rdflib's own SPARQL evaluator: one named
    graph per file, the default graph their union, as the service holds them (a query may ask GRAPH ?g)."""
    reference = rdflib.Dataset(default_union=True)
    for quad in graph.store:
        context = reference.graph(rdflib.URIRef(quad.graph_name.value)) if isinstance(quad.graph_name, ox.NamedNode) \
            else reference.default_graph
        context.add(tuple(_rdflib_term(t) for t in (quad.subject, quad.predicate, quad.object)))
    return reference


def _without_order(node: Any) -> Any:
    """The algebra with its outermost ORDER BY removed (unless a LIMIT/OFFSET depends on it).

    rdflib's evaluator cannot sort unbound values (it raises TypeError comparing None), and rows are
    compared as multisets here anyway.
    """
    if isinstance(node, CompValue):
        if node.name == "Slice":
            return node
        if node.name == "OrderBy":
            return _without_order(node.p)
        for key, value in list(node.items()):
            if key == "p":
                node[key] = _without_order(value)
    return node


def _rdflib_rows(dataset: rdflib.Dataset, query: NamedQuery) -> list[tuple[str, ...]] | bool:
    bindings = {str(var.value): _rdflib_term(term) for var, term in query.bindings({}).items()}
    prepared = prepareQuery(query.sparql)
    prepared.algebra = _without_order(prepared.algebra)
    result: Result = dataset.query(prepared, initBindings=bindings)
    if result.type == "ASK":
        return bool(result.askAnswer)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        assert result.graph is not None
        return sorted(_nt(t) for t in result.graph)
    variables = [str(v) for v in result.vars or []]
    return [_unordered(tuple(_key(row[i]) for i in range(len(variables))), variables, _concatenated(query))
            for row in result]


def _nt(triple: tuple[Any, ...]) -> str:
    return " ".join(term.n3() for term in triple) + " ."


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CATALOG))
def test_same_answer(graph: KnowledgeGraph, reference: rdflib.Dataset, name: str) -> None:
    """Compared as multisets: ties under ORDER BY may come in either order on two engines."""
    query = CATALOG[name]
    ours = _oxigraph_rows(graph, query)
    theirs = _rdflib_rows(reference, query)
    if isinstance(ours, bool) or isinstance(theirs, bool):
        assert ours == theirs
        return
    assert Counter(ours) == Counter(theirs)
