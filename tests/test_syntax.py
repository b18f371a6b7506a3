"""Queries that do not parse, explained: the engine's own message for each mistake (no mock: the real parser
gives it), turned into one sentence with one position and one excerpt with a caret; no character ranges."""

from __future__ import annotations

import pytest

from attgraph.errors import QuerySyntaxError
from attgraph.knowledge.graph import KnowledgeGraph

CASES = [
    ("SELECT ?s WHERE { ?s dct:title ?t }", 1, 31,
     "the prefix dct: is not declared; declare it (PREFIX dct: <…>) or use ours, dcterms: "
     "<http://purl.org/dc/terms/>"),
    ("SELECT ?s WHERE { ?s ?p source:wgeti-csp11-report/p7 }", 1, 55,
     'a prefixed name cannot hold a "/" as it is: write source:wgeti-csp11-report/p7 as '
     "source:wgeti-csp11-report\\/p7 or as the full IRI <https://w3id.org/attgraph/id/source/wgeti-csp11-report/p7>"),
    ("SELECT ?s WHERE { VALUES ?s { document:ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev. } }", 1, 48,
     'a prefixed name cannot hold a "/" as it is: write document:ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev. as '
     "document:ATT\\/CSP11\\/2025\\/SEC\\/834\\/Conf.FinRep\\/Rev\\. or as the full IRI "
     "<https://w3id.org/attgraph/id/document/ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.>"),
    ("SELECT ?s WHERE { VALUES ?s { article:7. } }", 1, 45,
     'if article:7. is one name, a prefixed name cannot end with ".": write article:7\\. or the full IRI '
     "<https://w3id.org/attgraph/id/article/7.>"),
    ("SELECT ?s WHERE { ?s a att:Article } LIMT 3", 1, 44, "LIMT is not a word of SPARQL; did you mean LIMIT?"),
    ("SELECT ?s WHERE {\n  ?s a att:Article ", 2, 20,
     'expected one of ",", ".", ";", "{", "{|", "}", "~"; the query ends here'),
    ("SELECT ?x WHERE { ?x ?y }", 1, 26, "expected LATERAL or SERVICE; the query ends here"),
    ("SELECT ?o WHERE { nope:x ?p ?o }", 1, 27, "the prefix nope: is not declared; declare it (PREFIX nope: <…>)"),
]


@pytest.mark.parametrize("text, line, column, said", CASES)
def test_a_mistake_is_explained_in_plain_words(graph: KnowledgeGraph, text: str, line: int, column: int,
                                               said: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        graph.query(text)
    error = caught.value
    assert error.message == f"the query does not parse at line {line}, column {column}: {said}"
    shown = text.split("\n")[line - 1]
    assert error.details["excerpt"] == shown + "\n" + " " * (min(column, len(shown) + 1) - 1) + "^"
    assert (error.details["line"], error.details["column"]) == (line, column)
    assert error.details["reason"].startswith(f"error at {line}:{column}: expected")
    assert "..=" not in error.message and "[_]" not in error.message


def test_paths_and_declared_prefixes_are_not_taken_for_mistakes(graph: KnowledgeGraph) -> None:
    text = ("PREFIX ex: <http://example.org/>\nSELECT ?s WHERE { ?s att:partOf/att:article ?a ; rdf:type/rdfs:label "
            "?l ; ex:p/a ?t . FILTER(lang(?l) = \"en\") } LIMIT x")
    with pytest.raises(QuerySyntaxError) as caught:
        graph.query(text)
    assert caught.value.message == "the query does not parse at line 2, column 119: expected one of HAVING, " \
                                   "OFFSET, OPTIONAL, VALUES; found 'x'"
    assert "hints" not in caught.value.details
