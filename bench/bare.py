"""The service with its safety switched off, to price the safety: ``python bench/bare.py DATA --port P``.

It serves ``GET /sparql?query=…`` over the same prebuilt store, with the same plumbing as ``attgraph serve``:
the store loaded once and shared by forked uvicorn processes (as many as the service runs by default), one
listening socket each on the same port (:func:`attgraph.web.server.listen`), the service's query-string
parser, the engine given only the prefixes the query names, and the service's response headers (security
headers, ``Vary``, ``Server-Timing``, ``Content-Length``) but for those of the row cap. What it leaves out is
every safety rule: no lexical guard, no query worker (the query runs in the HTTP process itself, on its
event loop), no deadline, no concurrency cap, no row cap, no memory cap, no test of which queries are
bounded. The difference in throughput is what the safety costs.
Never deploy this.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import uvicorn

from attgraph.build.prebuilt import load_graph
from attgraph.knowledge.namespaces import prefixes_for
from attgraph.settings import Settings
from attgraph.web.bodies import parse_fields
from attgraph.web.middleware import SECURITY_HEADERS
from attgraph.web.server import listen

_JSON = b"application/sparql-results+json"
_NTRIPLES = b"application/n-triples"


def application(store: ox.Store) -> Any:
    """The bare ASGI application over ``store``."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        text = parse_fields(scope["query_string"], "query string").get("query")
        if scope["path"] == "/health" or not text:
            body, media, status = b'{"status":"ok"}', b"application/json", 200
        else:
            try:
                began = time.perf_counter()
                result = store.query(text, use_default_graph_as_union=True, prefixes=prefixes_for(text))
                if isinstance(result, ox.QueryTriples):
                    body, media = bytes(result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""), _NTRIPLES
                else:
                    body, media = bytes(result.serialize(format=ox.QueryResultsFormat.JSON) or b""), _JSON
                status = 200
            except (SyntaxError, OSError, ValueError) as error:
                body, media, status = str(error).encode(), b"text/plain", 400
        timing = f"engine;dur={(time.perf_counter() - began) * 1000:.2f}".encode() if status == 200 else b"0"
        headers = [(b"server-timing", timing), (b"vary", b"Accept"), (b"content-length", str(len(body)).encode()),
                   (b"content-type", media), *SECURITY_HEADERS]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="a generated project with its prebuilt store")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--processes", type=int, default=Settings().processes)
    args = parser.parse_args(argv)
    graph, _ = load_graph(Settings(root=args.data), rebuild=False)
    app = application(graph.store)
    sockets = listen("127.0.0.1", args.port, args.processes)
    children = []
    for sock in sockets:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")).run(
                sockets=[sock])
            os._exit(0)
        children.append(pid)

    def stop(number: int, frame: object) -> None:
        for child in children:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    for child in children:
        os.waitpid(child, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
