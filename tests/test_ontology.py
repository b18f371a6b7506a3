"""Tests for the OWL ontology ``ontology/attgraph.ttl``.

Fast tests read the Turtle with rdflib and check the contract other modules code against: every
term is declared with the right kind, labelled in English and Chinese and commented; the axioms
the contract names are there; the file stays inside OWL 2 DL. Slow tests hand the ontology to
HermiT through owlready2 and check that it is consistent, that no class is unsatisfiable, that the
disjointness axioms bite and that part-of is transitive.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import owlready2
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from attgraph.knowledge import namespaces
from attgraph.knowledge.namespaces import (
    ATT,
    DCTERMS,
    ID,
    ONTOLOGY_IRI,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    article_iri,
    provision_iri,
)

ONTOLOGY_PATH = Path(__file__).resolve().parent.parent / "ontology" / "attgraph.ttl"

DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.NamedIndividual,
    OWL.AnnotationProperty,
)

# ---------------------------------------------------------------------------------------------
# The contract: names other modules use. Extra terms may exist; these must.
# ---------------------------------------------------------------------------------------------

CONTRACT_CLASSES = [
    "Treaty",
    "Provision",
    "Preamble",
    "Article",
    "Paragraph",
    "Subparagraph",
    "Item",
    "Body",
    "ConferenceOfStatesParties",
    "Session",
    "Cycle",
    "WorkingGroup",
    "SubWorkingGroup",
    "Secretariat",
    "Forum",
    "Fund",
    "FocalPointNetwork",
    "InformalGroup",
    "Platform",
    "Post",
    "Appointment",
    "Person",
    "State",
    "Organisation",
    "Meeting",
    "AgendaItem",
    "Topic",
    "Presentation",
    "Document",
    "Report",
    "FinalReport",
    "DraftReport",
    "Letter",
    "WorkingPaper",
    "DraftDecision",
    "Annex",
    "Appendix",
    "GuidanceDocument",
    "Chapter",
    "GuidanceParagraph",
    "Box",
    "Framework",
    "Step",
    "Point",
    "GuidingQuestion",
    "Recommendation",
    "Decision",
    "Status",
    "Concept",
    "SurveyFinding",
    "SourceDocument",
    "SourceUnit",
    "TitleBlock",
    "Heading",
    "NumberedParagraph",
    "SubItem",
    "AnnexUnit",
    "StepUnit",
    "BulletPoint",
    "QuestionUnit",
    "TableUnit",
    "TableRow",
    "Footnote",
    "Endnote",
    "ReferenceOccurrence",
    "Discrepancy",
    "Reading",
    "Symbol",
    "MeetingFormat",
]

CONTRACT_OBJECT_PROPERTIES = [
    "partOf",
    "isPartOf",
    "hasPart",
    "citesProvision",
    "mentionsSession",
    "mentionsBody",
    "mentionsDocument",
    "cites",
    "article",
    "inSource",
    "parentUnit",
    "callsNote",
    "occurrenceIn",
    "occurrenceTarget",
    "session",
    "cycle",
    "body",
    "heldBy",
    "post",
    "holder",
    "appointedBy",
    "nationality",
    "representing",
    "presenter",
    "atMeeting",
    "underTopic",
    "addressedTo",
    "status",
    "concerns",
    "addresses",
    "interprets",
    "appliesConcept",
    "firstStep",
    "nextStep",
    "previousStep",
    "step",
    "hasQuestion",
    "hasPoint",
    "annexOf",
    "revisionOf",
    "establishedBy",
    "termsOfReference",
    "proposesChangeTo",
    "reading",
    "adoptedReading",
    "appearsIn",
    "aboutConcept",
    "aboutProvision",
    "symbolSession",
    "symbolBody",
    "issuer",
    "endorsedBy",
    "format",
    "extractedBy",
]

CONTRACT_DATATYPE_PROPERTIES = [
    "number",
    "key",
    "position",
    "heading",
    "text",
    "symbol",
    "symbolYear",
    "symbolAuthor",
    "symbolSerial",
    "symbolType",
    "summary",
    "adoptionDate",
    "signatureOpeningDate",
    "entryIntoForceDate",
    "adoptingResolution",
    "authenticLanguage",
    "depositary",
    "matchedText",
    "startOffset",
    "endOffset",
    "lineNumber",
    "value",
    "count",
    "sourceFile",
    "originalLanguage",
    "ordinal",
    "isoCode",
    "isExtracted",
]

#: Individual name → the class (CURIE) it must belong to.
CONTRACT_INDIVIDUALS: dict[str, str] = {
    **{
        name: "att:Status"
        for name in ["draft", "proposed", "adopted", "endorsed", "noted", "welcomed", "requested", "decided"]
    },
    **{name: "att:MeetingFormat" for name in ["virtual", "hybrid", "inPerson"]},
    "referenceExtractor": "prov:SoftwareAgent",
    "segmenter": "prov:SoftwareAgent",
}

CONTRACT_TERMS: list[tuple[str, URIRef]] = (
    [(name, OWL.Class) for name in CONTRACT_CLASSES]
    + [(name, OWL.ObjectProperty) for name in CONTRACT_OBJECT_PROPERTIES]
    + [(name, OWL.DatatypeProperty) for name in CONTRACT_DATATYPE_PROPERTIES]
    + [(name, OWL.NamedIndividual) for name in CONTRACT_INDIVIDUALS]
)

UNIT_KINDS = [
    "TitleBlock",
    "Heading",
    "NumberedParagraph",
    "SubItem",
    "AnnexUnit",
    "StepUnit",
    "BulletPoint",
    "QuestionUnit",
    "TableUnit",
    "TableRow",
    "Footnote",
    "Endnote",
]

#: (subject, predicate, object) as CURIEs, resolved with the ontology file's own prefixes.
CONTRACT_AXIOMS: list[tuple[str, str, str]] = [
    ("att:Treaty", "rdfs:subClassOf", "eli:LegalResource"),
    ("att:Provision", "rdfs:subClassOf", "eli:LegalResourceSubdivision"),
    *[
        (f"att:{name}", "rdfs:subClassOf", "att:Provision")
        for name in ("Preamble", "Article", "Paragraph", "Subparagraph", "Item")
    ],
    ("att:Body", "rdfs:subClassOf", "org:Organization"),
    ("att:Session", "rdfs:subClassOf", "schema:Event"),
    ("att:SubWorkingGroup", "rdfs:subClassOf", "org:OrganizationalUnit"),
    ("att:Post", "rdfs:subClassOf", "org:Post"),
    ("att:Appointment", "rdfs:subClassOf", "org:Membership"),
    ("att:Person", "rdfs:subClassOf", "schema:Person"),
    ("att:Meeting", "rdfs:subClassOf", "schema:Event"),
    ("att:Concept", "rdfs:subClassOf", "skos:Concept"),
    ("att:SourceDocument", "rdfs:subClassOf", "att:Document"),
    *[(f"att:{name}", "rdfs:subClassOf", "att:SourceUnit") for name in UNIT_KINDS],
    ("att:partOf", "rdfs:subPropertyOf", "att:isPartOf"),
    ("att:isPartOf", "rdfs:subPropertyOf", "eli:is_part_of"),
    ("att:isPartOf", "rdf:type", "owl:TransitiveProperty"),
    ("att:hasPart", "owl:inverseOf", "att:isPartOf"),
    ("att:citesProvision", "rdfs:subPropertyOf", "eli:cites"),
    ("att:citesProvision", "rdfs:range", "att:Provision"),
    ("att:cites", "rdfs:subPropertyOf", "cito:cites"),
    ("att:parentUnit", "rdfs:subPropertyOf", "att:partOf"),
    ("att:annexOf", "rdfs:subPropertyOf", "att:partOf"),
    ("att:holder", "rdfs:subPropertyOf", "org:member"),
    ("att:nationality", "rdfs:range", "att:State"),
    ("att:status", "rdfs:range", "att:Status"),
    ("att:format", "rdfs:range", "att:MeetingFormat"),
    ("att:nextStep", "rdf:type", "owl:FunctionalProperty"),
    ("att:nextStep", "owl:inverseOf", "att:previousStep"),
    ("att:key", "rdfs:subPropertyOf", "dcterms:identifier"),
    ("att:symbol", "rdfs:subPropertyOf", "dcterms:identifier"),
    *[
        (f"att:{name}", predicate, value)
        for name in ("adoptionDate", "signatureOpeningDate", "entryIntoForceDate")
        for predicate, value in (("rdfs:subPropertyOf", "dcterms:date"), ("rdfs:range", "xsd:date"))
    ],
    ("att:number", "rdfs:range", "xsd:string"),
    ("att:position", "rdfs:range", "xsd:integer"),
    ("att:text", "rdfs:range", "rdf:langString"),
    ("att:summary", "rdfs:range", "rdf:langString"),
    ("att:count", "rdfs:range", "xsd:integer"),
    ("att:ordinal", "rdfs:range", "xsd:integer"),
    ("att:isExtracted", "rdfs:range", "xsd:boolean"),
]

#: The datatypes HermiT understands (the OWL 2 datatype map, restricted to those a range might use).
OWL2_DATATYPES = frozenset(
    {
        namespaces.XSD.string,
        namespaces.XSD.language,
        namespaces.XSD.integer,
        namespaces.XSD.nonNegativeInteger,
        namespaces.XSD.boolean,
        namespaces.XSD.decimal,
        namespaces.XSD.dateTime,
        namespaces.XSD.anyURI,
        RDF.langString,
        RDF.PlainLiteral,
        RDFS.Literal,
    }
)

#: Pairs of classes whose disjointness the graph relies on (the test finds the axiom on any ancestor).
REQUIRED_DISJOINT = [
    ("Article", "Body"),
    ("Person", "State"),
    ("Document", "Body"),
    ("Provision", "Document"),
    ("Meeting", "Document"),
    ("Session", "Body"),
    ("SourceUnit", "Document"),
    ("Recommendation", "Decision"),
]


# ---------------------------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """The ontology parsed with only the prefixes the file itself declares."""
    g = Graph(bind_namespaces="none")
    g.parse(ONTOLOGY_PATH, format="turtle")
    return g


def _expand(graph: Graph, curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    namespaces = dict(graph.namespaces())
    assert prefix in namespaces, f"the ontology file declares no prefix {prefix!r}"
    return URIRef(str(namespaces[prefix]) + local)


def _att_name(node: Node) -> str:
    return str(node)[len(str(ATT)) :]


def _declared(graph: Graph) -> set[URIRef]:
    return {
        s
        for kind in DECLARATION_TYPES
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(ATT))
    }


def _ancestors(graph: Graph, cls: URIRef) -> set[Node]:
    return {c for c in graph.transitive_objects(cls, RDFS.subClassOf) if c is not None}


def _list(graph: Graph, subject: Node, predicate: URIRef) -> list[Node]:
    head = graph.value(subject, predicate)
    assert head is not None, f"{subject} has no {predicate}"
    return list(Collection(graph, head))


def _disjoint_pairs(graph: Graph) -> set[frozenset[Node]]:
    pairs = {frozenset((a, b)) for a, b in graph.subject_objects(OWL.disjointWith)}
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = _list(graph, axiom, OWL.members)
        pairs |= {frozenset((a, b)) for a in members for b in members if a != b}
    return pairs


def _labels(graph: Graph, term: URIRef, predicate: URIRef, language: str) -> list[Literal]:
    return [
        o
        for o in graph.objects(term, predicate)
        if isinstance(o, Literal) and o.language == language and str(o).strip()
    ]


# ---------------------------------------------------------------------------------------------
# Fast tests (rdflib)
# ---------------------------------------------------------------------------------------------


def test_file_parses_as_one_ontology(ontology: Graph) -> None:
    assert list(ontology.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]


def test_ontology_metadata(ontology: Graph) -> None:
    titles = {o.language for o in ontology.objects(ONTOLOGY_IRI, DCTERMS.title) if isinstance(o, Literal)}
    assert titles == {"en", "zh"}
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("1.0.0")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/1.0.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    created = ontology.value(ONTOLOGY_IRI, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype == namespaces.XSD.date
    descriptions = {o.language for o in ontology.objects(ONTOLOGY_IRI, DCTERMS.description) if isinstance(o, Literal)}
    assert "en" in descriptions


def test_no_imports(ontology: Graph) -> None:
    """The ontology must never fetch anything."""
    assert list(ontology.objects(None, OWL.imports)) == []


def test_every_att_term_is_labelled_and_commented(ontology: Graph) -> None:
    problems: dict[str, list[str]] = {}
    for term in sorted(_declared(ontology)):
        missing = [
            f"rdfs:label@{language} (need exactly one, found {len(found)})"
            for language in ("en", "zh")
            if len(found := _labels(ontology, term, RDFS.label, language)) != 1
        ]
        if not _labels(ontology, term, RDFS.comment, "en"):
            missing.append("rdfs:comment@en")
        if missing:
            problems[_att_name(term)] = missing
    assert problems == {}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_labels_are_unique(ontology: Graph, language: str) -> None:
    """Two terms with one label would be indistinguishable in a user interface."""
    seen: dict[str, list[str]] = {}
    for term in _declared(ontology):
        for label in _labels(ontology, term, RDFS.label, language):
            seen.setdefault(str(label), []).append(_att_name(term))
    assert {label: sorted(names) for label, names in seen.items() if len(names) > 1} == {}


@pytest.mark.parametrize(("name", "kind"), CONTRACT_TERMS, ids=[name for name, _ in CONTRACT_TERMS])
def test_contract_term_is_declared(ontology: Graph, name: str, kind: URIRef) -> None:
    assert (ATT[name], RDF.type, kind) in ontology


@pytest.mark.parametrize(("name", "cls"), CONTRACT_INDIVIDUALS.items())
def test_contract_individual_has_its_class(ontology: Graph, name: str, cls: str) -> None:
    assert (ATT[name], RDF.type, _expand(ontology, cls)) in ontology


@pytest.mark.parametrize(("s", "p", "o"), CONTRACT_AXIOMS, ids=[" ".join(a) for a in CONTRACT_AXIOMS])
def test_contract_axiom(ontology: Graph, s: str, p: str, o: str) -> None:
    assert (_expand(ontology, s), _expand(ontology, p), _expand(ontology, o)) in ontology


def test_every_used_att_term_is_declared(ontology: Graph) -> None:
    used = {
        node for triple in ontology for node in triple if isinstance(node, URIRef) and str(node).startswith(str(ATT))
    }
    assert sorted(_att_name(t) for t in used - _declared(ontology)) == []


def test_every_used_term_is_declared_whatever_its_namespace(ontology: Graph) -> None:
    """Every class, property and individual an axiom mentions is declared: OWL 2 DL on its own."""
    builtin = (str(RDF), str(RDFS), str(OWL), str(namespaces.XSD))
    axiom_predicates = {
        RDF.type,
        RDF.first,
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.disjointWith,
        OWL.inverseOf,
    }
    used = (
        {s for s, _, _ in ontology if s != ONTOLOGY_IRI}
        | {p for _, p, _ in ontology}
        | {o for _, p, o in ontology if p in axiom_predicates}
    )
    undeclared = {
        str(node)
        for node in used
        if isinstance(node, URIRef)
        and not str(node).startswith(builtin)
        and not any((node, RDF.type, kind) in ontology for kind in DECLARATION_TYPES)
    }
    assert sorted(undeclared) == []


def test_no_punning(ontology: Graph) -> None:
    """No IRI is declared as two kinds of entity (OWL 2 DL forbids most combinations)."""
    kinds: dict[Node, set[str]] = {}
    for kind in DECLARATION_TYPES:
        for s in ontology.subjects(RDF.type, kind):
            kinds.setdefault(s, set()).add(kind.fragment)
    assert {str(s): sorted(k) for s, k in kinds.items() if len(k) > 1} == {}


def test_no_property_is_both_transitive_and_functional(ontology: Graph) -> None:
    transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    inverse_functional = set(ontology.subjects(RDF.type, OWL.InverseFunctionalProperty))
    assert sorted(str(p) for p in transitive & (functional | inverse_functional)) == []


def test_no_cardinality_restrictions_on_non_simple_properties(ontology: Graph) -> None:
    """A property with a transitive sub-property (or itself transitive) may carry no cardinality."""
    non_simple = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
    changed = True
    while changed:
        supers = {o for p in non_simple for o in ontology.objects(p, RDFS.subPropertyOf)}
        inverses = {o for p in non_simple for o in ontology.objects(p, OWL.inverseOf)} | {
            s for p in non_simple for s in ontology.subjects(OWL.inverseOf, p)
        }
        changed = not (supers | inverses) <= non_simple
        non_simple |= supers | inverses
    cardinalities = (
        OWL.cardinality,
        OWL.minCardinality,
        OWL.maxCardinality,
        OWL.qualifiedCardinality,
        OWL.minQualifiedCardinality,
        OWL.maxQualifiedCardinality,
    )
    restricted = {
        p for c in cardinalities for r in ontology.subjects(c, None) for p in ontology.objects(r, OWL.onProperty)
    }
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    assert sorted(str(p) for p in non_simple & (restricted | functional)) == []


def test_datatype_ranges_are_ones_hermit_knows(ontology: Graph) -> None:
    """xsd:date is the one exception: HermiT can't interpret it, so the reasoner test ignores it."""
    ranges = {o for p in ontology.subjects(RDF.type, OWL.DatatypeProperty) for o in ontology.objects(p, RDFS.range)}
    assert sorted(str(r) for r in ranges - OWL2_DATATYPES - {namespaces.XSD.date}) == []


@pytest.mark.parametrize(("first", "second"), REQUIRED_DISJOINT, ids=["-".join(p) for p in REQUIRED_DISJOINT])
def test_disjointness_axiom_exists(ontology: Graph, first: str, second: str) -> None:
    pairs = _disjoint_pairs(ontology)
    assert any(
        frozenset((a, b)) in pairs for a in _ancestors(ontology, ATT[first]) for b in _ancestors(ontology, ATT[second])
    )


def test_is_part_of_is_transitive_and_has_part_its_inverse(ontology: Graph) -> None:
    assert (ATT.isPartOf, RDF.type, OWL.TransitiveProperty) in ontology
    assert (ATT.hasPart, OWL.inverseOf, ATT.isPartOf) in ontology


def test_status_and_format_individuals_are_pairwise_different(ontology: Graph) -> None:
    groups = [
        sorted(_att_name(m) for m in _list(ontology, axiom, OWL.distinctMembers))
        for axiom in ontology.subjects(RDF.type, OWL.AllDifferent)
    ]
    assert sorted(groups) == [
        ["adopted", "decided", "draft", "endorsed", "noted", "proposed", "requested", "welcomed"],
        ["derived", "editorial", "identified", "reconstructed", "stated"],
        ["hybrid", "inPerson", "virtual"],
        ["referenceExtractor", "segmenter"],
    ]


def _prefix_cases() -> Iterator[object]:
    g = Graph(bind_namespaces="none")
    g.parse(ONTOLOGY_PATH, format="turtle")
    for prefix, namespace in sorted(g.namespaces()):
        yield pytest.param(prefix, str(namespace), id=prefix)


@pytest.mark.parametrize(("prefix", "namespace"), list(_prefix_cases()))
def test_prefix_agrees_with_namespaces_module(prefix: str, namespace: str) -> None:
    """The ontology writes every namespace exactly as the Python code and the data do."""
    assert PREFIXES.get(prefix, namespace) == namespace


# ---------------------------------------------------------------------------------------------
# Slow tests (owlready2 + HermiT)
# ---------------------------------------------------------------------------------------------


def _reason(graph: Graph, tmp_path: Path, *, infer_property_values: bool = False) -> owlready2.World:
    """Load ``graph`` into a fresh owlready2 World through N-Triples and run HermiT over it.

    Unsupported datatypes are ignored because xsd:date (the range of the treaty dates and the
    value type of time:inXSDDate) is outside the OWL 2 datatype map that HermiT implements.
    """
    path = tmp_path / "attgraph.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    owlready2.sync_reasoner(
        world, infer_property_values=infer_property_values, ignore_unsupported_datatypes=True, debug=0
    )
    return world


def _copy(graph: Graph) -> Graph:
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    for triple in graph:
        copy.add(triple)
    return copy


@pytest.mark.slow
def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(ontology: Graph, tmp_path: Path) -> None:
    world = _reason(ontology, tmp_path)
    assert list(world.inconsistent_classes()) == []


@pytest.mark.slow
@pytest.mark.parametrize(("first", "second"), REQUIRED_DISJOINT, ids=["-".join(p) for p in REQUIRED_DISJOINT])
def test_hermit_rejects_a_thing_of_two_disjoint_kinds(ontology: Graph, tmp_path: Path, first: str, second: str) -> None:
    data = _copy(ontology)
    thing = ID["test/two-kinds"]
    data.add((thing, RDF.type, ATT[first]))
    data.add((thing, RDF.type, ATT[second]))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(data, tmp_path)


@pytest.mark.slow
def test_hermit_infers_the_provision_part_of_chain(ontology: Graph, tmp_path: Path) -> None:
    data = _copy(ontology)
    treaty = ID["treaty/ATT"]
    chain = [
        (provision_iri("7.1.b.ii"), ATT.Item),
        (provision_iri("7.1.b"), ATT.Subparagraph),
        (provision_iri("7.1"), ATT.Paragraph),
        (article_iri(7), ATT.Article),
        (treaty, ATT.Treaty),
    ]
    for (part, kind), (whole, _) in pairwise(chain):
        data.add((part, RDF.type, kind))
        data.add((part, ATT.partOf, whole))
    data.add((treaty, RDF.type, ATT.Treaty))
    inferred = _reason(data, tmp_path, infer_property_values=True).as_rdflib_graph()
    item = provision_iri("7.1.b.ii")
    assert set(inferred.objects(item, ATT.isPartOf)) == {
        provision_iri("7.1.b"),
        provision_iri("7.1"),
        article_iri(7),
        treaty,
    }
    assert set(inferred.objects(treaty, ATT.hasPart)) == {
        article_iri(7),
        provision_iri("7.1"),
        provision_iri("7.1.b"),
        item,
    }


@pytest.mark.slow
def test_hermit_rejects_two_next_steps(ontology: Graph, tmp_path: Path) -> None:
    """att:nextStep is functional: one step cannot lead to two distinct steps."""
    data = _copy(ontology)
    step, after_a, after_b = (ID[f"test/step-{n}"] for n in ("1", "2a", "2b"))
    for node in (step, after_a, after_b):
        data.add((node, RDF.type, ATT.Step))
    data.add((step, ATT.nextStep, after_a))
    data.add((step, ATT.nextStep, after_b))
    different = BNode()
    data.add((different, RDF.type, OWL.AllDifferent))
    members = BNode()
    Collection(data, members, [after_a, after_b])
    data.add((different, OWL.distinctMembers, members))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(data, tmp_path)


@pytest.mark.slow
def test_hermit_accepts_an_extracted_reference_occurrence(ontology: Graph, tmp_path: Path) -> None:
    """A unit, its source, an occurrence citing a provision and the extractor fit together."""
    data = _copy(ontology)
    source, unit, occurrence = ID["source/test"], ID["source/test/p1"], ID["source/test/p1/ref1"]
    data.add((source, RDF.type, ATT.SourceDocument))
    data.add((unit, RDF.type, ATT.NumberedParagraph))
    data.add((unit, ATT.inSource, source))
    data.add((unit, ATT.text, Literal("第7条第(4)款", lang="zh")))
    data.add((unit, ATT.citesProvision, provision_iri("7.4")))
    data.add((occurrence, RDF.type, ATT.ReferenceOccurrence))
    data.add((occurrence, ATT.occurrenceIn, unit))
    data.add((occurrence, ATT.occurrenceTarget, provision_iri("7.4")))
    data.add((occurrence, ATT.matchedText, Literal("第7条第(4)款")))
    data.add((occurrence, ATT.startOffset, Literal(0)))
    data.add((occurrence, ATT.endOffset, Literal(8)))
    data.add((occurrence, ATT.isExtracted, Literal(True)))
    data.add((occurrence, ATT.extractedBy, ATT.referenceExtractor))
    data.add((occurrence, PROV.wasDerivedFrom, unit))
    world = _reason(data, tmp_path, infer_property_values=True)
    inferred = world.as_rdflib_graph()
    assert list(world.inconsistent_classes()) == []
    assert (provision_iri("7.4"), RDF.type, ATT.Provision) in inferred
    assert set(inferred.objects(unit, ATT.isPartOf)) == {source}
