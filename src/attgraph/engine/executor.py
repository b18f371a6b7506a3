"""The local worker pool: where queries are evaluated when the service holds its own store (the
:class:`~attgraph.engine.requests.Executor` interface is in :mod:`attgraph.engine.requests`).

:class:`LocalExecutor` runs queries in worker processes (:mod:`attgraph.engine.worker`), because an engine cannot
be interrupted from a thread: at the deadline the worker is killed and a fresh one takes its place. Workers
are forked by a fork server (:mod:`attgraph.engine.forkserver`) from the process that loaded the store, so they
share its memory. The event loop talks to them directly over Unix sockets: no thread sits between a request
and its worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from attgraph.errors import QueryAborted, QueryError, QueryTimeout
from attgraph.knowledge.namespaces import PREFIXES
from attgraph.knowledge.results import QueryResult

from .forkserver import ForkClient, ForkServer, Spawned
from .lookups import Lookups, lookup_end
from .pool import Pool, Worker, ready, receive
from .requests import UNION, Answer, QueryRequest, syntax_error
from .worker import pack_frame

__all__ = ["LocalExecutor"]

_START_TIMEOUT = 60.0
#: A query running longer than this (seconds) is heavy: its worker yields the CPU to the others.
_HEAVY_SECONDS = 1.0
_HEAVY_NICE = 10
#: How often the supervisor thread checks the pool's strength (seconds), and how long it waits after a failed
#: fork before trying again.
_TICK = 0.5
_BACKOFF = 0.5
#: A worker that has made more than its share of memory its own is replaced once idle this long (seconds).
_IDLE_SECONDS = 2.0


def _term_json(term: ox.NamedNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}



class LocalExecutor:
    """A pool of query workers over ``store``.

    ``forks`` is the fork server to ask for workers; without one, :meth:`start` forks one from this process
    (``attgraph serve`` starts it before any thread, and shares it between its service processes). With
    ``source`` naming an on-disk store folder, workers open that (read-only) instead of sharing ``store``.
    Replacement workers are requested from one supervisor thread, so the event loop never waits for a fork.

    A worker shares the store's pages until its queries write to them (see :func:`attgraph.engine.worker.serve`):
    a worker busy with scans soon holds its own copy of much of the store, and scans run faster on it than on
    a fresh fork, which pays for every first write. So one worker that has made more than ``private_mb`` MiB
    its own ("grown") is kept for the next heavy query; a second grown worker coming back while one is idle
    is replaced by a fresh fork at once (unless a query is waiting for it), and the one kept is replaced once
    it has been idle for ``_IDLE_SECONDS``: under load, memory stays within one grown worker per pool plus
    those busy; when the load goes, it returns to the shared minimum.

    With ``lookups_mb`` above 0 and the store in memory, single-resource lookups are answered in this process
    instead (their cost is bounded by their shape, see :mod:`attgraph.engine.lookups`) until they have made
    ``lookups_mb`` MiB of the store's pages this process's own.
    """

    def __init__(self, store: ox.Store | None, *, workers: int, memory_mb: int, source: Path | None = None,
                 forks: ForkServer | None = None, private_mb: int = 0, lookups_mb: int = 0) -> None:
        self._store = store
        self._disk = source if source is not None and source.is_dir() else None
        self._size = max(1, workers)
        self._memory_mb = memory_mb
        self._private_limit = private_mb * 1024 * 1024
        self._lookups = Lookups(store, lookups_mb) if store is not None and self._disk is None \
            and lookups_mb > 0 else None
        self._forks = forks
        self._own_forks = False
        self._client: ForkClient | None = None
        self._pool = Pool()
        self._spawns: queue.Queue[int | None] = queue.Queue()
        self._all: dict[int, Worker] = {}
        self._dying: list[Spawned] = []
        #: When (monotonic) and why the pool last lost a worker or failed to fork one.
        self.last_failure: tuple[float, str] | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.restarts = 0
        self.retired = 0
        self.isolated = True

    def start(self) -> None:
        """Connect to the fork server (forking one if none was given), ask for the workers and wait until
        every one is ready."""
        if self._forks is None:
            self._forks = ForkServer(None if self._disk else self._store, disk=self._disk,
                                     memory_mb=self._memory_mb)
            self._forks.start()
            self._own_forks = True
        self._client = self._forks.connect()
        self._thread = threading.Thread(target=self._supervise, name="attgraph-workers", daemon=True)
        self._thread.start()
        self._wake()
        deadline = time.monotonic() + _START_TIMEOUT
        while len(self._pool) < self._size:
            if time.monotonic() > deadline:
                raise QueryError("the query workers did not start", code="workers_down", status=503)
            time.sleep(0.002)

    def _supervise(self) -> None:
        """The supervisor thread: keeps the pool at its size until closed.

        Every tick (and every time it is woken) it waits for killed workers to be gone, lets go of grown idle
        workers and of idle workers whose process has died, then forks workers until as many are alive as the
        pool's size. Strength is restored from the count, not from a request per lost worker, so no failure
        anywhere (a crash, a kill at the deadline, the memory cap, an error in this bookkeeping) can leave the
        pool short for longer than a tick."""
        while True:
            try:
                try:
                    wake = self._spawns.get(timeout=_TICK)
                except queue.Empty:
                    wake = 0
                if wake is None or self._closed:
                    return
                self._bury()
                self._retire_grown()
                self._drop_dead_idle()
                self._refill()
            except Exception as error:  # keep supervising whatever went wrong, and say what it was
                self._failed(f"the worker supervisor: {type(error).__name__}: {error}")
                time.sleep(_TICK)

    def _refill(self) -> None:
        """Fork workers until as many are alive as the pool's size (or one fails: the next tick tries again)."""
        assert self._client is not None
        while not self._closed:
            with self._lock:
                if len(self._all) >= self._size:
                    return
            try:
                spawned = self._client.spawn()
            except (OSError, QueryError) as error:
                self._failed(f"the fork server did not fork a worker: {error}")
                time.sleep(_BACKOFF)
                return
            try:
                isolated = ready(spawned, _START_TIMEOUT)
            except (OSError, EOFError, ValueError) as error:
                spawned.kill()
                self._failed(f"a new worker did not start: {type(error).__name__}")
                time.sleep(_BACKOFF)
                return
            worker = Worker(spawned, isolated)
            with self._lock:
                if self._closed:
                    spawned.kill()
                    return
                self.isolated = self.isolated and isolated
                self._all[worker.pid] = worker
            self._pool.release(worker)

    def _bury(self, wait: float = 0.0) -> None:
        """Close what is left of the killed workers that are gone; those still dying (a process at a low CPU
        priority can take a while to exit under load) are looked at again next tick, so no refill waits for them.
        With ``wait``, wait that long for each (on closing)."""
        with self._lock:
            dying, self._dying = self._dying, []
        still = []
        for spawned in dying:
            if spawned.gone(wait):
                spawned.close()
            else:
                still.append(spawned)
        with self._lock:
            self._dying.extend(still)

    def _drop_dead_idle(self) -> None:
        """Forget the idle workers whose process has died (killed from outside, say): they would fail the next
        query given to them."""
        for worker in self._pool.take(lambda w: w.spawned.gone(0)):
            worker.spawned.close()
            with self._lock:
                self._all.pop(worker.pid, None)
                self.restarts += 1
            self._failed("a query worker died while idle")

    def _failed(self, reason: str) -> None:
        """Remember the last failure, for ``/health``."""
        with self._lock:
            self.last_failure = (time.monotonic(), reason)

    def _retire_grown(self) -> None:
        """Let go of the idle workers that have made more memory their own than allowed and have been idle
        for ``_IDLE_SECONDS`` (closing its socket ends a worker)."""
        if self._private_limit <= 0 or self._closed:
            return
        now = time.monotonic()
        grown = self._pool.take(lambda w: self._grown(w) and now - w.idle_since > _IDLE_SECONDS)
        for worker in grown:
            self._let_go(worker)

    def _let_go(self, worker: Worker) -> None:
        """End an idle worker (closing its socket ends it) and count it as retired."""
        try:
            worker.spawned.close()
        finally:
            with self._lock:
                self._all.pop(worker.pid, None)
                self.retired += 1
            self._wake()

    def _grown(self, worker: Worker) -> bool:
        """Whether ``worker`` has made more memory its own than ``private_mb`` allows."""
        return 0 < self._private_limit < worker.private

    def _replace(self, worker: Worker, reason: str) -> None:
        """Kill ``worker`` and have a fresh one forked. Called on the event loop, so it does not wait: the
        supervisor thread waits for the process to be gone (:meth:`_bury`). The bookkeeping is done whatever
        the kill does."""
        try:
            worker.spawned.signal_kill()
        finally:
            with self._lock:
                self._all.pop(worker.pid, None)
                self._dying.append(worker.spawned)
                self.restarts += 1
                self.last_failure = (time.monotonic(), reason)
            self._wake()

    def _yield_cpu(self, worker: Worker) -> None:
        """A query that has run past ``_HEAVY_SECONDS`` is heavy: its worker gets a low CPU priority (nice 10:
        about a tenth of the processor time of a worker at 0 when both want it), so that quick queries on the
        other workers keep their share of the processors. (Not 19: a killed process exits at its own priority,
        and at 19 under load that took seconds.) Raising the priority
        again would need a privilege, so the worker is let go when its query is done."""
        if worker.spawned.gone(0):
            return
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, worker.pid, _HEAVY_NICE)
            worker.niced = True

    def _wake(self) -> None:
        if not self._closed:
            self._spawns.put(1)

    async def evaluate(self, request: QueryRequest) -> Answer:
        """Evaluate ``request`` on a free worker; kill the worker at the deadline.

        One timer per query covers both the wait for a worker and the evaluation: at the deadline it cancels
        this task (cheaper than a timeout context per step, which showed in profiles)."""
        if self._lookups is not None:
            here = self.here(request)
            if here is not None:
                return here
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            task.cancel()

        if request.deadline <= started:  # its time went waiting for admission: no worker is spent on it
            raise QueryTimeout("the query did not start before its deadline: every worker stayed busy",
                               {"waited": 0.0})
        timer = loop.call_later(request.deadline - started, expire)
        worker: Worker | None = None
        sent = False
        demote: asyncio.TimerHandle | None = None
        try:
            frame = pack_frame(self._header(request))
            while True:  # a worker that died while idle never saw the query: try the next one
                worker = await self._pool.acquire()
                if not worker.spawned.gone(0):
                    try:
                        sent = True  # from here on the worker may have read some of the query
                        await loop.sock_sendall(worker.sock, frame)
                        break
                    except OSError:
                        sent = False
                self._replace(worker, "a query worker had died while idle")
                worker = None
            demote = loop.call_later(_HEAVY_SECONDS, self._yield_cpu, worker)
            reply, payload = await receive(loop, worker.sock)
        except asyncio.CancelledError:
            if worker is not None and not sent:  # taken, never given the query: as good as new
                self._pool.release(worker)
                worker = None
            elif worker is not None:  # the worker is mid-query: it cannot be reused
                self._replace(worker, "a query was stopped at its deadline" if expired
                              else "a query was abandoned (the client went away)")
            if not expired:  # cancelled from elsewhere (the client went away, the service stops)
                raise
            task.uncancel()
            if worker is None:
                raise QueryTimeout("the query did not start before its deadline: every worker stayed busy",
                                   {"waited": round(time.monotonic() - started, 3)}) from None
            limit = request.timeout or round(request.deadline - started, 1)
            raise QueryTimeout(f"the query was stopped at its deadline ({limit:g} s)", {"limit": limit}) from None
        except (EOFError, OSError, ValueError):
            assert worker is not None
            self._replace(worker, "a query worker died (memory cap or engine crash)")
            raise QueryAborted("the query was stopped: it needed more memory than a query may use, or it "
                               "crashed the query engine", {"memory_limit_mb": self._memory_mb}) from None
        finally:
            timer.cancel()
            if demote is not None:
                demote.cancel()
        worker.private = int(reply.get("private", 0))
        worker.idle_since = time.monotonic()
        # A worker that yields the CPU for good, or a second grown one, is let go: a fresh fork takes its place.
        if worker.niced or not self._pool.release(worker, self._grown):
            self._let_go(worker)
        return self._settle(reply, payload, started)

    def _settle(self, reply: dict[str, Any], payload: bytes, started: float) -> Answer:
        """The answer a worker's reply gives, or the error it reports, raised."""
        if not reply["ok"]:
            if reply["error"] == "syntax":
                raise syntax_error(reply["message"])
            if reply["error"] == "memory":
                raise QueryAborted("the query was stopped: it needed more memory than a query may use",
                                   {"memory_limit_mb": self._memory_mb})
            raise QueryError(f"the query could not be evaluated: {reply['message']}",
                             {"reason": reply["message"]}, code="query_evaluation")
        result = QueryResult(reply["kind"], tuple(reply["variables"]), payload)
        return Answer(result, bool(reply["truncated"]), time.monotonic() - started, float(reply.get("took", 0.0)))

    @property
    def lookups(self) -> Lookups | None:
        """What answers lookups in this process (``None`` when every query goes to a worker)."""
        return self._lookups

    def here(self, request: QueryRequest) -> Answer | None:
        """The answer to ``request`` computed in this process, if it is a single-resource lookup (see
        :mod:`attgraph.engine.lookups`) over the default dataset and lookups are still taken here; else ``None``."""
        if self._lookups is None or not self._lookups.open or request.dataset != UNION:
            return None
        bound = [name for name, term in request.substitutions.items() if isinstance(term, ox.NamedNode)]
        end = lookup_end(request.text, bound)
        if end is None:
            return None
        return self.lookup(request.text, end, request.max_rows, request.substitutions, request.prefixes)

    def lookup(self, text: str, end: int, max_rows: int,
               substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
               prefixes: Mapping[str, str] = PREFIXES) -> Answer | None:
        """The answer to the lookup ``text`` (:func:`~attgraph.engine.lookups.lookup_end` found its group to end at
        ``end``) computed in this process, or ``None`` if lookups are not taken here (any more). The row cap
        becomes part of the query (``LIMIT`` one past it), which bounds the work; errors are raised as
        :meth:`evaluate` raises them."""
        lookups = self._lookups
        if lookups is None or not lookups.open:
            return None
        started = time.monotonic()
        return self._settle(*lookups.answer(text, end, max_rows, substitutions, prefixes), started)

    @staticmethod
    def _header(request: QueryRequest) -> dict[str, Any]:
        header: dict[str, Any] = {
            "query": request.text,
            "substitutions": {name: _term_json(term) for name, term in request.substitutions.items()},
            "default_graph": list(request.dataset.default_graphs)
            if request.dataset.default_graphs is not None else None,
            "named_graphs": list(request.dataset.named_graphs)
            if request.dataset.named_graphs is not None else None,
            "union": request.dataset.default_graphs is None and not request.dataset.from_query,
            "max_rows": request.max_rows,
        }
        if request.prefixes is not PREFIXES:  # the workers know the service's own prefixes
            header["prefixes"] = dict(request.prefixes)
        return header

    def run(self, request: QueryRequest) -> Answer:
        """:meth:`evaluate` for a caller without an event loop (a script, a test, another thread)."""
        return asyncio.run(self.evaluate(request))

    def close(self) -> None:
        """Kill every worker, stop the supervisor thread, and the fork server if this pool started it."""
        with self._lock:
            self._closed = True
            workers = list(self._all.values())
            self._all.clear()
        self._spawns.put(None)
        self._pool.drain()
        for worker in workers:
            worker.spawned.kill_and_wait()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._bury(wait=2.0)
        if self._client is not None:
            self._client.close()
        if self._own_forks and self._forks is not None:
            self._forks.close()

    def status(self) -> dict[str, Any]:
        """Workers wanted, alive (live processes the pool holds, busy or idle) and idle; restarts (workers
        killed or found dead) and retirements (workers replaced after growing past their private memory) since
        start; the last failure (how many seconds ago, and what); whether the workers have no network; with
        lookups answered in this process, how many and the memory they made private (``lookups_here``)."""
        with self._lock:
            alive = len(self._all)
            failure = self.last_failure
        status: dict[str, Any] = {"process": os.getpid(), "workers": self._size, "alive": alive,
                                  "idle": len(self._pool),
                                  "restarts": self.restarts, "retired": self.retired,
                                  "last_failure": None if failure is None else {
                                      "seconds_ago": round(time.monotonic() - failure[0], 1),
                                      "reason": failure[1]},
                                  "network_isolated": self.isolated}
        if self._lookups is not None:
            status["lookups_here"] = self._lookups.status()
        return status

    def private(self) -> dict[int, int]:
        """The memory each live worker had made its own at its last reply (bytes), by process id."""
        with self._lock:
            return {pid: worker.private for pid, worker in self._all.items()}

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return sorted(self._all)
