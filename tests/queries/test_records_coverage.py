"""Every resource of the records area has labels in English and Chinese and says where it comes from.

The records area is meetings, agenda items, topics, contributions, documents and their parsed symbols,
recommendations, decisions, discrepancies and readings. Every resource typed with one of those classes
(or a subclass) in one of the area's files is checked: it passes when it has an @en and an @zh
rdfs:label and at least one prov:wasDerivedFrom to a source unit that exists in the graph. The labels may
come from another file (a guidance document's chapter that this area also types as a topic is labelled
in guidance.ttl); the test asks only that the graph as a whole gives them.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import PREFIXES, graph_iri

ATT = PREFIXES["att"]

AREA_FILES = ("data/curated/meetings.ttl", "data/curated/documents.ttl",
              "data/curated/recommendations.ttl", "data/curated/discrepancies.ttl")

#: The area's classes; a resource typed with one of them or a subclass in an area file is checked.
AREA_CLASSES = frozenset(ATT + name for name in (
    "Meeting", "AgendaItem", "Topic", "Contribution", "Document", "Symbol", "Recommendation", "Decision",
    "Discrepancy", "Reading"))

TYPED_IN_FILES = """
SELECT DISTINCT ?resource ?class ?file WHERE {
  GRAPH ?file { ?resource a ?type }
  ?type rdfs:subClassOf* ?class .
}"""

LABELS = "SELECT DISTINCT ?resource (lang(?label) AS ?lang) WHERE { ?resource rdfs:label ?label }"

UNITS = """
SELECT DISTINCT ?resource WHERE {
  ?resource prov:wasDerivedFrom ?unit .
  ?unit a ?kind . ?kind rdfs:subClassOf* att:SourceUnit .
}"""


@pytest.fixture(scope="module")
def resources(graph: KnowledgeGraph) -> dict[str, set[str]]:
    """Area resource → the area classes it is typed with in the area's files."""
    files = {str(graph_iri(name)) for name in AREA_FILES}
    found: dict[str, set[str]] = defaultdict(set)
    for row in graph.query(TYPED_IN_FILES).values():
        if row["file"] in files and row["class"] in AREA_CLASSES:
            found[row["resource"]].add(row["class"])
    return found


def test_the_area_files_type_every_kind_of_record(resources: dict[str, set[str]]) -> None:
    """Each of the ten classes has resources in the area's files (so the checks below are not vacuous)."""
    classes = set().union(*resources.values())
    assert sorted(AREA_CLASSES - classes) == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_record_is_labelled(graph: KnowledgeGraph, resources: dict[str, set[str]], language: str) -> None:
    """Every area resource has an rdfs:label in English and in Chinese."""
    labelled = {row["resource"] for row in graph.query(LABELS).values() if row["lang"] == language}
    missing = sorted(set(resources) - labelled)
    assert missing == [], f"no @{language} label: {missing}"


def test_every_record_comes_from_an_existing_unit(graph: KnowledgeGraph, resources: dict[str, set[str]]) -> None:
    """Every area resource has prov:wasDerivedFrom a source unit the segmenter produced."""
    traced = {row["resource"] for row in graph.query(UNITS).values()}
    missing = sorted(set(resources) - traced)
    assert missing == [], f"no prov:wasDerivedFrom to an existing unit: {missing}"
