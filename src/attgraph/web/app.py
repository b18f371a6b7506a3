"""``create_app(graph, settings)``: the FastAPI application. It only assembles: each router lives in a module
named after what it serves. No module globals: every app owns its graph, its workers and its templates.

The query workers start with the application (lifespan) and stop with it. The search index is built on the
first search, not at start-up.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from attgraph import __version__
from attgraph.engine.admission import CLIENT
from attgraph.engine.forkserver import ForkServer
from attgraph.engine.requests import Executor
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.settings import Settings

from .caching import Cache, caching
from .context import Context
from .description import description_router
from .editor import editor_router
from .errors import install_handlers
from .lists import lists_router
from .lookups import LookupLane
from .middleware import HeadAsGet, SecurityHeaders
from .openapi import install_openapi
from .pages import pages_router
from .queries import queries_router
from .resources import resources_router
from .search import search_router
from .sparql import SparqlFastPath, sparql_routes
from .validate import validate_router

__all__ = ["create_app"]

_DESCRIPTION = (
    "A knowledge graph of the Arms Trade Treaty: a SPARQL 1.1 endpoint, named queries, dereferenceable "
    "resources (HTML, Turtle, JSON-LD, N-Triples), search and SHACL validation. Every error has the body "
    '{"error": {"code", "status", "message", "details"}}.'
)


class _Service(FastAPI):
    """The application: FastAPI, except that every request first meets the answer cache
    (:mod:`attgraph.web.caching`), and ``GET``/``POST /sparql`` then goes straight to :class:`SparqlFastPath`,
    ahead of FastAPI's own middleware (which costs the busiest route more than its checks do)."""

    sparql: SparqlFastPath | None = None
    entry: Callable[[Scope, Receive, Send], Awaitable[None]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":  # the queries of this request are run on behalf of its client's address
            CLIENT.set(scope["client"][0] if scope.get("client") else "")
        await (self.entry or self.dispatch)(scope, receive, send)

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The request past the cache."""
        if self.sparql is not None and self.sparql.takes(scope):
            await self.sparql(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _answers_digest(graph: KnowledgeGraph, settings: Settings) -> str:
    """What every answer depends on: the data, the code that renders it (version, templates, stylesheet,
    script) and the settings (the row cap, the public URL …)."""
    digest = hashlib.sha256(f"{__version__}\n{graph.digest}\n{settings!r}".encode())
    web = Path(__file__).resolve().parent
    for path in sorted([*web.glob("templates/*"), *web.glob("static/*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def create_app(graph: KnowledgeGraph, settings: Settings | None = None, executor: Executor | None = None,
               forks: ForkServer | None = None) -> FastAPI:
    """The web service for ``graph``; ``executor`` replaces the local worker pool (e.g. a remote store);
    ``forks`` is the fork server the local pool asks for workers (by default the pool forks its own)."""
    settings = settings or graph.settings
    ctx = Context(graph, settings, executor, forks)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(ctx.start)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(ctx.stop)

    app = _Service(title="attgraph", version=__version__, description=_DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.context = ctx
    install_handlers(app)
    routes = sparql_routes(ctx)
    app.sparql = SparqlFastPath(routes[0].endpoint, lane=LookupLane(ctx))
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    app.state.cache = Cache(_answers_digest(graph, settings), settings.cache_mb * 1024 * 1024,
                            settings.cache_max_age, settings.cache_timeouts)
    app.entry = caching(app.state.cache, app.dispatch, settings.max_body_bytes)

    @app.get("/health", summary="Liveness, size and the state of the query workers")
    async def health() -> JSONResponse:
        """``ok`` when every worker is alive, ``degraded`` while some are being replaced (still 200), 503 when
        none is: the truth about the pool, counted from its live processes."""
        queries = ctx.gateway.status()
        alive, wanted = queries.get("alive"), queries.get("workers")
        state = "ok" if alive is None or alive == wanted else "degraded" if alive else "down"
        return JSONResponse({"status": state, "triples": ctx.statements, "version": __version__,
                             "queries": queries, "memory": ctx.memory.describe(),
                             "cache": app.state.cache.status()},
                            status_code=503 if state == "down" else 200)

    app.router.routes.extend(routes)
    for router in (description_router(ctx.descriptions, ctx.dumps, settings), queries_router(ctx),
                   editor_router(ctx), search_router(ctx), validate_router(ctx), lists_router(ctx),
                   resources_router(ctx),
                   pages_router(ctx)):
        app.include_router(router)
    app.include_router(install_openapi(app, graph.catalog, settings))
    return app
