"""Named-query headers and typed parameters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from attgraph.errors import NotFound, ParameterError
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namedqueries import Parameter, parse_header
from attgraph.settings import Settings

from .conftest import FIXTURES

QUERY = """\
# title: Articles by number
# description: The article with a given number,
#   and its Chinese label.
# keywords: articles, labels
# param: n string = 7 -- the article number as printed
PREFIX att: <https://w3id.org/attgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?n ?a ?zh WHERE { ?a att:number ?n ; rdfs:label ?zh FILTER(lang(?zh) = "zh") }
"""


def test_header_fields() -> None:
    fields, params = parse_header(QUERY, "q.rq")
    assert fields == {"title": "Articles by number",
                      "description": "The article with a given number, and its Chinese label.",
                      "keywords": "articles, labels"}
    assert params == [Parameter("n", "string", "7", "the article number as printed")]


def test_bad_parameter_line_is_named() -> None:
    with pytest.raises(ValueError, match=r"q.rq:2: bad parameter declaration 'when time'"):
        parse_header("# title: x\n# param: when time\nSELECT * {}", "q.rq")


@pytest.mark.parametrize(
    ("param", "raw", "expected"),
    [
        (Parameter("x", "iri"), "article:7", ox.NamedNode("https://w3id.org/attgraph/id/article/7")),
        (Parameter("x", "iri"), "https://example.org/a", ox.NamedNode("https://example.org/a")),
        (Parameter("x", "date"), "2025-06-01",
         ox.Literal("2025-06-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
        (Parameter("x", "integer"), "11",
         ox.Literal("11", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        (Parameter("x", "string"), "第7条", ox.Literal("第7条")),
    ],
)
def test_parameter_conversion(param: Parameter, raw: str, expected: ox.NamedNode | ox.Literal) -> None:
    assert param.convert(raw) == expected


@pytest.mark.parametrize(
    ("param", "raw"),
    [
        (Parameter("x", "iri"), "nope:7"),
        (Parameter("x", "iri"), "https://example.org/a> } ; DROP ALL ; <x"),
        (Parameter("x", "date"), "2025-13-01"),
        (Parameter("x", "integer"), "eleven"),
        (Parameter("x", "boolean"), "yes"),
    ],
)
def test_parameter_rejected(param: Parameter, raw: str) -> None:
    with pytest.raises(ParameterError, match=f"parameter 'x' must be of type {param.type}"):
        param.convert(raw)


def test_run_binds_parameters(make_project: Callable[..., Path]) -> None:
    root = make_project({"data/small.ttl": FIXTURES / "small.ttl", "queries/article.rq": QUERY})
    graph = KnowledgeGraph.load(Settings(root=root))
    assert graph.run("article").values() == [
        {"n": "7", "a": "https://w3id.org/attgraph/id/article/7", "zh": "第7条"}]
    assert graph.run("article", {"n": "9"}).values() == [
        {"n": "9", "a": "https://w3id.org/attgraph/id/article/9", "zh": "第9条"}]
    with pytest.raises(ParameterError, match="query 'article' has no parameter 'm'; it takes: n"):
        graph.run("article", {"m": "9"})
    with pytest.raises(NotFound, match="no named query 'nothing'"):
        graph.run("nothing")


def test_every_project_query_has_a_header(graph: KnowledgeGraph) -> None:
    for name, query in graph.catalog.items():
        assert query.title, name
        assert query.description, name


def test_an_iri_parameter_declares_its_classes() -> None:
    _, params = parse_header("# title: x\n# param: body iri att:Body|att:Forum = body:WGETI -- the body\n"
                             "# param: who iri <https://w3id.org/attgraph/ontology#Person>\n"
                             "# param: any iri = article:7\n", "q.rq")
    att = "https://w3id.org/attgraph/ontology#"
    assert params == [Parameter("body", "iri", "body:WGETI", "the body", (att + "Body", att + "Forum")),
                      Parameter("who", "iri", None, "", (att + "Person",)),
                      Parameter("any", "iri", "article:7", "", ())]


@pytest.mark.parametrize(("line", "message"), [
    ("# param: n string att:Body", r"q.rq:1: bad parameter declaration 'n string att:Body'"),
    ("# param: b iri nope:Body = body:WGETI", r"q.rq:1: unknown prefix in the class of 'b iri nope:Body = body:WGETI'"),
])
def test_a_class_only_for_an_iri_and_with_a_known_prefix(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_header(line, "q.rq")


@pytest.mark.parametrize("raw", ["2025-06-01", "2025 年 6 月 1 日", "2025年6月1日", "1 June 2025", "June 1, 2025"])
def test_a_date_in_any_day_form(raw: str) -> None:
    xsd_date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    assert Parameter("d", "date").convert(raw) == ox.Literal("2025-06-01", datatype=xsd_date)


def test_an_iri_in_angle_brackets() -> None:
    assert Parameter("x", "iri").convert("<https://example.org/a>") == ox.NamedNode("https://example.org/a")


def test_every_declared_class_is_a_class_of_the_ontology(graph: KnowledgeGraph) -> None:
    classes = {row["term"] for row in graph.query(
        "SELECT ?term WHERE { ?term a owl:Class }").values()}
    for name, query in graph.catalog.items():
        for param in query.parameters:
            assert set(param.classes) <= classes, (name, param.name, param.classes)
