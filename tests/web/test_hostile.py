"""Hostile input against the real server: each case asserts the status, the exact error code and message,
that no traceback or path leaks, that the loopback listener received nothing and that the service still
answers afterwards.

``{L}`` in a case stands for the listener's URL (``http://127.0.0.1:PORT/``): a request that made the
service, its query workers or its validator contact anything would show up there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest

from .conftest import Listener, Server

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
DEEP = "SELECT * WHERE " + "{" * 101 + " ?s ?p ?o " + "}" * 101
BANG = "ASK { FILTER(" + "!" * 5000 + "true) }"
PARENS = "ASK { FILTER(" + "(" * 150 + "true" + ")" * 150 + ") }"
BIG_QUERY = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 33000
SUMMARY = ("ASK { <https://w3id.org/attgraph/id/treaty/ATT> "
           "<https://w3id.org/attgraph/ontology#summary> ?s }")
READ_ONLY = "this service is read-only: SPARQL Update is not accepted"
NO_SERVICE = "SERVICE is not allowed: this service never sends requests to other endpoints"
HELD = ("(graphs are never fetched; the graphs held are listed in the service description at /sparql)")
RESULT_TYPES = ("application/sparql-results+json, application/sparql-results+xml, text/csv, "
                "text/tab-separated-values")
GRAPH_TYPES = ("text/turtle, application/n-triples, application/ld+json, application/rdf+xml, "
               "application/n-quads, application/trig")


@dataclass(frozen=True)
class Case:
    """One hostile request and the error it must get."""

    id: str
    status: int
    code: str
    message: str
    query: str | None = None
    method: str = "GET"
    path: str = "/sparql"
    params: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    content_type: str | None = None
    accept: str | None = None


def update(keyword: str, query: str) -> Case:
    return Case(f"update-{query[:24]}", 400, "update_refused",
                f"this service is read-only: SPARQL Update ({keyword}) is not accepted", query)


CASES: list[Case] = [
    # -- protocol ------------------------------------------------------------------------------
    Case("two-query-params", 400, "query_ambiguous", "one request carries 2 queries; send exactly one",
         params=[("query", "ASK {}"), ("query", "ASK {}")]),
    Case("query-in-url-and-form", 400, "query_ambiguous", "one request carries 2 queries; send exactly one",
         "ASK {}", "POST", body=b"query=ASK%20%7B%7D", content_type=FORM),
    Case("query-in-url-and-body", 400, "query_ambiguous", "one request carries 2 queries; send exactly one",
         "ASK {}", "POST", body=b"ASK {}", content_type=DIRECT),
    Case("two-queries-in-form", 400, "query_ambiguous", "one request carries 3 queries; send exactly one",
         method="POST", body=b"query=ASK%7B%7D&query=ASK%7B%7D&query=ASK%7B%7D", content_type=FORM),
    Case("body-text-plain", 415, "unsupported_media_type",
         f"a POST body must be {FORM} or {DIRECT}, not text/plain", method="POST", body=b"ASK {}",
         content_type="text/plain"),
    Case("body-json", 415, "unsupported_media_type",
         f"a POST body must be {FORM} or {DIRECT}, not application/json", method="POST",
         body=b'{"query": "ASK {}"}', content_type="application/json"),
    Case("body-untyped", 415, "unsupported_media_type", f"a POST body must be {FORM} or {DIRECT}, not untyped",
         method="POST", body=b"ASK {}"),
    Case("put", 405, "method_not_allowed", "PUT is not allowed on /sparql; use GET or HEAD or POST", method="PUT",
         body=b"ASK {}"),
    Case("delete", 405, "method_not_allowed", "DELETE is not allowed on /sparql; use GET or HEAD or POST",
         method="DELETE"),
    Case("patch-resource", 405, "method_not_allowed", "PATCH is not allowed on /id/article/9; use GET or HEAD",
         method="PATCH", path="/id/article/9", body=b"x"),
    Case("post-without-query", 400, "query_missing", "the request carries no query", method="POST",
         body=b"format=json", content_type=FORM),
    Case("empty-query", 400, "query_missing", "the query is empty", params=[("query", "  ")]),
    Case("unacceptable-accept", 406, "bad_format",
         f"none of the accepted media types (image/png) can be produced; available: {RESULT_TYPES}", "ASK {}",
         accept="image/png"),
    Case("unknown-format", 406, "bad_format", "format 'pdf' is not available here; use one of: json, xml, csv, tsv",
         "ASK {}", params=[("format", "pdf")]),
    Case("construct-as-csv", 406, "bad_format",
         f"none of the accepted media types (text/csv) can be produced; available: {GRAPH_TYPES}",
         "CONSTRUCT WHERE { ?s ?p ?o }", accept="text/csv"),
    Case("syntax-error", 400, "query_syntax",
         "the query does not parse at line 1, column 26: expected LATERAL or SERVICE; the query ends here",
         "SELECT ?x WHERE { ?x ?y }"),
    Case("form-not-utf8", 400, "bad_encoding", "the form body is not valid UTF-8", method="POST",
         body=b"query=ASK%20%7B%7D%FF", content_type=FORM),
    Case("body-not-utf8", 400, "bad_encoding", "the query is not valid UTF-8", method="POST",
         body=b"ASK { \xff }", content_type=DIRECT),
    Case("url-not-utf8", 400, "bad_encoding", "the query string is not valid UTF-8", path="/sparql?query=%C3%28"),
    Case("unknown-route", 404, "not_found", "nothing here: /admin", path="/admin"),
    Case("unknown-resource", 404, "not_found", "no resource https://w3id.org/attgraph/id/article/99",
         path="/id/article/99"),
    Case("unknown-resource-extension", 404, "not_found", "no resource https://w3id.org/attgraph/id/article/99.ttl",
         path="/id/article/99.ttl"),
    Case("unknown-named-query", 404, "not_found", "no named query 'drop-all'", path="/queries/drop-all"),
    Case("unknown-graph-page", 404, "not_found", "no graph https://w3id.org/attgraph/graph/etc/passwd",
         path="/graph/etc/passwd"),
    Case("traversal", 404, "not_found", "nothing here: /static/../app.py", path="/static/..%2Fapp.py"),
    Case("static-unknown", 404, "not_found", "no static file app.py", path="/static/app.py"),
    # -- named-query parameters --------------------------------------------------------------
    Case("param-wrong-type", 400, "bad_parameter", "parameter 'from' must be of type integer, got 'abc'",
         path="/queries/articles-since?from=abc"),
    Case("param-missing", 400, "bad_parameter", "query 'articles-since' needs parameter 'from' (integer)",
         path="/queries/articles-since"),
    Case("param-unknown", 400, "bad_parameter", "query 'article-headings' has no parameter 'nope'; it takes: lang",
         path="/queries/article-headings?nope=1"),
    Case("param-twice", 400, "bad_parameter", "parameter 'lang' is given more than once",
         path="/queries/article-headings?lang=zh&lang=en"),
    Case("param-iri-injection", 400, "bad_parameter",
         "parameter 'article' must be of type iri, got '<x> } ; DROP ALL #'",
         path="/queries/provisions-of-article?article=%3Cx%3E%20%7D%20%3B%20DROP%20ALL%20%23"),
    Case("param-iri-javascript", 400, "bad_parameter",
         "parameter 'article' must be of type iri, got 'javascript:alert(1)'",
         path="/queries/provisions-of-article?article=javascript:alert(1)"),
    Case("param-bad-date", 400, "bad_parameter", "parameter 'on' must be of type date, got '2014-13-40'",
         path="/queries/articles-since?from=1&on=2014-13-40"),
    Case("named-unknown-format", 406, "bad_format",
         "format 'docx' is not available here; use one of: html, json, xml, csv, tsv",
         path="/queries/article-headings?format=docx"),
    # -- updates ---------------------------------------------------------------------------------
    update("DROP", "DROP ALL"),
    update("INSERT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
    update("INSERT", "insert data { <urn:a> <urn:b> <urn:c> }"),
    update("DELETE", "DELETE WHERE { ?s ?p ?o }"),
    update("LOAD", "LOAD <{L}data.ttl>"),
    update("LOAD", "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>"),
    update("CLEAR", "CLEAR DEFAULT"),
    update("CREATE", "CREATE GRAPH <urn:g>"),
    update("COPY", "COPY DEFAULT TO <urn:g>"),
    update("WITH", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"),
    update("DROP", "SELECT * WHERE {} ; DROP ALL"),
    Case("update-param", 400, "update_refused", READ_ONLY, params=[("update", "DROP ALL")]),
    Case("update-form", 400, "update_refused", READ_ONLY, method="POST", body=b"update=DROP%20ALL",
         content_type=FORM),
    Case("update-body", 400, "update_refused", READ_ONLY, method="POST", body=b"DROP ALL",
         content_type="application/sparql-update"),
    # -- no outbound traffic ---------------------------------------------------------------------
    Case("service", 400, "service_refused", NO_SERVICE, "SELECT * WHERE { SERVICE <{L}sparql> { ?s ?p ?o } }"),
    Case("service-silent", 400, "service_refused", NO_SERVICE,
         "SELECT * WHERE { SERVICE SILENT <{L}sparql> { ?s ?p ?o } }"),
    Case("service-variable", 400, "service_refused", NO_SERVICE,
         "SELECT * WHERE { VALUES ?e { <{L}sparql> } SERVICE ?e { ?s ?p ?o } }"),
    Case("service-lowercase", 400, "service_refused", NO_SERVICE,
         "select * where { service <{L}> { ?s ?p ?o } }"),
    Case("service-escaped", 400, "query_syntax",
         "the query does not parse at line 1, column 26: expected OPTIONAL; found 'V'",
         "SELECT * WHERE { \\u0053ERVICE <{L}> { ?s ?p ?o } }"),
    Case("from-url", 400, "unknown_graph", f"the query names a graph this service does not hold: {{L}}g {HELD}",
         "SELECT * FROM <{L}g> WHERE { ?s ?p ?o }"),
    Case("from-named-url", 400, "unknown_graph",
         f"the query names a graph this service does not hold: {{L}}g {HELD}",
         "SELECT * FROM NAMED <{L}g> WHERE { GRAPH ?g { ?s ?p ?o } }"),
    Case("from-file", 400, "unknown_graph",
         f"the query names a graph this service does not hold: file:///etc/passwd {HELD}",
         "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
    Case("from-base-relative", 400, "unknown_graph",
         f"the query names a graph this service does not hold: {{L}}data/g {HELD}",
         "BASE <{L}data/> SELECT * FROM <g> WHERE { ?s ?p ?o }"),
    Case("from-prefixed", 400, "unknown_graph",
         f"the query names a graph this service does not hold: {{L}}x {HELD}",
         "PREFIX l: <{L}> SELECT * FROM l:x WHERE { ?s ?p ?o }"),
    Case("from-unreadable", 400, "unknown_graph",
         "the FROM clause at character 10 does not name a graph this service can read",
         "SELECT * FROM nope:x WHERE { ?s ?p ?o }"),
    Case("default-graph-uri-url", 400, "unknown_graph",
         f"the request names a graph this service does not hold: {{L}}g {HELD}", "ASK { ?s ?p ?o }",
         params=[("default-graph-uri", "{L}g")]),
    Case("named-graph-uri-file", 400, "unknown_graph",
         f"the request names a graph this service does not hold: file:///etc/passwd {HELD}", "ASK { ?s ?p ?o }",
         params=[("named-graph-uri", "file:///etc/passwd")]),
    # -- limits ----------------------------------------------------------------------------------
    Case("too-deep", 400, "query_too_deep",
         "the query nests brackets or operators more than 100 deep (at character 116); the limit is 100", DEEP),
    Case("unary-run", 400, "query_too_deep",
         "the query nests brackets or operators more than 100 deep (at character 112); the limit is 100", BANG),
    Case("parens", 400, "query_too_deep",
         "the query nests brackets or operators more than 100 deep (at character 112); the limit is 100", PARENS),
    Case("query-too-large", 413, "query_too_large",
         f"the query is {len(BIG_QUERY)} bytes long; the limit is 32768 bytes", method="POST",
         body=BIG_QUERY.encode(), content_type=DIRECT),
    Case("body-too-large", 413, "payload_too_large", "the request body is 70000 bytes; the limit is 65536 bytes",
         method="POST", body=b"#" * 70000, content_type=DIRECT),
    Case("search-too-long", 400, "search_too_long", "the search text is 201 characters long; the limit is 200",
         path="/search?q=" + "x" * 201),
    Case("search-bad-limit", 400, "bad_parameter", "limit must be a whole number from 1 to 100, got '0'",
         path="/api/search?q=ATT&limit=0"),
    # -- unicode ---------------------------------------------------------------------------------
    Case("lone-surrogate", 400, "query_syntax",
         "the query does not parse at line 1, column 23: expected ENCODE_FOR_URI; found ')'",
         'SELECT ("\\uD800" AS ?x) {}'),
    Case("control-char-as-xml", 406, "bad_format",
         "the result holds the character U+0001, which XML 1.0 cannot represent; ask for another format "
         "(JSON, CSV, TSV, Turtle, N-Triples)", 'SELECT ("a\\u0001b" AS ?x) {}',
         accept="application/sparql-results+xml"),
    Case("control-char-as-rdfxml", 406, "bad_format",
         "the result holds the character U+0008, which XML 1.0 cannot represent; ask for another format "
         "(JSON, CSV, TSV, Turtle, N-Triples)", 'CONSTRUCT { <urn:a> <urn:b> "\\u0008" } WHERE {}',
         accept="application/rdf+xml"),
    Case("nul-in-query", 400, "query_syntax",
         "the query does not parse at line 1, column 12: the query holds the control character U+0000 at line 1, "
         "column 7",
         path="/sparql?query=SELECT%00*%20%7B%7D"),
]


def send(server: Server, case: Case, listener: Listener) -> httpx.Response:
    def fill(text: str) -> str:
        return text.replace("{L}", listener.url)

    params: list[tuple[str, str | int | float | bool | None]] = [(k, fill(v)) for k, v in case.params]
    if case.query is not None:
        params.append(("query", fill(case.query)))
    headers = {}
    if case.content_type:
        headers["content-type"] = case.content_type
    if case.accept:
        headers["accept"] = case.accept
    url = server.base + case.path
    return httpx.request(case.method, url, params=params or None, content=case.body, headers=headers, timeout=15)


def test_there_are_at_least_sixty_cases() -> None:
    assert len(CASES) + len(UPLOADS) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_request(server: Server, listener: Listener, case: Case) -> None:
    response = send(server, case, listener)
    body = response.json()
    assert (response.status_code, response.headers["content-type"]) == (case.status, "application/json")
    assert body["error"]["code"] == case.code
    assert body["error"]["message"] == case.message.replace("{L}", listener.url)
    assert body["error"]["status"] == case.status
    assert "Traceback" not in response.text and str(server.root) not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert listener.received == []
    assert server.answers()


# -- uploads to the validator ---------------------------------------------------------------------

TURTLE = "text/turtle"
CONCEPT = "<https://w3id.org/attgraph/id/concept/upload>"
LABELLED = (f"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n{CONCEPT} a "
            "<https://w3id.org/attgraph/ontology#Concept> ; rdfs:label \"upload\"@en , \"上传\"@zh .\n")


@dataclass(frozen=True)
class Upload:
    """A hostile upload to /api/validate and the error it must get."""

    id: str
    content_type: str
    body: str | bytes
    status: int
    code: str
    message: str


UPLOADS: list[Upload] = [
    Upload("jsonld-remote-context", "application/ld+json", '{"@context": "{L}context.jsonld", "@id": "urn:x"}',
           400, "bad_upload", "request body: refused: the JSON-LD @context at $.@context refers to another "
           "document ('{L}context.jsonld'); remote and relative contexts are never fetched — inline the context "
           "in the file"),
    Upload("jsonld-context-list", "application/ld+json",
           '{"@context": [{"x": "urn:x#"}, "{L}c"], "@id": "urn:x", "x:p": 1}', 400, "bad_upload",
           "request body: refused: the JSON-LD @context at $.@context[1] refers to another document ('{L}c'); "
           "remote and relative contexts are never fetched — inline the context in the file"),
    Upload("jsonld-import", "application/ld+json", '{"@context": {"@import": "{L}c"}, "@id": "urn:x"}', 400,
           "bad_upload", "request body: refused: the JSON-LD @context at $.@context.@import refers to another "
           "document ('{L}c'); remote and relative contexts are never fetched — inline the context in the file"),
    Upload("rdfxml-external-entity", "application/rdf+xml",
           '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "{L}e">]>\n<rdf:RDF xmlns:rdf='
           '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:x">&e;</rdf:Description>'
           "</rdf:RDF>", 400, "bad_upload", "request body:2: refused: RDF/XML with a <!DOCTYPE declaration "
           "(entities are never expanded or fetched); remove the declaration"),
    Upload("rdfxml-billion-laughs", "application/rdf+xml",
           '<?xml version="1.0"?><!ENTITY a "aaaaaaaaaa"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
           400, "bad_upload", "request body:1: refused: RDF/XML with a <!ENTITY declaration (entities are never "
           "expanded or fetched); remove the declaration"),
    Upload("too-many-triples", TURTLE, "".join(f"<urn:s{i}> <urn:p> {i} .\n" for i in range(60)), 413,
           "upload_too_large", "request body holds more than 50 triples; an upload may hold at most 50"),
    Upload("too-large", TURTLE, "#" * 70000, 413, "payload_too_large",
           "the request body is 70000 bytes; the limit is 65536 bytes"),
    Upload("unsupported-type", "application/pdf", "%PDF-1.4", 415, "unsupported_media_type",
           "cannot validate a body of type application/pdf; send one of: multipart/form-data, "
           f"application/x-www-form-urlencoded, {GRAPH_TYPES}"),
    Upload("turtle-syntax", TURTLE, "<urn:a> <urn:b> .\n", 400, "bad_upload",
           "request body:1:17: turtle syntax error: . is not a valid RDF object\n"
           "    <urn:a> <urn:b> .\n"
           "                    ^"),
    Upload("empty", TURTLE, "  \n", 400, "upload_missing", "nothing to validate: the body is empty"),
]


@pytest.mark.parametrize("upload", UPLOADS, ids=[u.id for u in UPLOADS])
def test_hostile_upload(server: Server, listener: Listener, upload: Upload) -> None:
    body = upload.body.replace("{L}", listener.url) if isinstance(upload.body, str) else upload.body
    response = httpx.post(f"{server.base}/api/validate", content=body,
                          headers={"content-type": upload.content_type}, timeout=60)
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (upload.status, upload.code)
    assert error["message"] == upload.message.replace("{L}", listener.url)
    assert str(server.root) not in response.text
    assert listener.received == []
    assert server.answers()


def test_owl_imports_in_an_upload_is_never_followed(server: Server, listener: Listener) -> None:
    data = (LABELLED + f"<urn:onto> a <http://www.w3.org/2002/07/owl#Ontology> ; "
            f"<http://www.w3.org/2002/07/owl#imports> <{listener.url}onto.ttl> .\n")
    response = httpx.post(f"{server.base}/api/validate", content=data, headers={"content-type": TURTLE}, timeout=60)
    assert (response.status_code, response.json()["conforms"]) == (200, True)
    assert listener.received == []


def test_keywords_inside_literals_and_names_are_answered(server: Server) -> None:
    query = ('PREFIX ex: <http://example.org/> SELECT ("DROP ALL; SERVICE <x>" AS ?text) WHERE '
             "{ OPTIONAL { ex:load ex:service ex:insert } }")
    response = httpx.get(f"{server.base}/sparql", params={"query": query})
    assert response.json()["results"]["bindings"] == [{"text": {"type": "literal", "value": "DROP ALL; SERVICE <x>"}}]


def test_string_parameter_is_bound_not_pasted(server: Server) -> None:
    response = httpx.get(f"{server.base}/queries/article-headings",
                         params={"lang": 'zh") } } DROP ALL #', "format": "json"})
    assert (response.status_code, response.json()["results"]["bindings"]) == (200, [])
    assert server.answers()


def test_control_character_is_fine_in_json_and_csv(server: Server) -> None:
    query = 'SELECT ("a\\u0001b" AS ?x) ("😀 过境" AS ?y) {}'
    json_body = httpx.get(f"{server.base}/sparql", params={"query": query}).json()
    assert json_body["results"]["bindings"] == [{"x": {"type": "literal", "value": "a\x01b"},
                                                 "y": {"type": "literal", "value": "😀 过境"}}]
    csv = httpx.get(f"{server.base}/sparql", params={"query": query, "format": "csv"})
    assert csv.text == "x,y\r\na\x01b,😀 过境\r\n"


def test_ask_filter_false_is_false(server: Server) -> None:
    """rdflib once answered true to ASK { FILTER(false) }; the engine must answer false."""
    for accept, expected in (("application/sparql-results+json", '{"head":{},"boolean":false}'),
                             ("text/csv", "false")):
        response = httpx.get(f"{server.base}/sparql", params={"query": "ASK { FILTER(false) }"},
                             headers={"accept": accept})
        assert response.text.strip() == expected


def test_summary_literal_is_found_so_the_fixture_is_real(server: Server) -> None:
    assert httpx.get(f"{server.base}/sparql", params={"query": SUMMARY}).json()["boolean"] is True
