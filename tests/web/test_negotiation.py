"""Choosing a format from Accept (q-values, specificity) or format=, and when a page is chosen."""

from __future__ import annotations

import pytest

from attgraph.errors import FormatError
from attgraph.knowledge.formats import GRAPH_FORMATS, RESULT_FORMATS
from attgraph.web.negotiation import choose, choose_view, parse_accept, quality

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_parse_accept_orders_by_q_then_specificity() -> None:
    assert parse_accept("text/*;q=0.5, text/csv, */*;q=0.1, application/json;q=0.5") == [
        ("text/csv", 1.0), ("application/json", 0.5), ("text/*", 0.5), ("*/*", 0.1)]


def test_quality_takes_the_most_specific_range() -> None:
    ranges = parse_accept("text/*;q=0.9, text/csv;q=0.2, */*;q=0.5")
    assert (quality(ranges, "text/csv"), quality(ranges, "text/tab-separated-values"),
            quality(ranges, "application/json")) == (0.2, 0.9, 0.5)


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "json"), ("", "json"), ("*/*", "json"), ("text/csv", "csv"),
    ("application/sparql-results+xml;q=0.9, text/tab-separated-values", "tsv"),
    ("text/*", "xml"), ("text/*;q=0.9, text/xml;q=0.1", "csv"), ("application/json", "json"),
    ("text/csv;q=0, */*", "json"),
    ("application/xml", "xml"), (BROWSER, "xml"),
])
def test_result_formats(accept: str | None, expected: str) -> None:
    assert choose(RESULT_FORMATS, accept).name == expected


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle", "turtle"), ("application/ld+json", "jsonld"), ("application/n-triples", "ntriples"),
    ("application/rdf+xml", "rdfxml"), ("application/n-quads", "nquads"), ("application/trig", "trig"),
    ("text/plain", "ntriples"), ("application/ld+json;q=0.5, text/turtle;q=0.4", "jsonld"),
])
def test_graph_formats(accept: str, expected: str) -> None:
    assert choose(GRAPH_FORMATS, accept).name == expected


def test_format_parameter_wins_over_accept() -> None:
    assert choose(RESULT_FORMATS, "text/csv", "tsv").name == "tsv"
    assert choose(RESULT_FORMATS, None, "application/sparql-results+xml").name == "xml"


def test_nothing_acceptable_is_406() -> None:
    with pytest.raises(FormatError) as caught:
        choose(RESULT_FORMATS, "image/png")
    assert (caught.value.status, caught.value.message) == (406, (
        "none of the accepted media types (image/png) can be produced; available: application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values"))
    with pytest.raises(FormatError) as unknown:
        choose(RESULT_FORMATS, None, "pdf")
    assert unknown.value.message == "format 'pdf' is not available here; use one of: json, xml, csv, tsv"


@pytest.mark.parametrize(("accept", "requested", "page"), [
    (BROWSER, None, True), ("text/html", None, True), ("*/*", None, False), (None, None, False),
    ("text/turtle, text/html;q=0.9", None, False), ("text/html;q=0.5, */*;q=0.5", None, False),
    (BROWSER, "turtle", False), ("text/turtle", "html", True),
])
def test_page_only_when_html_is_preferred(accept: str | None, requested: str | None, page: bool) -> None:
    assert (choose_view(GRAPH_FORMATS, accept, requested) is None) is page


def test_aliases_and_several_format_values() -> None:
    assert choose(GRAPH_FORMATS, None, ["rdf+xml", "application/rdf+xml"]).name == "rdfxml"
    assert choose(GRAPH_FORMATS, None, "n3").name == "turtle"
    assert choose(GRAPH_FORMATS, None, ["nonsense", "xml"]).name == "rdfxml"
    assert choose(RESULT_FORMATS, None, ["xml", "application/sparql-results+xml"]).name == "xml"
    with pytest.raises(FormatError) as caught:
        choose(RESULT_FORMATS, None, ["docx", "pdf"])
    assert caught.value.message == "format 'docx' is not available here; use one of: json, xml, csv, tsv"
