"""The named query ``statement-sources``: where a triple is stated, in which words, and how we know it.

The three statements issue #16 names return the unit that states each (not a title block) with a quote that
is a substring of the unit's text: ``source:wgeti-csp11-report att:cites`` the 808 letter, printed in ¶7 and
in footnote 4 of the CSP11 report; ``source:csp10-interagency-wp att:cites`` Annex A of the 769 report,
endnote 11 of the working paper; ``concept:import skos:broader concept:transfer``, footnote 1 of the CSP11
report ("武器进口是其中一种类型的转让活动"), and its ¶13, which lists import among the types of transfer. A
triple without a statement of its own answers with the default basis of its property or of the file that
holds it. The object is passed as text: an IRI in full, or the
lexical form of a literal.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from attgraph.checks.provenance import check_provenance
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import ATT, RDF

from .conftest import iri, unit


def sources(graph: KnowledgeGraph, subject: str, predicate: str, value: str) -> list[dict[str, str]]:
    """The rows of ``statement-sources`` for a triple (``value``: an IRI in full, or a literal's text)."""
    return graph.run("statement-sources", {"subject": subject, "predicate": predicate, "object": value}).values()


def objects(graph: KnowledgeGraph, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[object]:
    """The values of ``predicate`` on ``subject``, in any graph."""
    return [q.object for q in graph.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, None)]


def quotes_of(graph: KnowledgeGraph, subject: str, predicate: str, value: str) -> list[ox.Literal]:
    """Every quote of every statement of the triple."""
    found = []
    for quad in graph.store.quads_for_pattern(None, ox.NamedNode(str(RDF.subject)), ox.NamedNode(iri(subject)), None):
        statement = quad.subject
        assert isinstance(statement, ox.NamedNode | ox.BlankNode)
        if (objects(graph, statement, str(RDF.predicate)) == [ox.NamedNode(iri(predicate))]
                and [getattr(o, "value", None) for o in objects(graph, statement, str(RDF.object))] == [value]):
            found += [q for q in objects(graph, statement, str(ATT.quote)) if isinstance(q, ox.Literal)]
    return found


#: (subject, predicate, object, the units that state it, words every quote of the triple holds)
ISSUE_CASES = [
    pytest.param("source:wgeti-csp11-report", "att:cites",
                 iri("document:ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs"),
                 [unit("wgeti-csp11-report/fn-4"), unit("wgeti-csp11-report/p7")], ["808"], id="csp11-cites-808"),
    pytest.param("source:csp10-interagency-wp", "att:cites",
                 iri("document:ATT/CSP9.WGTU/2023/CHAIR/769/Conf.Rep/annex-A"),
                 [unit("csp10-interagency-wp/endnote-11")], ["附件A"], id="wp-cites-769-annex-A"),
    pytest.param("concept:import", "skos:broader", iri("concept:transfer"),
                 [unit("wgeti-csp11-report/fn-1"), unit("wgeti-csp11-report/p13")], ["进口", "转让"],
                 id="import-broader-transfer"),
]


@pytest.mark.parametrize(("subject", "predicate", "value", "units", "words"), ISSUE_CASES)
def test_the_statements_of_the_issue_are_stated_in_their_units(
        graph: KnowledgeGraph, subject: str, predicate: str, value: str, units: list[str], words: list[str]) -> None:
    rows = sources(graph, subject, predicate, value)
    assert [(r["subject"], r["predicate"], r["value"], r["status"], r["unit"], r["from"]) for r in rows] == [
        (iri(subject), iri(predicate), value, str(ATT.stated), u, "statement") for u in units]
    for row in rows:
        unit_node = ox.NamedNode(row["unit"])
        assert ox.NamedNode(str(ATT.TitleBlock)) not in objects(graph, unit_node, str(RDF.type))
        texts = [t for t in objects(graph, unit_node, str(ATT.text)) if isinstance(t, ox.Literal)]
        assert len(texts) == 1
        assert row["quote"], row
        assert row["quote"] in texts[0].value
        assert all(word in row["quote"] for word in words), (row["quote"], words)
    quotes = quotes_of(graph, subject, predicate, value)
    assert sorted(q.value for q in quotes) == sorted(r["quote"] for r in rows)
    assert {q.language for q in quotes} == {"zh"}


def test_a_summary_is_ours_by_its_property(graph: KnowledgeGraph) -> None:
    """att:summary is editorial by the ontology (att:defaultBasis): a literal passed by its text."""
    summary = "The preamble of the treaty, which includes a list of principles."
    assert sources(graph, "provision:preamble", "att:summary", summary) == [{
        "subject": iri("provision:preamble"), "predicate": iri("att:summary"), "object": summary,
        "value": summary, "status": str(ATT.editorial), "unit": "", "quote": "", "rule": "", "note": "",
        "from": "property"}]


def test_a_derived_property_names_its_rule(graph: KnowledgeGraph) -> None:
    """att:position is derived by rule:document-order (data/evidence/rules.ttl); a typed literal (7, an
    xsd:integer) is passed by its lexical form."""
    assert sources(graph, "article:7", "att:position", "7") == [{
        "subject": iri("article:7"), "predicate": iri("att:position"), "object": "7", "value": "7",
        "status": str(ATT.derived), "unit": "", "quote": "", "rule": iri("rule:document-order"), "note": "",
        "from": "property"}]


def test_treaty_structure_is_stated_by_the_treaty(graph: KnowledgeGraph) -> None:
    """Every triple of data/treaty.ttl has the basis of its file: stated by the treaty (treaty:ATT)."""
    assert sources(graph, "provision:7.1", "att:partOf", iri("article:7")) == [{
        "subject": iri("provision:7.1"), "predicate": iri("att:partOf"), "object": iri("article:7"),
        "value": iri("article:7"), "status": str(ATT.stated), "unit": iri("treaty:ATT"), "quote": "", "rule": "",
        "note": "", "from": "graph"}]


def test_a_triple_the_graph_does_not_hold_has_no_source(graph: KnowledgeGraph) -> None:
    assert sources(graph, "provision:7.1", "att:partOf", iri("article:8")) == []
    assert sources(graph, "article:7", "att:position", "8") == []


def test_a_prefixed_name_is_not_an_object(graph: KnowledgeGraph) -> None:
    """The object is text matched against the IRI in full: a prefixed name matches nothing."""
    assert sources(graph, "provision:7.1", "att:partOf", "article:7") == []


def test_every_claim_of_the_graph_is_known(graph: KnowledgeGraph) -> None:
    """Every triple of data/curated/ and data/treaty.ttl has a statement of its own or a default basis, every
    quote is the words of its unit, and no statement names a triple the graph does not hold (what
    ``bench/provenance.py --missing`` lists)."""
    report = check_provenance(graph)
    assert [claim.text() for claim in report.missing] == []
    assert [(problem.claim, problem.unit, problem.problem) for problem in report.problems] == []
    assert report.dangling == []
    assert report.quotes == report.verified > 3000
    assert set(report.by_basis) <= {"stated", "derived", "reconstructed", "identified", "editorial"}
    assert report.by_basis["stated"] > 2000
