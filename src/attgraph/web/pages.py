"""Pages that are not about one resource: the home page, the API page (Swagger UI, vendored in ``static/`` by
``scripts/vendor-swagger-ui.sh``), and the static files (stylesheet, scripts)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from attgraph.errors import NotFound
from attgraph.knowledge.namespaces import ATT

from .context import Context

__all__ = ["STATIC", "pages_router"]

STATIC = Path(__file__).resolve().parent / "static"
_STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".ico": "image/x-icon"}
_KINDS = ((str(ATT.Article), "Articles of the treaty", "条约条款"), (str(ATT.Body), "Bodies", "机构"),
          (str(ATT.Framework), "Step-by-step frameworks", "分步框架"))


def pages_router(ctx: Context) -> APIRouter:
    """``/``, ``/api`` and ``/static/{name}``."""
    router = APIRouter()
    files = {p.name: p for p in STATIC.iterdir() if p.suffix in _STATIC_TYPES}

    @router.get("/", summary="The home page", response_class=Response)
    async def home(request: Request) -> Response:
        rows = (await ctx.run_internal("home", {})).result.values()
        groups = [(en, zh, [ctx.link(r["item"], r["itemEn"], r["itemZh"]) for r in rows if r["kind"] == kind])
                  for kind, en, zh in _KINDS]
        return ctx.page(request, "home.html", groups=groups, triples=ctx.statements,
                        graphs=len(ctx.graph.graph_names()), queries=len(ctx.graph.catalog))

    @router.get("/api", summary="The API documentation (Swagger UI, offline)", response_class=Response)
    async def api(request: Request) -> Response:
        return ctx.page(request, "api.html")

    @router.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> FileResponse:
        path = files.get(name)
        if path is None:
            raise NotFound(f"no static file {name}", {"file": name})
        return FileResponse(path, media_type=_STATIC_TYPES[path.suffix],
                            headers={"Cache-Control": "public, max-age=3600"})

    return router
