"""Shared checks for the coverage tests of the curated areas: which resources an area holds, their labels,
and where each says it comes from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import graph_iri

TYPED = """
SELECT DISTINCT ?resource ?class WHERE {
  ?resource a ?type . ?type rdfs:subClassOf* ?class .
  FILTER(isIRI(?resource) && STRSTARTS(STR(?class), STR(att:)))
}"""

TYPED_IN_FILES = "SELECT DISTINCT ?resource ?class ?file WHERE { GRAPH ?file { ?resource a ?class } }"

LABELS = "SELECT DISTINCT ?resource (lang(?label) AS ?lang) WHERE { ?resource rdfs:label ?label }"

DERIVATIONS = """
SELECT DISTINCT ?resource ?source ?kind WHERE {
  ?resource prov:wasDerivedFrom ?source .
  OPTIONAL { ?source a ?type . ?type rdfs:subClassOf* att:SourceUnit . BIND("unit" AS ?unit) }
  OPTIONAL { ?source ?p ?o . BIND("exists" AS ?there) }
  BIND(COALESCE(?unit, ?there, "missing") AS ?kind)
}"""


def by_class(graph: KnowledgeGraph, area_classes: Iterable[str], file_classes: Iterable[str],
             area_files: Iterable[str]) -> dict[str, set[str]]:
    """The resources of each area class (anywhere in the graph) and of each supporting class (only in the
    area's own files)."""
    area, supporting = set(area_classes), set(file_classes)
    found: dict[str, set[str]] = defaultdict(set)
    for row in graph.query(TYPED).values():
        if row["class"] in area:
            found[row["class"]].add(row["resource"])
    files = {str(graph_iri(f)) for f in area_files}
    for row in graph.query(TYPED_IN_FILES).values():
        if row["class"] in supporting and row["file"] in files:
            found[row["class"]].add(row["resource"])
    return found


def labelled(graph: KnowledgeGraph, lang: str) -> set[str]:
    """Every resource with an rdfs:label in ``lang``."""
    return {row["resource"] for row in graph.query(LABELS).values() if row["lang"] == lang}


def derivations(graph: KnowledgeGraph) -> dict[str, dict[str, str]]:
    """resource → {what it is derived from → "unit" | "exists" (described, not a unit) | "missing"}."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in graph.query(DERIVATIONS).values():
        if out[row["resource"]].get(row["source"]) != "unit":
            out[row["resource"]][row["source"]] = row["kind"]
    return out

