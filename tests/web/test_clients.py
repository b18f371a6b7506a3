"""Real SPARQL clients read the service's answers back: SPARQLWrapper and rdflib's SPARQLStore, against the
whole project served by ``attgraph serve``."""

from __future__ import annotations

import warnings

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, N3, RDFXML, TURTLE, XML, SPARQLWrapper

ARTICLE = URIRef("https://w3id.org/attgraph/id/article/9")
HEADING = URIRef("https://w3id.org/attgraph/ontology#heading")
SELECT_9 = ("PREFIX att: <https://w3id.org/attgraph/ontology#> SELECT ?heading WHERE { "
            "<https://w3id.org/attgraph/id/article/9> att:heading ?heading } ORDER BY ?heading")
CONSTRUCT_9 = ("PREFIX att: <https://w3id.org/attgraph/ontology#> CONSTRUCT { ?a att:heading ?h } WHERE { "
               "BIND(<https://w3id.org/attgraph/id/article/9> AS ?a) ?a att:heading ?h }")


def wrapper(base: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(live_server: str, method: str) -> None:
    result = wrapper(live_server, SELECT_9, JSON, method).queryAndConvert()
    assert isinstance(result, dict)
    assert [b["heading"] for b in result["results"]["bindings"]] == [
        {"type": "literal", "xml:lang": "en", "value": "Transit or trans-shipment"},
        {"type": "literal", "xml:lang": "zh", "value": "过境或转运"}]


def test_sparqlwrapper_xml(live_server: str) -> None:
    document = wrapper(live_server, SELECT_9, XML).queryAndConvert()
    literals = [(node.getAttribute("xml:lang"), node.firstChild.data)  # type: ignore[union-attr]
                for node in document.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert literals == [("en", "Transit or trans-shipment"), ("zh", "过境或转运")]


def test_sparqlwrapper_csv(live_server: str) -> None:
    data = wrapper(live_server, SELECT_9, CSV).queryAndConvert()
    assert data.decode("utf-8") == "heading\r\nTransit or trans-shipment\r\n过境或转运\r\n"  # type: ignore[union-attr]


def test_sparqlwrapper_ask(live_server: str) -> None:
    assert wrapper(live_server, "ASK { FILTER(false) }", JSON).queryAndConvert() == {"head": {}, "boolean": False}


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, N3])
def test_sparqlwrapper_construct(live_server: str, fmt: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = wrapper(live_server, CONSTRUCT_9, fmt).queryAndConvert()
    if isinstance(result, Graph):
        graph = result
    else:
        assert isinstance(result, bytes)
        graph = Graph().parse(data=result.decode("utf-8"), format="turtle")
    assert set(graph) == {(ARTICLE, HEADING, Literal("Transit or trans-shipment", lang="en")),
                          (ARTICLE, HEADING, Literal("过境或转运", lang="zh"))}


def test_rdflib_sparqlstore_select_ask_and_contains(live_server: str) -> None:
    graph = Graph(store=SPARQLStore(f"{live_server}/sparql", returnFormat="json"))
    rows = [(str(r[0]), r[0].language) for r in graph.query(SELECT_9)]  # type: ignore[index, union-attr]
    assert rows == [("Transit or trans-shipment", "en"), ("过境或转运", "zh")]
    assert bool(graph.query("ASK { <https://w3id.org/attgraph/id/article/9> ?p ?o }").askAnswer) is True
    assert (ARTICLE, HEADING, Literal("过境或转运", lang="zh")) in graph
    assert (ARTICLE, HEADING, Literal("过境或转运", lang="en")) not in graph


def test_rdflib_sparqlstore_xml_by_post_and_construct(live_server: str) -> None:
    """rdflib asks for ``application/sparql-results+xml, application/rdf+xml`` and reads either back. (With
    ``returnFormat="json"`` it would accept only SPARQL-JSON for a CONSTRUCT too, which no graph can be: 406.)"""
    graph = Graph(store=SPARQLStore(f"{live_server}/sparql", returnFormat="xml", method="POST"))
    assert [str(r[0]) for r in graph.query(SELECT_9)] == ["Transit or trans-shipment", "过境或转运"]  # type: ignore[index]
    built = graph.query(CONSTRUCT_9).graph
    assert built is not None
    assert set(built) == {(ARTICLE, HEADING, Literal("Transit or trans-shipment", lang="en")),
                          (ARTICLE, HEADING, Literal("过境或转运", lang="zh"))}
