"""The SPARQL 1.1 Protocol endpoint ``/sparql``: GET and POST (form or ``application/sparql-query``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..errors import AttgraphError, QueryError
from ..formats import GRAPH_FORMATS, RESULT_FORMATS
from ..graph import KnowledgeGraph
from ..negotiation import choose

__all__ = ["sparql_router"]

_FORM = "application/x-www-form-urlencoded"
_SPARQL_QUERY = "application/sparql-query"


class UnsupportedBody(AttgraphError):
    """The POST body is of a media type the protocol does not allow."""

    code = "unsupported_media_type"
    status = 415


async def _query_text(request: Request) -> tuple[str, str | None]:
    """The query and the requested format, from the query string and (for POST) the body."""
    given = request.query_params.getlist("query")
    fmt = request.query_params.get("format")
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if media == _SPARQL_QUERY:
            given.append(body.decode("utf-8"))
        elif media == _FORM:
            form = await request.form()
            given.extend(str(v) for v in form.getlist("query"))
            fmt = fmt or (str(form["format"]) if "format" in form else None)
        else:
            raise UnsupportedBody(f"POST body must be {_FORM} or {_SPARQL_QUERY}, not {media or 'empty'}",
                                  {"content_type": media})
    if len(given) != 1:
        raise QueryError("exactly one query is needed" if not given else "more than one query was given",
                         {"queries": len(given)})
    return given[0], fmt


def sparql_router(graph: KnowledgeGraph) -> APIRouter:
    """The router answering ``/sparql``."""
    router = APIRouter()

    @router.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 Protocol query endpoint")
    async def sparql(request: Request) -> Response:
        text, requested = await _query_text(request)
        result = graph.query(text)
        table = GRAPH_FORMATS if result.kind == "graph" else RESULT_FORMATS
        fmt = choose(table, request.headers.get("accept"), requested)
        return Response(result.serialize(fmt), media_type=fmt.media_type)

    return router
