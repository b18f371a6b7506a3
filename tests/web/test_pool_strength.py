"""The worker pool returns to strength whatever happens to its workers, and says so truthfully.

A stateful test (Hypothesis) drives random sequences of what can befall a pool: a query that runs to its
deadline, one that crashes its worker, one abandoned by its client, a worker killed from outside while idle, an
exception inside the pool's own bookkeeping, and ordinary queries in between. After every step the invariant
is checked: within seconds as many workers are alive as the pool's size, no worker process is left over,
``status()`` counts exactly the live workers, and an ordinary query is answered. The pool runs with its
descriptors numbered past 1024 (``select()`` cannot watch those).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from attgraph.engine.executor import LocalExecutor
from attgraph.engine.requests import QueryRequest
from attgraph.errors import QueryAborted, QueryTimeout
from attgraph.settings import PROJECT_ROOT

from ..conftest import descendants, wait_for

SIZE = 3
CRASH = "SELECT (" + "+".join(["1"] * 10_000) + " AS ?x) {}"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def high_descriptors() -> Iterator[None]:
    """Hold enough descriptors that every one the pool opens from now on is numbered past 1024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2048:
        pytest.skip("the descriptor limit is too low to number descriptors past 1024")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2048), hard))
    held = [os.open("/dev/null", os.O_RDONLY) for _ in range(1030)]
    try:
        assert max(held) > 1024
        yield
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.fixture(scope="module")
def pool(high_descriptors: None) -> Iterator[LocalExecutor]:
    store = ox.Store()
    store.bulk_load(path=str(PROJECT_ROOT / "data" / "treaty.ttl"), format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode("https://w3id.org/attgraph/graph/data/treaty.ttl"))
    running = LocalExecutor(store, workers=SIZE, memory_mb=1024)
    running.start()
    try:
        yield running
    finally:
        running.close()


def _request(text: str, seconds: float = 5.0) -> QueryRequest:
    return QueryRequest(text, time.monotonic() + seconds, 100, timeout=seconds)


def _at_strength(pool: LocalExecutor) -> bool:
    status = pool.status()
    workers = {pid for pid, name in descendants(pool._forks.pid).items()  # type: ignore[union-attr]
               if name == "attgraph-query"}
    return status["alive"] == SIZE and set(pool.pids()) == workers and status["idle"] == SIZE


def _exited(pid: int) -> bool:
    """Whether process ``pid`` has exited (gone, or a zombie waiting for its parent)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return True


class PoolUnderFire(RuleBasedStateMachine):
    """What can happen to a pool, in any order."""

    executor: LocalExecutor

    @rule()
    def a_query_runs_to_its_deadline(self) -> None:
        with pytest.raises(QueryTimeout):
            self.executor.run(_request(CROSS, seconds=0.3))

    @rule()
    def a_query_crashes_its_worker(self) -> None:
        with pytest.raises(QueryAborted):
            self.executor.run(_request(CRASH))

    @rule()
    def a_client_goes_away_mid_query(self) -> None:
        async def abandon() -> None:
            task = asyncio.ensure_future(self.executor.evaluate(_request(CROSS, seconds=10)))
            await asyncio.sleep(0.2)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        asyncio.run(abandon())

    @rule(count=st.integers(min_value=1, max_value=SIZE))
    def idle_workers_are_killed_from_outside(self, count: int) -> None:
        killed = self.executor.pids()[:count]
        for pid in killed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        # Until a killed process has exited it is indistinguishable from a live one; once it has, the pool
        # must never give it a query (the kill and the next query racing is not what is tested here).
        wait_for(lambda: all(_exited(pid) for pid in killed), seconds=5)

    @rule()
    def the_bookkeeping_fails_once(self) -> None:
        original = self.executor._retire_grown
        calls = []

        def broken() -> None:
            if not calls:
                calls.append(1)
                raise RuntimeError("injected")
            original()

        self.executor._retire_grown = broken  # type: ignore[method-assign]
        wait_for(lambda: bool(calls), seconds=5)
        self.executor._retire_grown = original  # type: ignore[method-assign]

    @rule(text=st.sampled_from(["ASK {}", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "SELECT ?x {"]))
    def an_ordinary_query(self, text: str) -> None:
        with contextlib.suppress(Exception):
            self.executor.run(_request(text))

    @invariant()
    def back_to_strength_and_answering(self) -> None:
        wait_for(lambda: _at_strength(self.executor), seconds=10)
        assert self.executor.run(_request("ASK {}")).result.boolean is True


def test_the_pool_returns_to_strength_after_any_sequence_of_failures(pool: LocalExecutor) -> None:
    class Machine(PoolUnderFire):
        executor = pool

    runner = Machine.TestCase
    runner.settings = settings(max_examples=12, stateful_step_count=6, deadline=None,
                               suppress_health_check=list(HealthCheck))
    runner().runTest()
    status = pool.status()
    assert status["restarts"] > 0 and status["last_failure"] is not None
    assert status["alive"] == SIZE
