"""The graph object of remote mode: a :class:`~attgraph.knowledge.graph.KnowledgeGraph` whose statements live
in a SPARQL server, asked through :class:`~attgraph.engine.remote.RemoteExecutor`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Mapping
from typing import cast

import pyoxigraph as ox
from rdflib import URIRef

from attgraph.knowledge.graph import KnowledgeGraph, internal_query
from attgraph.knowledge.namespaces import PREFIXES
from attgraph.knowledge.results import QueryResult
from attgraph.settings import Settings

from .remote import RemoteExecutor
from .requests import QueryRequest

__all__ = ["RemoteGraph"]

#: Seconds the service's own queries may take on the remote store (see :meth:`RemoteGraph.query`).
_INTERNAL_TIMEOUT = 300.0


class _RemoteStoreView:
    """Stands where a local graph has its engine store, for the code that reads it directly: ``len()`` is the
    number of statements the remote store held at start, and :meth:`quads_for_pattern` and
    :meth:`named_graphs` ask the remote store. Queries go through the executor."""

    def __init__(self, graph: RemoteGraph, statements: int) -> None:
        self._graph = graph
        self._statements = statements

    def __len__(self) -> int:
        return self._statements

    def quads_for_pattern(self, subject: ox.NamedNode | ox.BlankNode | None, predicate: ox.NamedNode | None,
                          object: ox.NamedNode | ox.BlankNode | ox.Literal | None,
                          graph_name: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """The quads matching the pattern (``None`` matches anything), read from the remote store."""
        given = {"s": subject, "p": predicate, "o": object, "g": graph_name}
        bindings = {ox.Variable(k): v for k, v in given.items() if isinstance(v, ox.NamedNode | ox.Literal)}
        if any(isinstance(v, ox.BlankNode) for v in given.values()):
            return iter(())  # blank node labels are not shared across the protocol
        rows = self._graph.query(internal_query("quads").sparql, bindings).rows()
        return iter([ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows])  # type: ignore[arg-type]

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The graphs of ours the remote store holds."""
        return iter(ox.NamedNode(str(g)) for g in self._graph.graph_names())


class RemoteGraph(KnowledgeGraph):
    """A :class:`~attgraph.knowledge.graph.KnowledgeGraph` whose statements live in a remote store.

    Every query (named queries, descriptions, counts, the search index) is sent through ``executor`` with the
    service's query timeout; the process keeps no copy of the data, so any number of them can stand behind a
    load balancer over one store.
    """

    def __init__(self, settings: Settings, executor: RemoteExecutor) -> None:
        super().__init__(None, [], settings, store=ox.Store(), graphs=[URIRef(g) for g in executor.graphs or ()])
        self.executor = executor
        count = self.query(internal_query("statement_count").sparql).values()
        statements = int(count[0]["n"]) if count and count[0]["n"] else 0
        self.store = cast(ox.Store, _RemoteStoreView(self, statements))

    def query(self, sparql: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              ) -> QueryResult:
        """Evaluate SPARQL on the remote store over the union of our graphs. For the service's own queries
        (the search index, counts, descriptions), so without a row or size cap and with a long deadline
        (``_INTERNAL_TIMEOUT``, or the query timeout if longer): at 2 million statements the search index
        alone is a 70 MB answer."""
        timeout = max(self.settings.query_timeout, _INTERNAL_TIMEOUT)
        request = QueryRequest(text=sparql, deadline=time.monotonic() + timeout, max_rows=sys.maxsize,
                               prefixes=PREFIXES, substitutions={v.value: t for v, t in (bindings or {}).items()})
        return self.executor.run(request, max_bytes=sys.maxsize).result

    def exists(self, iri: str) -> bool:
        """Whether ``iri`` is the subject of any statement in the remote store."""
        return self.query(internal_query("subject_exists").sparql, {ox.Variable("s"): ox.NamedNode(iri)}).boolean
