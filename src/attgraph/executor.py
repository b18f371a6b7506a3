"""Where queries are evaluated: one small interface, :class:`Executor`, and the local worker pool.

Every served query reaches an executor as a :class:`QueryRequest` (text, bound values, dataset, deadline,
row cap) and comes back as an :class:`Answer` (a complete :class:`~attgraph.results.QueryResult`). The
safety rules (lexical guard, graph checks, concurrency cap, limits) live in front of this interface, in
:mod:`attgraph.gateway`; an executor only has to honour the deadline and the row cap. A remote executor
(the service in front of a SPARQL server) implements the same three methods.

:class:`LocalExecutor` runs queries in worker processes (:mod:`attgraph.worker`), because an engine cannot
be interrupted from a thread: at the deadline the worker is killed and a fresh one takes its place. The
parent writes the store once as an N-Quads dump that each worker bulk-loads at start-up.
"""

from __future__ import annotations

import os
import queue
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from .errors import QueryAborted, QueryError, QuerySyntaxError, QueryTimeout
from .results import QueryResult

__all__ = ["Answer", "DatasetSpec", "Executor", "LocalExecutor", "QueryRequest", "syntax_error"]

_HEADER = struct.Struct(">II")
_START_TIMEOUT = 60.0


@dataclass(frozen=True)
class DatasetSpec:
    """The dataset a query runs over.

    ``default_graphs=None`` means the union of every graph; ``named_graphs=None`` means every named graph.
    ``from_query`` says the query's own ``FROM``/``FROM NAMED`` clauses define the dataset.
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    from_query: bool = False


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
    """A complete result, whether the row cap cut it, and how long it took in seconds."""

    result: QueryResult
    truncated: bool
    elapsed: float


class Executor(Protocol):
    """Evaluates checked queries before their deadline."""

    def start(self) -> None:
        """Get ready to answer (spawn workers, open connections)."""

    def run(self, request: QueryRequest) -> Answer:
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
    """One worker process and its pipes."""

    def __init__(self, dump: Path, memory_mb: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "attgraph.worker", str(dump), str(memory_mb), str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin = self.process.stdin.fileno()
        self.stdout = self.process.stdout.fileno()
        self.isolated = False

    @property
    def pid(self) -> int:
        """The process id."""
        return self.process.pid

    def send(self, header: dict[str, Any]) -> None:
        """Write one request frame."""
        import json

        encoded = json.dumps(header, ensure_ascii=False).encode("utf-8")
        data = memoryview(_HEADER.pack(len(encoded), 0) + encoded)
        while data:
            written = os.write(self.stdin, data)
            data = data[written:]

    def receive(self, deadline: float) -> tuple[dict[str, Any], bytes]:
        """Read one reply frame; ``TimeoutError`` at the deadline, ``EOFError`` if the worker died."""
        import json

        header_size, payload_size = _HEADER.unpack(self._read(_HEADER.size, deadline))
        header = json.loads(self._read(header_size, deadline).decode("utf-8"))
        return header, self._read(payload_size, deadline)

    def _read(self, size: int, deadline: float) -> bytes:
        chunks: list[bytes] = []
        missing = size
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.stdout], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.stdout, min(missing, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        """Stop the process now and reap it."""
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


class LocalExecutor:
    """A pool of worker processes over a dump of ``store``.

    Workers are spawned from one long-lived supervisor thread (a worker asks the kernel to kill it when the
    thread that spawned it ends, so that no worker outlives the service).
    """

    def __init__(self, store: ox.Store, *, workers: int, memory_mb: int, source: Path | None = None) -> None:
        self._store = store
        #: A prebuilt copy of the store (N-Quads file or on-disk store folder) the workers open instead of a dump.
        self._source = source
        self._size = max(1, workers)
        self._memory_mb = memory_mb
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._spawns: queue.Queue[int | None] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._folder: Path | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self.restarts = 0
        self.isolated = True

    def start(self) -> None:
        """Write the dump, spawn the workers and wait until every one has loaded it."""
        self._folder = Path(tempfile.mkdtemp(prefix="attgraph-"))
        if self._source is None:
            self._store.dump(str(self._folder / "store.nq"), format=ox.RdfFormat.N_QUADS)
        self._thread = threading.Thread(target=self._supervise, name="attgraph-workers", daemon=True)
        self._thread.start()
        self._spawns.put(self._size)
        deadline = time.monotonic() + _START_TIMEOUT
        while self._idle.qsize() < self._size:
            if time.monotonic() > deadline:
                raise QueryError("the query workers did not start", code="workers_down", status=503)
            time.sleep(0.01)

    def _supervise(self) -> None:
        """Spawn workers on request until closed."""
        assert self._folder is not None
        while True:
            count = self._spawns.get()
            if count is None or self._closed:
                return
            source = self._source or self._folder / "store.nq"
            fresh = [_Worker(source, self._memory_mb) for _ in range(count)]
            for worker in fresh:
                try:
                    header, _ = worker.receive(time.monotonic() + _START_TIMEOUT)
                except (TimeoutError, EOFError, ValueError):
                    worker.kill()
                    time.sleep(0.5)
                    self._spawns.put(1)
                    continue
                worker.isolated = bool(header.get("isolated"))
                with self._lock:
                    if self._closed:
                        worker.kill()
                        continue
                    self.isolated = self.isolated and worker.isolated
                    self._all.add(worker)
                self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.restarts += 1
        if not self._closed:
            self._spawns.put(1)

    def run(self, request: QueryRequest) -> Answer:
        """Evaluate ``request`` on a free worker; kill the worker at the deadline."""
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=max(0.0, request.deadline - started))
        except queue.Empty:
            raise QueryTimeout("the query did not start before its deadline: every worker stayed busy",
                               {"waited": round(time.monotonic() - started, 3)}) from None
        header = {
            "query": request.text,
            "prefixes": dict(request.prefixes),
            "substitutions": {name: _term_json(term) for name, term in request.substitutions.items()},
            "default_graph": list(request.dataset.default_graphs)
            if request.dataset.default_graphs is not None else None,
            "named_graphs": list(request.dataset.named_graphs)
            if request.dataset.named_graphs is not None else None,
            "union": request.dataset.default_graphs is None and not request.dataset.from_query,
            "max_rows": request.max_rows,
        }
        try:
            worker.send(header)
            reply, payload = worker.receive(request.deadline)
        except TimeoutError:
            self._replace(worker)
            limit = request.timeout or round(request.deadline - started, 1)
            raise QueryTimeout(f"the query was stopped at its deadline ({limit:g} s)", {"limit": limit}) from None
        except (EOFError, OSError, ValueError):
            self._replace(worker)
            raise QueryAborted("the query was stopped: it needed more memory than a query may use, or it "
                               "crashed the query engine", {"memory_limit_mb": self._memory_mb}) from None
        self._idle.put(worker)
        if not reply["ok"]:
            if reply["error"] == "syntax":
                raise syntax_error(reply["message"])
            if reply["error"] == "memory":
                raise QueryAborted("the query was stopped: it needed more memory than a query may use",
                                   {"memory_limit_mb": self._memory_mb})
            raise QueryError(f"the query could not be evaluated: {reply['message']}",
                             {"reason": reply["message"]}, code="query_evaluation")
        result = QueryResult(reply["kind"], tuple(reply["variables"]), payload)
        return Answer(result, bool(reply["truncated"]), time.monotonic() - started)

    def close(self) -> None:
        """Kill every worker, stop the supervisor and remove the dump."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        self._spawns.put(None)
        for worker in workers:
            worker.kill()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    def status(self) -> dict[str, Any]:
        """Workers alive and idle, restarts since start, whether the workers have no network."""
        with self._lock:
            alive = len(self._all)
        return {"workers": self._size, "alive": alive, "idle": self._idle.qsize(), "restarts": self.restarts,
                "network_isolated": self.isolated}

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return sorted(w.pid for w in self._all)
