"""JSON-LD as people and programs want it: compacted with our published context, one object per resource.

The context (``context.jsonld`` beside this module, served at ``/context.jsonld``; made from the ontology by
:mod:`attgraph.knowledge.context`) declares our prefixes and a term for each property that needs one: object
properties take IRIs (``"@type": "@id"``), dates and numbers their datatype, text in several languages a
language map (``"rdfs:label": {"en": …, "zh": …}``). Every term is the property's prefixed name, so a key reads
as it would in SPARQL.

Three shapes, all with the part of the context they use written inline (so that every parser reads them with
no second request, and our own validator, which never fetches a context, takes them back):

* :func:`compact_graph`: ``{"@context", "@graph": [one node object per subject]}``;
* :func:`compact_dataset`: the same with one ``{"@id": graph, "@graph": […]}`` per named graph;
* :func:`frame_resource`: one object for one resource (its description by ``describe.rq``): the resource at the
  top, the resources it points at embedded (once) with what is known of them, those pointing at it under
  ``@reverse``, anything else said (the labels of its types) under ``@included``.

Values are written so that reading them back gives exactly the same statements: a literal is a plain JSON
string only where the term's definition makes it the very same literal, and a value object otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .namespaces import RDF

__all__ = ["CONTEXT_FILE", "Terms", "compact_dataset", "compact_graph", "frame_resource", "published_context",
           "terms"]

#: The published context, beside this module.
CONTEXT_FILE = Path(__file__).resolve().parent / "context.jsonld"
_RDF_TYPE = str(RDF.type)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Node = ox.NamedNode | ox.BlankNode
JSON = dict[str, Any]


@cache
def published_context() -> JSON:
    """The published context document (``{"@context": {…}}``), read once."""
    document: JSON = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return document


class Terms:
    """The context as lookup tables: prefixes by namespace, term definitions by property IRI."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.prefixes: dict[str, str] = {k: v for k, v in context.items() if isinstance(v, str)}
        self._by_namespace = sorted(self.prefixes.items(), key=lambda item: -len(item[1]))
        self.definitions: dict[str, tuple[str, JSON]] = {}
        for key, value in context.items():
            if isinstance(value, dict):
                self.definitions[self.expand(value.get("@id", key))] = (key, value)

    def expand(self, text: str) -> str:
        prefix, colon, local = text.partition(":")
        if colon and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        return text

    def compact(self, iri: str) -> tuple[str, str | None]:
        """``(prefix:local, prefix)`` for an IRI under one of the prefixes, else ``(iri, None)``."""
        for prefix, namespace in self._by_namespace:
            if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("//"):
                return f"{prefix}:{iri[len(namespace):]}", prefix
        return iri, None


@cache
def terms() -> Terms:
    """The published context's terms."""
    return Terms(published_context()["@context"])


class _Writer:
    """Compacts nodes and values, remembering which prefixes and terms it used (the inline context)."""

    def __init__(self, table: Terms) -> None:
        self.table = table
        self.prefixes: set[str] = set()
        self.keys: set[str] = set()

    def iri(self, iri: str) -> str:
        text, prefix = self.table.compact(iri)
        if prefix is not None:
            self.prefixes.add(prefix)
        return text

    def ref(self, node: Node) -> str:
        return str(node) if isinstance(node, ox.BlankNode) else self.iri(node.value)

    def context(self) -> JSON:
        """The part of the published context this writer used (with the prefixes its terms need), in its
        order."""
        terms = {k: v for k, v in published_context()["@context"].items() if k in self.keys and isinstance(v, dict)}
        needed = set(self.prefixes)
        for key, value in terms.items():
            for text in (key, value.get("@id", ""), value.get("@type", "")):
                prefix, colon, _ = text.partition(":")
                if colon and prefix in self.table.prefixes:
                    needed.add(prefix)
        used: JSON = {k: v for k, v in self.table.prefixes.items() if k in needed}
        return {**used, **terms}

    def _literal(self, literal: ox.Literal) -> JSON:
        if literal.language:
            return {"@value": literal.value, "@language": literal.language}
        if literal.datatype.value == _XSD_STRING:
            return {"@value": literal.value}
        return {"@value": literal.value, "@type": self.iri(literal.datatype.value)}

    def properties(self, triples: Iterable[ox.Triple], node: JSON, embed: dict[str, JSON] | None = None) -> None:
        """Add the predicates and objects of ``triples`` (one subject) to ``node``; objects found in ``embed``
        are written as those node objects (each taken out of ``embed`` when used: embedded once)."""
        values: dict[str, list[Any]] = {}
        languages: dict[str, dict[str, list[str]]] = {}
        types: list[str] = []
        for triple in triples:
            predicate, value = triple.predicate.value, triple.object
            if predicate == _RDF_TYPE and isinstance(value, ox.NamedNode):
                types.append(self.iri(value.value))
                continue
            if not isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
                raise ValueError(f"RDF-star triple terms cannot be written as JSON-LD: {triple}")
            key, definition = self.table.definitions.get(predicate, (None, {}))
            if key is not None:
                self.keys.add(key)
            coerced = definition.get("@type")
            language_map = definition.get("@container") == "@language"
            if isinstance(value, ox.Literal):
                plain = not value.language and value.datatype.value == _XSD_STRING
                if language_map and (value.language or plain):
                    languages.setdefault(key or "", {}).setdefault(value.language or "@none", []).append(value.value)
                elif language_map:  # a literal a language map cannot hold: under the property's full IRI
                    values.setdefault(predicate, []).append(self._literal(value))
                elif coerced not in (None, "@id") and not value.language and \
                        self.table.expand(coerced) == value.datatype.value:
                    values.setdefault(key or predicate, []).append(value.value)
                elif plain and coerced is None:
                    values.setdefault(key or self.iri(predicate), []).append(value.value)
                else:
                    values.setdefault(key or self.iri(predicate), []).append(self._literal(value))
                continue
            found = embed.pop(str(value), None) if embed is not None else None
            if language_map:
                values.setdefault(predicate, []).append(found or {"@id": self.ref(value)})
            elif coerced == "@id" and found is None:
                values.setdefault(key or predicate, []).append(self.ref(value))
            else:
                values.setdefault(key or self.iri(predicate), []).append(found or {"@id": self.ref(value)})
        if types:
            node["@type"] = _one(sorted(types))
        merged: dict[str, Any] = {k: _one(v) for k, v in values.items()}
        for key, by_language in languages.items():
            merged[key] = {lang: _one(sorted(texts)) for lang, texts in sorted(by_language.items())}
        for key in sorted(merged):
            node[key] = merged[key]

def _one(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _by_subject(triples: Iterable[ox.Triple]) -> dict[str, tuple[Node, list[ox.Triple]]]:
    grouped: dict[str, tuple[Node, list[ox.Triple]]] = {}
    for triple in sorted(set(triples), key=str):
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            raise ValueError(f"RDF-star triple terms cannot be written as JSON-LD: {triple}")
        grouped.setdefault(str(subject), (subject, []))[1].append(triple)
    return grouped


def _nodes(writer: _Writer, triples: Iterable[ox.Triple]) -> list[JSON]:
    nodes = []
    for subject, items in _by_subject(triples).values():
        node: JSON = {"@id": writer.ref(subject)}
        writer.properties(items, node)
        nodes.append(node)
    return nodes


def compact_graph(triples: Iterable[ox.Triple], table: Terms | None = None) -> JSON:
    """``{"@context", "@graph"}``: one node object per subject, sorted."""
    writer = _Writer(table or terms())
    nodes = _nodes(writer, triples)
    return {"@context": writer.context(), "@graph": nodes}


def compact_dataset(quads: Iterable[ox.Quad], table: Terms | None = None) -> JSON:
    """A dataset: the default graph's nodes, then one ``{"@id": name, "@graph": […]}`` per named graph."""
    writer = _Writer(table or terms())
    graphs: dict[str, tuple[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Triple]]] = {}
    for quad in quads:
        key = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        graphs.setdefault(key, (quad.graph_name, []))[1].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    nodes: list[JSON] = []
    for key in sorted(graphs):
        name, triples = graphs[key]
        if isinstance(name, ox.DefaultGraph):
            nodes.extend(_nodes(writer, triples))
        else:
            nodes.append({"@id": writer.ref(name), "@graph": _nodes(writer, triples)})
    return {"@context": writer.context(), "@graph": nodes}


def frame_resource(triples: Iterable[ox.Triple], resource: str, table: Terms | None = None) -> JSON:
    """One object for ``resource`` (see the module docstring). What is said of other resources is embedded
    where the resource points at them or under ``@reverse`` where they point at it; what fits neither (the
    labels of its types, say) is listed under ``@included``."""
    writer = _Writer(table or terms())
    grouped = _by_subject(triples)
    focus = ox.NamedNode(resource)
    own = grouped.pop(str(focus), (focus, []))[1]
    embed: dict[str, JSON] = {}
    for key, (subject, items) in grouped.items():
        node: JSON = {"@id": writer.ref(subject)}
        writer.properties([t for t in items if t.object != focus], node)
        embed[key] = node
    top: JSON = {"@id": writer.ref(focus)}
    writer.properties(own, top, embed)
    reverse: dict[str, list[JSON]] = {}
    for key, (subject, items) in grouped.items():
        for triple in items:
            if triple.object != focus:
                continue
            term = writer.table.definitions.get(triple.predicate.value, (None, {}))[0]
            if term is not None:
                writer.keys.add(term)
            found = embed.pop(key, None)
            reverse.setdefault(term or writer.iri(triple.predicate.value), []).append(
                found or {"@id": writer.ref(subject)})
    if reverse:
        top["@reverse"] = {name: _one(nodes) for name, nodes in sorted(reverse.items())}
    included = [node for node in embed.values() if len(node) > 1]
    if included:
        top["@included"] = included
    return {"@context": writer.context(), **top}
