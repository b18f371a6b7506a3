"""The SPARQL 1.1 Protocol at /sparql over real HTTP: methods, formats, datasets, self-descriptions."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from attgraph.web.middleware import CONTENT_SECURITY_POLICY

from .conftest import PUBLIC_URL, Server

ARTICLE_9_ZH = ("SELECT ?zh WHERE { article:9 att:heading ?zh FILTER(lang(?zh) = 'zh') }")
CONSTRUCT_9 = "CONSTRUCT { article:9 att:number ?n } WHERE { article:9 att:number ?n }"
TREATY = "https://w3id.org/attgraph/graph/data/treaty.ttl"
PAGES = "https://w3id.org/attgraph/graph/data/pages.ttl"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SECURITY = {"content-security-policy": [CONTENT_SECURITY_POLICY], "x-content-type-options": ["nosniff"],
            "referrer-policy": ["no-referrer"], "x-frame-options": ["DENY"],
            "cross-origin-opener-policy": ["same-origin"]}
NAMED = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def sparql(server: Server, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"accept": accept} if accept else {}
    return httpx.get(f"{server.base}/sparql", params={"query": query, **params}, headers=headers, timeout=10)


def triples_in(path: Path) -> int:
    return len(Graph().parse(path))


def ask(server: Server, how: str, query: str) -> httpx.Response:
    """``query`` sent to ``/sparql`` in one of the protocol's three ways: ``get``, ``form`` or ``direct``."""
    url = f"{server.base}/sparql"
    if how == "get":
        return httpx.get(url, params={"query": query})
    if how == "form":
        return httpx.post(url, data={"query": query})
    return httpx.post(url, content=query.encode(), headers={"content-type": "application/sparql-query"})


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_three_ways_to_ask(server: Server, how: str) -> None:
    response = ask(server, how, ARTICLE_9_ZH)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.json() == {"head": {"vars": ["zh"]}, "results": {"bindings": [
        {"zh": {"type": "literal", "value": "过境或转运", "xml:lang": "zh"}}]}}


@pytest.mark.parametrize(("accept", "content_type", "body"), [
    ("application/sparql-results+json", "application/sparql-results+json",
     '{"head":{"vars":["zh"]},"results":{"bindings":[{"zh":{"type":"literal","value":"过境或转运",'
     '"xml:lang":"zh"}}]}}'),
    ("application/sparql-results+xml", "application/sparql-results+xml",
     '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="zh"/>'
     '</head><results><result><binding name="zh"><literal xml:lang="zh">过境或转运</literal></binding></result>'
     "</results></sparql>"),
    ("text/csv", "text/csv; charset=utf-8", "zh\r\n过境或转运\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", '?zh\n"过境或转运"@zh\n'),
    ("text/csv;q=0.4, text/tab-separated-values;q=0.5", "text/tab-separated-values; charset=utf-8",
     '?zh\n"过境或转运"@zh\n'),
])
def test_select_formats(server: Server, accept: str, content_type: str, body: str) -> None:
    response = sparql(server, ARTICLE_9_ZH, accept)
    assert (response.status_code, response.headers["content-type"], response.text) == (200, content_type, body)
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(("name", "content_type"), [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv; charset=utf-8"), ("tsv", "text/tab-separated-values; charset=utf-8"),
])
def test_format_parameter_for_browsers(server: Server, name: str, content_type: str) -> None:
    response = sparql(server, ARTICLE_9_ZH, "text/html", format=name)
    assert (response.status_code, response.headers["content-type"]) == (200, content_type)


def test_ask_answers_in_json_and_xml(server: Server) -> None:
    assert sparql(server, "ASK { FILTER(false) }").json() == {"head": {}, "boolean": False}
    xml = sparql(server, "ASK { article:9 a att:Article }", "application/sparql-results+xml").text
    assert xml.endswith("<boolean>true</boolean></sparql>")


@pytest.mark.parametrize(("accept", "content_type"), [
    ("text/turtle", "text/turtle; charset=utf-8"), ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"), ("application/rdf+xml", "application/rdf+xml"),
    ("application/n-quads", "application/n-quads"), ("application/trig", "application/trig"),
])
def test_construct_formats_parse_back_to_the_same_triple(server: Server, accept: str, content_type: str) -> None:
    response = sparql(server, CONSTRUCT_9, accept)
    assert (response.status_code, response.headers["content-type"]) == (200, content_type)
    engine = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
              "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
              "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}[accept]
    quads = list(ox.parse(response.content, format=engine))
    assert [(q.subject.value, q.predicate.value, q.object.value) for q in quads] == [
        ("https://w3id.org/attgraph/id/article/9", "https://w3id.org/attgraph/ontology#number", "9")]


def test_describe_is_a_graph(server: Server) -> None:
    response = sparql(server, "DESCRIBE <https://w3id.org/attgraph/id/provision/7.1.b.ii>", "application/n-triples")
    assert response.status_code == 200
    lines = sorted(response.text.splitlines())
    assert '<https://w3id.org/attgraph/id/provision/7.1.b.ii> <https://w3id.org/attgraph/ontology#key> "7.1.b.ii" .' \
        in lines


def test_default_graph_uri_chooses_a_graph(server: Server) -> None:
    expected = triples_in(server.root / "data" / "treaty.ttl")
    only = sparql(server, COUNT, **{"default-graph-uri": TREATY}).json()["results"]["bindings"]
    assert int(only[0]["n"]["value"]) == expected
    form = urlencode([("query", COUNT), ("default-graph-uri", TREATY), ("default-graph-uri", PAGES)])
    both = httpx.post(f"{server.base}/sparql", content=form,
                      headers={"content-type": "application/x-www-form-urlencoded"}).json()
    pages = triples_in(server.root / "data" / "pages.ttl")
    assert int(both["results"]["bindings"][0]["n"]["value"]) == expected + pages


def test_named_graph_uri_limits_graph_patterns(server: Server) -> None:
    response = httpx.post(f"{server.base}/sparql", content=NAMED.encode(),
                          headers={"content-type": "application/sparql-query"},
                          params={"named-graph-uri": PAGES})
    rows = response.json()["results"]["bindings"]
    assert [(r["g"]["value"], int(r["n"]["value"])) for r in rows] == [
        (PAGES, triples_in(server.root / "data" / "pages.ttl"))]
    default_empty = sparql(server, COUNT, **{"named-graph-uri": PAGES}).json()["results"]["bindings"]
    assert default_empty[0]["n"]["value"] == "0"


def test_from_in_the_query_selects_a_graph_we_hold(server: Server) -> None:
    rows = sparql(server, f"SELECT (COUNT(*) AS ?n) FROM <{TREATY}> WHERE {{ ?s ?p ?o }}").json()
    assert int(rows["results"]["bindings"][0]["n"]["value"]) == triples_in(server.root / "data" / "treaty.ttl")
    named = sparql(server, f"SELECT DISTINCT ?g FROM NAMED <{PAGES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}").json()
    assert [r["g"]["value"] for r in named["results"]["bindings"]] == [PAGES]


def test_protocol_dataset_overrides_from(server: Server) -> None:
    rows = sparql(server, f"SELECT (COUNT(*) AS ?n) FROM <{TREATY}> WHERE {{ ?s ?p ?o }}",
                  **{"default-graph-uri": PAGES}).json()
    assert int(rows["results"]["bindings"][0]["n"]["value"]) == triples_in(server.root / "data" / "pages.ttl")


def test_row_cap_is_stated(server: Server) -> None:
    response = sparql(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert (response.headers["x-max-rows"], response.headers["x-result-truncated"]) == ("50", "true")
    assert len(response.json()["results"]["bindings"]) == 50
    small = sparql(server, ARTICLE_9_ZH)
    assert (small.headers["x-max-rows"], small.headers["x-result-truncated"]) == ("50", "false")


@pytest.mark.parametrize("how", ["get", "form", "error", "description", "head"])
def test_every_answer_of_the_endpoint_carries_the_security_headers(server: Server, how: str) -> None:
    """``/sparql`` is answered ahead of the application's middleware; its answers carry the same headers."""
    if how in ("get", "form"):
        response = ask(server, how, ARTICLE_9_ZH)
    elif how == "error":
        response = ask(server, "get", "SELECT WHERE {")
    elif how == "description":
        response = httpx.get(f"{server.base}/sparql", headers={"accept": "text/turtle"})
    else:
        response = httpx.head(f"{server.base}/sparql", params={"query": ARTICLE_9_ZH})
    assert response.status_code == (400 if how == "error" else 200)
    assert {name: response.headers.get_list(name) for name in SECURITY} == SECURITY


def test_answers_say_where_the_time_went(server: Server) -> None:
    """``Server-Timing``: the engine's part (in the worker) within the whole query (from its check on)."""
    timing = sparql(server, ARTICLE_9_ZH).headers["server-timing"]
    found = re.fullmatch(r"engine;dur=(\d+\.\d\d), query;dur=(\d+\.\d\d)", timing)
    assert found is not None, timing
    assert 0 < float(found[1]) <= float(found[2])


def test_service_description_names_the_public_url(server: Server) -> None:
    response = httpx.get(f"{server.base}/sparql", headers={"accept": "text/turtle"})
    assert (response.status_code, response.headers["content-type"]) == (200, "text/turtle; charset=utf-8")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = f"{PUBLIC_URL}/sparql"
    rows = graph.query(f"SELECT ?lang ?graph WHERE {{ <{endpoint}> <{sd}endpoint> <{endpoint}> ; "
                       f"<{sd}supportedLanguage> ?lang ; <{sd}defaultDataset>/<{sd}namedGraph>/<{sd}name> ?graph }}"
                       " ORDER BY ?graph")
    assert [(str(r[0]), str(r[1])) for r in rows] == [  # type: ignore[index]
        (f"{sd}SPARQL11Query", "https://w3id.org/attgraph/graph/data/pages.ttl"),
        (f"{sd}SPARQL11Query", TREATY),
        (f"{sd}SPARQL11Query", "https://w3id.org/attgraph/graph/ontology/attgraph.ttl"),
    ]
    formats = {str(o) for o in graph.objects(predicate=URIRef(f"{sd}resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats and len(formats) == 10


def test_browser_without_a_query_goes_to_the_query_page(server: Server) -> None:
    response = httpx.get(f"{server.base}/sparql", headers={"accept": "text/html,*/*;q=0.8"})
    assert (response.status_code, response.headers["location"]) == (303, "/query")


def test_void_and_dcat_describe_the_dataset(server: Server) -> None:
    response = httpx.get(f"{server.base}/.well-known/void")
    assert (response.status_code, response.headers["content-type"]) == (200, "text/turtle; charset=utf-8")
    graph = Graph().parse(data=response.text, format="turtle")
    rows = graph.query(
        "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#> "
        "SELECT ?endpoint ?space ?triples ?service WHERE { <https://w3id.org/attgraph/dataset> a void:Dataset , "
        "dcat:Dataset ; void:sparqlEndpoint ?endpoint ; void:uriSpace ?space ; void:triples ?triples ; "
        "dcat:distribution/dcat:accessService ?service }")
    total = sum(triples_in(p) for p in (server.root / "data" / "treaty.ttl", server.root / "data" / "pages.ttl",
                                        server.root / "ontology" / "attgraph.ttl"))
    assert [(str(r[0]), str(r[1]), int(r[2]), str(r[3])) for r in rows] == [  # type: ignore[index, misc, arg-type]
        (f"{PUBLIC_URL}/sparql", "https://w3id.org/attgraph/id/", total, f"{PUBLIC_URL}/sparql")]
    same = httpx.get(f"{server.base}/dataset", headers={"accept": "application/n-triples"})
    assert same.headers["content-type"] == "application/n-triples"
    assert len(Graph().parse(data=same.text, format="nt")) == len(graph)


def test_health_reports_the_workers(server: Server) -> None:
    health = server.health()
    assert health["status"] == "ok"
    queries = health["queries"]
    assert isinstance(queries, dict)
    assert (queries["workers"], queries["capacity"]) == (2, 4)


def test_openapi_has_a_path_per_named_query(server: Server) -> None:
    document = httpx.get(f"{server.base}/openapi.json").json()
    names = sorted(p.name[:-3] for p in (server.root / "queries").glob("*.rq"))
    assert sorted(p.removeprefix("/queries/") for p in document["paths"] if p.startswith("/queries/")
                  and p != "/queries/{name}") == names
    since = document["paths"]["/queries/articles-since"]["get"]["parameters"]
    assert [(p["name"], p["required"], p["schema"]) for p in since] == [
        ("from", True, {"type": "integer"}),
        ("on", False, {"type": "string", "format": "date", "default": "2014-12-24"}),
        ("format", False, {"type": "string", "enum": ["json", "xml", "csv", "tsv"]}),
    ]
    graph_query = document["paths"]["/queries/article-heading-graph"]["get"]["responses"]["200"]["content"]
    assert "text/turtle" in graph_query
    assert json.dumps(document).count("cdn") == 0


def test_csv_of_chinese_headings_is_exact(server: Server) -> None:
    response = httpx.get(f"{server.base}/queries/article-headings", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["article", "number", "heading", "lang"]
    assert rows[9] == ["https://w3id.org/attgraph/id/article/9", "9", "过境或转运", "zh"]
    assert len(rows) == 29
