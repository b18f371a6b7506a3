"""A 404 over real HTTP: a browser gets a page that says what is missing and what a search for the last words of
the path finds; an API client keeps the one JSON error shape."""

from __future__ import annotations

import re

import httpx

from .conftest import Server

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_browser_gets_a_page_with_suggestions(project_server: Server) -> None:
    answer = httpx.get(f"{project_server.base}/id/person/petrovic", headers={"accept": BROWSER}, timeout=60)
    assert (answer.status_code, answer.headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert answer.headers["vary"] == "Accept"
    page = answer.text
    assert '<h1>Not found <span lang="zh">未找到</span></h1>' in page
    assert "A search for “<bdi>petrovic</bdi>” finds:" in page
    suggestions = re.findall(r'<li>(?:<span class="kind">[^<]*</span> )?<a href="([^"]+)"', page)
    assert suggestions[0] == "/id/person/stela-petrovic"
    assert '<input type="search" name="q" value="petrovic"' in page


def test_an_unknown_route_for_a_browser_offers_a_search_too(project_server: Server) -> None:
    answer = httpx.get(f"{project_server.base}/overriding-risk", headers={"accept": BROWSER}, timeout=60)
    assert answer.status_code == 404
    assert "<p class=\"error-message\">nothing here: /overriding-risk</p>" in answer.text
    assert 'href="/id/concept/overriding-risk"' in answer.text


def test_api_clients_keep_the_json_error(project_server: Server) -> None:
    for accept in ("application/json", "*/*", "application/json, text/html", "text/turtle"):
        answer = httpx.get(f"{project_server.base}/id/person/petrovic", headers={"accept": accept}, timeout=60)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found", accept
