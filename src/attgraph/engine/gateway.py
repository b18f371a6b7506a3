"""The one path every served query takes: checks and limits, then an :class:`~attgraph.engine.requests.Executor`.

In order: the lexical guard (size, nesting, no update, no ``SERVICE``), the dataset (``FROM``/``FROM NAMED``
and the protocol's ``default-graph-uri``/``named-graph-uri`` may only name graphs we hold; nothing is ever
read from a file or a URL), the concurrency cap (at most ``workers + max_pending`` queries in flight, else
:class:`~attgraph.errors.ServiceBusy`), then evaluation with a deadline and a row cap. Keeping all of this
here means an executor that talks to a remote store gets the same protection.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from attgraph.errors import QueryAborted, QueryRefused, QueryTimeout
from attgraph.knowledge.namespaces import PREFIXES
from attgraph.settings import Settings

from .admission import CLIENT, Admission, Fairness
from .guard import Inspection, inspect
from .requests import Answer, DatasetSpec, Executor, QueryRequest

__all__ = ["Bindings", "Gateway"]

#: Values to bind, by variable (an engine variable or its name).
Bindings = Mapping[ox.Variable, ox.NamedNode | ox.Literal] | Mapping[str, ox.NamedNode | ox.Literal]


def _by_name(bindings: Bindings | None) -> dict[str, ox.NamedNode | ox.Literal]:
    return {key.value if isinstance(key, ox.Variable) else key: term for key, term in (bindings or {}).items()}


class Gateway:
    """Checks queries, admits them under the concurrency cap and runs them on ``executor``."""

    def __init__(self, executor: Executor, settings: Settings, graphs: Iterable[str]) -> None:
        self.executor = executor
        self.settings = settings
        self.graphs = frozenset(graphs)
        workers = max(1, settings.workers)
        third = max(1, workers // 3)
        self.admission = Admission(Fairness(
            slots=workers,
            reserved=min(workers - 1, settings.reserved_workers or third),
            share=max(1, min(workers, settings.client_share or max(2, third))),
            waiting=settings.max_pending,
            client_waiting=max(1, settings.max_pending // 4)))
        self.capacity = workers + settings.max_pending

    @property
    def retry_after(self) -> int:
        """Seconds after which a refused client may try again: the longest a running query can take."""
        return max(1, math.ceil(self.settings.query_timeout))

    def check(self, text: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
              ) -> tuple[Inspection, DatasetSpec]:
        """Run the lexical guard and settle the dataset; raise :class:`QueryRefused` if not allowed."""
        inspection = inspect(text, max_bytes=self.settings.max_query_bytes,
                             max_depth=self.settings.max_nesting, prefixes=PREFIXES)
        if default_graphs or named_graphs:
            self._known(list(default_graphs) + list(named_graphs), "the request")
            return inspection, DatasetSpec(tuple(default_graphs), tuple(named_graphs))
        if inspection.has_dataset:
            self._known(list(inspection.default_graphs) + list(inspection.named_graphs), "the query")
            return inspection, DatasetSpec(from_query=True)
        return inspection, DatasetSpec()

    def _known(self, graphs: list[str], where: str) -> None:
        for graph in graphs:
            if graph not in self.graphs:
                raise QueryRefused(f"{where} names a graph this service does not hold: {graph} "
                                   "(graphs are never fetched; the graphs held are listed in the service "
                                   "description at /sparql)", {"graph": graph}, code="unknown_graph")

    def prepare(self, text: str, substitutions: Bindings | None = None,
                default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                max_rows: int | None = None) -> tuple[Inspection, QueryRequest]:
        """What the guard learnt of ``text`` and the checked request for it; its deadline starts now."""
        inspection, dataset = self.check(text, default_graphs, named_graphs)
        return inspection, QueryRequest(text=text, deadline=time.monotonic() + self.settings.query_timeout,
                                        max_rows=self.settings.max_rows if max_rows is None else max_rows,
                                        substitutions=_by_name(substitutions), dataset=dataset,
                                        prefixes=PREFIXES, timeout=self.settings.query_timeout)

    async def submit(self, request: QueryRequest) -> Answer:
        """Evaluate a prepared request: a lookup at once where the executor answers it itself (it takes no
        slot); anything else once the admission rules give its client a slot (:mod:`attgraph.engine.admission`)."""
        here = self.executor.here(request)
        if here is not None:
            return here
        client = CLIENT.get()
        await self.admission.enter(client, request.deadline)
        started = time.monotonic()
        heavy = False
        try:
            return await self.executor.evaluate(request)
        except (QueryTimeout, QueryAborted):
            heavy = True
            raise
        finally:
            self.admission.leave(client, time.monotonic() - started, heavy=heavy)

    async def run(self, text: str, substitutions: Bindings | None = None,
                  default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                  max_rows: int | None = None) -> Answer:
        """Check, admit and run ``text``."""
        _, request = self.prepare(text, substitutions, default_graphs, named_graphs, max_rows)
        return await self.submit(request)

    def run_sync(self, text: str, substitutions: Bindings | None = None,
                 default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
                 max_rows: int | None = None) -> Answer:
        """:meth:`run` for a caller without an event loop."""
        return asyncio.run(self.run(text, substitutions, default_graphs, named_graphs, max_rows))

    def status(self) -> dict[str, object]:
        """The executor's numbers plus the admission's (slots, waiting, clients)."""
        admission = self.admission.status()
        return {**self.executor.status(), "in_flight": admission["running"], "capacity": self.capacity,
                "admission": admission}
