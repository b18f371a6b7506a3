"""Every resource of the institutions area has labels in English and Chinese and says where it comes from.

The area's classes (sessions, cycles, bodies, posts, appointments, people, States, organisations) are
checked wherever they occur in the graph; the intervals, instants, discrepancies and readings that
support them are checked in the area's own files. A resource passes when it has an @en and an @zh
rdfs:label and at least one prov:wasDerivedFrom to a source unit that exists in the graph. CSP1 and CSP2,
which no source names, are derived from the units that name CSP3 (rule:session-sequence).
"""

from __future__ import annotations

import pytest

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import PREFIXES, graph_iri

from . import coverage

ATT, TIME = PREFIXES["att"], PREFIXES["time"]

AREA_FILES = ("data/curated/institutions.ttl", "data/curated/people.ttl",
              "data/curated/institutions-discrepancies.ttl")

#: Classes of the area, checked wherever their resources are (with their subclasses).
AREA_CLASSES = tuple(ATT + name for name in ("Session", "Cycle", "Body", "Post", "Appointment", "Person",
                                             "State", "Organisation"))

#: Supporting classes, checked in the area's files.
FILE_CLASSES = (TIME + "Interval", TIME + "Instant", ATT + "Discrepancy", ATT + "Reading")

def test_resource_counts(classes: dict[str, set[str]]) -> None:
    """What the area describes, class by class (counted from the sources while curating)."""
    assert {cls: len(members) for cls, members in classes.items()} == {
        ATT + "Session": 13, ATT + "Cycle": 10, ATT + "Body": 15, ATT + "Post": 12, ATT + "Appointment": 25,
        ATT + "Person": 20, ATT + "State": 31, ATT + "Organisation": 35,
        TIME + "Interval": 25, TIME + "Instant": 11, ATT + "Discrepancy": 8, ATT + "Reading": 16,
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_resource_has_a_label(graph: KnowledgeGraph, resources: list[str], lang: str) -> None:
    """An rdfs:label in English and one in Chinese on every resource."""
    labelled = coverage.labelled(graph, lang)
    missing = [r for r in resources if r not in labelled]
    assert missing == [], f"no @{lang} rdfs:label: {missing}"


def test_every_resource_comes_from_a_source_unit(resources: list[str],
                                                 derivations: dict[str, dict[str, str]]) -> None:
    """At least one prov:wasDerivedFrom to an existing source unit; CSP1 and CSP2 to the units naming CSP3."""
    without_unit = [r for r in resources if "unit" not in derivations.get(r, {}).values()]
    assert without_unit == [], f"no prov:wasDerivedFrom to a source unit: {without_unit}"
    for session in ("CSP1", "CSP2"):
        assert derivations[PREFIXES["session"] + session] == {
            PREFIXES["source"] + "wgeti-csp11-report/p2": "unit",
            PREFIXES["source"] + "wgeti-csp12-draft-report/p3": "unit"}


def test_no_derivation_points_nowhere(resources: list[str], derivations: dict[str, dict[str, str]]) -> None:
    """Every prov:wasDerivedFrom target (unit, provision, article) is described in the graph."""
    dangling = sorted((r, s) for r in resources for s, kind in derivations.get(r, {}).items()
                      if kind == "missing")
    assert dangling == [], f"prov:wasDerivedFrom to nothing: {dangling}"


def test_appointments_are_complete(graph: KnowledgeGraph) -> None:
    """Each appointment names its holder (also as org:member), post, body, cycle and an interval."""
    query = """
    SELECT ?appointment WHERE {
      ?appointment a att:Appointment .
      FILTER NOT EXISTS {
        ?appointment att:holder ?h ; org:member ?h ; att:post ?post ; org:organization ?body ; att:cycle ?c ;
                     org:memberDuring ?i .
        ?post org:postIn ?body .
        ?i a time:Interval .
      }
    }"""
    assert graph.query(query).values() == []


def test_dated_sessions_have_a_place(graph: KnowledgeGraph) -> None:
    """A session with dates also has the place its title block gives (Geneva for all four)."""
    query = """
    SELECT ?session ?place WHERE {
      ?session a att:Session ; schema:startDate ?start .
      OPTIONAL { ?session schema:location ?place FILTER(lang(?place) = "zh") }
    } ORDER BY ?start"""
    assert [(r["session"], r["place"]) for r in graph.query(query).values()] == [
        (PREFIXES["session"] + f"CSP{n}", "日内瓦") for n in (7, 10, 11, 12)]


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
