"""Every resource of the guidance area has labels in English and Chinese and says where it comes from.

The area's classes (guidance documents; guidance elements: chapters, paragraphs, boxes, frameworks,
steps, points, guiding questions; concepts; survey findings) are checked wherever they occur in the
graph; the concept scheme, annexes, discrepancies and readings are checked in the area's own files. A
resource passes when it has an @en and an @zh rdfs:label and at least one prov:wasDerivedFrom to a
source unit that exists in the graph. Concepts also need a SKOS preferred label in both languages, a
definition and their scheme.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import PREFIXES, graph_iri

from . import coverage

ATT, SKOS = PREFIXES["att"], PREFIXES["skos"]

AREA_FILES = ("data/curated/guidance.ttl", "data/curated/frameworks.ttl", "data/curated/concepts.ttl",
              "data/curated/findings.ttl", "data/curated/guidance-discrepancies.ttl")

#: Classes of the area, checked wherever their resources are (with their subclasses).
AREA_CLASSES = tuple(ATT + name for name in ("GuidanceDocument", "GuidanceElement", "Concept", "SurveyFinding"))

#: Supporting classes, checked in the area's files.
FILE_CLASSES = (SKOS + "ConceptScheme", ATT + "Annex", ATT + "Discrepancy", ATT + "Reading")

def test_resource_counts(classes: dict[str, set[str]]) -> None:
    """What the area describes, class by class (counted from the sources while curating): 34 guidance
    documents; 211 guidance elements (the Voluntary Guide's 2 chapters, 22 paragraphs and 4 boxes; the
    Basic Guide's 3 cited page ranges and 1 proposed section; 3 other cited pages or question ranges;
    the Article 11 workplan's 3 stages, 2 parts and 7 questions; the Article 9 workplan's 2 topics and
    7 questions; 1 Article 6-7 topic; 5 diversion elements; 3 UNGP pillars; the CSP10 paper's 4 lists
    with 5+11+7+10 items; the special-discussion list with 3 issues and 4 questions; 4 frameworks with
    5+6+6+10 steps; the 2026 flowchart's 16 points and questions; the inter-agency framework's 48
    questions; 6 change notes); 63 concepts; 41 survey findings (3 on who answered, 38 per concept)."""
    counts = {cls: len(members) for cls, members in classes.items()}
    assert counts == {
        ATT + "GuidanceDocument": 34, ATT + "GuidanceElement": 211, ATT + "Concept": 63,
        ATT + "SurveyFinding": 41, SKOS + "ConceptScheme": 1, ATT + "Annex": 2,
        ATT + "Discrepancy": 6, ATT + "Reading": 12,
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_resource_has_a_label(graph: KnowledgeGraph, resources: list[str], lang: str) -> None:
    """An rdfs:label in English and one in Chinese on every resource."""
    labelled = coverage.labelled(graph, lang)
    missing = [r for r in resources if r not in labelled]
    assert missing == [], f"no @{lang} rdfs:label: {missing}"


def test_every_resource_comes_from_a_source_unit(resources: list[str],
                                                 derivations: dict[str, dict[str, str]]) -> None:
    """At least one prov:wasDerivedFrom to an existing source unit, on every resource."""
    without_unit = [r for r in resources if "unit" not in derivations.get(r, {}).values()]
    assert without_unit == [], f"no prov:wasDerivedFrom to a source unit: {without_unit}"


def test_no_derivation_points_nowhere(resources: list[str], derivations: dict[str, dict[str, str]]) -> None:
    """Every prov:wasDerivedFrom target is described in the graph."""
    dangling = sorted((r, s) for r in resources for s, kind in derivations.get(r, {}).items() if kind == "missing")
    assert dangling == [], f"prov:wasDerivedFrom to nothing: {dangling}"


def test_concepts_are_complete_skos(graph: KnowledgeGraph) -> None:
    """Each concept has skos:prefLabel @en and @zh, an English definition and the scheme."""
    query = """
    SELECT ?concept WHERE {
      ?concept a att:Concept .
      FILTER NOT EXISTS {
        ?concept skos:prefLabel ?en , ?zh ; skos:definition ?def ; skos:inScheme concept:scheme .
        FILTER(lang(?en) = "en" && lang(?zh) = "zh" && lang(?def) = "en")
      }
    } ORDER BY ?concept"""
    assert graph.query(query).values() == []


def test_every_concept_is_linked(graph: KnowledgeGraph) -> None:
    """No concept stands alone: each has a broader or related concept, or is a top concept."""
    query = """
    SELECT ?concept WHERE {
      ?concept a att:Concept .
      FILTER NOT EXISTS { ?concept skos:broader|skos:related|skos:topConceptOf ?other }
    } ORDER BY ?concept"""
    assert graph.query(query).values() == []


def test_ordered_items_have_positions(graph: KnowledgeGraph) -> None:
    """Every step, point and guiding question has an att:position, and siblings of one kind (the steps,
    the points or the questions of one parent) never share one."""
    query = """
    SELECT ?parent ?link ?position (COUNT(?item) AS ?n) WHERE {
      ?parent ?link ?item .
      VALUES ?link { att:step att:hasPoint att:hasQuestion }
      ?item att:position ?position .
    } GROUP BY ?parent ?link ?position HAVING (COUNT(?item) > 1)"""
    assert graph.query(query).values() == []
    missing = """
    SELECT ?item WHERE {
      { ?item a att:Step } UNION { ?item a att:Point } UNION { ?item a att:GuidingQuestion }
      FILTER NOT EXISTS { ?item att:position ?p }
    }"""
    assert graph.query(missing).values() == []


def test_step_chains_are_complete(graph: KnowledgeGraph) -> None:
    """In every framework the first step leads through att:nextStep to every step, in position order."""
    query = """
    SELECT ?framework (COUNT(DISTINCT ?step) AS ?steps) (COUNT(DISTINCT ?reached) AS ?chained) WHERE {
      ?framework att:step ?step ; att:firstStep ?first .
      ?first att:nextStep* ?reached .
      ?reached att:position ?p .
    } GROUP BY ?framework ORDER BY ?framework"""
    found = [(r["steps"], r["chained"]) for r in graph.query(query).values()]
    assert found == [("5", "5"), ("6", "6"), ("6", "6"), ("10", "10")]
    order = """
    SELECT ?step WHERE {
      ?step att:nextStep ?next ; att:position ?a . ?next att:position ?b .
      FILTER(?b != ?a + 1)
    }"""
    assert graph.query(order).values() == []


def test_links_resolve(graph: KnowledgeGraph) -> None:
    """Every resource the area's files point to under …/id/ (documents, provisions, units …) is described."""
    query = """
    SELECT DISTINCT ?file ?target WHERE {
      GRAPH ?file { ?s ?p ?target }
      FILTER(isIRI(?target) && STRSTARTS(STR(?target), "https://w3id.org/attgraph/id/"))
      FILTER NOT EXISTS { ?target ?q ?o }
    } ORDER BY ?file ?target"""
    files = {str(graph_iri(f)) for f in AREA_FILES}
    dangling = [(r["file"], r["target"]) for r in graph.query(query).values() if r["file"] in files]
    assert dangling == [], f"links to undescribed resources: {dangling}"


def test_discrepancies_have_one_adopted_reading(graph: KnowledgeGraph) -> None:
    """Each of the area's discrepancies lists two readings, adopts one of them and says why."""
    query = """
    SELECT ?area ?d (COUNT(DISTINCT ?r) AS ?readings) (COUNT(DISTINCT ?a) AS ?adopted) WHERE {
      GRAPH ?area { ?d a att:Discrepancy ; att:reading ?r ; att:adoptedReading ?a ; att:summary ?s . }
    } GROUP BY ?area ?d ORDER BY ?d"""
    area = ox.NamedNode(str(graph_iri("data/curated/guidance-discrepancies.ttl")))
    found = graph.query(query, {ox.Variable("area"): area}).values()
    assert [(r["readings"], r["adopted"]) for r in found] == [("2", "1")] * 6
