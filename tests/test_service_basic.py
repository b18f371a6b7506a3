"""The first /sparql endpoint, against the real server over real HTTP."""

from __future__ import annotations

import httpx

ASK_ANY = "ASK { ?s ?p ?o }"
ARTICLE_9 = ("SELECT ?zh WHERE { <https://w3id.org/attgraph/id/article/9> "
             "<https://w3id.org/attgraph/ontology#heading> ?zh FILTER(lang(?zh) = 'zh') }")


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
    assert body["error"]["message"].startswith("the query does not parse: error at 1:")
    assert body["error"]["details"]["line"] == 1


def test_update_is_refused(live_server: str) -> None:
    response = httpx.post(f"{live_server}/sparql", data={"query": "DROP ALL"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_syntax"
    assert httpx.get(f"{live_server}/sparql", params={"query": ASK_ANY}).json()["boolean"] is True
