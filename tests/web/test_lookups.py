"""Single-resource lookups answered by the service process itself (:mod:`attgraph.web.lookups`), over real
HTTP: the same responses as a service that sends every query to a worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import LIMITS, Server, serving

ARTICLE_9 = "<https://w3id.org/attgraph/id/article/9>"
LOOKUP = f"SELECT ?p ?o WHERE {{ {ARTICLE_9} ?p ?o }}"
#: Requests to ``/sparql``: the query and any other parameter, and the ``Accept`` header.
REQUESTS = {
    "lookup": ({"query": LOOKUP}, None),
    "lookup as XML": ({"query": LOOKUP}, "application/sparql-results+xml"),
    "lookup as CSV": ({"query": LOOKUP}, "text/csv"),
    "lookup as TSV by format=": ({"query": LOOKUP, "format": "tsv"}, None),
    "lookup with VALUES": ({"query": f"SELECT ?r ?p ?o WHERE {{ VALUES (?r) {{ ({ARTICLE_9}) }} ?r ?p ?o }}"}, None),
    "lookup with a service prefix": ({"query": "SELECT ?h WHERE { article:9 att:heading ?h }"}, None),
    "lookup cut by the row cap": ({"query": "SELECT * WHERE { <https://w3id.org/attgraph/id/treaty/ATT> ?p ?o }"},
                                  None),
    "ASK": ({"query": f"ASK {{ {ARTICLE_9} a att:Article }}"}, None),
    "unknown prefix": ({"query": "SELECT ?o WHERE { nope:x ?p ?o }"}, None),
    "no acceptable format": ({"query": LOOKUP}, "text/turtle"),
    "unknown format=": ({"query": LOOKUP, "format": "yaml"}, None),
    "a graph we do not hold": ({"query": LOOKUP, "default-graph-uri": "https://x/g"}, None),
}
#: Headers that differ from one response to the next whatever answers.
_VARYING = {"date", "server-timing"}
#: The fixture limits, with a row cap the treaty's own resource (47 statements) goes over.
_LIMITS = {**LIMITS, "ATTGRAPH_MAX_ROWS": "20"}


@pytest.fixture(scope="module")
def server(fixture_root: Path) -> Iterator[Server]:
    """The fixture service (lookups answered in the service process, as by default)."""
    with serving(fixture_root, _LIMITS) as running:
        yield running


@pytest.fixture(scope="module")
def workers_only(fixture_root: Path) -> Iterator[Server]:
    """The fixture service with every query sent to a worker."""
    with serving(fixture_root, {**_LIMITS, "ATTGRAPH_LOOKUPS_MB": "0"}) as running:
        yield running


def _get(server: Server, params: dict[str, str], accept: str | None) -> httpx.Response:
    headers = {"accept": accept} if accept else {}
    return httpx.get(f"{server.base}/sparql", params=params, headers=headers, timeout=10)


def _answered_here(server: Server) -> int:
    queries = server.health()["queries"]
    assert isinstance(queries, dict)
    return int(queries["lookups_here"]["answered"])


@pytest.mark.parametrize("name", list(REQUESTS))
def test_the_same_response_as_from_a_worker(server: Server, workers_only: Server, name: str) -> None:
    params, accept = REQUESTS[name]
    here, worked = _get(server, params, accept), _get(workers_only, params, accept)
    assert (here.status_code, here.content) == (worked.status_code, worked.content)
    assert [(k, v) for k, v in here.headers.multi_items() if k not in _VARYING] == \
        [(k, v) for k, v in worked.headers.multi_items() if k not in _VARYING]


def test_lookups_are_answered_here_and_nothing_else(server: Server, workers_only: Server) -> None:
    before = _answered_here(server)
    for params, accept in REQUESTS.values():
        _get(server, params, accept)
    httpx.get(f"{server.base}/sparql", params={"query": f"SELECT * WHERE {{ {ARTICLE_9} ?p ?o . ?o ?q ?z }}"})
    # six lookups, the one cut by the cap and the ASK; the lookup with an unknown prefix twice: its error sends
    # the lane back to the endpoint, which evaluates it here again to report the error
    assert _answered_here(server) - before == 10
    assert "lookups_here" not in workers_only.health()["queries"]  # type: ignore[operator]


def test_a_lookup_cut_by_the_row_cap_says_so(server: Server) -> None:
    params, accept = REQUESTS["lookup cut by the row cap"]
    response = _get(server, params, accept)
    rows = response.json()["results"]["bindings"]
    assert (response.headers["x-result-truncated"], response.headers["x-max-rows"], len(rows)) == \
        ("true", "20", 20)
