"""The list pages over real HTTP, against the whole project: every list holds exactly the items the graph holds
of its kind, facets keep exactly the items that have the value, sorting and pages are exact, and mistakes in the
query string are named."""

from __future__ import annotations

import httpx
import pytest

from .conftest import Server

JSON = {"accept": "application/json"}
KINDS = {"people": "att:Person", "states": "att:State", "organisations": "att:Organisation",
         "bodies": "att:Body", "sessions": "att:Session", "meetings": "att:Meeting", "documents": "att:Document",
         "recommendations": "att:Recommendation", "decisions": "att:Decision", "concepts": "att:Concept",
         "guidance": "att:GuidanceDocument"}


def count(server: Server, pattern: str) -> int:
    query = f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {pattern} }}"
    answer = httpx.get(f"{server.base}/sparql", params={"query": query},
                       headers={"accept": "application/sparql-results+json"}, timeout=60)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def listing(server: Server, name: str, **params: str | list[str]) -> dict[str, object]:
    answer = httpx.get(f"{server.base}/list/{name}", params=params, headers=JSON, timeout=60)
    assert answer.status_code == 200, answer.text
    found: dict[str, object] = answer.json()
    return found


def test_every_list_holds_every_item_of_its_kind(project_server: Server) -> None:
    index = httpx.get(f"{project_server.base}/list/", headers=JSON, timeout=120).json()
    assert [entry["name"] for entry in index] == sorted(KINDS)
    for entry in index:
        expected = count(project_server, f"?item a/rdfs:subClassOf* {KINDS[entry['name']]}")
        assert (entry["name"], entry["count"]) == (entry["name"], expected)
        assert expected > 0


def test_a_facet_keeps_exactly_the_items_with_its_value(project_server: Server) -> None:
    whole = listing(project_server, "recommendations")
    sessions = {f["value"]: f["count"] for f in whole["facets"]["session"]}  # type: ignore[index]
    assert sessions, "the recommendations have sessions"
    for session, n in sessions.items():
        kept = listing(project_server, "recommendations", session=session)
        assert kept["total"] == n == count(project_server, f"?item a att:Recommendation ; att:addressedTo {session}")
        assert all(any(v["value"] == session for v in item["session"]) for item in kept["items"])  # type: ignore[attr-defined]


def every_item(server: Server, name: str, **params: str | list[str]) -> set[str]:
    first = listing(server, name, **params)
    pages = int(first["pages"])  # type: ignore[arg-type]
    return {item["iri"] for page in range(1, pages + 1)  # type: ignore[index]
            for item in listing(server, name, **params, page=str(page))["items"]}


def test_facets_add_up_and_values_of_one_facet_are_alternatives(project_server: Server) -> None:
    whole = listing(project_server, "documents")
    kinds = [f["value"] for f in whole["facets"]["kind"]][:2]  # type: ignore[index]
    both = every_item(project_server, "documents", kind=kinds)
    singles = [every_item(project_server, "documents", kind=k) for k in kinds]
    assert both == singles[0] | singles[1]
    assert len(singles[0]) == whole["facets"]["kind"][0]["count"]  # type: ignore[index]
    year = whole["facets"]["year"][0]["value"]  # type: ignore[index]
    narrowed = listing(project_server, "documents", kind=kinds[0], year=year)
    pattern = f"?item a {kinds[0]} ; dcterms:date ?d FILTER(STR(YEAR(?d)) = \"{year}\")"
    assert narrowed["total"] == count(project_server, pattern)


def test_sorting_is_natural_and_can_be_reversed(project_server: Server) -> None:
    ordinals = [item["ordinal"][0]["value"] for item in listing(project_server, "sessions")["items"]]  # type: ignore[index]
    assert ordinals == sorted(ordinals, key=int)
    backwards = [item["ordinal"][0]["value"] for item in
                 listing(project_server, "sessions", sort="ordinal", order="desc")["items"]]  # type: ignore[index]
    assert backwards == ordinals[::-1]


def test_pages_cover_the_list_once(project_server: Server) -> None:
    first = listing(project_server, "documents", sort="label")
    pages = int(first["pages"])  # type: ignore[arg-type]
    assert pages >= 2
    seen = [item["iri"] for page in range(1, pages + 1)  # type: ignore[index]
            for item in listing(project_server, "documents", sort="label", page=str(page))["items"]]
    assert len(seen) == len(set(seen)) == first["total"]


@pytest.mark.parametrize("path, status, code", [
    ("/list/people?colour=red", 400, "bad_parameter"),
    ("/list/people?sort=colour", 400, "bad_parameter"),
    ("/list/people?order=up", 400, "bad_parameter"),
    ("/list/people?page=0", 400, "bad_parameter"),
    ("/list/unicorns", 404, "not_found"),
])
def test_mistakes_are_named(project_server: Server, path: str, status: int, code: str) -> None:
    answer = httpx.get(f"{project_server.base}{path}", headers=JSON, timeout=60)
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)


def test_the_page_links_facets_sorting_and_items(project_server: Server) -> None:
    page = httpx.get(f"{project_server.base}/list/people", params={"sort": "label"}, timeout=60).text
    assert '<th aria-sort="ascending"><a href="/list/people?sort=label&amp;order=desc">name ▲</a></th>' in page
    assert '<section class="facet" data-facet="state">' in page
    assert 'href="/id/person/stela-petrovic"' in page
