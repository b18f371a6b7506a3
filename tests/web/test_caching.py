"""Answers that depend only on the data: strong ETags, 304 without evaluation, a bounded cache of whole answers,
and queries stopped at their deadline remembered (the answer cache of attgraph.web.caching)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import LIMITS, Server, make_fixture_project, serving

ENV = {**LIMITS, "ATTGRAPH_CACHE_MB": "1", "ATTGRAPH_PROCESSES": "1", "ATTGRAPH_WORKERS": "2",
       "ATTGRAPH_QUERY_TIMEOUT": "2"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HEADING = "SELECT ?h WHERE { article:9 att:heading ?h } ORDER BY ?h"
CACHE_CONTROL = "public, max-age=600, stale-while-revalidate=60"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fixture_project(tmp_path_factory.mktemp("cached"))


@pytest.fixture(scope="module")
def cached(root: Path) -> Iterator[Server]:
    with serving(root, ENV) as running:
        yield running


def cache(server: Server) -> dict[str, int]:
    found = server.health()["cache"]
    assert isinstance(found, dict)
    return found


def query(server: Server, text: str, **headers: str) -> httpx.Response:
    return httpx.get(f"{server.base}/sparql", params={"query": text}, headers=headers, timeout=30)


def test_an_answer_carries_a_strong_etag_and_may_be_kept(cached: Server) -> None:
    response = query(cached, HEADING)
    assert response.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{40}"', response.headers["etag"])
    assert (response.headers["cache-control"], response.headers["vary"]) == (CACHE_CONTROL, "Accept")


def test_if_none_match_is_answered_304_without_evaluating(cached: Server) -> None:
    first = query(cached, HEADING + " # 304")
    before = cache(cached)
    again = query(cached, HEADING + " # 304", **{"If-None-Match": first.headers["etag"]})
    after = cache(cached)
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", first.headers["etag"])
    assert again.headers["cache-control"] == CACHE_CONTROL and "content-security-policy" in again.headers
    assert after["not_modified"] == before["not_modified"] + 1 and after["misses"] == before["misses"]


def test_a_repeated_request_is_answered_from_the_cache_exactly(cached: Server) -> None:
    first = query(cached, HEADING + " # repeated")
    before = cache(cached)
    second = query(cached, HEADING + " # repeated")
    assert cache(cached)["hits"] == before["hits"] + 1
    assert (second.status_code, second.content, second.headers["etag"]) == (200, first.content, first.headers["etag"])
    assert second.headers["server-timing"] == 'cache;desc="hit"'
    assert {k: v for k, v in second.headers.items() if k not in ("server-timing", "date")} == \
        {k: v for k, v in first.headers.items() if k not in ("server-timing", "date")}


def test_another_format_is_another_answer(cached: Server) -> None:
    json_answer = query(cached, HEADING, Accept="application/sparql-results+json")
    csv_answer = query(cached, HEADING, Accept="text/csv")
    assert json_answer.headers["etag"] != csv_answer.headers["etag"]
    assert csv_answer.text.splitlines()[0] == "h"


def test_a_post_query_is_cached_but_never_answered_304(cached: Server) -> None:
    def post(**headers: str) -> httpx.Response:
        return httpx.post(f"{cached.base}/sparql", content=(HEADING + " # post").encode(), timeout=30,
                          headers={"Content-Type": "application/sparql-query", **headers})

    first = post()
    before = cache(cached)
    second = post(**{"If-None-Match": first.headers["etag"]})
    assert (second.status_code, second.content) == (200, first.content)
    assert cache(cached)["hits"] == before["hits"] + 1


def test_a_query_stopped_at_its_deadline_is_remembered(cached: Server) -> None:
    first = query(cached, SLOW)
    restarts = cached.health()["queries"]["restarts"]  # type: ignore[index]
    second = query(cached, SLOW)
    assert (first.status_code, second.status_code) == (503, 503)
    assert second.json() == first.json() == {"error": {
        "code": "query_timeout", "status": 503, "details": {"limit": 2.0},
        "message": "the query was stopped at its deadline (2 s)"}}
    assert (second.headers["cache-control"], second.headers["retry-after"]) == ("no-store", "1")
    assert cached.health()["queries"]["restarts"] == restarts  # type: ignore[index]  # no worker was killed again


def test_pages_and_resources_are_cached_too(cached: Server) -> None:
    page = httpx.get(f"{cached.base}/id/article/9", headers={"Accept": "text/turtle"})
    again = httpx.get(f"{cached.base}/id/article/9", headers={"Accept": "text/turtle",
                                                               "If-None-Match": page.headers["etag"]})
    head = httpx.head(f"{cached.base}/id/article/9", headers={"Accept": "text/turtle"})
    assert (page.status_code, again.status_code, head.status_code, head.content) == (200, 304, 200, b"")
    assert head.headers["etag"] == page.headers["etag"]
    assert "etag" not in httpx.get(f"{cached.base}/health").headers


def test_the_cache_stays_within_its_bytes(cached: Server) -> None:
    sizes = []
    for number in range(250):  # answers of some 12 KB each: more than two MiB in all
        answer = query(cached, f"SELECT ?s ?l ({number} AS ?n) WHERE {{ ?s rdfs:label ?l }} ORDER BY ?s ?l LIMIT 300")
        sizes.append(len(answer.content))
    state = cache(cached)
    assert sum(sizes) > 2 * state["limit_bytes"] == 2 * 1024 * 1024
    assert state["bytes"] <= state["limit_bytes"] and state["entries"] < state["stored"]  # the oldest went first


def test_other_data_give_other_etags(root: Path, cached: Server, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(root, other, ignore=shutil.ignore_patterns("dist"))
    extra = other / "data" / "extra.ttl"
    extra.write_text("<https://w3id.org/attgraph/id/x> <https://w3id.org/attgraph/id/p> \"x\" .\n")
    with serving(other, ENV) as changed:
        assert query(changed, HEADING).headers["etag"] != query(cached, HEADING).headers["etag"]
