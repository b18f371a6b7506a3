"""What the service says about itself and what it hands out whole: the SPARQL Service Description, the
VoID/DCAT description of the dataset (``/.well-known/void``, also at ``/dataset``, the local path of the
dataset's IRI), the dumps (``/dumps/{file}``) and the JSON-LD context (``/context.jsonld``).

The descriptions are computed on first use for each public URL (:mod:`attgraph.web.forwarded`), by the query
workers, from the package's own ``.rq`` files (the same ``void`` and ``void_dumps`` queries ``attgraph build``
writes ``void.ttl`` with): the dumps are announced as ``void:dataDump`` and as DCAT distributions with their
download URL, media type, size and SHA-256. The dumps are those ``attgraph build`` wrote for the data being
served (:class:`Dumps`); each answer carries the strong ``ETag`` of its bytes.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from attgraph.build.dumps import DATASET_IRI, Dump, DumpCatalog, distribution_params
from attgraph.errors import NotFound
from attgraph.knowledge.formats import GRAPH_FORMATS
from attgraph.knowledge.jsonld import published_context
from attgraph.knowledge.results import QueryResult
from attgraph.settings import Settings

from .forwarded import public_url, url_headers
from .negotiation import choose
from .responses import graph_result, serialize

__all__ = ["CONTEXT_PATH", "DUMPS_PATH", "Descriptions", "Dumps", "describe_service", "description_router"]

#: Where the JSON-LD context is served (its IRI is ``https://w3id.org/attgraph/context.jsonld``).
CONTEXT_PATH = "/context.jsonld"
#: Where the dumps are served, one file name after it.
DUMPS_PATH = "/dumps/"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Descriptions:
    """The service description and the dataset description, as graph results."""

    service: QueryResult
    void: QueryResult


class Dumps:
    """The dumps of the data being served, open for reading.

    Each file is opened once, before the service processes fork, and read through that descriptor: a build that
    replaces the files meanwhile does not change what this service hands out (the old files stay readable until
    the service stops), so a dump always matches the data, the ``ETag`` and the checksum in the description.
    A file whose bytes are not the catalogue's is left out.
    """

    def __init__(self, catalog: DumpCatalog | None, folder: Path) -> None:
        self.files: dict[str, tuple[Dump, int]] = {}
        for dump in catalog.dumps if catalog else ():
            try:
                descriptor = os.open(folder / dump.name, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                continue
            if self._digest(descriptor) == dump.sha256:
                self.files[dump.name] = (dump, descriptor)
            else:
                os.close(descriptor)

    @staticmethod
    def _digest(descriptor: int) -> str:
        digest = hashlib.sha256()
        offset = 0
        while chunk := os.pread(descriptor, _CHUNK, offset):
            digest.update(chunk)
            offset += len(chunk)
        return digest.hexdigest()

    @property
    def catalog(self) -> tuple[Dump, ...]:
        """The dumps offered, in the catalogue's order."""
        return tuple(dump for dump, _ in self.files.values())

    def get(self, name: str) -> tuple[Dump, int]:
        """A dump and its descriptor; :class:`NotFound` listing the others."""
        try:
            return self.files[name]
        except KeyError:
            raise NotFound(f"no dump {name}", {"file": name, "available": sorted(self.files)}) from None

    def close(self) -> None:
        """Close every descriptor."""
        for _, descriptor in self.files.values():
            with contextlib.suppress(OSError):
                os.close(descriptor)
        self.files.clear()


async def describe_service(run: Callable[[str, dict[str, str]], Awaitable[QueryResult]], base: str,
                           dumps: tuple[Dump, ...] = ()) -> Descriptions:
    """Both descriptions for a service reached at ``base``; ``run`` evaluates one of the package's own queries
    (through the query workers: the dataset description counts over the whole store)."""
    endpoint = base.rstrip("/") + "/sparql"
    home = base.rstrip("/") + "/"
    service = await run("service_description", {"endpoint": endpoint, "dataset": DATASET_IRI})
    reach = await run("void_service", {"dataset": DATASET_IRI, "endpoint": endpoint, "home": home})
    void = (await run("void", {"dataset": DATASET_IRI})).triples() + reach.triples()
    for dump in dumps:
        params = distribution_params(dump, base.rstrip("/") + DUMPS_PATH + dump.name)
        void += (await run("void_dumps", params)).triples()
    return Descriptions(graph_result(service.triples()), graph_result(void))


def _etag_matches(request: Request, etag: str) -> bool:
    tags = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
    return etag in tags or "*" in tags


def description_router(descriptions: Callable[[str], Awaitable[Descriptions]], dumps: Dumps,
                       settings: Settings) -> APIRouter:
    """``/.well-known/void`` and ``/dataset`` (the VoID/DCAT description in the negotiated RDF format),
    ``/dumps/{file}`` and ``/context.jsonld``."""
    router = APIRouter()
    cache_control = f"public, max-age={settings.cache_max_age}"
    context_body = (json.dumps(published_context(), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    context_etag = f'"{hashlib.sha256(context_body).hexdigest()}"'

    @router.get("/.well-known/void", summary="VoID and DCAT description of the dataset", response_class=Response)
    @router.get("/dataset", summary="The dataset (its IRI's local path): its VoID and DCAT description",
                response_class=Response)
    async def void(request: Request, format: str | None = None) -> Response:
        fmt = choose(GRAPH_FORMATS, request.headers.get("accept"), format)
        described = (await descriptions(public_url(request, settings))).void
        return Response(serialize(described, fmt), media_type=fmt.media_type, headers=url_headers(settings))

    @router.get(DUMPS_PATH + "{name}", summary="One dump of the dataset (see the DCAT distributions)",
                response_class=Response)
    async def dump(request: Request, name: str) -> Response:
        found, descriptor = dumps.get(name)
        etag = f'"{found.sha256}"'
        headers = {"ETag": etag, "Cache-Control": cache_control,
                   "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(found.sha256)).decode()}:"}
        if _etag_matches(request, etag):
            return Response(status_code=304, headers=headers)
        media = found.media_type + ("; charset=utf-8" if found.media_type.startswith("text/") else "")
        headers.update({"Content-Length": str(found.bytes), "Content-Type": media,
                        "Content-Disposition": f'attachment; filename="{found.name}"'})

        async def chunks() -> AsyncIterator[bytes]:
            offset = 0
            while offset < found.bytes:
                chunk = await anyio.to_thread.run_sync(os.pread, descriptor, min(_CHUNK, found.bytes - offset),
                                                       offset)
                if not chunk:
                    return
                offset += len(chunk)
                yield chunk

        return StreamingResponse(chunks(), headers=headers, media_type=found.media_type)

    @router.get(CONTEXT_PATH, summary="The JSON-LD context of our documents (prefixes and typed properties)",
                response_class=Response)
    async def context(request: Request) -> Response:
        headers = {"ETag": context_etag, "Cache-Control": cache_control}
        if _etag_matches(request, context_etag):
            return Response(status_code=304, headers=headers)
        return Response(context_body, media_type="application/ld+json", headers=headers)

    return router
