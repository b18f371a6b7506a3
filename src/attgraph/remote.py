"""Remote-store mode: the service in front of an existing SPARQL server, and ``attgraph push`` to fill it.

:class:`RemoteExecutor` implements :class:`~attgraph.executor.Executor` over the SPARQL 1.1 Protocol, so every
safety rule of the service (the lexical guard, graph checks, the concurrency cap, limits) still applies: it
sits behind :class:`~attgraph.gateway.Gateway` like the local pool. It adds its own guards on the HTTP call:
the query's deadline is the timeout of the whole exchange, a response larger than
``ATTGRAPH_REMOTE_MAX_BYTES`` is cut off and refused, and the row cap is applied to what comes back.

What the remote server is told:

* the project prefixes the query uses but does not declare, as ``PREFIX`` lines in front of it (on one line,
  so positions in error messages move by exactly one line, which is taken off again);
* named-query parameters as a ``VALUES`` block at the start of the top-level ``WHERE`` group (the protocol
  has no substitution; this binds them for every pattern and filter of that group, and the tests check that
  every named query answers as it does embedded with the engine's substitution);
* the dataset: the graphs the request names, or the query's own ``FROM`` clauses, or else the union of our
  graphs. On an Oxigraph server (known by its ``Server`` header) the union is asked for with Oxigraph's
  ``union-default-graph`` parameter, which covers every graph of the store (so give the service a store of
  its own); elsewhere with the standard ``default-graph-uri`` and ``named-graph-uri`` for each graph we hold,
  which Oxigraph evaluates 5× slower on aggregations.

:func:`push` loads the built dataset into a server through the SPARQL 1.1 Graph Store HTTP Protocol: one
``PUT`` per named graph (each replaced whole), optionally deleting graphs of ours the build no longer has.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from rdflib import URIRef

from .errors import AttgraphError, QueryError, QueryTimeout
from .executor import Answer, QueryRequest, syntax_error
from .graph import KnowledgeGraph, internal_query
from .guard import tokens
from .namespaces import GRAPH, PREFIXES
from .results import QueryResult
from .settings import Settings

__all__ = [
    "PushReport",
    "RemoteExecutor",
    "RemoteGraph",
    "StoreUnavailable",
    "bind_values",
    "list_graphs",
    "prefix_header",
    "push",
]

_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_ACCEPT = f"{_RESULTS_JSON}, {_NTRIPLES};q=0.9"
_FORM = "application/x-www-form-urlencoded"
_POSITION = re.compile(r"error at (\d+):(\d+)")
_CONNECT_TIMEOUT = 5.0
#: Seconds the service's own queries may take on the remote store (see :meth:`RemoteGraph.query`).
_INTERNAL_TIMEOUT = 300.0


class StoreUnavailable(AttgraphError):
    """The remote store could not be reached or answered with an error of its own."""

    code = "store_unavailable"
    status = 502


def _term_text(term: ox.NamedNode | ox.Literal) -> str:
    """A term in SPARQL syntax (the engine's own N-Triples writer escapes it)."""
    return str(term)


def prefix_header(text: str, prefixes: Mapping[str, str]) -> str:
    """``PREFIX`` declarations, on one line, for the prefixes of ``prefixes`` that ``text`` uses but does not
    declare; ``""`` if there are none."""
    declared: set[str] = set()
    used: set[str] = set()
    stream = list(tokens(text))
    for index, token in enumerate(stream):
        if token.kind == "word" and token.text.upper() == "PREFIX" and index + 1 < len(stream):
            declared.add(stream[index + 1].text.partition(":")[0])
        elif token.kind == "pname":
            used.add(token.text.partition(":")[0])
    missing = sorted(p for p in used - declared if p in prefixes)
    return "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in missing)


def _matching(stream: list[Any], start: int) -> int:
    """The index of the token closing the bracket opened at ``start``."""
    depth = 0
    for index in range(start, len(stream)):
        if stream[index].kind == "char" and stream[index].text in "{([":
            depth += 1
        elif stream[index].kind == "char" and stream[index].text in "})]":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("unbalanced brackets")


def bind_values(text: str, values: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with ``values`` bound by a ``VALUES`` block opening its top-level ``WHERE`` group.

    Raises ``ValueError`` if the query has no top-level group to put it in.
    """
    if not values:
        return text
    names = sorted(values)
    block = (f"VALUES ({' '.join('?' + n for n in names)}) "
             f"{{ ({' '.join(_term_text(values[n]) for n in names)}) }} ")
    stream = list(tokens(text))
    form_at = next((i for i, t in enumerate(stream)
                    if t.kind == "word" and t.text.upper() in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")), None)
    if form_at is None:
        raise ValueError("no query form")
    index = form_at + 1
    if stream[form_at].text.upper() == "CONSTRUCT":
        if index < len(stream) and stream[index].text == "{":
            index = _matching(stream, index) + 1
        elif index < len(stream) and stream[index].text.upper() == "WHERE":
            # The short form CONSTRUCT WHERE { T }: write the template out so the pattern can take VALUES.
            opening = index + 1
            closing = _matching(stream, opening)
            body = text[stream[opening].start + 1:stream[closing].start]
            return (text[:stream[index].start] + "{" + body + "} WHERE { " + block + body
                    + text[stream[closing].start:])
    depth = 0
    for token in stream[index:]:
        if token.kind == "char" and token.text in "([":
            depth += 1
        elif token.kind == "char" and token.text in ")]":
            depth -= 1
        elif token.kind == "char" and token.text == "{" and depth == 0:
            after = token.start + 1
            following = next((t for t in stream if t.start >= after), None)
            if following is not None and following.kind == "word" and following.text.upper() == "SELECT":
                # The group is a sub-select: wrap it so the VALUES block can stand beside it.
                closing = _matching(stream, stream.index(following) - 1)
                end = stream[closing].start
                return text[:after] + " " + block + "{ " + text[after:end] + " } " + text[end:]
            return text[:after] + " " + block + text[after:]
    raise ValueError("no WHERE group")


@dataclass(frozen=True)
class _Reply:
    status: int
    media_type: str
    server: str
    body: bytes


class _TooLarge(Exception):
    """An answer went over the size cap (raised inside :class:`_Http`)."""


class _Http:
    """HTTP/1.1 to one server with the standard library: a keep-alive connection per thread, a deadline for
    the whole exchange and a cap on the answer's size. About 0.2 ms a request on loopback, against 1 ms for
    httpx, which matters on the path of every query."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url}")
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._local = threading.local()
        self._all: set[http.client.HTTPConnection] = set()
        self._lock = threading.Lock()

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = (http.client.HTTPSConnection(self.host, self.port, timeout=timeout) if self.https
                    else http.client.HTTPConnection(self.host, self.port, timeout=timeout))
            self._local.conn = conn
            with self._lock:
                self._all.add(conn)
        return conn

    def _drop(self) -> None:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            with self._lock:
                self._all.discard(conn)

    def close(self) -> None:
        """Close every connection."""
        with self._lock:
            connections = list(self._all)
            self._all.clear()
        for conn in connections:
            conn.close()

    def exchange(self, method: str, path: str, body: bytes | Iterator[bytes] | None, headers: dict[str, str],
                 deadline: float, max_bytes: int) -> _Reply:
        """Send one request and read the whole answer before ``deadline``. Raises ``TimeoutError``,
        :class:`_TooLarge`, or ``OSError``/``http.client.HTTPException`` if the server cannot be reached."""
        for attempt in (1, 2):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            conn = self._connection(min(remaining, _CONNECT_TIMEOUT))
            fresh = conn.sock is None
            try:
                if fresh:
                    conn.connect()
                assert conn.sock is not None
                conn.sock.settimeout(max(0.001, deadline - time.monotonic()))
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
            except (TimeoutError, OSError, http.client.HTTPException):
                self._drop()
                if fresh or attempt == 2 or time.monotonic() >= deadline or not isinstance(body, bytes | None):
                    raise
                continue  # a kept-alive connection the server had closed: once more on a new one
            try:
                chunks: list[bytes] = []
                size = 0
                while True:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError
                    if conn.sock is not None:
                        conn.sock.settimeout(remaining)
                    chunk = response.read(1 << 16)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > max_bytes:
                        raise _TooLarge
                    chunks.append(chunk)
            except BaseException:
                self._drop()
                raise
            if response.will_close:
                self._drop()
            media = (response.getheader("content-type") or "").split(";")[0].strip().lower()
            return _Reply(response.status, media, response.getheader("server") or "", b"".join(chunks))
        raise AssertionError("unreachable")


class RemoteExecutor:
    """Evaluates queries on a SPARQL 1.1 Protocol endpoint (``ATTGRAPH_STORE``).

    ``graphs`` are the named graphs the service holds (the union of them is the default graph); ``None``
    asks the server at :meth:`start` for the graphs under our graph namespace.
    """

    def __init__(self, url: str, *, graphs: Sequence[str] | None = None, max_bytes: int = 64 * 1024 * 1024,
                 ) -> None:
        self.url = url
        self.graphs: tuple[str, ...] | None = tuple(graphs) if graphs is not None else None
        self.max_bytes = max_bytes
        self._http: _Http | None = None
        self._lock = threading.Lock()
        self.requests = 0
        self.failures = 0
        self.oxigraph = False

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the connection pool and check the store answers; learn the graphs if none were given, and
        whether the server is Oxigraph (which has a faster way to ask for the union of the graphs)."""
        try:
            self._http = _Http(self.url)
        except ValueError as error:
            raise StoreUnavailable(str(error), {"store": self.url}) from None
        held, server = _graphs_and_server(self._http, 30.0)
        self.oxigraph = server.lower().startswith("oxigraph")
        if self.graphs is None:
            self.graphs = tuple(g for g in held if g.startswith(str(GRAPH)))

    def close(self) -> None:
        """Close the connections."""
        if self._http is not None:
            self._http.close()
            self._http = None

    def status(self) -> dict[str, Any]:
        """The store's URL, graphs, and requests sent and failed since start."""
        return {"store": self.url, "graphs": len(self.graphs or ()), "requests": self.requests,
                "failures": self.failures}

    # -- queries ----------------------------------------------------------------------------------------

    def _form(self, request: QueryRequest) -> tuple[list[tuple[str, str]], int]:
        """The form fields of the protocol request, and how many lines were put in front of the query."""
        text = request.text
        if request.substitutions:
            try:
                text = bind_values(text, request.substitutions)
            except ValueError as error:
                raise QueryError(f"the query's parameters cannot be bound: {error}", {"reason": str(error)},
                                 code="query_evaluation") from None
        header = prefix_header(text, request.prefixes)
        shift = 0
        if header:
            text = header + "\n" + text
            shift = 1
        fields = [("query", text)]
        dataset = request.dataset
        if not dataset.from_query:
            if dataset.default_graphs is None and self.oxigraph:
                fields.append(("union-default-graph", ""))
            else:
                default = dataset.default_graphs if dataset.default_graphs is not None else self.graphs or ()
                fields += [("default-graph-uri", g) for g in default]
            if dataset.named_graphs is not None or not self.oxigraph:
                named = dataset.named_graphs if dataset.named_graphs is not None else self.graphs or ()
                fields += [("named-graph-uri", g) for g in named]
        return fields, shift

    def _send(self, fields: list[tuple[str, str]], deadline: float, max_bytes: int) -> _Reply:
        transport = self._http
        if transport is None:
            raise StoreUnavailable("the remote store is not connected (the service is not started)")
        limit = round(max(0.0, deadline - time.monotonic()), 3)
        try:
            return transport.exchange("POST", transport.path, _encode(fields),
                                      {"content-type": _FORM, "accept": _ACCEPT}, deadline, max_bytes)
        except TimeoutError:
            raise QueryTimeout("the query was stopped at its deadline (the store did not answer in time)",
                               {"limit": limit}) from None
        except _TooLarge:
            raise QueryError(f"the store's answer is larger than {max_bytes} bytes", {"limit": max_bytes},
                             code="result_too_large", status=502) from None
        except (OSError, http.client.HTTPException) as error:
            raise StoreUnavailable(f"the remote store cannot be reached: {type(error).__name__}",
                                   {"store": self.url}) from None

    def run(self, request: QueryRequest, *, max_bytes: int | None = None) -> Answer:
        """Evaluate ``request`` on the store before its deadline; ``max_bytes`` overrides the answer size cap
        (the service's own queries, such as the one that builds the search index, are not capped)."""
        started = time.monotonic()
        fields, shift = self._form(request)
        with self._lock:
            self.requests += 1
        try:
            reply = self._send(fields, request.deadline, self.max_bytes if max_bytes is None else max_bytes)
            result, truncated = self._result(reply, shift, request.max_rows)
        except AttgraphError:
            with self._lock:
                self.failures += 1
            raise
        return Answer(result, truncated, time.monotonic() - started)

    async def evaluate(self, request: QueryRequest) -> Answer:
        """:meth:`run` from the event loop, on a thread (the store's answer is awaited there)."""
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self.run, request)

    def _result(self, reply: _Reply, shift: int, max_rows: int) -> tuple[QueryResult, bool]:
        if reply.status == 400:
            message = reply.body.decode("utf-8", errors="replace").strip()[:2000]
            match = _POSITION.search(message)
            if match:
                line = max(1, int(match[1]) - shift)
                message = _POSITION.sub(f"error at {line}:{match[2]}", message, count=1)
                raise syntax_error(message)
            raise QueryError(f"the query could not be evaluated: {message}", {"reason": message},
                             code="query_evaluation")
        if reply.status != 200:
            raise StoreUnavailable(f"the remote store answered {reply.status}", {"status": reply.status})
        if reply.media_type == _RESULTS_JSON:
            data = json.loads(reply.body)
            if "boolean" in data:
                return QueryResult("ask", (), json.dumps({"head": {}, "boolean": bool(data["boolean"])}).encode()), \
                    False
            variables = tuple(data.get("head", {}).get("vars", []))
            bindings = data.get("results", {}).get("bindings", [])
            if len(bindings) <= max_rows:
                return QueryResult("select", variables, reply.body), False
            data["results"]["bindings"] = bindings[:max_rows]
            return QueryResult("select", variables, json.dumps(data, ensure_ascii=False).encode("utf-8")), True
        if reply.media_type == _NTRIPLES:
            lines = [line for line in reply.body.split(b"\n") if line.strip()]
            truncated = len(lines) > max_rows
            body = b"\n".join(lines[:max_rows]) + (b"\n" if lines else b"")
            return QueryResult("graph", (), body), truncated
        raise StoreUnavailable(f"the remote store answered in an unexpected format: {reply.media_type or 'none'}",
                               {"content_type": reply.media_type})


def _encode(fields: list[tuple[str, str]]) -> bytes:
    return urlencode(fields).encode("ascii")


def _graphs_and_server(transport: _Http, timeout: float) -> tuple[list[str], str]:
    url = f"{'https' if transport.https else 'http'}://{transport.host}:{transport.port}{transport.path}"
    try:
        reply = transport.exchange("POST", transport.path, _encode([("query", internal_query("list_graphs").sparql)]),
                                   {"content-type": _FORM, "accept": _RESULTS_JSON}, time.monotonic() + timeout,
                                   64 * 1024 * 1024)
    except (OSError, http.client.HTTPException, _TooLarge) as error:
        raise StoreUnavailable(f"the remote store cannot be reached at {url}: {type(error).__name__}",
                               {"store": url}) from None
    if reply.status != 200:
        raise StoreUnavailable(f"the remote store answered {reply.status} at {url}",
                               {"store": url, "status": reply.status})
    try:
        rows = json.loads(reply.body)["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise StoreUnavailable(f"the remote store at {url} did not answer with SPARQL JSON results",
                               {"store": url}) from None
    graphs = sorted(row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri")
    return graphs, reply.server


def list_graphs(url: str, *, timeout: float = 10.0) -> list[str]:
    """The named graphs of the store at the query endpoint ``url``, sorted."""
    try:
        transport = _Http(url)
    except ValueError as error:
        raise StoreUnavailable(str(error), {"store": url}) from None
    try:
        return _graphs_and_server(transport, timeout)[0]
    finally:
        transport.close()


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
        transport = _Http(url)
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


def _request(transport: _Http, method: str, url: str, graph: str, timeout: float,
             body: Iterator[bytes] | None = None, headers: dict[str, str] | None = None) -> None:
    """One Graph Store Protocol request for ``graph``; raises :class:`StoreUnavailable` unless it succeeded."""
    path = transport.path + ("&" if "?" in transport.path else "?") + urlencode({"graph": graph})
    try:
        reply = transport.exchange(method, path, body, headers or {}, time.monotonic() + timeout, 1 << 20)
    except (TimeoutError, OSError, http.client.HTTPException, _TooLarge) as error:
        raise StoreUnavailable(f"{method} {url} for graph {graph} failed: {type(error).__name__}",
                               {"store": url, "graph": graph}) from None
    if reply.status not in (200, 201, 204):
        text = reply.body.decode("utf-8", errors="replace")[:300]
        raise StoreUnavailable(f"{method} {url} for graph {graph} was answered {reply.status}: {text}",
                               {"store": url, "graph": graph, "status": reply.status})


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
    """A :class:`~attgraph.graph.KnowledgeGraph` whose statements live in a remote store.

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
