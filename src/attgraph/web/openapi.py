"""The OpenAPI document: FastAPI's own, plus one path per named query with its typed parameters."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from attgraph.knowledge.namedqueries import NamedQuery

from .queries import formats_of
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


def named_query_paths(catalog: dict[str, NamedQuery]) -> dict[str, Any]:
    """An OpenAPI path item for each named query."""
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
        content = {media: {"schema": {"type": "string"}} for f in formats for media in f.media_types[:1]}
        paths[f"/queries/{query.name}"] = {"get": {
            "summary": query.title, "description": query.description, "operationId": f"query_{query.name}",
            "tags": ["named queries", *query.keywords], "parameters": parameters,
            "responses": {
                "200": {"description": "the result", "content": content},
                "400": {"description": "a parameter is missing or malformed",
                        "content": {"application/json": {"schema": _ERROR}}},
                "503": {"description": "deadline passed or service busy",
                        "content": {"application/json": {"schema": _ERROR}}},
            },
        }}
    return paths


def install_openapi(app: FastAPI, catalog: dict[str, NamedQuery]) -> None:
    """Make ``app.openapi()`` return the document with the named-query paths and the error schema."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["code", "status", "message", "details"],
                                         "properties": {"code": {"type": "string"}, "status": {"type": "integer"},
                                                        "message": {"type": "string"},
                                                        "details": {"type": "object"}}}},
            }
            schema["paths"]["/sparql"] = SPARQL_PATH
            schema["paths"].update(named_query_paths(catalog))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]
