"""The SPARQL 1.1 Protocol endpoint ``/sparql``.

* query by GET (``query=``), POST ``application/x-www-form-urlencoded`` or POST ``application/sparql-query``;
* ``default-graph-uri`` and ``named-graph-uri`` choose among the graphs we hold (anything else is a 400);
* the result format is negotiated from ``Accept`` (q-values) or chosen with ``format=``;
* GET without a query answers the SPARQL Service Description (a browser is sent to the query page);
* no update of any kind: ``update=`` and ``application/sparql-update`` are refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from attgraph.errors import AttgraphError, FormatError, QueryError, QueryRefused
from attgraph.knowledge.formats import GRAPH_FORMATS, RESULT_FORMATS
from attgraph.knowledge.results import QueryResult

from .bodies import Fields, media_type, parse_fields, query_fields, read_body
from .context import Context
from .errors import UnsupportedMediaType, crash_response, error_response
from .forwarded import public_url, url_headers
from .lookups import LookupLane
from .middleware import secured
from .negotiation import choose, choose_view
from .responses import result_response, serialize

__all__ = ["SPARQL_PATH", "ProtocolRequest", "SparqlFastPath", "protocol_request", "sparql_routes"]

_FORM = "application/x-www-form-urlencoded"
_SPARQL_QUERY = "application/sparql-query"
_SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    """What a protocol request asks: the query (``None`` when there is none), the dataset and the format."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: tuple[str, ...]


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError("the query is not valid UTF-8", code="bad_encoding") from None


async def protocol_request(request: Request, limit: int) -> ProtocolRequest:
    """Read a protocol request from the query string and, for POST, the body."""
    fields = query_fields(request)
    queries = fields.getlist("query")
    if request.method == "POST":
        media = media_type(request)
        if media == _SPARQL_UPDATE:
            raise _update_refused()
        if media not in (_FORM, _SPARQL_QUERY):
            raise UnsupportedMediaType(
                f"a POST body must be {_FORM} or {_SPARQL_QUERY}, not {media or 'untyped'}",
                {"content_type": media or None, "accepted": [_FORM, _SPARQL_QUERY]})
        body = await read_body(request, limit)
        if media == _SPARQL_QUERY:
            queries.append(_decode(body))
        else:
            form = parse_fields(body, "form body")
            fields = fields + form
            queries.extend(form.getlist("query"))
    if fields.getlist("update"):
        raise _update_refused()
    if len(queries) > 1:
        raise QueryError(f"one request carries {len(queries)} queries; send exactly one",
                         {"queries": len(queries)}, code="query_ambiguous")
    return ProtocolRequest(queries[0] if queries else None, tuple(fields.getlist("default-graph-uri")),
                           tuple(fields.getlist("named-graph-uri")), tuple(fields.getlist("format")))


def _update_refused() -> QueryRefused:
    return QueryRefused("this service is read-only: SPARQL Update is not accepted", {}, code="update_refused")


def _wants_page(request: Request, fields: Fields) -> bool:
    """A browser (``text/html`` preferred strictly over every RDF format) asking without ``format=``."""
    try:
        return choose_view(GRAPH_FORMATS, request.headers.get("accept"), fields.getlist("format")) is None
    except FormatError:
        return False


#: The OpenAPI path item of ``/sparql`` (the route is a plain Starlette route: no dependency solving on the
#: busiest path, so FastAPI does not describe it by itself).
SPARQL_PATH: dict[str, Any] = {
    method: {
        "summary": summary, "operationId": f"sparql_{method}", "tags": ["SPARQL"],
        "description": "SPARQL 1.1 Protocol. The result format is negotiated from Accept or chosen with format=; "
                       "GET without a query answers the service description.",
        "parameters": [
            *([{"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
                "description": "the SPARQL query"}] if method == "get" else []),
            {"name": "default-graph-uri", "in": "query", "required": False,
             "schema": {"type": "array", "items": {"type": "string"}}, "description": "a graph we hold"},
            {"name": "named-graph-uri", "in": "query", "required": False,
             "schema": {"type": "array", "items": {"type": "string"}}, "description": "a graph we hold"},
            {"name": "format", "in": "query", "required": False, "description": "the result format (instead of Accept)",
             "schema": {"type": "string", "enum": sorted({f.name for f in RESULT_FORMATS + GRAPH_FORMATS})}},
        ],
        **({"requestBody": {"content": {
            _FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
            _SPARQL_QUERY: {"schema": {"type": "string"}}}}} if method == "post" else {}),
        "responses": {
            "200": {"description": "the result, in the negotiated format"},
            "400": {"description": "malformed, refused or ambiguous query"},
            "406": {"description": "no acceptable format"},
            "415": {"description": "POST body of another media type"},
            "503": {"description": "the deadline passed or the service is busy"},
        },
    }
    for method, summary in (("get", "SPARQL 1.1 Protocol: query by GET, or the service description"),
                            ("post", "SPARQL 1.1 Protocol: query by POST (form or application/sparql-query)"))
}


class SparqlFastPath:
    """``GET`` and ``POST`` on ``/sparql``, answered ahead of the framework's middleware and routing.

    The busiest route skips every layer it does not need (the framework's telemetry, body limit and error
    middleware, routing, the endpoint wrapper): it reads its own body within its own limit, handles errors
    exactly as the application's handlers do and adds the security headers itself. Any other method on the
    path goes through the application (``HEAD`` is answered like ``GET``, the rest get 405). With a ``lane``,
    a single-resource lookup by ``GET`` is answered by it first (:mod:`attgraph.web.lookups`).
    """

    def __init__(self, endpoint: Callable[[Request], Awaitable[Response]], path: str = "/sparql",
                 lane: LookupLane | None = None) -> None:
        self.endpoint = endpoint
        self.path = path
        self.lane = lane

    def takes(self, scope: Scope) -> bool:
        """Whether this request is one for :meth:`__call__`."""
        return scope["type"] == "http" and scope["path"] == self.path and scope["method"] in ("GET", "POST")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.lane is not None and await self.lane(scope, send):
            return
        request = Request(scope, receive)
        try:
            response = await self.endpoint(request)
        except AttgraphError as error:
            response = error_response(error)
        except Exception:
            response = crash_response(request)
        await response(scope, receive, secured(send))


def sparql_routes(ctx: Context) -> list[Route]:
    """The route answering ``/sparql`` (its endpoint is also what :class:`SparqlFastPath` calls)."""

    async def sparql(request: Request) -> Response:
        asked = await protocol_request(request, ctx.settings.max_body_bytes)
        accept = request.headers.get("accept")
        if asked.query is None:
            if request.method == "POST":
                raise QueryError("the request carries no query", code="query_missing")
            if _wants_page(request, query_fields(request)):
                return RedirectResponse(f"{ctx.base_path}/query", status_code=303)
            fmt = choose(GRAPH_FORMATS, accept, asked.formats)
            description: QueryResult = (await ctx.descriptions(public_url(request, ctx.settings))).service
            return Response(serialize(description, fmt), media_type=fmt.media_type, headers=url_headers(ctx.settings))
        gateway = ctx.gateway
        inspection, prepared = gateway.prepare(asked.query, default_graphs=asked.default_graphs,
                                               named_graphs=asked.named_graphs)
        table = GRAPH_FORMATS if inspection.form in ("construct", "describe") else RESULT_FORMATS
        fmt = choose(table, accept, asked.formats)
        answer = await gateway.submit(prepared)
        if (answer.result.kind == "graph") != (table is GRAPH_FORMATS):
            table = GRAPH_FORMATS if answer.result.kind == "graph" else RESULT_FORMATS
            fmt = choose(table, accept, asked.formats)
        return result_response(answer, fmt, ctx.settings.max_rows)

    return [Route("/sparql", sparql, methods=["GET", "POST"], name="sparql")]
