"""Search over labels and source text, in Chinese and English: ``/search`` (page) and ``/api/search``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from attgraph.errors import AttgraphError
from attgraph.knowledge.search import Hit

from .bodies import query_fields
from .context import Context

__all__ = ["MAX_SEARCH_CHARS", "search_router"]

#: The longest search text accepted.
MAX_SEARCH_CHARS = 200
_MAX_LIMIT = 100


def _text_and_limit(request: Request) -> tuple[str, int]:
    fields = query_fields(request)
    text = (fields.get("q") or "").strip()
    if len(text) > MAX_SEARCH_CHARS:
        raise AttgraphError(f"the search text is {len(text)} characters long; the limit is {MAX_SEARCH_CHARS}",
                            {"limit": MAX_SEARCH_CHARS}, code="search_too_long", status=400)
    raw = fields.get("limit") or "20"
    if not raw.isdigit() or not 1 <= int(raw) <= _MAX_LIMIT:
        raise AttgraphError(f"limit must be a whole number from 1 to {_MAX_LIMIT}, got {raw!r}",
                            {"limit": raw}, code="bad_parameter", status=400)
    return text, int(raw)


def search_router(ctx: Context) -> APIRouter:
    """The search page and API."""
    router = APIRouter()

    async def hits(text: str, limit: int) -> list[Hit]:
        if not text:
            return []
        return await anyio.to_thread.run_sync(ctx.search, text, limit)

    @router.get("/api/search", summary="Search labels and source text (JSON)")
    async def search_api(request: Request) -> JSONResponse:
        text, limit = _text_and_limit(request)
        found: list[dict[str, Any]] = []
        for hit in await hits(text, limit):
            item = asdict(hit)
            item["score"] = round(hit.score, 3)
            item["page"] = ctx.link(hit.resource).href
            found.append(item)
        return JSONResponse({"query": text, "hits": found})

    @router.get("/search", summary="The search page", response_class=Response)
    async def search_page(request: Request) -> Response:
        text, limit = _text_and_limit(request)
        found = await hits(text, limit)
        labels = {h.resource: ctx.link(h.resource, h.label or "") for h in found}
        sources = {h.source: ctx.link(h.source) for h in found if h.source}
        return ctx.page(request, "search.html", text=text, hits=found, labels=labels, sources=sources)

    return router
