"""The strength of the local worker pool: forking workers, replacing the killed and the dead, retiring the grown.

:class:`WorkerSupervisor` holds the pool's processes (:mod:`attgraph.engine.pool`) and one supervisor thread that
keeps as many alive as the pool's size, whatever happened to them; :class:`~attgraph.engine.executor.LocalExecutor`
builds on it to evaluate queries. Workers are forked by a fork server (:mod:`attgraph.engine.forkserver`) from
the process that loaded the store, so they share its memory.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from attgraph.errors import QueryError

from .forkserver import ForkClient, ForkServer, Spawned
from .pool import Pool, Worker, ready

__all__ = ["WorkerSupervisor"]

_START_TIMEOUT = 60.0
#: The CPU priority a worker gets when its query turns out heavy (see :meth:`WorkerSupervisor._yield_cpu`).
_HEAVY_NICE = 10
#: How often the supervisor thread checks the pool's strength (seconds), and how long it waits after a failed
#: fork before trying again.
_TICK = 0.5
_BACKOFF = 0.5
#: A worker that has made more than its share of memory its own is replaced once idle this long (seconds).
_IDLE_SECONDS = 2.0


class WorkerSupervisor:
    """The workers of a pool over ``store`` and the thread that keeps their number up.

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
    """

    def __init__(self, store: ox.Store | None, *, workers: int, memory_mb: int, source: Path | None = None,
                 forks: ForkServer | None = None, private_mb: int = 0) -> None:
        self._store = store
        self._disk = source if source is not None and source.is_dir() else None
        self._size = max(1, workers)
        self._memory_mb = memory_mb
        self._private_limit = private_mb * 1024 * 1024
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
        """A query that has run past the executor's ``_HEAVY_SECONDS`` is heavy: its worker gets a low CPU priority
        (nice 10: about a tenth of the processor time of a worker at 0 when both want it), so that quick
        queries on the other workers keep their share of the processors. (Not 19: a killed process exits at
        its own priority, and at 19 under load that took seconds.) Raising the priority again would need a
        privilege, so the worker is let go when its query is done."""
        if worker.spawned.gone(0):
            return
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, worker.pid, _HEAVY_NICE)
            worker.niced = True

    def _wake(self) -> None:
        if not self._closed:
            self._spawns.put(1)

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
        start; the last failure (how many seconds ago, and what); whether the workers have no network."""
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
        return status
    def private(self) -> dict[int, int]:
        """The memory each live worker had made its own at its last reply (bytes), by process id."""
        with self._lock:
            return {pid: worker.private for pid, worker in self._all.items()}

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return sorted(self._all)
