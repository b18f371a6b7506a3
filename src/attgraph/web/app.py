"""``create_app(graph, settings)``: the FastAPI application. No module globals: every app owns its graph."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import AttgraphError, error_body
from ..graph import KnowledgeGraph
from ..settings import Settings
from .sparql import sparql_router

__all__ = ["create_app"]


def _error_response(error: AttgraphError) -> JSONResponse:
    return JSONResponse(error_body(error), status_code=error.status)


def create_app(graph: KnowledgeGraph, settings: Settings | None = None) -> FastAPI:
    """The web service for ``graph``."""
    settings = settings or graph.settings
    app = FastAPI(title="attgraph", version=__version__,
                  description="A knowledge graph of the Arms Trade Treaty, with a SPARQL 1.1 endpoint.")
    app.state.graph = graph
    app.state.settings = settings

    @app.exception_handler(AttgraphError)
    async def on_error(request: Request, error: AttgraphError) -> JSONResponse:
        return _error_response(error)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        wrapped = AttgraphError(str(error.detail), code=code, status=error.status_code)
        response = _error_response(wrapped)
        if error.headers:
            response.headers.update(error.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def on_bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
        wrapped = AttgraphError("the request is malformed", {"errors": [e.get("msg") for e in error.errors()]},
                                code="bad_request", status=400)
        return _error_response(wrapped)

    @app.get("/health", summary="Liveness and size")
    async def health() -> dict[str, object]:
        return {"status": "ok", "triples": len(graph.store), "version": __version__}

    app.include_router(sparql_router(graph))
    return app
