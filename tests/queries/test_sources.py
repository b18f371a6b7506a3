"""Named queries over the source corpus (the units written by ``attgraph ingest``), and how the source
documents' own metadata (data/curated/sources.ttl) is known (data/evidence/sources.ttl)."""

from __future__ import annotations

from attgraph.knowledge.graph import KnowledgeGraph

SOURCE = "https://w3id.org/attgraph/id/source/"

#: Every unit that cites Article 7(4), found by reading the sources for 第7条第4款, 第 7 条第(4)款, 第7.4条,
#: (7.4), ( 7.4.) …: four of the five documents (the DIEF report never cites it).
CITING_7_4 = [
    "csp10-interagency-wp/p9",
    "wgeti-2021-letter/annex-A/p3",
    "wgeti-2021-letter/annex-A/p5/i",
    "wgeti-2021-letter/annex-A/p5/ii",
    "wgeti-2021-letter/annex-A/appendix-2/h8",
    "wgeti-2021-letter/annex-A/appendix-2/h11",
    "wgeti-csp11-report/p26",
    "wgeti-csp11-report/p29",
    "wgeti-csp11-report/p42",
    "wgeti-csp11-report/p46/e",
    "wgeti-csp11-report/p46/f",
    "wgeti-csp12-draft-report/p2/b1",
    "wgeti-csp12-draft-report/p2/b2",
    "wgeti-csp12-draft-report/p40",
    "wgeti-csp12-draft-report/p41",
    "wgeti-csp12-draft-report/p62/d",
    "wgeti-csp12-draft-report/annex-1/title",
    "wgeti-csp12-draft-report/annex-1/t1",
    "wgeti-csp12-draft-report/annex-2/title",
    "wgeti-csp12-draft-report/annex-2/t1",
    "wgeti-csp12-draft-report/annex-2/p104",
    "wgeti-csp12-draft-report/annex-2/fn-1",
]


def test_units_citing_7_4(graph: KnowledgeGraph) -> None:
    rows = graph.run("units-citing-provision").values()
    assert [row["unit"].removeprefix(SOURCE) for row in rows] == CITING_7_4
    assert {row["provision"] for row in rows} == {"https://w3id.org/attgraph/id/provision/7.4"}
    documents = {row["source"].removeprefix(SOURCE) for row in rows}
    assert documents == {"csp10-interagency-wp", "wgeti-2021-letter", "wgeti-csp11-report",
                         "wgeti-csp12-draft-report"}


def test_units_citing_7_4_text(graph: KnowledgeGraph) -> None:
    rows = {row["unit"].removeprefix(SOURCE): row for row in graph.run("units-citing-provision").values()}
    assert rows["csp10-interagency-wp/p9"]["number"] == "9"
    assert "例如第7条第(4)款所规定的关于防止和减轻基于性别的暴力" in rows["csp10-interagency-wp/p9"]["text"]
    first = rows["wgeti-2021-letter/annex-A/p5/i"]["text"]
    assert first.startswith("鼓励讨论各国在解释第7条第4款所用语言和标准时的做法")


def test_units_citing_article_11_include_its_paragraphs(graph: KnowledgeGraph) -> None:
    """Citing 11(2) is citing a part of Article 11: the article's list includes it."""
    article = {r["unit"] for r in graph.run("units-citing-provision", {"provision": "article:11"}).values()}
    paragraph = {r["unit"] for r in graph.run("units-citing-provision", {"provision": "provision:11.2"}).values()}
    # The 2021 letter, Annex C Appendix 1, second list: bullets 1 and 3 cite 第11条第2款 (text lines 324, 326).
    assert paragraph == {SOURCE + "wgeti-2021-letter/annex-C/appendix-1/t2/b1",
                         SOURCE + "wgeti-2021-letter/annex-C/appendix-1/t2/b3"}
    assert paragraph <= article


SOURCE_METADATA = """
SELECT ?source ?predicate ?value ?basis ?unit ?quote WHERE {
  ?source a att:SourceDocument .
  ?statement rdf:subject ?source ; rdf:predicate ?predicate ; rdf:object ?value ; att:basis ?basis .
  FILTER(?predicate IN (dcterms:date, att:originalLanguage))
  OPTIONAL { ?statement prov:wasDerivedFrom ?unit }
  OPTIONAL { ?statement att:quote ?quote }
}
ORDER BY ?source ?predicate"""

TITLE_BASES = """
SELECT ?source (LANG(?title) AS ?lang) ?basis WHERE {
  ?source a att:SourceDocument ; dcterms:title ?title .
  ?statement rdf:subject ?source ; rdf:predicate dcterms:title ; rdf:object ?title ; att:basis ?basis .
}
ORDER BY ?source ?lang"""


def test_source_dates_and_original_languages_are_stated_by_their_title_blocks(graph: KnowledgeGraph) -> None:
    """The three title blocks that print a date and 原文：英文 (the 2021 letter, the DIEF report, the CSP10 paper)
    state them, quoted as printed (the DIEF report's date with spaces); the CSP11 and CSP12 reports print
    neither, and have no such statement."""
    stated = "https://w3id.org/attgraph/ontology#stated"
    date, original = "http://purl.org/dc/terms/date", "https://w3id.org/attgraph/ontology#originalLanguage"
    rows = graph.query(SOURCE_METADATA).values()
    assert [(r["source"].removeprefix(SOURCE), r["predicate"], r["value"], r["basis"], r["unit"].removeprefix(SOURCE),
             r["quote"]) for r in rows] == [
        ("csp10-interagency-wp", date, "2024-02-09", stated, "csp10-interagency-wp/title", "2024年2月9日"),
        ("csp10-interagency-wp", original, "en", stated, "csp10-interagency-wp/title", "原文：英文"),
        ("dief-csp7-report", date, "2021-07-16", stated, "dief-csp7-report/title", "2021 年 7 月 16 日"),
        ("dief-csp7-report", original, "en", stated, "dief-csp7-report/title", "原文：英文"),
        ("wgeti-2021-letter", date, "2021-03-31", stated, "wgeti-2021-letter/title", "2021年3月31日"),
        ("wgeti-2021-letter", original, "en", stated, "wgeti-2021-letter/title", "原文：英文"),
    ]


def test_chinese_titles_are_stated_and_english_titles_are_ours(graph: KnowledgeGraph) -> None:
    """Each Chinese title is copied from its title block (stated); each English title is our translation."""
    rows = graph.query(TITLE_BASES).values()
    keys = ["csp10-interagency-wp", "dief-csp7-report", "wgeti-csp11-report", "wgeti-csp12-draft-report"]
    ours, theirs = "https://w3id.org/attgraph/ontology#editorial", "https://w3id.org/attgraph/ontology#stated"
    assert [(r["source"].removeprefix(SOURCE), r["lang"], r["basis"]) for r in rows] == [
        (key, lang, basis) for key in keys for lang, basis in (("en", ours), ("zh", theirs))]
