"""The local worker pool and the gateway in front of it, without HTTP."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from attgraph.engine.executor import LocalExecutor
from attgraph.engine.gateway import Gateway
from attgraph.engine.pool import Pool
from attgraph.engine.requests import Answer, DatasetSpec, QueryRequest
from attgraph.errors import QueryAborted, QuerySyntaxError, QueryTimeout, ServiceBusy
from attgraph.settings import PROJECT_ROOT, Settings

from ..conftest import wait_for

TREATY = "https://w3id.org/attgraph/graph/data/treaty.ttl"
EXTRA = "https://w3id.org/attgraph/graph/data/extra.ttl"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(PROJECT_ROOT / "data" / "treaty.ttl"), format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode(TREATY))
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/attgraph/id/x"), ox.NamedNode("https://w3id.org/attgraph/id/p"),
                      ox.Literal("extra"), ox.NamedNode(EXTRA)))
    return store


@pytest.fixture(scope="module")
def executor(store: ox.Store) -> Iterator[LocalExecutor]:
    running = LocalExecutor(store, workers=2, memory_mb=400)
    running.start()
    try:
        yield running
    finally:
        running.close()


def request(text: str, seconds: float = 5.0, rows: int = 100, **options: object) -> QueryRequest:
    return QueryRequest(text, time.monotonic() + seconds, rows, **options)  # type: ignore[arg-type]


def test_select_is_complete_sparql_json(executor: LocalExecutor) -> None:
    answer = executor.run(request('SELECT ?h WHERE { <https://w3id.org/attgraph/id/article/9> '
                                  '<https://w3id.org/attgraph/ontology#heading> ?h FILTER(lang(?h) = "zh") }'))
    assert answer.result.values() == [{"h": "过境或转运"}]
    assert answer.truncated is False


def test_row_cap_cuts_and_says_so(executor: LocalExecutor) -> None:
    answer = executor.run(request("SELECT ?s WHERE { ?s a <https://w3id.org/attgraph/ontology#Article> } "
                                  "ORDER BY ?s", rows=3))
    assert answer.truncated is True
    assert [row["s"] for row in answer.result.values()] == [
        f"https://w3id.org/attgraph/id/article/{n}" for n in (1, 10, 11)]
    graph = executor.run(request("CONSTRUCT WHERE { ?s a <https://w3id.org/attgraph/ontology#Article> }", rows=5))
    assert (graph.truncated, len(graph.result.triples())) == (True, 5)


def test_substitutions_and_datasets(executor: LocalExecutor) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = executor.run(request(count)).result.values()[0]["n"]
    treaty = executor.run(request(count, dataset=DatasetSpec((TREATY,), ()))).result.values()[0]["n"]
    extra = executor.run(request(count, dataset=DatasetSpec((EXTRA,), ()))).result.values()[0]["n"]
    assert (int(union), int(extra)) == (int(treaty) + 1, 1)
    named = executor.run(request("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                 dataset=DatasetSpec((), (EXTRA,))))
    assert named.result.values() == [{"g": EXTRA}]
    own = executor.run(request(f"SELECT (COUNT(*) AS ?n) FROM <{EXTRA}> WHERE {{ ?s ?p ?o }}",
                               dataset=DatasetSpec(from_query=True)))
    assert own.result.values() == [{"n": "1"}]
    bound = executor.run(request("SELECT ?x ?o WHERE { ?x ?p ?o }",
                                 substitutions={"x": ox.NamedNode("https://w3id.org/attgraph/id/x")}))
    assert bound.result.values() == [{"x": "https://w3id.org/attgraph/id/x", "o": "extra"}]


def test_a_result_too_large_to_serialize_whole_is_read_row_by_row(executor: LocalExecutor) -> None:
    """A cross product of the treaty with itself (millions of rows) outgrows the serialization budget: the
    worker evaluates again and stops after the cap."""
    answer = executor.run(request("SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }", rows=3))
    assert (answer.truncated, len(answer.result.rows())) == (True, 3)


def test_syntax_error_has_line_and_column(executor: LocalExecutor) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        executor.run(request("SELECT ?x\nWHERE { ?x ?y }"))
    assert caught.value.details["line"] == 2
    assert caught.value.message.startswith("the query does not parse at line 2, column ")


def test_deadline_kills_the_worker_and_a_new_one_takes_its_place(executor: LocalExecutor) -> None:
    wait_for(lambda: executor.status()["idle"] == 2)
    before = set(executor.pids())
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as caught:
        executor.run(request(CROSS, seconds=1.0, timeout=1.0))
    assert 1.0 <= time.monotonic() - started < 1.8
    assert caught.value.message == "the query was stopped at its deadline (1 s)"
    gone = before - set(executor.pids())
    assert len(gone) == 1
    killed = gone.pop()  # killed at once; its death is waited for by the supervisor thread, not the event loop
    wait_for(lambda: not Path(f"/proc/{killed}").exists())
    wait_for(lambda: len(executor.pids()) == 2)
    assert executor.run(request("ASK { ?s ?p ?o }")).result.boolean is True


def test_memory_limit_stops_the_query_not_the_pool(executor: LocalExecutor) -> None:
    with pytest.raises(QueryAborted) as caught:
        executor.run(request("SELECT ?a ?o ?e WHERE { ?a ?b ?o . ?c ?d ?e } ORDER BY ?o ?e", seconds=20))
    assert caught.value.message == ("the query was stopped: it needed more memory than a query may use, or it "
                                    "crashed the query engine")
    wait_for(lambda: len(executor.pids()) == 2)
    assert executor.run(request("ASK { FILTER(false) }")).result.boolean is False


def test_a_grown_worker_is_replaced_once_idle(store: ox.Store) -> None:
    """Scans make pages of the shared store a worker's own; past the limit, the idle worker is replaced by a
    fresh fork (and the pool never shrinks)."""
    pool = LocalExecutor(store, workers=1, memory_mb=400, private_mb=1)
    pool.start()
    try:
        before = pool.pids()
        assert pool.run(request("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?s ?q ?r }")).result.values()
        assert pool.pids() == before  # kept while in use
        wait_for(lambda: pool.status()["retired"] == 1 and len(pool.pids()) == 1 and pool.pids() != before)
        wait_for(lambda: not Path(f"/proc/{before[0]}").exists(), 10)  # gone and reaped (its exit takes a moment)
        assert pool.run(request("ASK { ?s ?p ?o }")).result.boolean is True
        assert pool.status()["restarts"] == 0
    finally:
        pool.close()


def test_a_second_grown_worker_is_replaced_at_once(store: ox.Store) -> None:
    """Two scans at once grow two workers; when the second comes back while the first is idle it is replaced
    right away (one grown worker is kept for the next heavy query), and the pool keeps its size."""
    pool = LocalExecutor(store, workers=3, memory_mb=400, private_mb=1)
    pool.start()
    try:
        scan = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?s ?q ?r }"

        async def two() -> list[Answer]:
            return list(await asyncio.gather(pool.evaluate(request(scan)), pool.evaluate(request(scan))))

        first, second = asyncio.run(two())
        assert first.result.values() == second.result.values()
        grown = [pid for pid, private in pool.private().items() if private > 1024 * 1024]
        assert len(grown) == 1  # not two, right after they return (not after two idle seconds)
        wait_for(lambda: len(pool.pids()) == 3)
        assert pool.status()["restarts"] == 0
    finally:
        pool.close()


def test_the_pool_keeps_one_spare_grown_worker() -> None:
    pool = Pool()
    small, big, other = (SimpleNamespace(private=size) for size in (0, 10, 20))

    def grown(worker: SimpleNamespace) -> bool:
        return bool(worker.private > 5)

    assert pool.release(small, grown) and pool.release(big, grown)  # type: ignore[arg-type]
    assert not pool.release(other, grown)  # type: ignore[arg-type]  # a grown one is idle already
    assert pool.release(other)  # type: ignore[arg-type]  # without the rule, kept
    assert len(pool) == 3


def test_workers_die_with_the_pool(store: ox.Store) -> None:
    pool = LocalExecutor(store, workers=1, memory_mb=400)
    pool.start()
    pids = pool.pids()
    pool.close()
    assert [Path(f"/proc/{pid}").exists() for pid in pids] == [False]


def test_gateway_caps_queries_in_flight(executor: LocalExecutor) -> None:
    settings = Settings(workers=1, max_pending=1, query_timeout=1.5)
    gateway = Gateway(executor, settings, [TREATY])
    outcomes: list[str] = []

    def slow() -> None:
        try:
            gateway.run_sync(CROSS)
        except (QueryTimeout, ServiceBusy) as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=slow) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    with pytest.raises(ServiceBusy) as caught:
        gateway.run_sync("ASK {}")
    assert caught.value.message == ("too many queries at once (this address may run 1 and queue 1; the service "
                                    "queues 1); try again in 1 s")
    assert caught.value.details == {"retry_after": 1, "share": 1, "limit": 1}
    for thread in threads:
        thread.join()
    assert outcomes == ["query_timeout", "query_timeout"]
    wait_for(lambda: len(executor.pids()) == 2)


def test_workers_have_no_network_where_the_kernel_allows(executor: LocalExecutor) -> None:
    """Defence in depth: SERVICE is refused before evaluation, and each worker also sits in a network namespace
    of its own, with no interface up."""
    if not executor.status()["network_isolated"]:
        pytest.skip("this kernel does not let the workers leave the network")
    own = os.readlink("/proc/self/ns/net")
    assert [os.readlink(f"/proc/{pid}/ns/net") == own for pid in executor.pids()] == [False, False]


ARTICLE_7 = "https://w3id.org/attgraph/id/article/7"
#: Single-resource lookups in the forms clients send them.
LOOKUPS = [
    (f"SELECT ?p ?o WHERE {{ <{ARTICLE_7}> ?p ?o }}", {}),
    (f"SELECT ?r ?p ?o WHERE {{ VALUES (?r) {{ (<{ARTICLE_7}>) }} ?r ?p ?o }}", {}),
    ("SELECT ?r ?p ?o WHERE { ?r ?p ?o }", {"r": ox.NamedNode(ARTICLE_7)}),
    (f'SELECT ?p WHERE {{ <{ARTICLE_7}> ?p "过境或转运"@zh }}', {}),
    ("PREFIX att: <https://w3id.org/attgraph/ontology#>\n"
     f"SELECT ?h WHERE {{ <{ARTICLE_7}> att:heading ?h }}", {}),
    (f"ASK {{ <{ARTICLE_7}> a <https://w3id.org/attgraph/ontology#Article> }}", {}),
    ("SELECT ?o WHERE { <https://w3id.org/attgraph/id/none> ?p ?o }", {}),
]


@pytest.fixture(scope="module")
def inline(store: ox.Store) -> Iterator[LocalExecutor]:
    """A pool that answers lookups in this process."""
    running = LocalExecutor(store, workers=1, memory_mb=400, lookups_mb=64)
    running.start()
    try:
        yield running
    finally:
        running.close()


@pytest.mark.parametrize(("text", "bound"), LOOKUPS)
def test_a_lookup_answered_here_is_the_workers_answer(executor: LocalExecutor, inline: LocalExecutor, text: str,
                                                      bound: dict[str, ox.NamedNode]) -> None:
    assert executor.lookups is None and inline.lookups is not None
    before = inline.lookups.answered
    here = inline.run(request(text, substitutions=bound))
    worked = executor.run(request(text, substitutions=bound))
    assert (here.result, here.truncated) == (worked.result, worked.truncated)
    assert inline.lookups.answered == before + 1


def test_a_lookup_answered_here_keeps_the_row_cap(executor: LocalExecutor, inline: LocalExecutor) -> None:
    text = "SELECT ?p ?o WHERE { <https://w3id.org/attgraph/id/treaty/ATT> ?p ?o }"
    here = inline.run(request(text, rows=3))
    assert (here.truncated, len(here.result.rows())) == (True, 3)
    assert here.result == executor.run(request(text, rows=3)).result


def test_other_queries_still_go_to_a_worker(inline: LocalExecutor) -> None:
    assert inline.lookups is not None
    before = inline.lookups.answered
    inline.run(request(f"SELECT ?p WHERE {{ <{ARTICLE_7}> ?p ?o . ?o ?q ?z }}"))
    inline.run(request(f"SELECT ?p ?o WHERE {{ <{ARTICLE_7}> ?p ?o }}", dataset=DatasetSpec((EXTRA,), ())))
    assert inline.lookups.answered == before


def test_a_bad_lookup_fails_as_in_a_worker(inline: LocalExecutor) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        inline.run(request("SELECT ?o WHERE { nope:x ?p ?o }"))
    assert caught.value.message == ("the query does not parse at line 1, column 27: the prefix nope: is not "
                                     "declared; declare it (PREFIX nope: <…>)")


def test_lookups_go_to_the_workers_once_past_their_memory(store: ox.Store) -> None:
    running = LocalExecutor(store, workers=1, memory_mb=400, lookups_mb=1)
    running.start()
    try:
        assert running.lookups is not None
        running.lookups.private = 1024 * 1024
        answer = running.run(request(f"SELECT ?p ?o WHERE {{ <{ARTICLE_7}> ?p ?o }}"))
        assert (len(answer.result.rows()), running.lookups.answered) == (12, 0)
        assert running.status()["lookups_here"] == {"answered": 0, "private_bytes": 1048576,
                                                    "limit_bytes": 1048576, "open": False}
    finally:
        running.close()
