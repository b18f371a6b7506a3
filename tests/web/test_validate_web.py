"""Validation of uploads over real HTTP: the API (JSON and Turtle reports), the page's forms, the cap on
validations at once and their deadline. The fixture project's only shape: a concept needs a Chinese label."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from .conftest import LIMITS, Server, make_fixture_project, serving

PREFIXES = ("@prefix att: <https://w3id.org/attgraph/ontology#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
GOOD = PREFIXES + '<https://w3id.org/attgraph/id/concept/upload> a att:Concept ; rdfs:label "upload"@en , "上传"@zh .\n'
BAD = PREFIXES + '<https://w3id.org/attgraph/id/concept/upload> a att:Concept ; rdfs:label "upload"@en .\n'
SH = "http://www.w3.org/ns/shacl#"
BAD_LINE = BAD.splitlines()[2]
RESULT: dict[str, object] = {
    "severity": "Violation", "shape": "shape:TestChineseLabel",
    "shapeIri": "https://w3id.org/attgraph/shapes#TestChineseLabel", "focus": "concept:upload",
    "focusIri": "https://w3id.org/attgraph/id/concept/upload", "focusLabel": "upload", "path": "rdfs:label",
    "value": None, "message": "concept:upload has no Chinese label",
    "messages": {"en": "concept:upload has no Chinese label", "zh": "concept:upload 缺少中文标签"},
    "component": "QualifiedMinCountConstraintComponent", "allowed": [], "suggestion": None, "sources": [],
    "location": {"file": "request body", "line": 3, "column": BAD_LINE.index("rdfs:label") + 1,
                 "excerpt": BAD_LINE},
}
NOTHING = {"violations": 0, "warnings": 0, "infos": 0}


def validate(server: Server, data: str, content_type: str = "text/turtle", accept: str = "application/json",
             ) -> httpx.Response:
    return httpx.post(f"{server.base}/api/validate", content=data.encode(),
                      headers={"content-type": content_type, "accept": accept}, timeout=60)


def test_conforming_upload(server: Server) -> None:
    response = validate(server, GOOD)
    assert (response.status_code, response.headers["content-type"]) == (200, "application/json")
    assert response.json() == {
        "version": 2, "conforms": True, "summary": "conforms: 0 violations, 0 warnings, 0 infos", "against": "graph",
        "files": [{"name": "request body", "format": "turtle", "statements": 3}], "counts": NOTHING, "byShape": {},
        "results": [], "ours": {"counts": NOTHING, "results": []}}


def test_non_conforming_upload_gets_every_result(server: Server) -> None:
    body = validate(server, BAD).json()
    assert (body["conforms"], body["summary"]) == (False, "does not conform: 1 violation, 0 warnings, 0 infos")
    assert body["results"] == [RESULT]


def test_report_as_turtle(server: Server) -> None:
    response = validate(server, BAD, accept="text/turtle")
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    report = Graph().parse(data=response.text, format="turtle")
    assert set(report.objects(predicate=URIRef(f"{SH}conforms"))) == {Literal(False)}
    assert set(report.objects(predicate=URIRef(f"{SH}focusNode"))) == {
        URIRef("https://w3id.org/attgraph/id/concept/upload")}


def test_jsonld_with_an_inline_context(server: Server) -> None:
    document = {"@context": {"att": "https://w3id.org/attgraph/ontology#",
                             "label": {"@id": "http://www.w3.org/2000/01/rdf-schema#label", "@language": "zh"}},
                "@id": "https://w3id.org/attgraph/id/concept/upload", "@type": "att:Concept", "label": "上传"}
    response = validate(server, json.dumps(document), "application/ld+json")
    assert response.json()["conforms"] is True


def test_page_form_with_a_file(server: Server) -> None:
    response = httpx.post(f"{server.base}/validate", files={"file": ("concepts.ttl", BAD.encode(), "text/turtle")},
                          data={"format": ""}, timeout=60)
    assert (response.status_code, response.headers["content-type"]) == (200, "text/html; charset=utf-8")
    text = response.text
    assert '<h2>Does not conform <span lang="zh">不符合</span></h2>' in text
    assert ('<p class="summary">concepts.ttl: does not conform: 1 violation, 0 warnings, 0 infos; checked with our '
            'whole graph.</p>') in text
    assert ("<td>concept:upload has no Chinese label<br><span lang=\"zh\">concept:upload 缺少中文标签</span></td>"
            in text)


def test_page_form_with_pasted_text(server: Server) -> None:
    response = httpx.post(f"{server.base}/validate", data={"data": GOOD, "format": "turtle"}, timeout=60)
    assert '<h2>Conforms <span lang="zh">符合</span></h2>' in response.text
    broken = httpx.post(f"{server.base}/validate", data={"data": "<a> <b>", "format": "turtle"}, timeout=60)
    assert broken.status_code == 400
    assert '<p><strong>400 · bad_upload</strong></p>' in broken.text


def test_page_file_name_is_escaped(server: Server) -> None:
    name = '<img src=x onerror=alert(1)>.ttl'
    response = httpx.post(f"{server.base}/validate", files={"file": (name, GOOD.encode(), "text/turtle")},
                          timeout=60)
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;.ttl: conforms" in response.text
    assert "<img src=x" not in response.text.replace("&lt;img src=x", "")


def test_one_validation_at_a_time_here(server: Server) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(lambda _: validate(server, GOOD), range(2)))
    assert sorted(r.status_code for r in responses) == [200, 503]
    busy = next(r for r in responses if r.status_code == 503)
    assert (busy.json()["error"]["code"], busy.headers["retry-after"]) == ("service_busy", "8")


@pytest.fixture(scope="module")
def impatient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that gives a validation a quarter of a second."""
    root: Path = make_fixture_project(tmp_path_factory.mktemp("impatient"))
    with serving(root, {**LIMITS, "ATTGRAPH_VALIDATION_TIMEOUT": "0.25"}) as running:
        yield running


def test_validation_has_a_deadline(impatient: Server) -> None:
    response = validate(impatient, GOOD)
    assert (response.status_code, response.json()["error"]) == (503, {
        "code": "validation_timeout", "status": 503, "details": {"limit": 0.25},
        "message": "the validation was stopped at its deadline (0.25 s)"})
    # the validation process is gone: the fork server, the service process and its two query workers remain
    assert sorted(impatient.descendants().values()) == ["attgraph-fork", "attgraph-http", "attgraph-query",
                                                        "attgraph-query"]
    assert impatient.answers()


# -- a builder's file checked with our whole graph: the same five findings on the page, in the API, in the CLI --

def _five() -> tuple[Path, dict[str, object]]:
    from tests.test_validation import FIVE, SCHEMA

    return FIVE, SCHEMA


def test_five_planted_mistakes_in_the_api_and_the_cli_in_one_shape(project_server: Server) -> None:
    import io

    import jsonschema

    from attgraph.cli import main
    from tests.test_validation import FIVE_MISTAKES, five_mistakes

    five, schema = _five()
    api = httpx.post(f"{project_server.base}/api/validate", content=five.read_bytes(),
                     headers={"content-type": "text/turtle", "accept": "application/json"}, timeout=120)
    assert api.status_code == 200
    body = api.json()
    jsonschema.validate(body, schema)
    assert (body["against"], five_mistakes(body)) == ("graph", FIVE_MISTAKES)
    out = io.StringIO()
    assert main(["validate", "--format", "json", str(five)], out=out, err=io.StringIO()) == 1
    cli = json.loads(out.getvalue())
    named = json.dumps(cli).replace(json.dumps(str(five))[1:-1], "request body")
    assert json.loads(named) == body


def test_five_planted_mistakes_on_the_page_with_the_text_kept(project_server: Server) -> None:
    import html
    import re
    from urllib.parse import unquote

    five, _ = _five()
    text = five.read_text(encoding="utf-8")
    page = httpx.post(f"{project_server.base}/validate", data={"data": text, "format": "turtle"}, timeout=120)
    assert page.status_code == 200
    shown = page.text
    assert ('<p class="summary">pasted data: does not conform: 5 violations, 0 warnings, 0 infos; checked with our '
            'whole graph.</p>') in shown
    report = shown.split('<details class="ours">')[0]
    assert re.findall(r'<span class="line">line (\d+), column (\d+)</span>', report) == [
        ("18", "16"), ("26", "5"), ("32", "16"), ("33", "22"), ("37", "5")]
    assert '<strong class="suggestion">did you mean att:adopted?</strong>' in report
    kept = re.search(r'<textarea name="data"[^>]*>(.*?)</textarea>', shown, re.S)
    assert kept is not None and html.unescape(kept.group(1)) == text
    download = re.search(r'<a download="validation-report.json" href="data:application/json;charset=utf-8,([^"]+)"',
                         shown)
    assert download is not None
    assert json.loads(unquote(html.unescape(download.group(1))))["counts"]["violations"] == 5
    alone = httpx.post(f"{project_server.base}/validate", data={"data": text, "format": "turtle", "alone": "1"},
                       timeout=120)
    assert "checked with our ontology alone.</p>" in alone.text
    assert '<input type="checkbox" name="alone" value="1" checked>' in alone.text


@pytest.fixture(scope="module")
def two_slots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with two validation slots (six workers: a third of them)."""
    root: Path = make_fixture_project(tmp_path_factory.mktemp("two-slots"))
    with serving(root, {**LIMITS, "ATTGRAPH_WORKERS": "6"}) as running:
        yield running


def _validate_from(server: Server, address: str) -> httpx.Response:
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60) as client:
        return client.post(f"{server.base}/api/validate", content=GOOD.encode(),
                           headers={"content-type": "text/turtle", "accept": "application/json"})


def test_one_address_cannot_take_every_validation_slot(two_slots: Server) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        same = list(pool.map(lambda _: _validate_from(two_slots, "127.0.0.1"), range(2)))
    assert sorted(r.status_code for r in same) == [200, 503]
    busy = next(r for r in same if r.status_code == 503)
    assert busy.json()["error"] == {"code": "service_busy", "status": 503, "details": {"retry_after": 8, "share": 1},
                                    "message": "this address is validating already (at most 1 at once); try again "
                                               "in 8 s"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        apart = list(pool.map(lambda a: _validate_from(two_slots, a), ["127.0.0.1", "127.0.0.2"]))
    assert [r.status_code for r in apart] == [200, 200]
