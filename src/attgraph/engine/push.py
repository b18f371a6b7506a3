"""``attgraph push``: the built dataset loaded into a SPARQL server through the SPARQL 1.1 Graph Store HTTP
Protocol, one ``PUT`` per named graph (each replaced whole), optionally deleting graphs of ours that the build no
longer has. Remote mode (:mod:`attgraph.engine.remote`) then answers from that server.
"""

from __future__ import annotations

import http.client
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from attgraph.knowledge.namespaces import GRAPH

from .http import HttpClient, StoreUnavailable, TooLarge
from .remote import list_graphs

__all__ = ["PushReport", "push"]

_NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` did: statements sent per graph, and graphs deleted."""

    graphs: dict[str, int]
    deleted: tuple[str, ...]

    @property
    def statements(self) -> int:
        """Statements sent in all."""
        return sum(self.graphs.values())


def _file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def push(store: ox.Store, graphs: Sequence[str], url: str, *, query_url: str | None = None,
         timeout: float = 600.0) -> PushReport:
    """``PUT`` each of ``graphs`` from ``store`` to the Graph Store Protocol endpoint ``url`` (replacing it).

    With ``query_url`` (the store's SPARQL query endpoint), graphs under our graph namespace that the store
    holds but ``graphs`` does not are deleted, so the store ends up with exactly the built dataset.
    """
    sent: dict[str, int] = {}
    deleted: list[str] = []
    try:
        transport = HttpClient(url)
    except ValueError as error:
        raise StoreUnavailable(str(error), {"store": url}) from None
    try:
        with tempfile.TemporaryDirectory(prefix="attgraph-push-") as folder:
            for graph in graphs:
                name = ox.NamedNode(graph)
                path = Path(folder) / "graph.nt"
                store.dump(path, format=ox.RdfFormat.N_TRIPLES, from_graph=name)
                count = sum(1 for _ in store.quads_for_pattern(None, None, None, name))
                _request(transport, "PUT", url, graph, timeout, _file_chunks(path),
                         {"content-type": _NTRIPLES, "content-length": str(path.stat().st_size)})
                sent[graph] = count
        if query_url is not None:
            wanted = set(graphs)
            for graph in list_graphs(query_url):
                if graph.startswith(str(GRAPH)) and graph not in wanted:
                    _request(transport, "DELETE", url, graph, timeout)
                    deleted.append(graph)
    finally:
        transport.close()
    return PushReport(sent, tuple(deleted))


def _request(transport: HttpClient, method: str, url: str, graph: str, timeout: float,
             body: Iterator[bytes] | None = None, headers: dict[str, str] | None = None) -> None:
    """One Graph Store Protocol request for ``graph``; raises :class:`StoreUnavailable` unless it succeeded."""
    path = transport.path + ("&" if "?" in transport.path else "?") + urlencode({"graph": graph})
    try:
        reply = transport.exchange(method, path, body, headers or {}, time.monotonic() + timeout, 1 << 20)
    except (TimeoutError, OSError, http.client.HTTPException, TooLarge) as error:
        raise StoreUnavailable(f"{method} {url} for graph {graph} failed: {type(error).__name__}",
                               {"store": url, "graph": graph}) from None
    if reply.status not in (200, 201, 204):
        text = reply.body.decode("utf-8", errors="replace")[:300]
        raise StoreUnavailable(f"{method} {url} for graph {graph} was answered {reply.status}: {text}",
                               {"store": url, "graph": graph, "status": reply.status})
