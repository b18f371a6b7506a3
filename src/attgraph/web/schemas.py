"""The JSON Schemas of what the service answers, for the OpenAPI document (``components/schemas``).

SPARQL results (JSON), with the variables of each named query where they are known; the error shape; the
health report; search and completion hits; the validation report (the JSON Schema of
:func:`attgraph.checks.report.report_schema`, its ``$defs`` moved into the components).
"""

from __future__ import annotations

import json
from typing import Any

from attgraph.checks.report import report_schema

__all__ = ["COMPONENTS", "results_schema", "validation_report_components"]

_TERM = {"type": "object", "required": ["type", "value"],
         "description": "An RDF term in SPARQL 1.1 Query Results JSON.",
         "properties": {"type": {"enum": ["uri", "literal", "bnode", "triple"]}, "value": {"type": "string"},
                        "xml:lang": {"type": "string"}, "datatype": {"type": "string"}}}

#: Schemas every document carries.
COMPONENTS: dict[str, Any] = {
    "Error": {
        "type": "object", "required": ["error"], "description": "Every error, whatever answered it.",
        "properties": {"error": {"type": "object", "required": ["code", "status", "message", "details"],
                                 "properties": {"code": {"type": "string"}, "status": {"type": "integer"},
                                                "message": {"type": "string"}, "details": {"type": "object"}}}},
    },
    "RDFTerm": _TERM,
    "SparqlResults": {
        "description": "SPARQL 1.1 Query Results JSON: the bindings of a SELECT, or the boolean of an ASK.",
        "type": "object", "required": ["head"],
        "properties": {
            "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
            "results": {"type": "object", "properties": {"bindings": {"type": "array", "items": {
                "type": "object", "additionalProperties": {"$ref": "#/components/schemas/RDFTerm"}}}}},
            "boolean": {"type": "boolean"}}},
    "JsonLd": {"description": "A JSON-LD document compacted with the context of /context.jsonld.",
               "type": "object",
               "properties": {"@context": {}, "@graph": {"type": "array"}, "@id": {"type": "string"}}},
    "Health": {
        "type": "object", "required": ["status", "triples", "version", "queries", "memory", "cache"],
        "properties": {"status": {"enum": ["ok", "degraded", "down"]}, "triples": {"type": "integer"},
                       "version": {"type": "string"},
                       "queries": {"type": "object", "description": "the query workers: alive, wanted, "
                                   "replacements, the last failure"},
                       "memory": {"type": "object", "description": "the memory budget of the process tree"},
                       "cache": {"type": "object", "description": "the answer cache of this service process"}}},
    "SearchHits": {
        "type": "object", "required": ["query", "total", "offset", "limit", "hits"],
        "properties": {"query": {"type": "string"}, "total": {"type": "integer"}, "offset": {"type": "integer"},
                       "limit": {"type": "integer"}, "hits": {"type": "array", "items": {
                           "type": "object", "required": ["resource", "page", "label", "type", "score"],
                           "properties": {
                               "resource": {"type": "string"}, "page": {"type": "string"},
                               "label": {"type": ["string", "null"]}, "labelZh": {"type": ["string", "null"]},
                               "type": {"type": ["string", "null"]}, "typeLabel": {"type": ["string", "null"]},
                               "typeLabelZh": {"type": ["string", "null"]}, "score": {"type": "number"},
                               "field": {"type": "string"}, "snippet": {"type": "string"},
                               "highlights": {"type": "array", "items": {"type": "array", "items": {
                                   "type": "integer"}}},
                               "source": {"type": ["string", "null"]}, "number": {"type": ["string", "null"]},
                               "via": {"type": "array", "items": {"type": "string"}}}}}}},
    "Completions": {
        "type": "object", "required": ["query", "classes", "total", "items"],
        "properties": {"query": {"type": "string"}, "classes": {"type": "array", "items": {"type": "string"}},
                       "total": {"type": "integer"}, "items": {"type": "array", "items": {
                           "type": "object", "required": ["value", "iri", "label", "page"],
                           "properties": {"value": {"type": "string"}, "iri": {"type": "string"},
                                          "label": {"type": ["string", "null"]},
                                          "labelZh": {"type": ["string", "null"]},
                                          "type": {"type": ["string", "null"]},
                                          "typeLabel": {"type": ["string", "null"]},
                                          "page": {"type": "string"}}}}}},
}


def results_schema(variables: tuple[str, ...] | None) -> dict[str, Any]:
    """The JSON results of a SELECT with these variables (any when ``None``), of an ASK when ``()``."""
    if variables is None:
        return {"$ref": "#/components/schemas/SparqlResults"}
    if not variables:
        return {"type": "object", "required": ["head", "boolean"],
                "properties": {"head": {"type": "object"}, "boolean": {"type": "boolean"}}}
    row = {"type": "object", "additionalProperties": False,
           "properties": {name: {"$ref": "#/components/schemas/RDFTerm"} for name in variables}}
    return {"type": "object", "required": ["head", "results"],
            "properties": {"head": {"type": "object", "properties": {"vars": {
                "type": "array", "items": {"enum": list(variables)}}}},
                "results": {"type": "object", "properties": {"bindings": {"type": "array", "items": row}}}}}


def validation_report_components() -> dict[str, Any]:
    """The validation report's schema as components: ``ValidationReport`` and ``ValidationReport.<def>``."""
    text = json.dumps(report_schema()).replace('"#/$defs/', '"#/components/schemas/ValidationReport.')
    moved = json.loads(text)
    definitions = moved.pop("$defs", {})
    for key in ("$schema", "$id"):
        moved.pop(key, None)
    return {"ValidationReport": moved, **{f"ValidationReport.{k}": v for k, v in definitions.items()}}
