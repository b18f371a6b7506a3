"""Evaluating queries on the local worker pool: where queries run when the service holds its own store (the
:class:`~attgraph.engine.requests.Executor` interface is in :mod:`attgraph.engine.requests`).

:class:`LocalExecutor` runs queries in worker processes (:mod:`attgraph.engine.worker`), because an engine cannot
be interrupted from a thread: at the deadline the worker is killed and a fresh one takes its place. Workers
are forked by a fork server (:mod:`attgraph.engine.forkserver`) from the process that loaded the store, so they
share its memory. The event loop talks to them directly over Unix sockets: no thread sits between a request
and its worker.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from attgraph.errors import QueryAborted, QueryError, QueryTimeout
from attgraph.knowledge.namespaces import PREFIXES
from attgraph.knowledge.results import QueryResult

from .forkserver import ForkServer
from .lookups import Lookups, lookup_end
from .pool import Worker, receive
from .requests import UNION, Answer, QueryRequest, syntax_error
from .supervisor import WorkerSupervisor
from .worker import pack_frame

__all__ = ["LocalExecutor"]

#: A query running longer than this (seconds) is heavy: its worker yields the CPU to the others.
_HEAVY_SECONDS = 1.0


def _term_json(term: ox.NamedNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


class LocalExecutor(WorkerSupervisor):
    """Queries evaluated on a pool of workers over ``store`` (the pool's processes are kept at strength by
    :class:`~attgraph.engine.supervisor.WorkerSupervisor`, which takes the same arguments).

    With ``lookups_mb`` above 0 and the store in memory, single-resource lookups are answered in this process
    instead (their cost is bounded by their shape, see :mod:`attgraph.engine.lookups`) until they have made
    ``lookups_mb`` MiB of the store's pages this process's own.
    """

    def __init__(self, store: ox.Store | None, *, workers: int, memory_mb: int, source: Path | None = None,
                 forks: ForkServer | None = None, private_mb: int = 0, lookups_mb: int = 0) -> None:
        super().__init__(store, workers=workers, memory_mb=memory_mb, source=source, forks=forks,
                         private_mb=private_mb)
        self._lookups = Lookups(store, lookups_mb) if store is not None and self._disk is None \
            and lookups_mb > 0 else None

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
        return self._settle(reply, payload, started, request.text, request.prefixes)

    def _settle(self, reply: dict[str, Any], payload: bytes, started: float, text: str,
                prefixes: Mapping[str, str]) -> Answer:
        """The answer a worker's reply gives, or the error it reports, raised (a parse error explained with
        the query's ``text`` and the ``prefixes`` it was given)."""
        if not reply["ok"]:
            if reply["error"] == "syntax":
                raise syntax_error(reply["message"], text, prefixes)
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
        return self._settle(*lookups.answer(text, end, max_rows, substitutions, prefixes), started, text, prefixes)

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

    def status(self) -> dict[str, Any]:
        """The pool's status (:meth:`WorkerSupervisor.status`); with lookups answered in this process, how many
        and the memory they made private (``lookups_here``)."""
        status = super().status()
        if self._lookups is not None:
            status["lookups_here"] = self._lookups.status()
        return status
