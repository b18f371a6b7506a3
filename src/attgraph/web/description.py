"""What the service says about itself: the SPARQL Service Description and the VoID/DCAT description of
the dataset (``/.well-known/void``, also at ``/dataset``, the local path of the dataset's IRI).

Both are computed once, on first use, by the query workers, from the package's own ``.rq`` files (the same
``void`` query ``attgraph build`` writes ``void.ttl`` with).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from attgraph.build.dumps import DATASET_IRI
from attgraph.knowledge.formats import GRAPH_FORMATS
from attgraph.knowledge.results import QueryResult
from attgraph.settings import Settings

from .negotiation import choose
from .responses import graph_result, serialize

__all__ = ["Descriptions", "describe_service", "description_router"]


@dataclass(frozen=True)
class Descriptions:
    """The service description and the dataset description, as graph results."""

    service: QueryResult
    void: QueryResult


async def describe_service(run: Callable[[str, dict[str, str]], Awaitable[QueryResult]], settings: Settings,
                           ) -> Descriptions:
    """Both descriptions, with the service's public URL; ``run`` evaluates one of the package's own queries
    (through the query workers: the dataset description counts over the whole store)."""
    endpoint = settings.public_url.rstrip("/") + "/sparql"
    home = settings.public_url.rstrip("/") + "/"
    service = await run("service_description", {"endpoint": endpoint, "dataset": DATASET_IRI})
    reach = await run("void_service", {"dataset": DATASET_IRI, "endpoint": endpoint, "home": home})
    void = await run("void", {"dataset": DATASET_IRI})
    return Descriptions(graph_result(service.triples()), graph_result(void.triples() + reach.triples()))


def description_router(descriptions: Callable[[], Awaitable[Descriptions]]) -> APIRouter:
    """``/.well-known/void`` and ``/dataset``: the VoID/DCAT description, in the negotiated RDF format."""
    router = APIRouter()

    @router.get("/.well-known/void", summary="VoID and DCAT description of the dataset", response_class=Response)
    @router.get("/dataset", summary="The dataset (its IRI's local path): its VoID and DCAT description",
                response_class=Response)
    async def void(request: Request, format: str | None = None) -> Response:
        fmt = choose(GRAPH_FORMATS, request.headers.get("accept"), format)
        void = (await descriptions()).void
        return Response(serialize(void, fmt), media_type=fmt.media_type, headers={"Vary": "Accept"})

    return router
