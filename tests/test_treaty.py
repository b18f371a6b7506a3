"""The treaty as data (``data/treaty.ttl``): its articles, paragraphs, subparagraphs and items.

The expected structure is the one in the project's structure sheet of the Arms Trade Treaty. The file is
parsed with rdflib (it must be plain, blank-node-free Turtle) and queried with pyoxigraph.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from attgraph.knowledge.namespaces import ATT, PREFIXES, article_iri, provision_iri

TREATY_TTL = Path(__file__).resolve().parent.parent / "data" / "treaty.ttl"
TREATY = ox.NamedNode(PREFIXES["treaty"] + "ATT")

#: 1 treaty + preamble + its list of principles + 28 articles + 2 unnumbered parts of Article 1
#: + 71 numbered paragraphs + 22 subparagraphs + 4 items.
RESOURCE_COUNT = 130

#: Paragraph resources per article; 0 for the single-paragraph articles, 2 (object, purpose) for Article 1.
PARAGRAPH_COUNTS: dict[int, int] = {
    1: 2,
    2: 3,
    3: 0,
    4: 0,
    5: 6,
    6: 3,
    7: 7,
    8: 3,
    9: 0,
    10: 0,
    11: 6,
    12: 4,
    13: 3,
    14: 0,
    15: 7,
    16: 3,
    17: 5,
    18: 3,
    19: 2,
    20: 4,
    21: 3,
    22: 2,
    23: 0,
    24: 3,
    25: 2,
    26: 2,
    27: 0,
    28: 0,
}

SUBPARAGRAPH_LETTERS: dict[str, list[str]] = {
    "2.1": ["a", "b", "c", "d", "e", "f", "g", "h"],
    "7.1": ["a", "b"],
    "17.4": ["a", "b", "c", "d", "e", "f", "g"],
    "18.3": ["a", "b", "c", "d", "e"],
}

ARTICLES_QUERY = """
SELECT ?article ?number ?position WHERE {
  ?article a att:Article ; att:number ?number ; att:position ?position .
}
ORDER BY ?position
"""

PARAGRAPH_COUNT_QUERY = """
SELECT ?article (COUNT(?paragraph) AS ?count) WHERE {
  ?article a att:Article .
  OPTIONAL { ?paragraph a att:Paragraph ; att:partOf ?article }
}
GROUP BY ?article
"""

CHILDREN_QUERY = """
SELECT ?parent ?kind ?number WHERE {
  ?child a ?kind ; att:partOf ?parent ; att:number ?number ; att:position ?position .
}
ORDER BY ?position
"""

ANCESTORS_QUERY = """
SELECT ?start ?ancestor (COUNT(?above) AS ?depth) WHERE {
  ?start att:partOf+ ?ancestor .
  ?ancestor att:partOf* ?above .
}
GROUP BY ?start ?ancestor
ORDER BY DESC(?depth)
"""

LABELS_QUERY = """
SELECT ?resource
       (SUM(IF(LANG(?label) = "en", 1, 0)) AS ?en)
       (SUM(IF(LANG(?label) = "zh", 1, 0)) AS ?zh)
       (COUNT(?label) AS ?labels)
WHERE {
  { SELECT DISTINCT ?resource WHERE { ?resource ?p ?o } }
  OPTIONAL { ?resource rdfs:label ?label }
}
GROUP BY ?resource
"""

SUMMARIES_QUERY = """
SELECT ?resource (COUNT(?summary) AS ?summaries) (SAMPLE(LANG(?summary)) AS ?lang) WHERE {
  { SELECT DISTINCT ?resource WHERE { ?resource ?p ?o } }
  OPTIONAL { ?resource att:summary ?summary }
}
GROUP BY ?resource
"""

SUBPARAGRAPH_KEYS_QUERY = """
SELECT ?key WHERE { ?subparagraph a att:Subparagraph ; att:key ?key }
ORDER BY ?key
"""

KEYS_QUERY = """
SELECT ?resource ?key WHERE { ?resource att:key ?key }
"""

LABEL_QUERY = """
SELECT ?resource ?label WHERE { ?resource rdfs:label ?label }
ORDER BY ?label
"""

HEADING_QUERY = """
SELECT ?article ?heading WHERE { ?article att:heading ?heading . FILTER(LANG(?heading) = "zh") }
"""

ARTICLE_OF_QUERY = """
SELECT ?provision ?article ?top WHERE {
  ?provision att:article ?article ; att:partOf* ?top .
  ?top a att:Article .
}
"""

TREATY_DATES_QUERY = """
SELECT ?treaty ?adopted ?opened ?inForce WHERE {
  ?treaty att:adoptionDate ?adopted ;
          att:signatureOpeningDate ?opened ;
          att:entryIntoForceDate ?inForce .
}
"""

TREATY_FACTS_QUERY = """
SELECT ?treaty ?identifier ?resolution ?depositary ?language WHERE {
  ?treaty dcterms:identifier ?identifier ;
          att:adoptingResolution ?resolution ;
          att:depositary ?depositary ;
          att:authenticLanguage ?language .
}
ORDER BY ?depositary ?language
"""

TREATY_PARTS_QUERY = """
SELECT ?treaty ?part WHERE { ?treaty att:hasPart ?part . ?part att:partOf ?treaty }
"""

NOT_DERIVED_QUERY = """
SELECT DISTINCT ?treaty ?resource WHERE {
  ?resource ?p ?o .
  FILTER NOT EXISTS { ?resource prov:wasDerivedFrom ?treaty }
}
"""


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    """The treaty file parsed by rdflib."""
    return rdflib.Graph().parse(TREATY_TTL, format="turtle")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The treaty file loaded into the default graph of an in-memory pyoxigraph store."""
    result = ox.Store()
    result.load(path=str(TREATY_TTL), format=ox.RdfFormat.TURTLE)
    return result


def select(store: ox.Store, query: str, **bindings: ox.NamedNode) -> Iterator[ox.QuerySolution]:
    """Run a SELECT with the project prefixes and the given variables bound."""
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): value for name, value in bindings.items()
    }
    solutions = store.query(query, prefixes=PREFIXES, substitutions=substitutions)
    assert isinstance(solutions, ox.QuerySolutions)
    return iter(solutions)


def node(iri: rdflib.URIRef) -> ox.NamedNode:
    """A pyoxigraph node for an IRI built by ``attgraph.knowledge.namespaces``."""
    return ox.NamedNode(str(iri))


def test_rdflib_and_pyoxigraph_read_the_same_triples(graph: rdflib.Graph, store: ox.Store) -> None:
    assert len(graph) == len(store) == 1387


def test_no_blank_nodes(graph: rdflib.Graph) -> None:
    blank = [t for t in graph if any(isinstance(term, rdflib.BNode) for term in t)]
    assert blank == []


def test_twenty_eight_articles_numbered_in_order(store: ox.Store) -> None:
    rows = [
        (s["article"].value, s["number"].value, int(s["position"].value))
        for s in select(store, ARTICLES_QUERY)
    ]
    assert rows == [(str(article_iri(n)), str(n), n) for n in range(1, 29)]


@pytest.mark.parametrize(("article", "count"), sorted(PARAGRAPH_COUNTS.items()))
def test_paragraph_count(store: ox.Store, article: int, count: int) -> None:
    (solution,) = select(store, PARAGRAPH_COUNT_QUERY, article=node(article_iri(article)))
    assert int(solution["count"].value) == count


@pytest.mark.parametrize(("paragraph", "letters"), sorted(SUBPARAGRAPH_LETTERS.items()))
def test_subparagraph_letters(store: ox.Store, paragraph: str, letters: list[str]) -> None:
    rows = select(store, CHILDREN_QUERY, parent=node(provision_iri(paragraph)), kind=node(ATT.Subparagraph))
    assert [s["number"].value for s in rows] == letters


def test_subparagraphs_only_where_the_sheet_lists_them(store: ox.Store) -> None:
    rows = select(store, SUBPARAGRAPH_KEYS_QUERY)
    expected = sorted(f"{p}.{letter}" for p, letters in SUBPARAGRAPH_LETTERS.items() for letter in letters)
    assert [s["key"].value for s in rows] == expected


def test_items_of_7_1_b(store: ox.Store) -> None:
    rows = select(store, CHILDREN_QUERY, parent=node(provision_iri("7.1.b")), kind=node(ATT.Item))
    assert [s["number"].value for s in rows] == ["i", "ii", "iii", "iv"]


def test_part_of_chain_of_7_1_b_ii(store: ox.Store) -> None:
    rows = [
        (s["ancestor"].value, int(s["depth"].value))
        for s in select(store, ANCESTORS_QUERY, start=node(provision_iri("7.1.b.ii")))
    ]
    assert rows == [
        (str(provision_iri("7.1.b")), 4),
        (str(provision_iri("7.1")), 3),
        (str(article_iri(7)), 2),
        (TREATY.value, 1),
    ]


def test_every_resource_has_one_english_and_one_chinese_label(store: ox.Store) -> None:
    rows = [
        (int(s["en"].value), int(s["zh"].value), int(s["labels"].value)) for s in select(store, LABELS_QUERY)
    ]
    assert len(rows) == RESOURCE_COUNT
    assert set(rows) == {(1, 1, 2)}


def test_every_resource_has_one_english_summary(store: ox.Store) -> None:
    rows = [(int(s["summaries"].value), s["lang"].value) for s in select(store, SUMMARIES_QUERY)]
    assert len(rows) == RESOURCE_COUNT
    assert set(rows) == {(1, "en")}


def test_every_key_matches_its_iri(store: ox.Store) -> None:
    rows = [(s["resource"].value, s["key"].value) for s in select(store, KEYS_QUERY)]
    assert len(rows) == RESOURCE_COUNT - 1  # all but the treaty itself
    assert [(iri, key) for iri, key in rows if iri != str(provision_iri(key))] == []


@pytest.mark.parametrize(
    ("key", "labels"),
    [
        ("7", ["Article 7: Export and Export Assessment", "第7条：出口和出口评估"]),
        ("7.1", ["Article 7(1)", "第7条第1款"]),
        ("7.1.b", ["Article 7(1)(b)", "第7条第1款(b)项"]),
        ("7.1.b.ii", ["Article 7(1)(b)(ii)", "第7条第1款(b)项第(ii)目"]),
        ("1.object", ["Article 1 (Object)", "第1条（目标）"]),
        ("1.purpose", ["Article 1 (Purpose)", "第1条（宗旨）"]),
        (
            "21",
            [
                "Article 21: Signature, Ratification, Acceptance, Approval or Accession",
                "第21条：签署、批准、接受、核准或加入",
            ],
        ),
    ],
)
def test_labels(store: ox.Store, key: str, labels: list[str]) -> None:
    rows = select(store, LABEL_QUERY, resource=node(provision_iri(key)))
    assert [s["label"].value for s in rows] == labels


@pytest.mark.parametrize(
    ("article", "heading"), [(6, "禁止"), (7, "出口和出口评估"), (9, "过境或转运"), (11, "转用")]
)
def test_chinese_headings_follow_the_sources(store: ox.Store, article: int, heading: str) -> None:
    (solution,) = select(store, HEADING_QUERY, article=node(article_iri(article)))
    assert solution["heading"].value == heading


def test_every_article_and_provision_points_to_the_article_it_sits_in(store: ox.Store) -> None:
    rows = [
        (s["provision"].value, s["article"].value, s["top"].value) for s in select(store, ARTICLE_OF_QUERY)
    ]
    assert len(rows) == 28 + 2 + 71 + 22 + 4  # an article is its own article
    assert [row for row in rows if row[1] != row[2]] == []


def test_treaty_dates(store: ox.Store) -> None:
    (solution,) = select(store, TREATY_DATES_QUERY, treaty=TREATY)
    date = ox.NamedNode(PREFIXES["xsd"] + "date")
    assert (solution["adopted"], solution["opened"], solution["inForce"]) == (
        ox.Literal("2013-04-02", datatype=date),
        ox.Literal("2013-06-03", datatype=date),
        ox.Literal("2014-12-24", datatype=date),
    )


def test_treaty_facts(store: ox.Store) -> None:
    rows = [
        (s["identifier"].value, s["resolution"].value, s["depositary"].value, s["language"].value)
        for s in select(store, TREATY_FACTS_QUERY, treaty=TREATY)
    ]
    depositaries = ["Secretary-General of the United Nations", "联合国秘书长"]
    languages = ["ar", "en", "es", "fr", "ru", "zh"]
    assert rows == [("ATT", "67/234 B", d, lang) for d in depositaries for lang in languages]


def test_treaty_parts_are_the_preamble_and_the_articles(store: ox.Store) -> None:
    parts = sorted(s["part"].value for s in select(store, TREATY_PARTS_QUERY, treaty=TREATY))
    assert parts == sorted([str(provision_iri("preamble"))] + [str(article_iri(n)) for n in range(1, 29)])


def test_everything_but_the_treaty_is_derived_from_it(store: ox.Store) -> None:
    rows = [s["resource"] for s in select(store, NOT_DERIVED_QUERY, treaty=TREATY)]
    assert rows == [TREATY]


EVIDENCE_TTL = TREATY_TTL.parent / "evidence" / "treaty.ttl"

HEADING_BASES_QUERY = """
SELECT ?article ?basis (COUNT(?statement) AS ?statements) (SAMPLE(?quote) AS ?aQuote) WHERE {
  ?article att:heading ?heading . FILTER(LANG(?heading) = "zh")
  ?statement rdf:subject ?article ; rdf:predicate att:heading ; rdf:object ?heading ; att:basis ?basis .
  OPTIONAL { ?statement att:quote ?quote }
}
GROUP BY ?article ?basis
"""

TREATY_FACT_BASES_QUERY = """
SELECT ?treaty ?predicate ?basis ?from WHERE {
  ?statement rdf:subject ?treaty ; rdf:predicate ?predicate ; att:basis ?basis .
  OPTIONAL { ?statement prov:wasDerivedFrom ?from }
}
"""


@pytest.fixture(scope="module")
def evidence() -> ox.Store:
    """The treaty file and its statements (data/evidence/treaty.ttl) in one in-memory store."""
    result = ox.Store()
    result.load(path=str(TREATY_TTL), format=ox.RdfFormat.TURTLE)
    result.load(path=str(EVIDENCE_TTL), format=ox.RdfFormat.TURTLE)
    return result


def test_chinese_headings_are_quoted_where_the_sources_print_them(evidence: ox.Store) -> None:
    """The 2021 letter prints the titles of Articles 6 and 7 together (第6条和第7条（禁止以及出口和出口评估）: t2, p1,
    Annex A p1, table of contents 2), of Article 9 (t2, p2, contents 5, Annex B Appendix 1) and of Article 11
    (t2, p3, contents 6 and 7, Annex C title and p1, Annex C Appendix 1): stated, one statement per unit. The
    other 24 Chinese headings are the fact sheet's working labels: editorial, one statement each."""
    rows = {
        (int(s["article"].value.rsplit("/", 1)[-1]), s["basis"].value.rsplit("#", 1)[-1], int(s["statements"].value),
         s["aQuote"].value if s["aQuote"] is not None else "")
        for s in select(evidence, HEADING_BASES_QUERY)
    }
    printed = {6: (4, "禁止以及出口和出口评估"), 7: (4, "禁止以及出口和出口评估"),
               9: (4, "过境或转运"), 11: (7, "转用")}
    assert {(n, basis, count) for n, basis, count, _ in rows} == {
        (n, "stated", printed[n][0]) if n in printed else (n, "editorial", 1) for n in range(1, 29)}
    assert all(printed[n][1] in quote for n, basis, _, quote in rows if basis == "stated")


def test_treaty_facts_from_the_fact_sheet_are_editorial(evidence: ox.Store) -> None:
    """No source dates the treaty's adoption or entry into force or gives the adopting resolution: those and the
    citation built from them are ours (editorial). Signature, depositary and authentic texts are stated by
    Articles 21(1), 27 and 28; the short name ATT is printed in the 2021 letter (Annex A p1, Annex C p1)."""
    rows = {(s["predicate"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], s["basis"].value.rsplit("#", 1)[-1],
             "/".join(s["from"].value.rsplit("/", 2)[-2:]) if s["from"] is not None else "")
            for s in select(evidence, TREATY_FACT_BASES_QUERY, treaty=TREATY)}
    assert rows == {
        ("identifier", "stated", "annex-C/p1"), ("identifier", "stated", "annex-A/p1"),
        ("adoptionDate", "editorial", ""), ("adoptingResolution", "editorial", ""),
        ("entryIntoForceDate", "editorial", ""), ("bibliographicCitation", "editorial", ""),
        ("signatureOpeningDate", "stated", "provision/21.1"), ("depositary", "stated", "article/27"),
        ("authenticLanguage", "stated", "article/28"),
    }
