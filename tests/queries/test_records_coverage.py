"""Every resource of the records area has labels in English and Chinese and says where it comes from.

The records area is meetings, agenda items, topics, contributions, documents and their parsed symbols,
recommendations, decisions, discrepancies and readings. Every resource typed with one of those classes
(or a subclass) in one of the area's files is checked: it passes when it has an @en and an @zh
rdfs:label and at least one prov:wasDerivedFrom to a source unit that exists in the graph. The labels may
come from another file (a guidance document's chapter that this area also types as a topic is labelled
in guidance.ttl); the test asks only that the graph as a whole gives them. The last tests check the
statement-level provenance of the recommendations and of the survey findings (data/evidence/).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from attgraph.checks.provenance import check_provenance
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


# ---------------------------------------------------------------------------------------------
# Statement-level provenance of the recommendations and of the survey findings
# ---------------------------------------------------------------------------------------------

#: What the survey's summary report prints under each heading of Appendix 2 (2021 letter, Annex A): the
#: bullets b1 … bN count States for the concept of that heading.
SURVEY_HEADINGS = {"facilitate": ("h8", 5), "ihl": ("h9", 6), "ihrl": ("h10", 8), "gbv-vawc": ("h11", 10),
                   "overriding-risk": ("h12", 4), "knowledge": ("h13", 5)}

COUNT_STATEMENTS = """
SELECT ?finding ?basis ?unit ?quote ?listed WHERE {
  ?finding a att:SurveyFinding ; att:count ?count .
  ?statement rdf:subject ?finding ; rdf:predicate att:count ; rdf:object ?count ; att:basis ?basis ;
             prov:wasDerivedFrom ?unit ; att:quote ?quote .
  BIND(EXISTS { ?finding prov:wasDerivedFrom ?unit } AS ?listed)
}
ORDER BY ?finding"""


def test_every_claim_of_the_recommendations_and_findings_is_known(graph: KnowledgeGraph) -> None:
    """Every claim of recommendations.ttl and findings.ttl has a statement of its own or a default basis, and
    every quote of theirs is the words of its unit (what ``bench/provenance.py --missing --file`` checks)."""
    report = check_provenance(graph)
    for name in ("recommendations.ttl", "findings.ttl"):
        assert report.by_file[f"data/curated/{name}"]["missing"] == 0
        assert [c.text() for c in report.missing if c.graph.endswith("/" + name)] == []
    ours = ("recommendation:", "decision:", "finding:", "discrepancy:national-control-system-or-contact-point")
    assert [p.claim for p in report.problems if p.claim.startswith(ours)] == []


def test_every_survey_count_is_stated_by_its_bullet(graph: KnowledgeGraph) -> None:
    """Each finding's count is stated, in quoted words, by the bullet of Appendix 2 that prints it (the three
    submission counts by t3), a unit the finding names as its source; and no finding has a total
    (att:outOf): the disclaimer (h7 b2) says the counts must not be read as "only N of the 20 States"."""
    base = PREFIXES["source"] + "wgeti-2021-letter/annex-A/appendix-2/"
    expected = {f"key-concepts-2021-{slug}-{n}": f"{heading}/b{n}"
                for slug, (heading, bullets) in SURVEY_HEADINGS.items() for n in range(1, bullets + 1)}
    expected.update({f"key-concepts-2021-submissions-{who}": "t3"
                     for who in ("states-parties", "regional-organisations", "civil-society")})
    found = graph.query(COUNT_STATEMENTS).values()
    assert {(r["finding"].removeprefix(PREFIXES["finding"]), r["basis"], r["unit"], r["listed"]) for r in found} == {
        (finding, ATT + "stated", base + unit, "true") for finding, unit in expected.items()}
    assert len(found) == len(expected) == 41
    assert graph.query("SELECT ?finding WHERE { ?finding att:outOf ?total }").values() == []
