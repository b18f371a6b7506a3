"""Search and named-query forms over real HTTP (the fixture server): hits with their class and marked
snippets, pages, the pickers' completion, and IRI parameters that cannot fail silently."""

from __future__ import annotations

import httpx
import pytest

from .conftest import PUBLIC_URL, Server
from .test_pages import page

ID = "https://w3id.org/attgraph/id/"
ARTICLE_9 = [f"{ID}article/9,{ID}article/9,9"]


def get(server: Server, path: str, **params: str) -> httpx.Response:
    return httpx.get(f"{server.base}{path}", params=params, timeout=15)


def test_search_api_gives_class_labels_highlights_and_pages(server: Server) -> None:
    body = get(server, "/api/search", q="测试工作组", limit="1").json()
    assert (body["query"], body["offset"], body["limit"]) == ("测试工作组", 0, 1)
    hit = body["hits"][0]
    assert {k: hit[k] for k in ("resource", "page", "label", "labelZh", "type", "typeLabel", "typeLabelZh",
                                "snippet", "highlights")} == {
        "resource": f"{ID}body/TESTWG", "page": "/id/body/TESTWG", "label": "Test working group",
        "labelZh": "测试工作组", "type": "https://w3id.org/attgraph/ontology#WorkingGroup",
        "typeLabel": "working group", "typeLabelZh": "工作组", "snippet": "Test working group · 测试工作组",
        "highlights": [[21, 26]]}
    following = get(server, "/api/search", q="测试工作组", limit="1", offset="1").json()
    assert following["total"] == body["total"] > 1
    assert following["hits"][0]["resource"] != hit["resource"]


def test_search_page_marks_matches_and_escapes_everything(server: Server) -> None:
    text = page(server, "/search", q="alert").text
    assert ('<p class="snippet" dir="auto">&lt;/script&gt;&lt;img src=x onerror=<mark>alert</mark>(1)&gt; · '
            '&lt;script&gt;<mark>alert</mark>(&#39;en&#39;)&lt;/script&gt;</p>') in text
    assert '<span class="kind" title="https://w3id.org/attgraph/ontology#Concept">concept</span>' in text
    assert "<script>alert" not in text and "<img src=x" not in text


def test_search_page_links_to_the_next_page(server: Server) -> None:
    first = page(server, "/search", q="测试", limit="2").text
    assert '<a href="/search?q=%E6%B5%8B%E8%AF%95&amp;offset=2" rel="next">' in first
    second = page(server, "/search", q="测试", limit="2", offset="2").text
    assert '<ol class="hits" start="3">' in second
    assert '<a href="/search?q=%E6%B5%8B%E8%AF%95&amp;offset=0" rel="prev">' in second


def test_completion_is_restricted_to_the_class(server: Server) -> None:
    body = get(server, "/api/complete", q="transit", **{"class": "att:Article"}).json()
    assert [(i["value"], i["label"], i["typeLabel"]) for i in body["items"]] == [
        ("article:9", "Article 9: Transit or trans-shipment", "article")]
    assert body["classes"] == ["att:Article"]
    people = get(server, "/api/complete", q="", **{"class": "att:Person"}).json()
    assert [i["value"] for i in people["items"]] == ["person:ada-example", "person:bo-sample"]
    started = get(server, "/api/complete", q="Ad", **{"class": "att:Person"}).json()
    assert [i["value"] for i in started["items"]] == ["person:ada-example"]


@pytest.mark.parametrize(("params", "status", "code", "message"), [
    ({"q": "x", "class": "nope"}, 400, "bad_parameter", "class must be a prefixed name or a full IRI, got 'nope'"),
    ({"q": "x", "offset": "-1"}, 400, "bad_parameter", "offset must be a whole number from 0 to 1000, got '-1'"),
    ({"q": "x", "offset": "1001"}, 400, "bad_parameter",
     "offset must be a whole number from 0 to 1000, got '1001'"),
])
def test_search_requests_out_of_bounds(server: Server, params: dict[str, str], status: int, code: str,
                                       message: str) -> None:
    response = get(server, "/api/search", **params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"] == message


@pytest.mark.parametrize("given", ["article:9", f"{ID}article/9", f"<{ID}article/9>", "9",
                                   "{base}/id/article/9", f"{PUBLIC_URL}/id/article/9"])
def test_an_iri_parameter_in_any_form(server: Server, given: str) -> None:
    """A prefixed name, a full IRI, a bare key or a page of the service (as reached or as published)."""
    response = get(server, "/queries/provisions-of-article", article=given.format(base=server.base),
                   format="csv")
    assert response.status_code == 200
    assert response.text.splitlines()[1:] == ARTICLE_9


@pytest.mark.parametrize(("given", "code", "message", "details"), [
    ("article:99", "unknown_resource", "parameter 'article': article:99 names nothing in the graph",
     {"parameter": "article", "value": "article:99", "iri": f"{ID}article/99"}),
    ("99", "unknown_resource", "parameter 'article': no resource (an article) has the key '99'; give a prefixed "
     "name (body:WGETI), a full IRI or a page of this service, or pick one from the list",
     {"parameter": "article", "value": "99"}),
    ("provision:7.4", "wrong_class", "parameter 'article': provision:7.4 is a paragraph, not an article",
     {"parameter": "article", "value": "provision:7.4", "iri": f"{ID}provision/7.4", "classes": ["att:Article"]}),
    ("https://elsewhere.example/id/article/9", "unknown_resource",
     "parameter 'article': https://elsewhere.example/id/article/9 names nothing in the graph",
     {"parameter": "article", "value": "https://elsewhere.example/id/article/9",
      "iri": "https://elsewhere.example/id/article/9"}),
])
def test_an_iri_that_names_nothing_is_reported(server: Server, given: str, code: str, message: str,
                                              details: dict[str, object]) -> None:
    """Not zero rows: a 400 in the one error shape, as JSON and on the page."""
    response = get(server, "/queries/provisions-of-article", article=given, format="json")
    assert response.status_code == 400
    assert response.json() == {"error": {"code": code, "status": 400, "message": message, "details": details}}
    shown = page(server, "/queries/provisions-of-article", article=given)
    assert shown.status_code == 400
    assert f"<p><strong>400 · {code}</strong></p>" in shown.text
    assert 'aria-invalid="true"' in shown.text
    assert '<table class="result-table">' not in shown.text


def test_the_form_has_a_picker_for_the_iri_and_a_date_input(server: Server) -> None:
    text = page(server, "/queries/provisions-of-article").text
    assert '<div class="picker" data-complete="/api/complete" data-classes="att:Article">' in text
    assert ('<input id="param-article" name="article" value="article:9" type="text" autocomplete="off" '
            'spellcheck="false" role="combobox" aria-autocomplete="list" aria-expanded="false" '
            'aria-controls="param-article-options" aria-describedby="param-article-picked">') in text
    assert ('<span class="picked" id="param-article-picked">Article 9: Transit or trans-shipment · '
            '第9条：过境或转运</span>') in text
    keyed = page(server, "/queries/provisions-of-article", article="9").text
    assert 'name="article" value="article:9"' in keyed  # the key, shown as what it names
    dated = page(server, "/queries/articles-since", **{"from": "27"}).text
    assert '<input name="on" value="2014-12-24" type="date">' in dated


def test_a_date_in_the_sources_form(server: Server) -> None:
    response = get(server, "/queries/articles-since", format="csv", **{"from": "28", "on": "2014 年 12 月 24 日"})
    assert response.status_code == 200
    assert response.text.splitlines()[1:] == [f"{ID}article/28,28,2014-12-24"]


def test_the_catalogue_names_the_classes(server: Server) -> None:
    listing = httpx.get(f"{server.base}/queries", headers={"accept": "application/json"}).json()
    provisions = next(q for q in listing if q["name"] == "provisions-of-article")
    assert provisions["parameters"] == [{"name": "article", "type": "iri", "default": "article:9", "required": False,
                                         "description": "the article", "classes": ["att:Article"]}]
