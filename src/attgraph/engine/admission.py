"""Who gets a query worker next: fairness between clients, and room kept for those who behave.

A service process has as many *slots* as query workers. Without rules, a few clients looping queries that run
to their deadline hold every slot, and everyone else waits for the deadline. So, in each service process:

* one client (an address) holds at most ``share`` slots at once, and has at most ``client_waiting`` queries
  waiting; beyond that, and beyond ``waiting`` queries waiting in all, a query is refused at once
  (``service_busy``, 503 with ``Retry-After``);
* ``reserved`` slots are kept for *trusted* clients: those whose queries have finished quickly and none of
  whose queries has been heavy (ran past ``heavy_seconds``, hit its deadline or its memory cap) for
  ``cooldown`` seconds. New and heavy clients share the other slots;
* waiting queries are let in client by client in turn (round robin), not first come first served, so a
  client with many queries waiting does not push everyone else back.

Single-resource lookups, answered in the service process (:mod:`attgraph.engine.lookups`), take no slot. What a
client is, and the figures these defaults gave under attack, are in ``docs/service.md``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import OrderedDict, deque
from contextvars import ContextVar
from dataclasses import dataclass, field

from attgraph.errors import QueryTimeout, ServiceBusy

__all__ = ["CLIENT", "Admission", "Fairness"]

#: The client (its address) on whose behalf the current task runs queries; the web layer sets it per request.
CLIENT: ContextVar[str] = ContextVar("attgraph_client", default="")

#: How many clients' histories are kept (the least recently seen are forgotten first).
_HISTORY = 4096


@dataclass(frozen=True)
class Fairness:
    """The rules of :class:`Admission` (see the module docstring)."""

    slots: int
    reserved: int
    share: int
    waiting: int
    client_waiting: int
    heavy_seconds: float = 1.0
    cooldown: float = 60.0


@dataclass(eq=False)
class _Waiter:
    """A waiting query: its event loop, the future that admits it, its deadline (monotonic), whether it has
    been given a slot (set under the lock, before the future learns it)."""

    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None]
    deadline: float
    admitted: bool = False


@dataclass
class _Client:
    running: int = 0
    waiting: deque[_Waiter] = field(default_factory=deque)
    light: int = 0
    heavy_at: float = float("-inf")


class Admission:
    """Admits queries to slots by the :class:`Fairness` rules; safe across threads and event loops."""

    def __init__(self, rules: Fairness) -> None:
        self.rules = rules
        self.running = 0
        self.refused = 0
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._turns: deque[str] = deque()  # clients with queries waiting, in turn
        self._lock = threading.Lock()

    def _client(self, name: str) -> _Client:
        found = self._clients.get(name)
        if found is None:
            found = self._clients[name] = _Client()
            while len(self._clients) > _HISTORY:
                oldest, state = next(iter(self._clients.items()))
                if state.running or state.waiting:
                    self._clients.move_to_end(oldest)
                    break
                del self._clients[oldest]
        else:
            self._clients.move_to_end(name)
        return found

    def trusted(self, name: str, now: float | None = None) -> bool:
        """Whether ``name`` may use the reserved slots: quick queries, none heavy for the cooldown."""
        state = self._clients.get(name)
        now = time.monotonic() if now is None else now
        return state is not None and state.light > 0 and now - state.heavy_at > self.rules.cooldown

    def _may_run(self, name: str, state: _Client, now: float) -> bool:
        if state.running >= self.rules.share:
            return False
        general = self.rules.slots - self.rules.reserved
        return self.running < general or (self.running < self.rules.slots and self.trusted(name, now))

    @property
    def waiting(self) -> int:
        """Queries waiting in all."""
        return sum(len(state.waiting) for state in self._clients.values())

    async def enter(self, name: str, deadline: float) -> None:
        """Wait for a slot for client ``name`` until ``deadline`` (monotonic); raise :class:`ServiceBusy` when
        the client or the process may not queue more, :class:`QueryTimeout` when the deadline passes first."""
        now = time.monotonic()
        with self._lock:
            state = self._client(name)
            if not state.waiting and self._may_run(name, state, now):
                state.running += 1
                self.running += 1
                return
            if self.waiting >= self.rules.waiting or len(state.waiting) >= self.rules.client_waiting:
                self.refused += 1
                raise ServiceBusy(
                    f"too many queries at once (this address may run {self.rules.share} and queue "
                    f"{self.rules.client_waiting}; the service queues {self.rules.waiting}); try again in 1 s",
                    {"retry_after": 1, "share": self.rules.share, "limit": self.rules.waiting})
            loop = asyncio.get_running_loop()
            future: asyncio.Future[None] = loop.create_future()
            entry = _Waiter(loop, future, deadline)
            state.waiting.append(entry)
            if name not in self._turns:
                self._turns.append(name)
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout=max(0.0, deadline - time.monotonic()))
        except BaseException as error:
            with self._lock:
                if entry in state.waiting:
                    state.waiting.remove(entry)
                admitted = entry.admitted
            if admitted:  # let in just as the wait ended: give the slot back
                self.leave(name, 0.0, heavy=False, counted=False)
            if isinstance(error, TimeoutError):
                raise QueryTimeout("the query did not start before its deadline: this address's share of the "
                                   "query workers, or all of them, stayed busy",
                                   {"waited": round(time.monotonic() - now, 3)}) from None
            raise

    def leave(self, name: str, seconds: float, *, heavy: bool, counted: bool = True) -> None:
        """Give back the slot of client ``name``, whose query took ``seconds`` (``heavy``: it hit its deadline
        or memory cap), and let the next waiting queries in."""
        now = time.monotonic()
        with self._lock:
            state = self._client(name)
            state.running -= 1
            self.running -= 1
            if counted:
                if heavy or seconds > self.rules.heavy_seconds:
                    state.heavy_at = now
                else:
                    state.light += 1
            admitted = self._dispatch(now)
        for waiter in admitted:
            with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits there any more
                waiter.loop.call_soon_threadsafe(_wake, waiter.future)

    def _dispatch(self, now: float) -> list[_Waiter]:
        """Let waiting queries in, one per client in turn, pass after pass while the rules let anyone in; the
        futures to wake. A query whose deadline has passed is not let in (its own wait ends with a timeout)."""
        admitted: list[_Waiter] = []
        progress = True
        while progress and self._turns:
            progress = False
            for _ in range(len(self._turns)):
                if self.running >= self.rules.slots:  # nobody can run: keep the turns where they are
                    return admitted
                name = self._turns.popleft()
                state = self._clients.get(name)
                if state is None:
                    continue
                while state.waiting and state.waiting[0].deadline <= now:
                    state.waiting.popleft()  # expired: its waiter is told by its own timeout
                if not state.waiting:
                    continue
                if self._may_run(name, state, now):
                    waiter = state.waiting.popleft()
                    waiter.admitted = True
                    admitted.append(waiter)
                    state.running += 1
                    self.running += 1
                    progress = True
                if state.waiting:
                    self._turns.append(name)
        return admitted

    def status(self) -> dict[str, object]:
        """Slots in use, queries waiting, clients known and trusted now, refusals since start."""
        with self._lock:
            now = time.monotonic()
            return {"slots": self.rules.slots, "reserved": self.rules.reserved, "share": self.rules.share,
                    "running": self.running, "waiting": self.waiting, "refused": self.refused,
                    "clients": len(self._clients),
                    "trusted": sum(1 for name in self._clients if self.trusted(name, now))}


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
