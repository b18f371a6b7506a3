"""Resource pages that put the point first, over real HTTP against the whole project: a concept's page opens with
its definition, a source unit's with its text, a person's lists the posts held with their dates."""

from __future__ import annotations

import html
import re

import httpx

from .conftest import Server

BROWSER = {"accept": "text/html"}


def values(server: Server, query: str) -> list[dict[str, str]]:
    answer = httpx.get(f"{server.base}/sparql", params={"query": query},
                       headers={"accept": "application/sparql-results+json"}, timeout=60)
    return [{k: v["value"] for k, v in row.items()} for row in answer.json()["results"]["bindings"]]


def lead(page: str) -> list[str]:
    found = re.search(r'</header>\s*<div class="lead">(.*?)</div>', page, re.S)
    assert found is not None, "the lead comes right after the header"
    return [html.unescape(p) for p in re.findall(r"<p [^>]*>(.*?)</p>", found.group(1), re.S)]


def test_a_concept_opens_with_its_definition(project_server: Server) -> None:
    page = httpx.get(f"{project_server.base}/id/concept/overriding-risk", headers=BROWSER, timeout=60).text
    definitions = {d["d"] for d in values(project_server,
                                          "SELECT ?d WHERE { concept:overriding-risk skos:definition ?d }")}
    shown = lead(page)
    assert definitions and set(shown[:len(definitions)]) == definitions


def test_a_source_unit_opens_with_its_text(project_server: Server) -> None:
    page = httpx.get(f"{project_server.base}/id/source/wgeti-csp11-report/p7", headers=BROWSER, timeout=60).text
    text = values(project_server, "SELECT ?t WHERE { <https://w3id.org/attgraph/id/source/wgeti-csp11-report/p7> "
                                  "att:text ?t }")
    assert lead(page)[0] == text[0]["t"]
    assert '<p dir="auto" lang="zh">' in page


def test_a_person_page_lists_the_posts_with_their_dates(project_server: Server) -> None:
    page = httpx.get(f"{project_server.base}/id/person/philippe-lejeune", headers=BROWSER, timeout=60).text
    section = re.search(r'<section class="posts">.*?</section>', page, re.S)
    assert section is not None
    rows = re.findall(r"<tr><td>(.*?)</td><td>.*?</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>"
                      r'<td class="note">(.*?)</td></tr>', section.group())
    shown = sorted((re.sub("<[^>]+>", "", post), re.sub("<[^>]+>", "", cycle), begin, end, note)
                   for post, cycle, begin, end, note in rows)
    expected = httpx.get(f"{project_server.base}/queries/posts-of-person", params={"person": "person:philippe-lejeune"},
                         headers={"accept": "application/sparql-results+json"}, timeout=60).json()
    assert len(shown) == len(expected["results"]["bindings"]) == 2
    assert shown[0][0].startswith("Chair of the Working Group on Effective Treaty Implementation") or \
        shown[1][0].startswith("Chair of the Working Group on Effective Treaty Implementation")
    cycle_boundary = "the end from the cycle (rule:cycle-boundary)"
    assert {(cycle, begin, end, note) for _, cycle, begin, end, note in shown} == {
        ("CSP12 cycle · 第十二届缔约国会议周期", "2026-01-27", "2026-08-28", cycle_boundary)}
