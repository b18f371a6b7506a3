"""The OpenAPI document (``/openapi.json``) and the offline API page (``/api``, Swagger UI served from
``static/``).

FastAPI's own document, completed: the ``servers`` entry is the public URL the client reached (per request:
:func:`attgraph.web.forwarded.public_url`); every route says what it answers in each media type, with JSON
Schemas (:mod:`attgraph.web.schemas`) where the answer is JSON; the routes that take a body say which; and
each named query is a path of its own with its typed parameters and its result variables.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response

from attgraph.checks.report import report_schema
from attgraph.knowledge.formats import GRAPH_FORMATS, RESULT_FORMATS
from attgraph.knowledge.namedqueries import NamedQuery, result_form
from attgraph.settings import Settings

from .forwarded import public_url, url_headers
from .queries import formats_of
from .schemas import COMPONENTS, results_schema, validation_report_components
from .sparql import SPARQL_PATH

__all__ = ["PARAMETER_SCHEMAS", "install_openapi", "named_query_paths"]

#: The JSON Schema of each parameter type.
PARAMETER_SCHEMAS: dict[str, dict[str, str]] = {
    "iri": {"type": "string", "description": "a full http(s) IRI or a prefixed name such as body:WGETI"},
    "string": {"type": "string"},
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
}
_ERROR = {"$ref": "#/components/schemas/Error"}
_TEXT = {"type": "string"}
_HTML = {"text/html": {"schema": _TEXT}}
_RDF = {f.media_type: {"schema": {"$ref": "#/components/schemas/JsonLd"} if f.name == "jsonld" else _TEXT}
        for f in GRAPH_FORMATS}
_RESULTS = {f.media_type: {"schema": {"$ref": "#/components/schemas/SparqlResults"} if f.name == "json" else _TEXT}
            for f in RESULT_FORMATS}
_FIELDS: dict[str, Any] = {
    "data": {"type": "string", "description": "the RDF, pasted"},
    "format": {"type": "string", "enum": [f.name for f in GRAPH_FORMATS], "description": "its format"},
    "alone": {"type": "string", "enum": ["1", "true", "on", "yes"],
              "description": "check it with our ontology only, not our whole graph"}}
_UPLOAD: dict[str, Any] = {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        **_FIELDS, "file": {"type": "string", "format": "binary", "description": "an RDF file"}}}},
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": _FIELDS}},
    **{f.media_type: {"schema": _TEXT} for f in GRAPH_FORMATS}}


def _errors(*statuses: int) -> dict[str, Any]:
    words = {400: "a malformed request", 404: "nothing there", 406: "no acceptable format",
             413: "the body or the upload is too large", 415: "a body of another media type",
             503: "the deadline passed or the service is busy (see Retry-After)"}
    return {str(s): {"description": words[s], "content": {"application/json": {"schema": _ERROR}}} for s in statuses}


def _answer(content: dict[str, Any], description: str, *errors: int, not_modified: bool = False) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": description, "content": content}}
    if not_modified:
        responses["304"] = {"description": "the ETag of If-None-Match still holds"}
    responses.update(_errors(*errors))
    return responses


#: What each route answers (and, for some, the body it takes): (method, path) → responses (+ requestBody).
_ROUTES: dict[tuple[str, str], dict[str, Any]] = {
    ("get", "/health"): {"responses": _answer(
        {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}},
        "the state of the service (503 when no query worker is alive)", 503)},
    ("get", "/dataset"): {"responses": _answer(_RDF, "the VoID and DCAT description", 406, not_modified=True)},
    ("get", "/.well-known/void"): {"responses": _answer(_RDF, "the VoID and DCAT description", 406,
                                                          not_modified=True)},
    ("get", "/dumps/{name}"): {"responses": _answer(
        {f.media_type: {"schema": {"type": "string", "format": "binary"}} for f in GRAPH_FORMATS},
        "the dump (its ETag is its SHA-256)", 404, not_modified=True)},
    ("get", "/context.jsonld"): {"responses": _answer(
        {"application/ld+json": {"schema": {"type": "object", "required": ["@context"]}}}, "the JSON-LD context",
        not_modified=True)},
    ("get", "/queries"): {"responses": _answer(
        {**_HTML, "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}},
        "the catalogue of named queries", 406)},
    ("get", "/queries/{name}"): {"responses": _answer({**_HTML, **_RESULTS, **_RDF}, "the result", 400, 404, 503)},
    ("get", "/query"): {"responses": _answer(_HTML, "the query page")},
    ("get", "/api"): {"responses": _answer(_HTML, "this API, documented (Swagger UI)")},
    ("get", "/list/"): {"responses": _answer(
        {**_HTML, "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}, "the lists")},
    ("get", "/list/{name}"): {
        "parameters": [
            {"name": "sort", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "the column to sort on (label, or one of the list's columns)"},
            {"name": "order", "in": "query", "required": False, "schema": {"enum": ["asc", "desc"]}},
            {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}],
        "responses": _answer({**_HTML, "application/json": {"schema": {"type": "object", "required": [
            "list", "total", "page", "pages", "items", "facets"]}}},
            "one list; facets are query-string fields named after their column (?session=session:CSP11)", 400, 404)},
    ("get", "/schemas/validation-report.json"): {"responses": _answer(
        {"application/schema+json": {"schema": {"type": "object"}}}, "the JSON Schema of the validation report")},
    ("get", "/api/search"): {"responses": _answer(
        {"application/json": {"schema": {"$ref": "#/components/schemas/SearchHits"}}}, "the hits", 400)},
    ("get", "/api/complete"): {"responses": _answer(
        {"application/json": {"schema": {"$ref": "#/components/schemas/Completions"}}}, "the completions", 400)},
    ("get", "/search"): {"responses": _answer(_HTML, "the search page", 400)},
    ("get", "/validate"): {"responses": _answer(_HTML, "the validation page")},
    ("post", "/validate"): {
        "requestBody": {"required": True, "content": {k: v for k, v in _UPLOAD.items() if "form" in k}},
        "responses": _answer(_HTML, "the page with the report (the text kept in the form)", 400, 413, 503)},
    ("post", "/api/validate"): {
        "parameters": [{"name": "alone", "in": "query", "required": False, "schema": {"type": "string"},
                        "description": "1: check the data with our ontology only, not our whole graph"},
                       {"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["json", "turtle"]},
                        "description": "the report's format (instead of Accept)"}],
        "requestBody": {"required": True, "content": _UPLOAD},
        "responses": _answer({"application/json": {"schema": {"$ref": "#/components/schemas/ValidationReport"}},
                              "text/turtle": {"schema": _TEXT}},
                             "the report (JSON in the shape of /schemas/validation-report.json, or SHACL's "
                             "sh:ValidationReport in Turtle)", 400, 406, 413, 415, 503)},
    ("get", "/id/{path}"): {"responses": _answer({**_HTML, **_RDF}, "the resource's page or its description",
                                                  404, 406, not_modified=True)},
    ("get", "/ontology"): {"responses": _answer({**_HTML, **_RDF}, "the ontology", 406)},
    ("get", "/ontology.{extension}"): {"responses": _answer(_RDF, "the ontology as one document", 404)},
    ("get", "/graph/{path}"): {"responses": _answer({**_HTML, **_RDF}, "the named graph", 404, 406)},
    ("get", "/"): {"responses": _answer({**_HTML, **_RDF}, "the home page, or the service description", 406)},
}


def named_query_paths(catalog: dict[str, NamedQuery]) -> dict[str, Any]:
    """An OpenAPI path item for each named query: its parameters, and its result's variables."""
    paths: dict[str, Any] = {}
    for query in catalog.values():
        formats = formats_of(query)
        parameters = [{
            "name": p.name, "in": "query", "required": p.required,
            "description": p.description or f"the {p.type} bound to ?{p.name}",
            "schema": {**PARAMETER_SCHEMAS[p.type], **({"default": p.default} if p.default is not None else {})},
        } for p in query.parameters]
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "the result format (instead of Accept)",
                           "schema": {"type": "string", "enum": [f.name for f in formats]}})
        kind, variables = result_form(query.sparql)
        content: dict[str, Any] = {}
        for f in formats:
            if f.name == "json":
                content[f.media_type] = {"schema": results_schema(variables if kind == "select" else ())}
            elif f.name == "jsonld":
                content[f.media_type] = {"schema": {"$ref": "#/components/schemas/JsonLd"}}
            else:
                content[f.media_type] = {"schema": _TEXT}
        described = f"{query.description} Result variables: {', '.join('?' + v for v in variables)}." \
            if kind == "select" else query.description
        paths[f"/queries/{query.name}"] = {"get": {
            "summary": query.title, "description": described, "operationId": f"query_{query.name}",
            "tags": ["named queries"], "x-keywords": list(query.keywords), "parameters": parameters,
            **({"x-result-variables": list(variables)} if kind == "select" else {}),
            "responses": {"200": {"description": "the result", "content": content}, **_errors(400, 406, 503)},
        }}
    return paths


def install_openapi(app: FastAPI, catalog: dict[str, NamedQuery], settings: Settings) -> APIRouter:
    """Make ``app.openapi()`` return the completed document; the router serves it with ``servers`` and the page."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(COMPONENTS)
            schemas.update(validation_report_components())
            for (method, path), documented in _ROUTES.items():
                operation = schema["paths"].get(path, {}).get(method)
                if operation is None:
                    continue
                operation["responses"] = documented["responses"]
                if "requestBody" in documented:
                    operation["requestBody"] = documented["requestBody"]
                if "parameters" in documented:
                    operation["parameters"] = [*operation.get("parameters", []), *documented["parameters"]]
            sparql = copy.deepcopy(SPARQL_PATH)
            for operation in sparql.values():
                operation["responses"]["200"]["content"] = {**_RESULTS, **_RDF}
                for status in ("400", "406", "415", "503"):
                    operation["responses"][status]["content"] = {"application/json": {"schema": _ERROR}}
            schema["paths"]["/sparql"] = sparql
            schema["paths"].update(named_query_paths(catalog))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]
    router = APIRouter()

    @router.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request) -> Response:
        body = {**document(), "servers": [{"url": public_url(request, settings), "description": "this service"}]}
        return JSONResponse(body, headers=url_headers(settings))

    @router.get("/schemas/validation-report.json", summary="The JSON Schema of the validation report")
    async def validation_report_schema() -> Response:
        return JSONResponse(report_schema(), media_type="application/schema+json")

    return router
