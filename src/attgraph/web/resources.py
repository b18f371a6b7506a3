"""Dereferencing: every IRI of our namespace answers at its local path.

``https://w3id.org/attgraph/id/{key}`` is served at ``/id/{key}`` (keys may hold slashes), the ontology
``https://w3id.org/attgraph/ontology`` at ``/ontology`` (its terms are fragments of that page) and each
named graph ``https://w3id.org/attgraph/graph/{file}`` at ``/graph/{file}``.

The bare path answers 200 with the representation ``Accept`` (or ``format=``) asks for: HTML for browsers,
Turtle, JSON-LD, N-Triples, RDF/XML … for clients, with ``Vary: Accept``, a ``Content-Location`` naming
the specific document and ``Link`` headers to the others. A path with an extension (``.html``, ``.ttl``,
``.jsonld``, ``.nt``, ``.rdf``) is that document and is not negotiated. An unknown IRI is a 404.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from attgraph.errors import NotFound
from attgraph.knowledge.formats import GRAPH_FORMATS, Format, graph_format
from attgraph.knowledge.graph import internal_query
from attgraph.knowledge.jsonld import frame_resource
from attgraph.knowledge.namespaces import BASE, ID, ONTOLOGY_IRI
from attgraph.knowledge.results import QueryResult

from .bodies import query_fields
from .context import Context
from .negotiation import choose_view
from .ontology import ontology_view
from .render import local_path
from .responses import serialize
from .views import resource_view

__all__ = ["EXTENSIONS", "resource_document", "resource_jsonld", "resources_router"]

#: Extensions that name one document of a resource: ``None`` is the page.
EXTENSIONS: dict[str, str | None] = {
    "html": None, "ttl": "turtle", "jsonld": "jsonld", "nt": "ntriples", "rdf": "rdfxml",
}
_GRAPH_BASE = BASE + "graph/"
#: Documents (a resource's description, a graph, the ontology) are served whole: the row cap is for queries.
WHOLE = 1 << 40


def _alternates(path: str) -> str:
    media = {None: "text/html"} | {name: graph_format(name).media_type for name in EXTENSIONS.values() if name}
    return ", ".join(f'<{path}.{ext}>; rel="alternate"; type="{media[name]}"' for ext, name in EXTENSIONS.items())


def _split_extension(path: str) -> tuple[str, str | None]:
    stem, dot, extension = path.rpartition(".")
    if dot and extension in EXTENSIONS and "/" not in extension and stem:
        return stem, extension
    return path, None


def _fixed(extension: str | None) -> Format | None:
    name = EXTENSIONS[extension] if extension else None
    return graph_format(name) if name else None


def resource_jsonld(described: QueryResult, iri: str) -> dict[str, Any]:
    """A resource's description (``describe.rq``) as one JSON-LD object with its context
    (:func:`attgraph.knowledge.jsonld.frame_resource`)."""
    return frame_resource(described.triples(), iri)


def resource_document(described: QueryResult, iri: str, fmt: Format) -> bytes:
    """A resource's description in ``fmt``: JSON-LD framed on the resource, any other format as serialized."""
    if fmt.name == "jsonld":
        return json.dumps(resource_jsonld(described, iri), ensure_ascii=False, indent=1).encode("utf-8")
    return serialize(described, fmt)


def resources_router(ctx: Context) -> APIRouter:
    """The routes that dereference our IRIs."""
    router = APIRouter()
    ontology = ontology_view(ctx.graph, ctx.base_path)
    ontology_graphs = tuple(str(g) for g in ctx.graph.graph_names() if str(g).startswith(_GRAPH_BASE + "ontology/"))

    async def exists(iri: str) -> bool:
        try:
            ox.NamedNode(iri)
        except ValueError:  # not an IRI at all (``/id/%3Cscript%3E``): nothing of ours is called that
            return False
        return (await ctx.run_internal("resource_exists", {"resource": iri})).result.boolean

    async def find(path: str, raw: str) -> tuple[str, str | None, bool]:
        """(IRI, extension, negotiated) for ``/id/{path}``; raises NotFound."""
        for candidate in dict.fromkeys((path, raw)):
            if await exists(str(ID) + candidate):
                return str(ID) + candidate, None, True
        stem, extension = _split_extension(path)
        if extension is not None and await exists(str(ID) + stem):
            return str(ID) + stem, extension, False
        iri = str(ID) + path
        raise NotFound(f"no resource {iri}", {"iri": iri})

    def negotiate(request: Request) -> Format | None:
        return choose_view(GRAPH_FORMATS, request.headers.get("accept"), query_fields(request).get("format"))

    @router.get("/id/{path:path}", summary="A resource of the graph: page or RDF", response_class=Response)
    async def resource(request: Request, path: str) -> Response:
        raw = request.scope.get("raw_path", b"").decode("latin-1").split("/id/", 1)[-1]
        iri, extension, negotiated = await find(path, raw)
        fmt = negotiate(request) if negotiated else _fixed(extension)
        here = local_path(iri, ctx.base_path) or request.url.path
        headers = {"Link": _alternates(here)}
        if negotiated:
            headers["Vary"] = "Accept"
            chosen = next((e for e, n in EXTENSIONS.items() if n == (fmt.name if fmt else None)), None)
            if chosen is not None:  # N-Quads and TriG have no document of their own
                headers["Content-Location"] = f"{here}.{chosen}"
        described = await ctx.run_internal("describe", {"resource": iri}, max_rows=WHOLE)
        if fmt is None:
            view = await resource_view(ctx, iri)
            jsonld = resource_jsonld(described.result, iri)
            response: Response = ctx.page(request, "resource.html", view=view, jsonld=jsonld)
        else:
            response = Response(resource_document(described.result, iri, fmt), media_type=fmt.media_type)
        response.headers.update(headers)
        return response

    @router.get("/ontology", summary="The ontology: documentation page or RDF", response_class=Response)
    @router.get("/ontology.{extension}", summary="The ontology as one document", response_class=Response)
    async def ontology_document(request: Request, extension: str | None = None) -> Response:
        if extension is not None and extension not in EXTENSIONS:
            raise NotFound(f"no document /ontology.{extension}", {"extension": extension})
        fmt = negotiate(request) if extension is None else _fixed(extension)
        if fmt is None:
            response: Response = ctx.page(request, "ontology.html", ontology=ontology, iri=str(ONTOLOGY_IRI))
        else:
            answer = await ctx.gateway.run(internal_query("whole_graph").sparql, default_graphs=ontology_graphs,
                                           max_rows=WHOLE)
            response = Response(serialize(answer.result, fmt), media_type=fmt.media_type)
        if extension is None:
            response.headers["Vary"] = "Accept"
        return response

    @router.get("/graph/{path:path}", summary="One named graph (one loaded file)", response_class=Response)
    async def named_graph(request: Request, path: str) -> Response:
        stem, extension = _split_extension(path)
        iri = _GRAPH_BASE + path
        if iri not in ctx.gateway.graphs:
            iri = _GRAPH_BASE + stem
            if extension is None or iri not in ctx.gateway.graphs:
                raise NotFound(f"no graph {_GRAPH_BASE + path}", {"graph": _GRAPH_BASE + path})
            fmt = _fixed(extension)
        else:
            fmt = negotiate(request)
        if fmt is None:
            return ctx.page(request, "graph.html", iri=iri, triples=(await ctx.graph_sizes()).get(iri, 0),
                            here=ctx.base_path + "/graph/" + quote(iri[len(_GRAPH_BASE):]),
                            formats=[(e, n) for e, n in EXTENSIONS.items() if n])
        answer = await ctx.run_internal("graph_content", {"graph": iri}, max_rows=WHOLE)
        return Response(serialize(answer.result, fmt), media_type=fmt.media_type, headers={"Vary": "Accept"})

    return router
