"""The service with its safety switched off, for comparison: ``uvicorn --factory bare:app``.

One ``GET /sparql`` route that evaluates the query in the server process itself (in a thread), on the same
prebuilt store, with none of the service's guards: no lexical check, no worker process, no deadline, no
concurrency cap, no row cap. What the service's safety costs is the difference. Never deploy this.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import anyio.to_thread
import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import Response

from attgraph.namespaces import PREFIXES
from attgraph.settings import Settings
from attgraph.store import load_graph


def app() -> FastAPI:
    """The bare application over the prebuilt store of ``BENCH_DATA``."""
    graph, _ = load_graph(Settings(root=Path(os.environ["BENCH_DATA"])), rebuild=False)
    store = graph.store
    bare = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def evaluate(text: str) -> tuple[bytes, str]:
        result = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
        buffer = io.BytesIO()
        if isinstance(result, ox.QueryTriples):
            result.serialize(buffer, format=ox.RdfFormat.N_TRIPLES)
            return buffer.getvalue(), "application/n-triples"
        result.serialize(buffer, format=ox.QueryResultsFormat.JSON)
        return buffer.getvalue(), "application/sparql-results+json"

    @bare.get("/sparql")
    async def sparql(request: Request) -> Response:
        body, media = await anyio.to_thread.run_sync(evaluate, request.query_params["query"])
        return Response(body, media_type=media)

    @bare.get("/health")
    async def health() -> dict[str, int]:
        return {"triples": len(store)}

    return bare
