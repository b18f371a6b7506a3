"""Remote-store mode: the service in front of an existing SPARQL server (``attgraph push`` fills it, see
:mod:`attgraph.engine.push`; :mod:`attgraph.engine.remote_graph` is the graph object over it).

:class:`RemoteExecutor` implements :class:`~attgraph.engine.requests.Executor` over the SPARQL 1.1 Protocol, so every
safety rule of the service (the lexical guard, graph checks, the concurrency cap, limits) still applies: it
sits behind :class:`~attgraph.engine.gateway.Gateway` like the local pool. It adds its own guards on the HTTP call:
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
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from attgraph.errors import AttgraphError, QueryError, QueryTimeout
from attgraph.knowledge.graph import internal_query
from attgraph.knowledge.namespaces import GRAPH
from attgraph.knowledge.results import QueryResult

from .guard import tokens
from .http import HttpClient, Reply, StoreUnavailable, TooLarge
from .requests import Answer, QueryRequest, syntax_error

__all__ = ["RemoteExecutor", "StoreUnavailable", "bind_values", "list_graphs", "prefix_header"]

_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_ACCEPT = f"{_RESULTS_JSON}, {_NTRIPLES};q=0.9"
_FORM = "application/x-www-form-urlencoded"
_POSITION = re.compile(r"error at (\d+):(\d+)")


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
        self._http: HttpClient | None = None
        self._lock = threading.Lock()
        self.requests = 0
        self.failures = 0
        self.oxigraph = False

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the connection pool and check the store answers; learn the graphs if none were given, and
        whether the server is Oxigraph (which has a faster way to ask for the union of the graphs)."""
        try:
            self._http = HttpClient(self.url)
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

    def _send(self, fields: list[tuple[str, str]], deadline: float, max_bytes: int) -> Reply:
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
        except TooLarge:
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
            result, truncated = self._result(reply, shift, request.max_rows, request)
        except AttgraphError:
            with self._lock:
                self.failures += 1
            raise
        return Answer(result, truncated, time.monotonic() - started)

    def here(self, request: QueryRequest) -> Answer | None:
        """Nothing is answered without the store."""
        return None

    async def evaluate(self, request: QueryRequest) -> Answer:
        """:meth:`run` from the event loop, on a thread (the store's answer is awaited there)."""
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self.run, request)

    def _result(self, reply: Reply, shift: int, max_rows: int, request: QueryRequest | None = None,
                ) -> tuple[QueryResult, bool]:
        if reply.status == 400:
            message = reply.body.decode("utf-8", errors="replace").strip()[:2000]
            match = _POSITION.search(message)
            if match:
                line = max(1, int(match[1]) - shift)
                message = _POSITION.sub(f"error at {line}:{match[2]}", message, count=1)
                raise syntax_error(message, request.text if request else None,
                                   request.prefixes if request else None)
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


def _graphs_and_server(transport: HttpClient, timeout: float) -> tuple[list[str], str]:
    url = f"{'https' if transport.https else 'http'}://{transport.host}:{transport.port}{transport.path}"
    try:
        reply = transport.exchange("POST", transport.path, _encode([("query", internal_query("list_graphs").sparql)]),
                                   {"content-type": _FORM, "accept": _RESULTS_JSON}, time.monotonic() + timeout,
                                   64 * 1024 * 1024)
    except (OSError, http.client.HTTPException, TooLarge) as error:
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
        transport = HttpClient(url)
    except ValueError as error:
        raise StoreUnavailable(str(error), {"store": url}) from None
    try:
        return _graphs_and_server(transport, timeout)[0]
    finally:
        transport.close()
