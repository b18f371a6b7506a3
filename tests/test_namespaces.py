"""``prefixes_for``: the service's prefixes a query may use, found without a regular expression."""

from __future__ import annotations

import re

import pytest

from attgraph.knowledge.namespaces import PREFIXES, prefixes_for
from attgraph.settings import PROJECT_ROOT

#: The plain definition: a prefix name is a letter then letters, digits, ``_``, ``.`` or ``-``, then a colon.
_USE = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*):")
_SHIPPED = sorted([*(PROJECT_ROOT / "queries").glob("*.rq"),
                   *(PROJECT_ROOT / "src/attgraph/knowledge/sparql").glob("*.rq"),
                   *(PROJECT_ROOT / "bench/queries").glob("*.rq")])


def _used(text: str) -> dict[str, str]:
    return {name: PREFIXES[name] for name in _USE.findall(text) if name in PREFIXES}


def test_every_shipped_query_is_covered() -> None:
    assert len(_SHIPPED) > 60
    for path in _SHIPPED:
        text = path.read_text(encoding="utf-8")
        found = prefixes_for(text)
        assert found == _used(text), path.name
    assert sum(1 for path in _SHIPPED if prefixes_for(path.read_text(encoding="utf-8"))) > 60


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { ?s rdf:type att:Article }", {"rdf", "att"}),
    ("SELECT * { ?s ?p ?o.rdf:type ?c ?d }", {"rdf"}),
    ("SELECT * { BIND(?a-xsd:integer('1') AS ?b) }", {"xsd"}),
    ("SELECT * { _:b0 <http://www.w3.org/2000/01/rdf-schema#label> ?o }", {"http"} & set(PREFIXES)),
    ("SELECT * { ?s skos:prefLabel ?o } # rdfs: in a comment counts too", {"skos", "rdfs"}),
    ("SELECT * { ?s nosuchprefix:p ?o }", set()),
    ("", set()),
    (":", set()),
])
def test_edge_cases(text: str, expected: set[str]) -> None:
    assert prefixes_for(text) == {name: PREFIXES[name] for name in expected}


def test_other_prefix_tables() -> None:
    assert prefixes_for("SELECT * { ?s ex:p ?o }", {"ex": "http://example.org/"}) == {"ex": "http://example.org/"}
    assert prefixes_for("SELECT * { ?s ex:p ?o }", {}) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("ASK {} " + "a-" * 8000 + ":x", set()),
    ("ASK {} " + "a-" * 8000 + "rdf:type", {"rdf"}),
    ("ASK {} " + "x" * 8000 + "att:Article skosskos:p skos:p", {"skos"}),
    ("ASK {} " + "a-a:" * 4000 + " ?o.rdfs:label", {"rdfs"}),
    ("ASK {} " + "." * 100 + "xsd:integer", {"xsd"}),
])
def test_long_names_before_a_colon(text: str, expected: set[str]) -> None:
    """The walk back from a colon is bounded by the longest prefix name, so long names cost no more than short
    ones, and the names it finds are those the unbounded walk finds."""
    assert prefixes_for(text) == {name: PREFIXES[name] for name in expected}
