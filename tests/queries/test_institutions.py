"""The institutions named queries (queries/*.rq of the "who" area) return exactly what the sources say.

Expected rows are written from the five sources (the units are named next to each fact), not copied
from query output. IRIs are written as prefixed names and expanded with the project's prefixes.

No source dates a cycle, and none dates the end of a term: a bound of a term that the sources do not date
is the bound of the appointment's cycle, which the cycle-boundary convention sets from the dates of the
sessions (the day after the previous session closed, the last day of the cycle's own session). The dated
queries say so: ``beginFrom``/``endFrom`` is "cycle" and ``rule`` is rule:cycle-boundary.
"""

from __future__ import annotations

import pytest

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import PREFIXES
from attgraph.settings import PROJECT_ROOT, Settings


def iri(curie: str) -> str:
    """Expand a prefixed name (``person:sang-beom-lim``) with the project's prefixes; "" stays ""."""
    if not curie:
        return ""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


LACANILAO = ("post:WGETI-chair", "person:markus-v-lacanilao", "2025-02-03", "2025-08-29")
LEJEUNE_TERM = ("2026-01-27", "2026-08-28")
CYCLE_BOUNDARY = iri("rule:cycle-boundary")


def rows(graph: KnowledgeGraph, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The rows of a named query."""
    return graph.run(name, params or {}).values()


def test_chairs_of_wgeti(graph: KnowledgeGraph) -> None:
    """WGETI chairs: DALLAFIOR (first chair, CSP4/CSP5, letter annex A p1, p4), LEE (CSP6, annex A p2),
    LIM (CSP7, letter signature; CSP7 closed 3 Sep 2021), LACANILAO (appointed 3 Feb 2025, CSP11 report p6),
    LEJEUNE (appointed 27 Jan 2026, CSP12 draft report p7). Only the days of appointment are the terms' own;
    every end is the end of the cycle (the last day of its session), which no source states."""
    def row(cycle: str, holder: str, label: str, begin: str, end: str) -> dict[str, str]:
        begin_from = "appointment" if begin else ""
        end_from = "cycle" if end else ""
        return {"body": iri("body:WGETI"), "cycle": iri(cycle), "post": iri("post:WGETI-chair"),
                "holder": iri(holder), "holderLabel": label, "begin": begin, "end": end,
                "beginFrom": begin_from, "endFrom": end_from, "rule": CYCLE_BOUNDARY if end else ""}

    assert rows(graph, "chairs-of-body") == [
        row("cycle:CSP4", "person:sabrina-dallafior", "Sabrina DALLAFIOR", "", ""),
        row("cycle:CSP5", "person:sabrina-dallafior", "Sabrina DALLAFIOR", "", ""),
        row("cycle:CSP6", "person:jang-keun-lee", "Jang-keun LEE", "", ""),
        row("cycle:CSP7", "person:sang-beom-lim", "Sang-beom LIM", "", "2021-09-03"),
        row("cycle:CSP11", "person:markus-v-lacanilao", "Markus V. LACANILAO", "2025-02-03", "2025-08-29"),
        row("cycle:CSP12", "person:philippe-lejeune", "Philippe LEJEUNE", "2026-01-27", "2026-08-28"),
    ]


def test_chairs_of_a_sub_working_group_and_of_the_csp(graph: KnowledgeGraph) -> None:
    """Article 6&7 facilitators: Sweden for CSP4 and CSP5, SÁNCHEZ DE LERÍN for CSP6 and CSP7 (annex A
    p1, p2); the CSP presidency attributed in the sources is Romania's for CSP10 (working paper p1-p2)."""
    art67 = rows(graph, "chairs-of-body", {"body": "body:WGETI-SWG-Art6-7"})
    assert [(r["cycle"], r["holder"], r["begin"], r["end"]) for r in art67] == [
        (iri("cycle:CSP4"), iri("state:SWE"), "", ""),
        (iri("cycle:CSP5"), iri("state:SWE"), "", ""),
        (iri("cycle:CSP6"), iri("person:ignacio-sanchez-de-lerin"), "", ""),
        (iri("cycle:CSP7"), iri("person:ignacio-sanchez-de-lerin"), "", "2021-09-03"),
    ]
    csp = rows(graph, "chairs-of-body", {"body": "body:CSP"})
    assert [(r["cycle"], r["post"], r["holderLabel"], r["end"], r["endFrom"]) for r in csp] == [
        (iri("cycle:CSP10"), iri("post:CSP-president"), "Romania", "2024-08-23", "cycle"),
    ]


def test_a_term_dated_only_to_the_month(graph: KnowledgeGraph) -> None:
    """LEE appointed Rob WENSLEY when he set up the Article 9 sub-working group "in the CSP6 preparations
    (December 2019)" (letter annex B p1): the appointment date is a month (xsd:gYearMonth), and it is the
    beginning of the term; the CSP6 cycle has no dated end, the CSP7 term ends with the CSP7 cycle."""
    art9 = rows(graph, "chairs-of-body", {"body": "body:WGETI-SWG-Art9"})
    assert [(r["cycle"], r["holder"], r["begin"], r["end"], r["beginFrom"], r["endFrom"], r["rule"])
            for r in art9] == [
        (iri("cycle:CSP6"), iri("person:rob-wensley"), "2019-12", "", "appointment", "", ""),
        (iri("cycle:CSP7"), iri("person:rob-wensley"), "", "2021-09-03", "", "cycle", CYCLE_BOUNDARY),
    ]
    [begin] = [term for term in graph.query(
        "SELECT ?begin WHERE { appointment:WGETI-SWG-Art9-facilitator-CSP6-rob-wensley dcterms:date ?begin }"
    ).rows()]
    assert begin["begin"].datatype.value == PREFIXES["xsd"] + "gYearMonth"


@pytest.mark.parametrize(
    ("body", "date", "expected"),
    [
        ("body:WGETI", "2025-06-01", [LACANILAO]),
        ("body:WGETI", "2025-02-03", [LACANILAO]),
        ("body:WGETI", "2025-02-02", []),
        ("body:WGETI", "2025-09-15", []),
        ("body:WGETI", "2026-08-28", [("post:WGETI-chair", "person:philippe-lejeune", *LEJEUNE_TERM)]),
        # 2021: LIM's term has no dated beginning (CSP6 is not dated), so it cannot be placed on a day.
        ("body:WGETI", "2021-04-26", []),
        ("body:WGETI-SWG-NationalPractice", "2025-02-27", [
            ("post:WGETI-SWG-NationalPractice-co-facilitator", "person:edward-kawa", "2024-08-24", "2025-08-29"),
            ("post:WGETI-SWG-NationalPractice-co-facilitator", "person:essate-weldemichael", "2024-08-24",
             "2025-08-29"),
        ]),
        ("body:WGETI-SWG-CurrentEmerging", "2026-03-17", [
            ("post:WGETI-SWG-CurrentEmerging-facilitator", "person:philippe-lejeune", *LEJEUNE_TERM),
        ]),
        # Gender focal points: newly appointed in the CSP12 cycle (CSP12 draft report p39), no term given, so
        # the CSP12 cycle's bounds (ordered by English name); after that cycle nothing is known.
        ("body:GenderFocalPoints", "2026-03-17", [
            ("post:GenderFocalPoints-focal-point", "state:MEX", "2025-08-30", "2026-08-28"),
            ("post:GenderFocalPoints-focal-point", "state:ESP", "2025-08-30", "2026-08-28"),
            ("post:GenderFocalPoints-focal-point", "state:TGO", "2025-08-30", "2026-08-28"),
        ]),
        ("body:GenderFocalPoints", "2030-01-01", []),
        # NIJS: "current chair" in the report of 16 July 2021 (DIEF report fn 1) bounds his term on neither
        # side, and the CSP7 cycle has no known beginning (CSP6 is not dated).
        ("body:DIEF", "2021-07-16", []),
    ],
)
def test_post_holders_on_date(graph: KnowledgeGraph, body: str, date: str,
                              expected: list[tuple[str, str, str, str]]) -> None:
    """Who held the posts of a body on a given day."""
    result = rows(graph, "post-holders-on-date", {"body": body, "date": date})
    assert all(r["body"] == iri(body) and r["date"] == date for r in result)
    assert [(r["post"], r["holder"], r["begin"], r["end"]) for r in result] == [
        (iri(post), iri(holder), begin, end) for post, holder, begin, end in expected]


def test_post_holders_on_date_default_row(graph: KnowledgeGraph) -> None:
    """The defaults (WGETI, 1 June 2025) give the whole row for LACANILAO: his term begins on the day of his
    appointment (CSP11 report p6) and ends with the CSP11 cycle, whose end rests on the convention."""
    assert rows(graph, "post-holders-on-date") == [{
        "body": iri("body:WGETI"), "date": "2025-06-01", "post": iri("post:WGETI-chair"),
        "holder": iri("person:markus-v-lacanilao"), "holderLabel": "Markus V. LACANILAO",
        "begin": "2025-02-03", "end": "2025-08-29", "beginFrom": "appointment", "endFrom": "cycle",
        "rule": CYCLE_BOUNDARY}]


@pytest.mark.parametrize(
    ("body", "date", "expected"),
    [
        # The CSP11 report names the co-facilitators (p6 b1) but dates neither end of their terms: both
        # bounds are the CSP11 cycle's (24 Aug 2024, the day after CSP10 closed; 29 Aug 2025, CSP11's last day).
        ("body:WGETI-SWG-NationalPractice", "2025-02-27", [
            ("person:edward-kawa", "2024-08-24", "2025-08-29", "cycle", "cycle"),
            ("person:essate-weldemichael", "2024-08-24", "2025-08-29", "cycle", "cycle"),
        ]),
        ("body:WGETI-SWG-CurrentEmerging", "2024-09-01", [
            ("person:jason-robinson", "2024-08-24", "2025-08-29", "cycle", "cycle"),
        ]),
        # The day after the CSP11 cycle ends the CSP12 terms begin, again by the convention alone.
        ("body:WGETI-SWG-NationalPractice", "2025-08-30", [
            ("person:edward-kawa", "2025-08-30", "2026-08-28", "cycle", "cycle"),
            ("person:essate-weldemichael", "2025-08-30", "2026-08-28", "cycle", "cycle"),
        ]),
        # LEJEUNE's term begins on his appointment (CSP12 draft report p7) and ends with the CSP12 cycle.
        ("body:WGETI", "2026-03-17", [("person:philippe-lejeune", *LEJEUNE_TERM, "appointment", "cycle")]),
    ],
)
def test_post_holders_on_date_rest_on_the_cycle(graph: KnowledgeGraph, body: str, date: str,
                                                expected: list[tuple[str, str, str, str, str]]) -> None:
    """A date in a cycle whose bounds the sources do not give is answered from the cycle, and says so."""
    result = rows(graph, "post-holders-on-date", {"body": body, "date": date})
    assert [(r["holder"], r["begin"], r["end"], r["beginFrom"], r["endFrom"], r["rule"]) for r in result] == [
        (iri(holder), begin, end, begin_from, end_from, CYCLE_BOUNDARY)
        for holder, begin, end, begin_from, end_from in expected]


PARTIAL = """
@prefix att: <https://w3id.org/attgraph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix t: <https://w3id.org/attgraph/id/test/> .

t:body a att:Body . t:post a att:Post ; org:postIn t:body .
t:month a att:Appointment ; att:post t:post ; att:holder t:a ; org:memberDuring t:month-term .
t:a rdfs:label "Month holder"@en .
t:month-term a time:Interval ;
    time:hasBeginning [ a time:Instant ; time:inXSDgYearMonth "2019-12"^^xsd:gYearMonth ] ;
    time:hasEnd [ a time:Instant ; time:inXSDgYear "2020"^^xsd:gYear ] .
t:day a att:Appointment ; att:post t:post ; att:holder t:b ; org:memberDuring t:day-term .
t:b rdfs:label "Day holder"@en .
t:day-term a time:Interval ; time:hasBeginning [ a time:Instant ; time:inXSDDate "2020-06-15"^^xsd:date ] .
"""


@pytest.fixture(scope="module")
def partial_graph(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The project's graph plus two appointments of a test body whose terms are dated only in part."""
    fixture = tmp_path_factory.mktemp("partial") / "partial.ttl"
    fixture.write_text(PARTIAL, encoding="utf-8")
    return KnowledgeGraph.load(Settings(root=PROJECT_ROOT), extra=[fixture])


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2019-11-30", []),
        # A month or a year is compared at its precision: any day of December 2019, any day of 2020.
        ("2019-12-01", ["Month holder"]),
        ("2020-12-31", ["Month holder"]),
        ("2021-01-01", []),
        # The day holder's term has no end and no cycle to take one from: it cannot be placed on a day.
        ("2020-06-15", ["Month holder"]),
    ],
)
def test_post_holders_on_date_partial_bounds(partial_graph: KnowledgeGraph, date: str,
                                             expected: list[str]) -> None:
    """Bounds given only as a month (xsd:gYearMonth) or a year (xsd:gYear) are compared at that precision."""
    result = rows(partial_graph, "post-holders-on-date",
                  {"body": "https://w3id.org/attgraph/id/test/body", "date": date})
    assert [(r["holderLabel"], r["beginFrom"], r["endFrom"], r["rule"]) for r in result] == [
        (label, "appointment", "appointment", "") for label in expected]


def test_posts_of_person(graph: KnowledgeGraph) -> None:
    """LEJEUNE chaired WGETI (appointed by the CSP12 President) and led the current and emerging issues
    sub-working group himself (CSP12 draft report p7); SÁNCHEZ DE LERÍN was appointed by LEE for CSP6 and
    by LIM for CSP7 (letter annex A p2)."""
    assert rows(graph, "posts-of-person") == [
        {"person": iri("person:philippe-lejeune"), "cycle": iri("cycle:CSP12"),
         "post": iri("post:WGETI-SWG-CurrentEmerging-facilitator"),
         "body": iri("body:WGETI-SWG-CurrentEmerging"),
         "appointedBy": "", "begin": "2026-01-27", "end": "2026-08-28",
         "beginFrom": "appointment", "endFrom": "cycle", "rule": CYCLE_BOUNDARY},
        {"person": iri("person:philippe-lejeune"), "cycle": iri("cycle:CSP12"),
         "post": iri("post:WGETI-chair"),
         "body": iri("body:WGETI"), "appointedBy": iri("post:CSP-president"), "begin": "2026-01-27",
         "end": "2026-08-28", "beginFrom": "appointment", "endFrom": "cycle", "rule": CYCLE_BOUNDARY},
    ]
    sanchez = rows(graph, "posts-of-person", {"person": "person:ignacio-sanchez-de-lerin"})
    assert [(r["cycle"], r["post"], r["appointedBy"], r["end"]) for r in sanchez] == [
        (iri("cycle:CSP6"), iri("post:WGETI-SWG-Art6-7-facilitator"), iri("person:jang-keun-lee"), ""),
        (iri("cycle:CSP7"), iri("post:WGETI-SWG-Art6-7-facilitator"), iri("person:sang-beom-lim"),
         "2021-09-03"),
    ]


def test_sub_working_groups_of_wgeti_by_cycle(graph: KnowledgeGraph) -> None:
    """Art 6&7 and Art 11 from the CSP4 cycle, Art 9 from CSP6 (December 2019), all three in CSP7 (letter);
    the two groups after CSP9 in the CSP10 (working paper p11; CSP11 report fn 5), CSP11 and CSP12 cycles."""
    art67 = ("body:WGETI-SWG-Art6-7", "第6条和第7条（禁止以及出口和出口评估）工作分组")
    art9 = ("body:WGETI-SWG-Art9", "第9条（过境或转运）工作分组")
    art11 = ("body:WGETI-SWG-Art11", "第11条（转用）工作分组")
    current = ("body:WGETI-SWG-CurrentEmerging", "当前和新出现的执行问题工作分组")
    national = ("body:WGETI-SWG-NationalPractice", "交流国家执行做法工作分组")
    expected = [
        (4, art11), (4, art67), (5, art11), (5, art67), (6, art11), (6, art67), (6, art9),
        (7, art11), (7, art67), (7, art9), (10, current), (10, national), (11, current), (11, national),
        (12, current), (12, national),
    ]
    assert rows(graph, "sub-working-groups-by-cycle") == [
        {"body": iri("body:WGETI"), "cycle": iri(f"cycle:CSP{n}"), "group": iri(group), "zh": zh}
        for n, (group, zh) in expected]


def test_csp_sessions(graph: KnowledgeGraph) -> None:
    """Dates and place from the title blocks: CSP7 (DIEF report), CSP10 (working paper), CSP11, CSP12."""
    dated = {
        7: ("2021-08-30", "2021-09-03"), 10: ("2024-08-19", "2024-08-23"),
        11: ("2025-08-25", "2025-08-29"), 12: ("2026-08-24", "2026-08-28"),
    }
    zh = {1: "第一届缔约国会议", 2: "第二届缔约国会议", 3: "第三届缔约国会议", 4: "第四次缔约国会议",
          5: "第五次缔约国会议", 6: "第六次缔约国会议", 7: "第七次缔约国会议", 8: "第八次缔约国会议",
          9: "第九届缔约国会议", 10: "第十届缔约国会议", 11: "第十一届缔约国会议", 12: "第十二届缔约国会议",
          13: "第十三届缔约国会议"}
    assert rows(graph, "csp-sessions") == [
        {"session": iri(f"session:CSP{n}"), "ordinal": str(n), "zh": zh[n],
         "start": dated[n][0] if n in dated else "", "end": dated[n][1] if n in dated else "",
         "place": "Geneva" if n in dated else ""}
        for n in range(1, 14)]


def test_csp_cycles(graph: KnowledgeGraph) -> None:
    """A cycle runs from the day after the previous session closed to the day its own session closes: no
    source dates a cycle, so every bound is derived by the cycle-boundary convention, and says so."""
    bounds = {7: ("", "2021-09-03"), 8: ("2021-09-04", ""), 10: ("", "2024-08-23"),
              11: ("2024-08-24", "2025-08-29"), 12: ("2025-08-30", "2026-08-28"), 13: ("2026-08-29", "")}

    def rule(value: str) -> str:
        return CYCLE_BOUNDARY if value else ""

    assert rows(graph, "csp-cycles") == [
        {"cycle": iri(f"cycle:CSP{n}"), "ordinal": str(n), "session": iri(f"session:CSP{n}"),
         "begin": bounds.get(n, ("", ""))[0], "end": bounds.get(n, ("", ""))[1],
         "beginRule": rule(bounds.get(n, ("", ""))[0]), "endRule": rule(bounds.get(n, ("", ""))[1])}
        for n in range(4, 14)]


def test_bodies_and_what_established_them(graph: KnowledgeGraph) -> None:
    """WGETI by CSP3 (CSP11 report p2), DIEF by CSP6 (DIEF report p1), the gender focal points by CSP11
    (CSP12 draft report p39), the CSP9 sub-working groups by the CSP9 configuration proposal (CSP11
    report p3), the earlier ones by the WGETI chair of the time (letter annexes A-C); the CSP, the
    Secretariat and the Voluntary Trust Fund by the treaty."""
    csp3_rep = "document:ATT/CSP3.WGETI/2017/CHAIR/158/Conf.Rep/annex-A"
    csp9_rep = "document:ATT/CSP9.WGETI/2023/CHAIR/767/Conf.Rep/annex-D"
    gfp_decision = "document:wgeti-csp11-report-annex"
    expected = [
        ("body:CSP", "att:ConferenceOfStatesParties", "", "article:17", ""),
        ("body:DIEF", "att:Forum", "body:CSP", "session:CSP6", "document:dief-terms-of-reference"),
        ("body:GenderFocalPoints", "att:FocalPointNetwork", "", gfp_decision, ""),
        ("body:GenderFocalPoints", "att:FocalPointNetwork", "", "session:CSP11", ""),
        ("body:InformalGroup-ScopeControlLists", "att:InformalGroup", "", "", ""),
        ("body:InformationExchangePlatform", "att:Platform", "", "", ""),
        ("body:Secretariat", "att:Secretariat", "", "article:18", ""),
        ("body:VTF", "att:Fund", "", "provision:16.3", ""),
        ("body:WGETI", "att:WorkingGroup", "body:CSP", "session:CSP3", csp3_rep),
        ("body:WGETI-SWG-Art11", "att:SubWorkingGroup", "body:WGETI", "post:WGETI-chair", ""),
        ("body:WGETI-SWG-Art6-7", "att:SubWorkingGroup", "body:WGETI", "person:sabrina-dallafior", ""),
        ("body:WGETI-SWG-Art9", "att:SubWorkingGroup", "body:WGETI", "person:jang-keun-lee", ""),
        ("body:WGETI-SWG-CurrentEmerging", "att:SubWorkingGroup", "body:WGETI", csp9_rep, ""),
        ("body:WGETI-SWG-CurrentEmerging", "att:SubWorkingGroup", "body:WGETI", "session:CSP9", ""),
        ("body:WGETI-SWG-NationalPractice", "att:SubWorkingGroup", "body:WGETI", csp9_rep, ""),
        ("body:WGETI-SWG-NationalPractice", "att:SubWorkingGroup", "body:WGETI", "session:CSP9", ""),
        ("body:WGTR", "att:WorkingGroup", "", "", ""),
        ("body:WGTU", "att:WorkingGroup", "", "", ""),
    ]
    assert rows(graph, "bodies-established") == [
        {"body": iri(b), "kind": iri(k), "parent": iri(p), "establishedBy": iri(e),
         "termsOfReference": iri(t)}
        for b, k, p, e, t in expected]


@pytest.mark.parametrize(
    ("cycle", "expected"),
    [
        # Letter of 31 March 2021: the CSP6-cycle facilitators continue, kept on by LIM.
        ("cycle:CSP7", [
            ("body:WGETI-SWG-Art11", "person:stela-petrovic", "Stela PETROVIĆ", "person:sang-beom-lim"),
            ("body:WGETI-SWG-Art6-7", "person:ignacio-sanchez-de-lerin", "Ignacio SÁNCHEZ DE LERÍN",
             "person:sang-beom-lim"),
            ("body:WGETI-SWG-Art9", "person:rob-wensley", "Rob WENSLEY", "person:sang-beom-lim"),
        ]),
        ("cycle:CSP6", [
            ("body:WGETI-SWG-Art11", "person:stela-petrovic", "Stela PETROVIĆ", ""),
            ("body:WGETI-SWG-Art6-7", "person:ignacio-sanchez-de-lerin", "Ignacio SÁNCHEZ DE LERÍN",
             "person:jang-keun-lee"),
            ("body:WGETI-SWG-Art9", "person:rob-wensley", "Rob WENSLEY", "person:jang-keun-lee"),
        ]),
        ("cycle:CSP4", [("body:WGETI-SWG-Art6-7", "state:SWE", "Sweden", "person:sabrina-dallafior")]),
        # CSP11 report p6.
        ("cycle:CSP11", [
            ("body:WGETI-SWG-CurrentEmerging", "person:jason-robinson", "Jason ROBINSON", ""),
            ("body:WGETI-SWG-NationalPractice", "person:edward-kawa", "Edward KAWA", ""),
            ("body:WGETI-SWG-NationalPractice", "person:essate-weldemichael", "Essate WELDEMICHAEL", ""),
        ]),
        # CSP12 draft report p7: the chair leads the current and emerging issues discussions.
        ("cycle:CSP12", [
            ("body:WGETI-SWG-CurrentEmerging", "person:philippe-lejeune", "Philippe LEJEUNE", ""),
            ("body:WGETI-SWG-NationalPractice", "person:edward-kawa", "Edward KAWA", ""),
            ("body:WGETI-SWG-NationalPractice", "person:essate-weldemichael", "Essate WELDEMICHAEL", ""),
        ]),
        ("cycle:CSP9", []),
    ],
)
def test_facilitators_of_cycle(graph: KnowledgeGraph, cycle: str,
                               expected: list[tuple[str, str, str, str]]) -> None:
    """The coordinators (facilitators) of the sub-working groups in a cycle."""
    assert rows(graph, "facilitators-of-cycle", {"cycle": cycle}) == [
        {"cycle": iri(cycle), "group": iri(g), "holder": iri(h), "holderLabel": label, "appointedBy": iri(by)}
        for g, h, label, by in expected]


def test_people_by_state(graph: KnowledgeGraph) -> None:
    """Nationality only where a source writes 籍 (LEJEUNE, KAWA, WELDEMICHAEL); "of/from X" is representing."""
    expected = [
        ("BEL", "person:tom-nijs", "Tom NIJS", "representing"),
        ("CHE", "person:sabrina-dallafior", "Sabrina DALLAFIOR", "representing"),
        ("ESP", "person:ignacio-sanchez-de-lerin", "Ignacio SÁNCHEZ DE LERÍN", "representing"),
        ("FRA", "person:philippe-lejeune", "Philippe LEJEUNE", "nationality"),
        ("IRL", "person:jason-robinson", "Jason ROBINSON", "representing"),
        ("KOR", "person:jang-keun-lee", "Jang-keun LEE", "representing"),
        ("KOR", "person:sang-beom-lim", "Sang-beom LIM", "representing"),
        ("PHL", "person:markus-v-lacanilao", "Markus V. LACANILAO", "representing"),
        ("SLE", "person:edward-kawa", "Edward KAWA", "nationality"),
        ("SLE", "person:edward-kawa", "Edward KAWA", "representing"),
        ("SLE", "person:essate-weldemichael", "Essate WELDEMICHAEL", "nationality"),
        ("SLE", "person:essate-weldemichael", "Essate WELDEMICHAEL", "representing"),
        ("SRB", "person:stela-petrovic", "Stela PETROVIĆ", "representing"),
        ("ZAF", "person:rob-wensley", "Rob WENSLEY", "representing"),
    ]
    assert rows(graph, "people-by-state") == [
        {"state": iri(f"state:{iso}"), "iso": iso, "person": iri(p), "name": name, "relation": rel}
        for iso, p, name, rel in expected]


def test_states_mentioned(graph: KnowledgeGraph) -> None:
    """All 31 States the five sources name, each with the posts it held itself."""
    expected = [
        ("ALB", "阿尔巴尼亚", "", ""), ("ARG", "阿根廷", "", ""), ("AUS", "澳大利亚", "", ""),
        ("BEL", "比利时", "", ""), ("CAN", "加拿大", "", ""), ("CHE", "瑞士", "", ""), ("CHL", "智利", "", ""),
        ("CIV", "科特迪瓦", "", ""), ("DEU", "德国", "", ""), ("DOM", "多米尼加共和国", "", ""),
        ("ESP", "西班牙", "post:GenderFocalPoints-focal-point", "cycle:CSP12"),
        ("FRA", "法国", "", ""), ("GBR", "英国", "", ""), ("GMB", "冈比亚", "", ""), ("IRL", "爱尔兰", "", ""),
        ("ISR", "以色列", "", ""), ("KOR", "大韩民国", "", ""), ("LBR", "利比里亚", "", ""),
        ("MEX", "墨西哥", "post:GenderFocalPoints-focal-point", "cycle:CSP12"),
        ("PAN", "巴拿马", "", ""), ("PHL", "菲律宾", "", ""), ("PSE", "巴勒斯坦国", "", ""),
        ("ROU", "罗马尼亚", "post:CSP-president", "cycle:CSP10"),
        ("SDN", "苏丹", "", ""), ("SLE", "塞拉利昂", "", ""), ("SLV", "萨尔瓦多", "", ""),
        ("SRB", "塞尔维亚", "", ""),
        ("SWE", "瑞典", "post:WGETI-SWG-Art6-7-facilitator", "cycle:CSP4"),
        ("SWE", "瑞典", "post:WGETI-SWG-Art6-7-facilitator", "cycle:CSP5"),
        ("TGO", "多哥", "post:GenderFocalPoints-focal-point", "cycle:CSP12"),
        ("USA", "美国", "", ""), ("ZAF", "南非", "", ""),
    ]
    result = rows(graph, "states-mentioned")
    assert [(r["state"], r["iso"], r["zh"], r["post"], r["cycle"]) for r in result] == [
        (iri(f"state:{iso}"), iso, zh, iri(post), iri(cycle)) for iso, zh, post, cycle in expected]
    roles = {r["iso"]: r["roles"] for r in result}
    assert roles["PSE"] == (
        "Submitted a working paper on gender-based violence to the WGETI meeting of February 2025.")
    assert roles["BEL"] == "The DIEF chair in 2021, Tom NIJS, is from Belgium."


def test_organisations_mentioned(graph: KnowledgeGraph) -> None:
    """Every organisation the sources name, with the Chinese name they print."""
    expected = [
        ("asd", "欧洲航空航天和国防工业协会", ""), ("conference-on-disarmament", "裁军谈判会议", ""),
        ("conflict-armament-research", "冲突军备研究", ""), ("control-arms", "武器控制组织", ""),
        ("council-of-the-eu", "欧盟理事会", "eu"), ("ecowas", "西非国家经济共同体", ""),
        ("eeas", "欧洲对外行动署", ""), ("eu", "欧盟", ""), ("eu-coarm", "欧盟常规武器出口工作组", "eu"),
        ("icc", "国际刑事法院", ""), ("icj", "国际法院", ""), ("icrc", "红十字国际委员会", ""),
        ("maat", "Maat 促进和平、发展和人权组织", ""), ("oecd", "经合组织", ""),
        ("ohchr", "联合国人权事务高级专员办事处", "un"), ("patria", "Patria", ""), ("rolls-royce", "劳斯莱斯", ""),
        ("romania-ministry-of-foreign-affairs", "罗马尼亚外交部", ""), ("saferworld", "Saferworld 组织", ""),
        ("serbia-ministry-of-trade-tourism-and-telecommunications", "塞尔维亚贸易、旅游和电信部", ""),
        ("small-arms-survey", "小武器调查组织", ""), ("south-africa-dirco", "南非国际关系与合作部", ""),
        ("stimson-center", "史汀生中心", ""), ("un", "联合国", ""), ("un-human-rights-council", "人权理事会", "un"),
        ("un-register-gge", "联合国常规武器登记册政府专家组", "un"),
        ("un-working-group-business-human-rights", "工商业与人权工作组", "un"),
        ("unafei", "联合国亚洲及远东预防犯罪和罪犯待遇研究所", "un"), ("unidir", "联合国裁军研究所", "un"),
        ("university-of-geneva", "日内瓦大学", ""), ("unodc", "联合国毒品和犯罪问题办公室", "un"),
        ("us-gao", "美国政府问责局", ""), ("wassenaar-arrangement", "瓦森纳安排", ""), ("wco", "世界海关组织", ""),
        ("wilpf", "国际妇女争取和平与自由联盟", ""),
    ]
    result = rows(graph, "organisations-mentioned")
    assert [(r["organisation"], r["zh"], r["parent"]) for r in result] == [
        (iri(f"organisation:{slug}"), zh, iri(f"organisation:{parent}") if parent else "")
        for slug, zh, parent in expected]
    assert {r["organisation"]: r["en"] for r in result}[iri("organisation:unidir")] == (
        "United Nations Institute for Disarmament Research")


def test_people_with_variant_spellings(graph: KnowledgeGraph) -> None:
    """Letter item 2 has only "Mr. Rob"; Annex A Appendix 2 has "Sanchez"."""
    assert rows(graph, "people-with-variant-spellings") == [
        {"person": iri("person:ignacio-sanchez-de-lerin"), "adopted": "Ignacio SÁNCHEZ DE LERÍN",
         "variant": "Sanchez", "unit": iri("source:wgeti-2021-letter/annex-A/appendix-2/t1")},
        {"person": iri("person:rob-wensley"), "adopted": "Rob WENSLEY", "variant": "Mr. Rob",
         "unit": iri("source:wgeti-2021-letter/p2")},
    ]
