"""The query page ``/query``: an editor, the named queries as examples, results as a table, downloads.

It works without script (a plain GET form). ``example=NAME`` fills the editor with a named query and shows
its parameters as fields; when the page runs a query with an example named, the example's declared
parameters are bound by the engine. ``format=`` turns the same request into a download.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from attgraph.errors import AttgraphError
from attgraph.knowledge import namedqueries
from attgraph.knowledge.formats import GRAPH_FORMATS, RESULT_FORMATS
from attgraph.knowledge.namedqueries import NamedQuery

from .bodies import query_fields
from .context import Context
from .negotiation import choose
from .queries import downloads
from .render import result_table
from .responses import result_response

__all__ = ["STARTER", "editor_router"]

#: What the editor holds when nothing is asked for.
STARTER = """\
# Every prefix listed beside the editor is declared already.
SELECT ?article ?number ?en ?zh WHERE {
  ?article a att:Article ;
    att:number ?number ;
    att:heading ?en , ?zh .
  FILTER(lang(?en) = "en" && lang(?zh) = "zh")
}
ORDER BY xsd:integer(?number)
"""
_RESERVED = {"query", "example", "format"}


def editor_router(ctx: Context) -> APIRouter:
    """``/query``."""
    router = APIRouter()
    catalog = ctx.graph.catalog

    @router.get("/query", summary="The query page (editor, examples, results, downloads)",
                response_class=Response)
    async def query_page(request: Request) -> Response:
        fields = query_fields(request)
        example: NamedQuery | None = None
        if fields.get("example"):
            example = namedqueries.get(catalog, fields.get("example") or "")
        text = fields.get("query")
        values = {k: v for k, v in fields.items if k not in _RESERVED}
        if example is not None:
            values = {p.name: values.get(p.name, p.default or "") for p in example.parameters}
        if text is not None and fields.get("format"):
            bindings = example.bindings(values) if example is not None else {}
            inspection, prepared = ctx.gateway.prepare(text, bindings)
            fmt_table = GRAPH_FORMATS if inspection.form in ("construct", "describe") else RESULT_FORMATS
            fmt = choose(fmt_table, None, fields.get("format"))
            answer = await ctx.gateway.submit(prepared)
            return result_response(answer, fmt, ctx.settings.max_rows, vary=False)
        table, error, status, links = None, None, 200, []
        if text is not None:
            try:
                bindings = example.bindings(values) if example is not None else {}
                answer = await ctx.gateway.run(text, bindings)
                table = result_table(answer.result, answer.truncated, ctx.base_path)
                formats = GRAPH_FORMATS if answer.result.kind == "graph" else RESULT_FORMATS
                carried = {"query": text, **({"example": example.name} if example else {}), **values}
                links = downloads(f"{ctx.base_path}/query", carried, formats)
            except AttgraphError as caught:
                error, status = caught, caught.status
        editor_text = text if text is not None else (example.sparql if example is not None else STARTER)
        return ctx.page(request, "query.html", status, text=editor_text, example=example, values=values,
                        examples=list(catalog.values()), table=table, error=error, downloads=links,
                        max_rows=ctx.settings.max_rows)

    return router
