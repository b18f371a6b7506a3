"""What the service says about itself: the SPARQL Service Description and the VoID/DCAT description of
the dataset (``/.well-known/void``, also at ``/dataset``, the local path of the dataset's IRI).

Both are computed once, when the application is created, from ``.rq`` files and
:func:`attgraph.build.void_description`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..build import DATASET_IRI, void_description
from ..formats import GRAPH_FORMATS
from ..graph import KnowledgeGraph, internal_query
from ..negotiation import choose
from ..results import QueryResult
from ..settings import Settings
from .responses import graph_result, serialize

__all__ = ["Descriptions", "describe_service", "description_router"]


@dataclass(frozen=True)
class Descriptions:
    """The service description and the dataset description, as graph results."""

    service: QueryResult
    void: QueryResult


def describe_service(graph: KnowledgeGraph, settings: Settings) -> Descriptions:
    """Both descriptions, with the service's public URL."""
    endpoint = settings.public_url.rstrip("/") + "/sparql"
    home = settings.public_url.rstrip("/") + "/"
    service = graph.run(internal_query("service_description"), {"endpoint": endpoint, "dataset": DATASET_IRI})
    reach = graph.run(internal_query("void_service"), {"dataset": DATASET_IRI, "endpoint": endpoint, "home": home})
    return Descriptions(graph_result(service.triples()), graph_result(void_description(graph) + reach.triples()))


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
