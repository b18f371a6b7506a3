"""Named queries over HTTP: ``/queries`` lists them, ``/queries/{name}`` runs one.

Parameters come as query-string fields named after them (``/queries/chairs-of-body?body=body:WGETI``);
they are typed, validated and bound by the engine, never pasted into the text. ``format=`` or ``Accept``
picks the result format; a browser gets a page with a form, the SPARQL and the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from attgraph.engine.guard import inspect
from attgraph.errors import AttgraphError, ParameterError
from attgraph.knowledge import namedqueries
from attgraph.knowledge.formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from attgraph.knowledge.namedqueries import NamedQuery
from attgraph.knowledge.namespaces import compact

from .bodies import Fields, query_fields
from .context import Context
from .negotiation import choose_view
from .parameters import pickers, resolve
from .render import result_table
from .responses import result_response

__all__ = ["QUERY_FORMATS", "catalog_json", "formats_of", "queries_router"]

#: The format parameter's name; every other query-string field is a query parameter.
_FORMAT = "format"
#: The JSON form of the catalogue offered next to its page.
QUERY_FORMATS: tuple[Format, ...] = (RESULT_FORMATS[0],)


@dataclass(frozen=True)
class Download:
    """A link to the result in one format."""

    name: str
    href: str


def formats_of(query: NamedQuery) -> tuple[Format, ...]:
    """The formats a named query's results come in (results for SELECT/ASK, RDF for CONSTRUCT/DESCRIBE)."""
    form = inspect(query.sparql, max_bytes=1 << 30, max_depth=1 << 30).form
    return GRAPH_FORMATS if form in ("construct", "describe") else RESULT_FORMATS


def catalog_json(catalog: dict[str, NamedQuery], base_path: str = "") -> list[dict[str, Any]]:
    """The catalogue as JSON: name, title, description, keywords, parameters, URL and formats."""
    return [{
        "name": q.name, "title": q.title, "description": q.description, "keywords": list(q.keywords),
        "url": f"{base_path}/queries/{q.name}",
        "parameters": [{"name": p.name, "type": p.type, "default": p.default, "required": p.required,
                        "description": p.description,
                        **({"classes": [compact(c) for c in p.classes]} if p.classes else {})}
                       for p in q.parameters],
        "formats": [f.name for f in formats_of(q)],
    } for q in catalog.values()]


def _parameters(fields: Fields, query: NamedQuery) -> dict[str, str]:
    """Query-string fields as parameter values; a parameter given twice is an error."""
    values: dict[str, str] = {}
    for key, value in fields.items:
        if key == _FORMAT:
            continue
        if key in values:
            raise ParameterError(f"parameter {key!r} is given more than once", {"query": query.name,
                                                                                "parameter": key})
        values[key] = value
    return values


def downloads(path: str, values: dict[str, str], formats: tuple[Format, ...]) -> list[Download]:
    """Links to the same result in each format."""
    return [Download(f.name, f"{path}?{urlencode({**values, _FORMAT: f.name})}") for f in formats]


def _origins(ctx: Context, request: Request) -> set[str]:
    """The scheme and host a page of this service may be given with: the request's own and the public URL's."""
    public = urlsplit(ctx.settings.public_url)
    return {f"{request.url.scheme}://{request.url.netloc}", f"{public.scheme}://{public.netloc}"}


def queries_router(ctx: Context) -> APIRouter:
    """``/queries`` and ``/queries/{name}``."""
    router = APIRouter()
    catalog = ctx.graph.catalog

    @router.get("/queries", summary="The named queries", response_class=Response)
    async def listing(request: Request) -> Response:
        fmt = choose_view(QUERY_FORMATS, request.headers.get("accept"), query_fields(request).get(_FORMAT))
        if fmt is None:
            return ctx.page(request, "queries.html", queries=list(catalog.values()))
        return JSONResponse(catalog_json(catalog, ctx.base_path), headers={"Vary": "Accept"})

    @router.get("/queries/{name}", summary="Run a named query (parameters as query-string fields)",
                response_class=Response)
    async def run(request: Request, name: str) -> Response:
        query = namedqueries.get(catalog, name)
        fields = query_fields(request)
        formats = formats_of(query)
        fmt = choose_view(formats, request.headers.get("accept"), fields.get(_FORMAT))
        values = _parameters(fields, query)
        if fmt is not None:
            exact = await resolve(ctx, query, values, _origins(ctx, request))
            answer = await ctx.gateway.run(query.sparql, query.bindings(exact))
            return result_response(answer, fmt, ctx.settings.max_rows)
        shown = {p.name: values.get(p.name, p.default or "") for p in query.parameters}
        table, error, status, wrong = None, None, 200, None
        try:
            exact = await resolve(ctx, query, values, _origins(ctx, request))
            shown = {p.name: compact(exact[p.name]) if p.type == "iri" and p.name in exact else shown[p.name]
                     for p in query.parameters}
            answer = await ctx.gateway.run(query.sparql, query.bindings(exact))
            table = result_table(answer.result, answer.truncated, ctx.base_path)
        except AttgraphError as caught:
            error, status, wrong = caught, caught.status, caught.details.get("parameter")
        path = f"{ctx.base_path}/queries/{query.name}"
        return ctx.page(request, "named_query.html", status, query=query, values=shown, table=table,
                        error=error, wrong=wrong, pickers=pickers(ctx, query, shown),
                        downloads=downloads(path, {k: v for k, v in values.items()}, formats),
                        max_rows=ctx.settings.max_rows)

    return router
