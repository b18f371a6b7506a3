"""Which queries are single-resource lookups, answered without a worker (:mod:`attgraph.engine.lookups`)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from attgraph.engine.guard import inspect
from attgraph.engine.lookups import DEEPEST, Lookups, lookup_end

S = "<https://w3id.org/attgraph/id/article/7>"
HEAD = "PREFIX att: <https://w3id.org/attgraph/ontology#>\n"

#: Lookups, the variables bound by the engine, and what follows the lookup's group.
ACCEPTED = [
    (f"SELECT ?p ?o WHERE {{ {S} ?p ?o }}", (), ""),
    (f"select * {{ {S} ?p ?o . }}", (), ""),
    (f"{HEAD}SELECT ?o WHERE {{ {S} att:heading ?o }}", (), ""),
    (f"{HEAD}BASE <https://w3id.org/attgraph/id/>\nSELECT ?o {{ <article/7> a ?o }}", (), ""),
    (f"SELECT ?p {{ {S} ?p \"过境或转运\"@zh }}", (), ""),
    (f"SELECT ?p {{ {S} ?p \"7\"^^<http://www.w3.org/2001/XMLSchema#integer> }}", (), ""),
    (f"SELECT ?p {{ {S} ?p 7 }}", (), ""),
    (f"SELECT ?p {{ {S} ?p true }}", (), ""),
    (f"{HEAD}ASK {{ {S} a att:Article }}", (), ""),
    ("SELECT ?r ?p ?o WHERE { ?r ?p ?o }", ("r",), ""),
    (f"SELECT ?r ?p ?o WHERE {{ VALUES ?r {{ {S} }} ?r ?p ?o }}", (), ""),
    (f"SELECT ?r ?p ?o WHERE {{ VALUES (?r) {{ ({S}) }} ?r ?p ?o }}", (), ""),
    (f"SELECT ?r ?p ?o WHERE {{ ?r ?p ?o . VALUES ?r {{ {S} }} }}", (), ""),
    (f"SELECT ?r ?p ?o WHERE {{ ?r ?p ?o }} VALUES ?r {{ {S} }}", (), f" VALUES ?r {{ {S} }}"),
    (f"# everything about one resource\nSELECT ?p ?o # the pairs\nWHERE {{ {S} ?p ?o }}\n# done\n", (),
     "\n# done\n"),
]

#: Not lookups: the shape is wrong, or the cost is not bounded by the rows returned.
REFUSED = {
    "subject unbound": ("SELECT ?r ?p ?o WHERE { ?r ?p ?o }", ()),
    "subject bound but another variable too": ("SELECT * { ?r ?p ?o }", ("r", "p")),
    "variable twice": (f"SELECT ?p {{ {S} ?p ?p }}", ()),
    "subject variable twice": (f"SELECT ?r {{ ?r ?p ?r }} VALUES ?r {{ {S} }}", ()),
    "VALUES on the predicate": (f"SELECT * {{ {S} ?p ?o }} VALUES ?p {{ <https://x/p> }}", ()),
    "VALUES with two values": (f"SELECT * {{ VALUES ?r {{ {S} <https://x/s> }} ?r ?p ?o }}", ()),
    "VALUES with a fixed subject": (f"SELECT * {{ VALUES ?r {{ {S} }} {S} ?p ?o }}", ()),
    "DISTINCT": (f"SELECT DISTINCT ?p {{ {S} ?p ?o }}", ()),
    "an expression": (f"SELECT (STR(?o) AS ?s) {{ {S} ?p ?o }}", ()),
    "LIMIT": (f"SELECT ?p {{ {S} ?p ?o }} LIMIT 5", ()),
    "ORDER BY": (f"SELECT ?p {{ {S} ?p ?o }} ORDER BY ?p", ()),
    "FILTER": (f"SELECT ?p {{ {S} ?p ?o FILTER(isIRI(?o)) }}", ()),
    "OPTIONAL": (f"SELECT ?p {{ {S} ?p ?o OPTIONAL {{ ?o ?q ?z }} }}", ()),
    "two patterns": (f"SELECT ?p {{ {S} ?p ?o . {S} ?q ?z }}", ()),
    "a predicate-object list": (f"SELECT ?p {{ {S} ?p ?o ; ?q ?z }}", ()),
    "an object list": (f"SELECT ?p {{ {S} ?p ?o , ?z }}", ()),
    "a property path": (f"SELECT ?o {{ {S} <https://x/a>/<https://x/b> ?o }}", ()),
    "an inverse path": (f"SELECT ?o {{ {S} ^<https://x/a> ?o }}", ()),
    "a blank node subject": ("SELECT ?p { _:b ?p ?o }", ()),
    "a bracketed blank node": (f"SELECT ?p {{ {S} ?p [ ?q ?z ] }}", ()),
    "GRAPH": (f"SELECT ?p {{ GRAPH ?g {{ {S} ?p ?o }} }}", ()),
    "FROM": (f"SELECT ?p FROM <https://x/g> {{ {S} ?p ?o }}", ()),
    "a subquery": (f"SELECT ?p {{ {{ SELECT ?p {{ {S} ?p ?o }} }} }}", ()),
    "CONSTRUCT": (f"CONSTRUCT {{ {S} ?p ?o }} WHERE {{ {S} ?p ?o }}", ()),
    "DESCRIBE": (f"DESCRIBE {S}", ()),
    "an escape": ("SELECT ?p { <https://w3id.org/attgraph/id/article/\\u0037> ?p ?o }", ()),
    "a keyword running into a name": (f"SELECTED ?p {{ {S} ?p ?o }}", ()),
    "text after the query": (f"SELECT ?p {{ {S} ?p ?o }} junk", ()),
    "empty group": ("SELECT * { }", ()),
    "too long": (f"SELECT ?p {{ {S} ?p ?o }}" + " " * 5000, ()),
}


@pytest.mark.parametrize(("text", "bound", "rest"), ACCEPTED)
def test_a_lookup_is_found_and_its_group_end_given(text: str, bound: tuple[str, ...], rest: str) -> None:
    end = lookup_end(text, bound)
    assert end is not None
    assert (text[end - 1], text[end:]) == ("}", rest)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_anything_else_is_not_a_lookup(name: str) -> None:
    text, bound = REFUSED[name]
    assert lookup_end(text, bound) is None


@pytest.mark.parametrize(("text", "bound", "rest"), ACCEPTED)
def test_every_lookup_passes_the_guard_shallow_and_without_a_dataset(text: str, bound: tuple[str, ...],
                                                                      rest: str) -> None:
    """What the web's lookup lane answers never meets the guard: the shape must leave it nothing to refuse."""
    inspection = inspect(text, max_bytes=32 * 1024, max_depth=100)
    assert (inspection.form in ("select", "ask"), inspection.has_dataset, inspection.depth <= DEEPEST) == \
        (True, False, True)


@pytest.mark.parametrize(("text", "bound", "rest"), ACCEPTED)
def test_the_row_cap_placed_after_the_group_parses(text: str, bound: tuple[str, ...], rest: str) -> None:
    """``LIMIT`` goes right after the group, before any trailing ``VALUES`` or comment."""
    end = lookup_end(text, bound)
    assert end is not None
    capped = f"{text[:end]} LIMIT 11 {text[end:]}"
    substitutions = {ox.Variable(name): ox.NamedNode("https://w3id.org/attgraph/id/article/7") for name in bound}
    ox.Store().query(capped, substitutions=substitutions)


def test_lookups_close_at_their_memory_limit() -> None:
    lookups = Lookups(ox.Store(), limit_mb=1)
    assert lookups.status() == {"answered": 0, "private_bytes": 0, "limit_bytes": 1048576, "open": True}
    lookups.private = 1048576
    assert lookups.open is False
    assert Lookups(ox.Store(), limit_mb=0).open is False
