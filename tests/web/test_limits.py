"""Deadlines and concurrency over real HTTP: a slow query is stopped (its worker killed and replaced), never
blocks the others, and beyond the cap the service says when to come back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from ..conftest import wait_for
from .conftest import LIMITS, Server, make_fixture_project, serving

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FAST = "SELECT ?zh WHERE { article:9 att:heading ?zh FILTER(lang(?zh) = 'zh') }"


def settle(server: Server, seconds: float = 10.0) -> None:
    """Wait until every worker is back and nothing is in flight."""
    deadline = time.monotonic() + seconds
    while True:
        queries = server.health()["queries"]
        assert isinstance(queries, dict)
        if queries["alive"] == queries["workers"] == queries["idle"] and queries["in_flight"] == 0:
            return
        assert time.monotonic() < deadline, f"workers did not settle: {queries}"
        time.sleep(0.05)


def slow(server: Server) -> httpx.Response:
    return httpx.get(f"{server.base}/sparql", params={"query": SLOW}, timeout=30)


def test_deadline_stops_the_query_and_kills_its_worker(server: Server) -> None:
    settle(server)
    before = server.workers()
    started = time.monotonic()
    response = slow(server)
    elapsed = time.monotonic() - started
    assert (response.status_code, response.headers["retry-after"]) == (503, "1")
    assert response.json() == {"error": {"code": "query_timeout", "status": 503, "details": {"limit": 2.0},
                                         "message": "the query was stopped at its deadline (2 s)"}}
    assert 2.0 <= elapsed < 3.5
    # the killed worker leaves the tree and is reaped; its exit may take a moment after the 503 is sent
    wait_for(lambda: len(before - server.workers()) == 1, 10)
    (killed,) = before - server.workers()
    wait_for(lambda: not Path(f"/proc/{killed}").exists(), 10)
    settle(server)
    assert server.answers()
    assert len(server.workers()) == 2


def test_named_query_has_the_same_deadline(server: Server) -> None:
    settle(server)
    response = httpx.get(f"{server.base}/queries/slow", params={"format": "csv"}, timeout=30)
    assert (response.status_code, response.json()["error"]["code"]) == (503, "query_timeout")
    settle(server)


def test_a_slow_query_does_not_block_a_fast_one(server: Server) -> None:
    """Another client, whose queries have been quick, gets the worker kept for such clients."""
    settle(server)
    other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10)
    assert other.get(f"{server.base}/sparql", params={"query": FAST}).status_code == 200
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(slow, server)
        time.sleep(0.3)
        started = time.monotonic()
        fast = other.get(f"{server.base}/sparql", params={"query": FAST})
        assert time.monotonic() - started < 1.0
        assert fast.json()["results"]["bindings"][0]["zh"]["value"] == "过境或转运"
        assert pending.result().status_code == 503
    settle(server)


def test_beyond_the_cap_the_service_says_when_to_come_back(server: Server) -> None:
    settle(server)
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: slow(server), range(6)))
    codes = sorted(r.json()["error"]["code"] for r in responses)
    # One address whose queries ran to their deadline before: it may use the one worker not kept for quick
    # clients, so one runs, one waits (its place in the queue), four are refused at once.
    assert codes == ["query_timeout"] * 2 + ["service_busy"] * 4
    busy = [r for r in responses if r.json()["error"]["code"] == "service_busy"]
    assert [(r.status_code, r.headers["retry-after"]) for r in busy] == [(503, "1")] * 4
    assert busy[0].json()["error"]["message"] == ("too many queries at once (this address may run 2 and queue 1; "
                                                  "the service queues 2); try again in 1 s")
    stopped = "the query was stopped at its deadline (2 s)"
    waited = ("the query did not start before its deadline: this address's share of the query workers, or all "
              "of them, stayed busy")
    messages = [r.json()["error"]["message"] for r in responses if r.json()["error"]["code"] == "query_timeout"]
    # The one that waited got the worker back a moment before its own deadline, or never did.
    assert len(messages) == 2 and stopped in messages and set(messages) <= {stopped, waited}
    settle(server)
    assert server.answers()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that has answered nothing yet, with room for many queries at once."""
    root = make_fixture_project(tmp_path_factory.mktemp("fresh"))
    with serving(root, {**LIMITS, "ATTGRAPH_MAX_PENDING": "40", "ATTGRAPH_QUERY_TIMEOUT": "20"}) as running:
        yield running


def test_many_concurrent_first_queries_all_succeed(fresh: Server) -> None:
    """rdflib's SPARQL parser breaks for good when several threads parse their first queries at once; the
    service never parses with rdflib on the request path, so thirty first queries at once all succeed."""
    queries = [f"SELECT ?n WHERE {{ article:{n} att:number ?n }}" for n in range(1, 29)] + [
        "ASK { FILTER(false) }", "CONSTRUCT WHERE { article:9 att:key ?k }"]
    with ThreadPoolExecutor(max_workers=30) as pool:
        responses = list(pool.map(lambda q: httpx.get(f"{fresh.base}/sparql", params={"query": q}, timeout=30),
                                  queries))
    assert [r.status_code for r in responses] == [200] * 30
    assert [r.json()["results"]["bindings"][0]["n"]["value"] for r in responses[:28]] == [
        str(n) for n in range(1, 29)]
    assert responses[28].json()["boolean"] is False
    assert 'article:9 att:key "9" .' in responses[29].text
