"""Where queries are evaluated: one small interface, :class:`Executor`, and the local worker pool.

Every served query reaches an executor as a :class:`QueryRequest` (text, bound values, dataset, deadline,
row cap) and comes back as an :class:`Answer` (a complete :class:`~attgraph.results.QueryResult`). The
safety rules (lexical guard, graph checks, concurrency cap, limits) live in front of this interface, in
:mod:`attgraph.gateway`; an executor only has to honour the deadline and the row cap. A remote executor
(the service in front of a SPARQL server) implements the same methods.

:class:`LocalExecutor` runs queries in worker processes (:mod:`attgraph.worker`), because an engine cannot
be interrupted from a thread: at the deadline the worker is killed and a fresh one takes its place. Workers
are forked by a fork server (:mod:`attgraph.forkserver`) from the process that loaded the store, so they
share its memory. The event loop talks to them directly over Unix sockets: no thread sits between a request
and its worker.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from .errors import QueryAborted, QueryError, QuerySyntaxError, QueryTimeout
from .forkserver import ForkClient, ForkServer, Spawned
from .lookups import Lookups, lookup_end
from .namespaces import PREFIXES
from .results import QueryResult
from .worker import HEADER, pack_frame

__all__ = ["Answer", "DatasetSpec", "Executor", "LocalExecutor", "QueryRequest", "syntax_error"]

_START_TIMEOUT = 60.0
#: A worker that has made more than its share of memory its own is replaced once idle this long (seconds).
_IDLE_SECONDS = 2.0


@dataclass(frozen=True)
class DatasetSpec:
    """The dataset a query runs over.

    ``default_graphs=None`` means the union of every graph; ``named_graphs=None`` means every named graph.
    ``from_query`` says the query's own ``FROM``/``FROM NAMED`` clauses define the dataset.
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    from_query: bool = False


#: The service's default dataset: the union of every graph.
_UNION = DatasetSpec()


@dataclass(frozen=True)
class QueryRequest:
    """One query to evaluate, already checked: the text, values bound by the engine, the dataset, the
    deadline (a :func:`time.monotonic` instant) and the most rows or triples to return."""

    text: str
    deadline: float
    max_rows: int
    substitutions: Mapping[str, ox.NamedNode | ox.Literal] = field(default_factory=dict)
    dataset: DatasetSpec = DatasetSpec()
    prefixes: Mapping[str, str] = field(default_factory=dict)
    #: The time the query was given in all (seconds), for messages; 0 when unknown.
    timeout: float = 0.0


@dataclass(frozen=True)
class Answer:
    """A complete result, whether the row cap cut it, how long it took in all and how long the engine took
    (seconds; ``engine`` is 0 when the executor cannot tell)."""

    result: QueryResult
    truncated: bool
    elapsed: float
    engine: float = 0.0


class Executor(Protocol):
    """Evaluates checked queries before their deadline."""

    def start(self) -> None:
        """Get ready to answer (spawn workers, open connections)."""

    async def evaluate(self, request: QueryRequest) -> Answer:
        """Evaluate ``request``; raise :class:`QueryTimeout` at the deadline, :class:`QuerySyntaxError` or
        :class:`QueryError` for a bad query, :class:`QueryAborted` if evaluation died."""

    def close(self) -> None:
        """Stop everything started by :meth:`start`."""

    def status(self) -> dict[str, Any]:
        """Numbers for ``/health``."""


def syntax_error(message: str) -> QuerySyntaxError:
    """The error for an engine parse message such as ``error at 1:12: expected …``, with line and column."""
    import re

    details: dict[str, object] = {"reason": message}
    match = re.search(r"error at (\d+):(\d+)", message)
    if match:
        details.update(line=int(match[1]), column=int(match[2]))
    return QuerySyntaxError(f"the query does not parse: {message}", details)


def _term_json(term: ox.NamedNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


class _Worker:
    """One worker process: its socket (non-blocking once ready), whether it has left the network, the memory
    it has made its own (bytes, from its last reply) and since when it has been idle."""

    def __init__(self, spawned: Spawned, isolated: bool) -> None:
        self.spawned = spawned
        self.sock = spawned.sock
        self.pid = spawned.pid
        self.isolated = isolated
        self.private = 0
        self.idle_since = time.monotonic()


class _Pool:
    """Idle workers, handed straight to whoever waits longest for one. Safe across threads and event loops:
    a worker released in one thread reaches a waiter of another loop through ``call_soon_threadsafe``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: deque[_Worker] = deque()
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[_Worker]]] = deque()

    def __len__(self) -> int:
        return len(self._idle)

    async def acquire(self) -> _Worker:
        """An idle worker, or the first one released (the caller bounds the wait: cancel it)."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            loop = asyncio.get_running_loop()
            future: asyncio.Future[_Worker] = loop.create_future()
            waiter = (loop, future)
            self._waiters.append(waiter)
        try:
            return await future
        except BaseException:
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            if future.done() and not future.cancelled():
                self.release(future.result())
            raise

    def release(self, worker: _Worker, spare: Callable[[_Worker], bool] | None = None) -> bool:
        """Give ``worker`` to the longest waiter, or keep it idle; with ``spare``, keep it only if no idle
        worker is ``spare`` already (else return False: the caller lets it go)."""
        with self._lock:
            while self._waiters:
                loop, future = self._waiters.popleft()
                if not future.done():
                    break
            else:
                if spare is not None and spare(worker) and any(spare(idle) for idle in self._idle):
                    return False
                self._idle.append(worker)
                return True
        try:
            loop.call_soon_threadsafe(self._deliver, future, worker)
        except RuntimeError:  # that loop has closed
            return self.release(worker, spare)
        return True

    def _deliver(self, future: asyncio.Future[_Worker], worker: _Worker) -> None:
        if future.done():
            self.release(worker)
        else:
            future.set_result(worker)

    def take(self, wanted: Callable[[_Worker], bool]) -> list[_Worker]:
        """Take the idle workers for which ``wanted`` is true out of the pool."""
        with self._lock:
            taken = [w for w in self._idle if wanted(w)]
            for worker in taken:
                self._idle.remove(worker)
        return taken

    def drain(self) -> list[_Worker]:
        """Take every idle worker out."""
        with self._lock:
            taken = list(self._idle)
            self._idle.clear()
        return taken


async def _receive(loop: asyncio.AbstractEventLoop, sock: Any) -> tuple[dict[str, Any], bytes]:
    """Read one reply frame from a worker's socket; ``EOFError`` if the worker died."""
    import json

    buffer = bytearray()
    while len(buffer) < HEADER.size:
        chunk = await loop.sock_recv(sock, 1 << 16)
        if not chunk:
            raise EOFError
        buffer += chunk
    header_size, payload_size = HEADER.unpack_from(buffer)
    total = HEADER.size + header_size + payload_size
    if len(buffer) < total:
        whole = bytearray(total)
        whole[:len(buffer)] = buffer
        view = memoryview(whole)
        got = len(buffer)
        while got < total:
            count = await loop.sock_recv_into(sock, view[got:])
            if not count:
                raise EOFError
            got += count
        buffer = whole
    header = json.loads(bytes(buffer[HEADER.size:HEADER.size + header_size]).decode("utf-8"))
    return header, bytes(buffer[HEADER.size + header_size:total])


def _ready(spawned: Spawned, timeout: float) -> bool:
    """Wait for a new worker's ready frame; whether it left the network. Raises ``OSError``/``EOFError``."""
    import json

    sock = spawned.sock
    sock.settimeout(timeout)
    head = b""
    while len(head) < HEADER.size:
        chunk = sock.recv(HEADER.size - len(head))
        if not chunk:
            raise EOFError
        head += chunk
    header_size, payload_size = HEADER.unpack(head)
    body = b""
    while len(body) < header_size + payload_size:
        chunk = sock.recv(header_size + payload_size - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    sock.setblocking(False)
    return bool(json.loads(body[:header_size]).get("isolated"))


class LocalExecutor:
    """A pool of query workers over ``store``.

    ``forks`` is the fork server to ask for workers; without one, :meth:`start` forks one from this process
    (``attgraph serve`` starts it before any thread, and shares it between its service processes). With
    ``source`` naming an on-disk store folder, workers open that (read-only) instead of sharing ``store``.
    Replacement workers are requested from one supervisor thread, so the event loop never waits for a fork.

    A worker shares the store's pages until its queries write to them (see :func:`attgraph.worker.serve`):
    a worker busy with scans soon holds its own copy of much of the store, and scans run faster on it than on
    a fresh fork, which pays for every first write. So one worker that has made more than ``private_mb`` MiB
    its own ("grown") is kept for the next heavy query; a second grown worker coming back while one is idle
    is replaced by a fresh fork at once (unless a query is waiting for it), and the one kept is replaced once
    it has been idle for ``_IDLE_SECONDS``: under load, memory stays within one grown worker per pool plus
    those busy; when the load goes, it returns to the shared minimum.

    With ``lookups_mb`` above 0 and the store in memory, single-resource lookups are answered in this process
    instead (their cost is bounded by their shape, see :mod:`attgraph.lookups`) until they have made
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
        self._pool = _Pool()
        self._spawns: queue.Queue[int | None] = queue.Queue()
        self._all: dict[int, _Worker] = {}
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
        self._spawns.put(self._size)
        deadline = time.monotonic() + _START_TIMEOUT
        while len(self._pool) < self._size:
            if time.monotonic() > deadline:
                raise QueryError("the query workers did not start", code="workers_down", status=503)
            time.sleep(0.002)

    def _supervise(self) -> None:
        """Ask the fork server for workers on request until closed."""
        assert self._client is not None
        while True:
            try:
                count = self._spawns.get(timeout=_IDLE_SECONDS / 4)
            except queue.Empty:
                count = self._retire_grown()
                if not count:
                    continue
            if count is None or self._closed:
                return
            for _ in range(count):
                try:
                    spawned = self._client.spawn()
                except (OSError, QueryError):
                    if self._closed:
                        return
                    time.sleep(0.5)
                    self._spawns.put(1)
                    continue
                try:
                    isolated = _ready(spawned, _START_TIMEOUT)
                except (OSError, EOFError, ValueError):
                    spawned.kill()
                    time.sleep(0.5)
                    self._spawns.put(1)
                    continue
                worker = _Worker(spawned, isolated)
                with self._lock:
                    if self._closed:
                        spawned.kill()
                        continue
                    self.isolated = self.isolated and isolated
                    self._all[worker.pid] = worker
                self._pool.release(worker)

    def _retire_grown(self) -> int:
        """Let go of the idle workers that have made more memory their own than allowed and have been idle
        for ``_IDLE_SECONDS`` (closing its socket ends a worker); how many fresh ones are needed."""
        if self._private_limit <= 0 or self._closed:
            return 0
        now = time.monotonic()
        grown = self._pool.take(lambda w: self._grown(w) and now - w.idle_since > _IDLE_SECONDS)
        for worker in grown:
            self._let_go(worker)
        return len(grown)

    def _let_go(self, worker: _Worker) -> None:
        """End an idle worker (closing its socket ends it) and count it as retired."""
        worker.spawned.close()
        with self._lock:
            self._all.pop(worker.pid, None)
            self.retired += 1

    def _grown(self, worker: _Worker) -> bool:
        """Whether ``worker`` has made more memory its own than ``private_mb`` allows."""
        return 0 < self._private_limit < worker.private

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` (waiting briefly until it is gone) and ask for a fresh one."""
        worker.spawned.kill_and_wait()
        with self._lock:
            self._all.pop(worker.pid, None)
            self.restarts += 1
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

        timer = loop.call_later(max(0.0, request.deadline - started), expire)
        worker: _Worker | None = None
        try:
            worker = await self._pool.acquire()
            await loop.sock_sendall(worker.sock, pack_frame(self._header(request)))
            reply, payload = await _receive(loop, worker.sock)
        except asyncio.CancelledError:
            if worker is not None:  # the worker is mid-query: it cannot be reused
                self._replace(worker)
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
            self._replace(worker)
            raise QueryAborted("the query was stopped: it needed more memory than a query may use, or it "
                               "crashed the query engine", {"memory_limit_mb": self._memory_mb}) from None
        finally:
            timer.cancel()
        worker.private = int(reply.get("private", 0))
        worker.idle_since = time.monotonic()
        if not self._pool.release(worker, self._grown):  # another grown worker is idle already: one is enough
            self._let_go(worker)
            if not self._closed:
                self._spawns.put(1)
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
        :mod:`attgraph.lookups`) over the default dataset and lookups are still taken here; else ``None``."""
        if self._lookups is None or not self._lookups.open or request.dataset != _UNION:
            return None
        bound = [name for name, term in request.substitutions.items() if isinstance(term, ox.NamedNode)]
        end = lookup_end(request.text, bound)
        if end is None:
            return None
        return self.lookup(request.text, end, request.max_rows, request.substitutions, request.prefixes)

    def lookup(self, text: str, end: int, max_rows: int,
               substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
               prefixes: Mapping[str, str] = PREFIXES) -> Answer | None:
        """The answer to the lookup ``text`` (:func:`~attgraph.lookups.lookup_end` found its group to end at
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
        if self._client is not None:
            self._client.close()
        if self._own_forks and self._forks is not None:
            self._forks.close()

    def status(self) -> dict[str, Any]:
        """Workers alive and idle, restarts (workers killed) and retirements (workers replaced after growing
        past their private memory) since start, whether the workers have no network; with lookups answered in
        this process, how many and the memory they made private (``lookups_here``)."""
        with self._lock:
            alive = len(self._all)
        status: dict[str, Any] = {"workers": self._size, "alive": alive, "idle": len(self._pool),
                                  "restarts": self.restarts, "retired": self.retired,
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
