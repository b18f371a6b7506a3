"""Search over labels and source text, in Chinese and English: ``/search`` (the page), ``/api/search`` (the
same as JSON) and ``/api/complete`` (what the pickers of named-query forms ask as one types).

``q`` the text, ``limit`` and ``offset`` the page; ``class`` (repeatable, a prefixed name or a full IRI) keeps
only resources of that class. The index is :class:`attgraph.knowledge.search.SearchIndex`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from attgraph.errors import AttgraphError
from attgraph.knowledge.namedqueries import expand
from attgraph.knowledge.namespaces import compact
from attgraph.knowledge.search import Hit, Page

from .bodies import Fields, query_fields
from .context import Context

__all__ = ["MAX_SEARCH_CHARS", "search_router"]

#: The longest search text accepted.
MAX_SEARCH_CHARS = 200
_MAX_LIMIT = 100
_MAX_OFFSET = 1000
_MAX_CLASSES = 8


def _number(fields: Fields, name: str, default: str, low: int, high: int) -> int:
    raw = fields.get(name) or default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise AttgraphError(f"{name} must be a whole number from {low} to {high}, got {raw!r}",
                            {name: raw}, code="bad_parameter", status=400)
    return int(raw)


def _request(request: Request, default_limit: str = "20") -> tuple[str, int, int, tuple[str, ...]]:
    """The text, limit, offset and classes a search request asks for."""
    fields = query_fields(request)
    text = (fields.get("q") or "").strip()
    if len(text) > MAX_SEARCH_CHARS:
        raise AttgraphError(f"the search text is {len(text)} characters long; the limit is {MAX_SEARCH_CHARS}",
                            {"limit": MAX_SEARCH_CHARS}, code="search_too_long", status=400)
    limit = _number(fields, "limit", default_limit, 1, _MAX_LIMIT)
    offset = _number(fields, "offset", "0", 0, _MAX_OFFSET)
    given = fields.getlist("class")
    if len(given) > _MAX_CLASSES:
        raise AttgraphError(f"at most {_MAX_CLASSES} classes, got {len(given)}", {"class": given},
                            code="bad_parameter", status=400)
    classes = []
    for value in given:
        try:
            classes.append(expand(value.strip()))
        except ValueError:
            raise AttgraphError(f"class must be a prefixed name or a full IRI, got {value!r}", {"class": value},
                                code="bad_parameter", status=400) from None
    return text, limit, offset, tuple(classes)


def _hit_json(ctx: Context, hit: Hit) -> dict[str, Any]:
    return {
        "resource": hit.resource, "page": ctx.link(hit.resource).href, "label": hit.label, "labelZh": hit.label_zh,
        "type": hit.type, "typeLabel": hit.type_label, "typeLabelZh": hit.type_label_zh,
        "score": round(hit.score, 3), "field": hit.field, "snippet": hit.snippet.text,
        "highlights": [list(mark) for mark in hit.snippet.marks],
        "source": hit.source, "number": hit.number, "via": hit.via,
    }


def search_router(ctx: Context) -> APIRouter:
    """The search page and APIs."""
    router = APIRouter()

    async def search(text: str, limit: int, offset: int, classes: tuple[str, ...] = (),
                     complete: bool = False) -> Page:
        if not text and not complete:
            return Page([], 0, offset, limit)
        return await anyio.to_thread.run_sync(
            lambda: ctx.search_index.search(text, limit, offset, classes, complete=complete))

    @router.get("/api/search", summary="Search labels and source text (JSON)")
    async def search_api(request: Request) -> JSONResponse:
        text, limit, offset, classes = _request(request)
        found = await search(text, limit, offset, classes)
        return JSONResponse({"query": text, "total": found.total, "offset": offset, "limit": limit,
                             "hits": [_hit_json(ctx, hit) for hit in found.hits]})

    @router.get("/api/complete", summary="Resources whose names start with what was typed (for pickers)")
    async def complete_api(request: Request) -> JSONResponse:
        text, limit, offset, classes = _request(request, default_limit="10")
        found = await search(text, limit, offset, classes, complete=True)
        items = [{"value": compact(h.resource), "iri": h.resource, "label": h.label, "labelZh": h.label_zh,
                  "type": h.type, "typeLabel": h.type_label, "page": ctx.link(h.resource).href}
                 for h in found.hits]
        return JSONResponse({"query": text, "classes": [compact(c) for c in classes], "total": found.total,
                             "items": items})

    @router.get("/search", summary="The search page", response_class=Response)
    async def search_page(request: Request) -> Response:
        text, limit, offset, classes = _request(request)
        found = await search(text, limit, offset, classes)
        links = {h.resource: ctx.link(h.resource, h.label, h.label_zh) for h in found.hits}
        links.update({v: ctx.link(v) for h in found.hits for v in h.via[:3] if v not in links})
        sources = {h.source: ctx.link(h.source) for h in found.hits if h.source}

        def at(start: int) -> str:
            carried = [("q", text), *(("class", compact(c)) for c in classes)]
            return f"{ctx.base_path}/search?{urlencode([*carried, ('offset', str(start))])}"

        previous = at(max(0, offset - limit)) if offset else None
        following = at(offset + limit) if offset + limit < min(found.total, _MAX_OFFSET + limit) else None
        return ctx.page(request, "search.html", text=text, found=found, links=links, sources=sources,
                        previous=previous, following=following)

    return router
