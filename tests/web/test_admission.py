"""Admission to query workers: a client's share, the lane kept for clients who behave, turns, refusals."""

from __future__ import annotations

import asyncio
import time

import pytest

from attgraph.engine.admission import Admission, Fairness
from attgraph.errors import QueryTimeout, ServiceBusy

RULES = Fairness(slots=4, reserved=1, share=2, waiting=6, client_waiting=3, heavy_seconds=1.0, cooldown=60.0)


def later(seconds: float = 5.0) -> float:
    return time.monotonic() + seconds


def test_a_client_holds_no_more_than_its_share() -> None:
    async def scenario() -> list[str]:
        admission = Admission(RULES)
        await admission.enter("a", later())
        await admission.enter("a", later())
        third = asyncio.ensure_future(admission.enter("a", later()))
        await asyncio.sleep(0.01)
        events = [f"third waits: {not third.done()}"]
        await admission.enter("b", later())  # another client is not held back by a's queue
        events.append(f"b runs, running {admission.running}")
        admission.leave("a", 0.1, heavy=False)
        await asyncio.wait_for(third, 1)
        events.append(f"third runs once a left, running {admission.running}")
        return events

    assert asyncio.run(scenario()) == ["third waits: True", "b runs, running 3", "third runs once a left, running 3"]


def test_the_reserved_slot_is_for_trusted_clients_only() -> None:
    async def scenario() -> list[object]:
        admission = Admission(RULES)
        await admission.enter("good", later())  # a first quick query earns trust
        admission.leave("good", 0.05, heavy=False)
        for name in ("x", "y", "z"):  # new clients fill the three general slots
            await admission.enter(name, later())
        newcomer = asyncio.ensure_future(admission.enter("new", later()))
        await asyncio.sleep(0.01)
        seen: list[object] = [newcomer.done(), admission.trusted("good"), admission.trusted("x")]
        await asyncio.wait_for(admission.enter("good", later()), 1)  # the reserved slot
        seen.append(admission.running)
        newcomer.cancel()
        return seen

    assert asyncio.run(scenario()) == [False, True, False, 4]


def test_a_heavy_query_costs_the_client_its_trust_for_the_cooldown() -> None:
    admission = Admission(RULES)

    async def run(name: str, seconds: float, heavy: bool = False) -> None:
        await admission.enter(name, later())
        admission.leave(name, seconds, heavy=heavy)

    asyncio.run(run("c", 0.05))
    assert admission.trusted("c") is True
    asyncio.run(run("c", 2.5))
    assert admission.trusted("c") is False
    asyncio.run(run("d", 0.05))
    asyncio.run(run("d", 0.05, heavy=True))
    assert admission.trusted("d") is False
    assert admission.trusted("d", time.monotonic() + 61) is True


def test_waiting_queries_are_let_in_client_by_client_in_turn() -> None:
    async def scenario() -> list[str]:
        admission = Admission(Fairness(slots=1, reserved=0, share=1, waiting=10, client_waiting=5))
        await admission.enter("busy", later())
        order: list[str] = []

        async def wait(name: str) -> None:
            await admission.enter(name, later())
            order.append(name)

        tasks = [asyncio.ensure_future(wait(n)) for n in ("a", "a", "a", "b", "c")]
        await asyncio.sleep(0.01)
        for _ in range(5):
            holder = "busy" if not order else order[-1]
            admission.leave(holder, 0.01, heavy=False)
            await asyncio.sleep(0.01)
        await asyncio.gather(*tasks)
        return order

    assert asyncio.run(scenario()) == ["a", "b", "c", "a", "a"]


def test_queues_are_bounded_per_client_and_in_all() -> None:
    async def scenario() -> list[str]:
        admission = Admission(Fairness(slots=1, reserved=0, share=1, waiting=3, client_waiting=2))
        await admission.enter("a", later())
        waiting = [asyncio.ensure_future(admission.enter(n, later())) for n in ("a", "a", "b")]
        await asyncio.sleep(0.01)
        refusals = []
        for name in ("a", "c"):
            with pytest.raises(ServiceBusy) as caught:
                await admission.enter(name, later())
            refusals.append(f"{name}: {caught.value.details}")
        for task in waiting:
            task.cancel()
        return refusals

    assert asyncio.run(scenario()) == ["a: {'retry_after': 1, 'share': 1, 'limit': 3}",
                                       "c: {'retry_after': 1, 'share': 1, 'limit': 3}"]


def test_a_wait_past_the_deadline_is_a_timeout_and_frees_nothing_it_did_not_take() -> None:
    async def scenario() -> tuple[str, int, int]:
        admission = Admission(Fairness(slots=1, reserved=0, share=1, waiting=3, client_waiting=2))
        await admission.enter("a", later())
        with pytest.raises(QueryTimeout) as caught:
            await admission.enter("b", later(0.05))
        return caught.value.code, admission.running, admission.waiting

    assert asyncio.run(scenario()) == ("query_timeout", 1, 0)
