"""Errors of HTTP itself, and the handlers that turn every error into the one JSON body.

Whatever goes wrong, a client gets ``{"error": {"code", "status", "message", "details"}}``
(:func:`attgraph.errors.error_body`) with the matching status; never a traceback, a path or an internal
name. A :class:`~attgraph.errors.ServiceBusy` answer also carries ``Retry-After``, a 405 ``Allow``.

The one exception is a 404 for a browser (``Accept`` naming ``text/html`` before any JSON): it gets a page
saying what was not found, with what a search for the last words of its path finds, so that a mistyped or
outdated link still leads somewhere. API clients keep the JSON.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match, Route

from attgraph.errors import AttgraphError, ServiceBusy, error_body

__all__ = ["BadRequest", "MethodNotAllowed", "UnsupportedMediaType", "crash_response", "error_response",
           "install_handlers"]

_log = logging.getLogger("attgraph.web")


class BadRequest(AttgraphError):
    """The request itself is malformed (not the query in it)."""

    code = "bad_request"
    status = 400


class UnsupportedMediaType(AttgraphError):
    """A body of a media type the route does not take."""

    code = "unsupported_media_type"
    status = 415


class MethodNotAllowed(AttgraphError):
    """The route exists but not for this method; ``details["allow"]`` lists the methods it takes."""

    code = "method_not_allowed"
    status = 405


def error_response(error: AttgraphError) -> JSONResponse:
    """The JSON response for ``error``, with ``Retry-After`` or ``Allow`` when they apply."""
    response = JSONResponse(error_body(error), status_code=error.status)
    if isinstance(error, ServiceBusy) or error.status == 503:
        response.headers["Retry-After"] = str(error.details.get("retry_after", 1))
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.details.get("allow", []))
    return response


def crash_response(request: Request) -> JSONResponse:
    """The 500 answer to an error no handler expected (logged with its traceback, never shown)."""
    _log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(AttgraphError("the service failed to answer this request (a bug; it is logged)",
                                        code="internal_error", status=500))


def _allowed(request: Request) -> list[str]:
    """Every method some route of the application takes at the request's path."""
    scope = {**request.scope, "method": "GET"}
    methods: set[str] = set()
    pending: list[BaseRoute] = list(request.app.router.routes)
    while pending:
        route = pending.pop()
        if isinstance(route, Route):
            match, _ = route.matches(scope)
            if match != Match.NONE and route.methods:
                methods |= set(route.methods)
        else:  # an included router (its routes keep their full paths) or a mount
            inner = getattr(route, "original_router", route)
            pending.extend(getattr(inner, "routes", []))
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _wants_html(request: Request) -> bool:
    """Whether the client is a browser: ``text/html`` accepted, and before any JSON."""
    accept = request.headers.get("accept", "").lower()
    html = accept.find("text/html")
    json_at = min((i for i in (accept.find("application/json"), accept.find("+json")) if i >= 0), default=-1)
    return html >= 0 and (json_at < 0 or html < json_at)


def _words(path: str) -> str:
    """The words a search for a missing page tries: its last path segment, without extension or dashes."""
    segments = [unquote(part) for part in path.split("/") if part and part not in ("id", "graph", "queries")]
    if not segments:
        return ""
    last = re.sub(r"\.(html|ttl|jsonld|nt|rdf|json)$", "", segments[-1])
    return re.sub(r"[-_.+]+", " ", last).strip()[:100]


async def _not_found_page(request: Request, error: AttgraphError) -> Response | None:
    """The page for a browser's 404 (``None`` for other clients, or when no service context is there)."""
    ctx: Any = getattr(request.app.state, "context", None)
    if ctx is None or not _wants_html(request):
        return None
    words = _words(request.url.path)
    hits: list[tuple[str, Any]] = []
    if words:
        try:
            found = await anyio.to_thread.run_sync(lambda: ctx.search_index.search(words, 5, 0, ()))
            hits = [(hit.type_label or "", ctx.link(hit.resource, hit.label, hit.label_zh)) for hit in found.hits]
        except AttgraphError:
            hits = []
    page: Response = ctx.page(request, "not_found.html", 404, message=error.message, words=words, hits=hits)
    page.headers["Vary"] = "Accept"
    return page


def install_handlers(app: FastAPI) -> None:
    """Route every exception through :func:`error_response`."""

    @app.exception_handler(AttgraphError)
    async def on_error(request: Request, error: AttgraphError) -> Response:
        if error.status == 404:
            page = await _not_found_page(request, error)
            if page is not None:
                return page
        return error_response(error)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 405:
            allow = _allowed(request)
            return error_response(MethodNotAllowed(
                f"{request.method} is not allowed on {request.url.path}; use {' or '.join(allow)}",
                {"method": request.method, "allow": allow}))
        if error.status_code == 404:
            missing = AttgraphError(f"nothing here: {request.url.path}", {"path": request.url.path},
                                    code="not_found", status=404)
            page = await _not_found_page(request, missing)
            return page if page is not None else error_response(missing)
        return error_response(AttgraphError(str(error.detail), code="http_error", status=error.status_code))

    @app.exception_handler(RequestValidationError)
    async def on_bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in error.errors()]
        return error_response(BadRequest("the request is malformed", {"errors": problems}))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, error: Exception) -> JSONResponse:
        return crash_response(request)
