"""The service over the whole project, against the real server over real HTTP (``live_server``): the first
answers of /sparql and the pages of stable treaty facts."""

from __future__ import annotations

import httpx
from rdflib import Graph, Literal, URIRef

ASK_ANY = "ASK { ?s ?p ?o }"
ARTICLE_9 = ("SELECT ?zh WHERE { <https://w3id.org/attgraph/id/article/9> "
             "<https://w3id.org/attgraph/ontology#heading> ?zh FILTER(lang(?zh) = 'zh') }")
DOCUMENT = "https://w3id.org/attgraph/id/document/ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs"
HTML = "text/html,application/xhtml+xml,*/*;q=0.8"


def test_ask_by_get_answers_true(live_server: str) -> None:
    response = httpx.get(f"{live_server}/sparql", params={"query": ASK_ANY})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert response.json() == {"head": {}, "boolean": True}


def test_select_by_post_form(live_server: str) -> None:
    response = httpx.post(f"{live_server}/sparql", data={"query": ARTICLE_9})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [
        {"zh": {"type": "literal", "value": "过境或转运", "xml:lang": "zh"}}]


def test_select_by_post_sparql_query_as_csv(live_server: str) -> None:
    response = httpx.post(f"{live_server}/sparql", content=ARTICLE_9.encode(),
                          headers={"content-type": "application/sparql-query", "accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text == "zh\r\n过境或转运\r\n"


def test_construct_is_turtle(live_server: str) -> None:
    query = ("CONSTRUCT { ?a <https://w3id.org/attgraph/ontology#number> ?n } WHERE "
             "{ ?a a <https://w3id.org/attgraph/ontology#Article> ; "
             "<https://w3id.org/attgraph/ontology#number> ?n FILTER(?n = '9') }")
    response = httpx.get(f"{live_server}/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert "article:9 att:number \"9\" ." in response.text


def test_syntax_error_is_one_json_error(live_server: str) -> None:
    response = httpx.get(f"{live_server}/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "query_syntax"
    assert body["error"]["message"] == ("the query does not parse at line 1, column 26: expected LATERAL or "
                                        "SERVICE; the query ends here")
    assert body["error"]["details"]["excerpt"] == "SELECT ?x WHERE { ?x ?y }\n" + " " * 25 + "^"
    assert body["error"]["details"]["line"] == 1


def test_update_is_refused(live_server: str) -> None:
    response = httpx.post(f"{live_server}/sparql", data={"query": "DROP ALL"})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "update_refused", "status": 400, "details": {"keyword": "DROP", "position": 1},
        "message": "this service is read-only: SPARQL Update (DROP) is not accepted"}
    assert httpx.get(f"{live_server}/sparql", params={"query": ASK_ANY}).json()["boolean"] is True


def test_article_page_in_chinese_and_english(live_server: str) -> None:
    text = httpx.get(f"{live_server}/id/article/9", headers={"accept": HTML}).text
    assert '<span class="label" lang="zh">第9条：过境或转运</span>' in text
    assert '<span class="label" lang="en">Article 9: Transit or trans-shipment</span>' in text


def test_item_page_and_turtle(live_server: str) -> None:
    response = httpx.get(f"{live_server}/id/provision/7.1.b.ii.ttl")
    graph = Graph().parse(data=response.text, format="turtle")
    item = URIRef("https://w3id.org/attgraph/id/provision/7.1.b.ii")
    assert (item, URIRef("https://w3id.org/attgraph/ontology#key"), Literal("7.1.b.ii")) in graph
    assert (item, URIRef("https://w3id.org/attgraph/ontology#article"),
            URIRef("https://w3id.org/attgraph/id/article/7")) in graph


def test_document_iri_with_slashes_dereferences(live_server: str) -> None:
    path = DOCUMENT.removeprefix("https://w3id.org/attgraph")
    page = httpx.get(f"{live_server}{path}", headers={"accept": HTML})
    assert page.status_code == 200
    assert f'<p class="iri"><code>{DOCUMENT}</code></p>' in page.text
    triples = httpx.get(f"{live_server}{path}", headers={"accept": "application/n-triples"})
    subjects = {line.split(" ", 1)[0] for line in triples.text.splitlines()}
    assert f"<{DOCUMENT}>" in subjects


def test_search_finds_article_9_by_its_chinese_heading(live_server: str) -> None:
    hits = httpx.get(f"{live_server}/api/search", params={"q": "过境或转运"}).json()["hits"]
    assert "https://w3id.org/attgraph/id/article/9" in [h["resource"] for h in hits]
