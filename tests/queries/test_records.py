"""The records named queries (meetings, documents, recommendations, decisions, discrepancies) return
exactly what the sources say.

Expected rows are written from the five sources, with the unit each fact comes from named in the test's
docstring, not copied from query output. IRIs are written as prefixed names and expanded with the
project's prefixes (topics, agenda items and contributions with their namespaces under ``ID``).
"""

from __future__ import annotations

import pyoxigraph as ox

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import ID, PREFIXES

#: Namespaces of this area that the project's prefix table does not (yet) hold.
LOCAL = {"topic": f"{ID}topic/", "agenda-item": f"{ID}agenda-item/", "contribution": f"{ID}contribution/"}


def iri(curie: str) -> str:
    """Expand a prefixed name (``meeting:wgeti-2021-04-26-28``); "" stays ""."""
    if not curie:
        return ""
    prefix, _, local = curie.partition(":")
    return (LOCAL.get(prefix) or PREFIXES[prefix]) + local


def rows(graph: KnowledgeGraph, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The rows of a named query."""
    return graph.run(name, params or {}).values()


def columns(result: list[dict[str, str]], *names: str) -> list[tuple[str, ...]]:
    """The given columns of each row, in row order."""
    return [tuple(row[name] for name in names) for row in result]


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


def test_meetings_of_wgeti_in_the_csp11_cycle(graph: KnowledgeGraph) -> None:
    """WGETI met 25-27 Feb 2025 (CSP11 report h3, h15); the current and emerging issues sub-group on
    26 Feb (CSP12 draft annex 1 t1); the national-practice sub-group's day is not given (p8); WGETI briefed
    the informal preparatory meeting on 20 May 2025 (p39)."""
    result = rows(graph, "meetings-of-body-in-cycle")
    assert {(r["body"], r["cycle"]) for r in result} == {(iri("body:WGETI"), iri("cycle:CSP11"))}
    assert columns(result, "meeting", "heldBy", "start", "end", "format") == [
        (iri("meeting:wgeti-2025-02-25-27"), iri("body:WGETI"), "2025-02-25", "2025-02-27", ""),
        (iri("meeting:wgeti-swg-current-emerging-2025-02-26"), iri("body:WGETI-SWG-CurrentEmerging"),
         "2025-02-26", "2025-02-26", ""),
        (iri("meeting:wgeti-briefing-2025-05-20"), iri("body:WGETI"), "2025-05-20", "2025-05-20", ""),
        (iri("meeting:wgeti-swg-national-practice-2025-02"), iri("body:WGETI-SWG-NationalPractice"), "", "", ""),
    ]


def test_meetings_of_wgeti_in_the_csp7_cycle_were_virtual(graph: KnowledgeGraph) -> None:
    """The April 2021 WGETI meeting was held virtually on 26-28 April (letter t7) in three sessions: Articles
    6 and 7 on 26 April 13:00-15:00, Article 9 on 27 April 12:00-14:00, Article 11 on 28 April 12:00-14:00
    (table 1 rows 1-4)."""
    result = rows(graph, "meetings-of-body-in-cycle", {"cycle": "cycle:CSP7"})
    virtual = iri("att:virtual")
    assert columns(result, "meeting", "heldBy", "start", "end", "format") == [
        (iri("meeting:wgeti-2021-04-26-28"), iri("body:WGETI"), "2021-04-26", "2021-04-28", virtual),
        (iri("meeting:wgeti-swg-art6-7-2021-04-26"), iri("body:WGETI-SWG-Art6-7"), "2021-04-26", "2021-04-26", virtual),
        (iri("meeting:wgeti-swg-art9-2021-04-27"), iri("body:WGETI-SWG-Art9"), "2021-04-27", "2021-04-27", virtual),
        (iri("meeting:wgeti-swg-art11-2021-04-28"), iri("body:WGETI-SWG-Art11"), "2021-04-28", "2021-04-28",
         virtual),
    ]


def test_meetings_between_26_and_29_april_2021(graph: KnowledgeGraph) -> None:
    """The six slots of the 2021 timetable (letter table 1), the WGETI meeting they belong to (t7) and the
    virtual WGTR meeting of 29 April 2021 at which the DIEF chair spoke (DIEF report p2)."""
    result = rows(graph, "meetings-between-dates")
    assert {(r["from"], r["to"]) for r in result} == {("2021-04-26", "2021-04-29")}
    assert columns(result, "meeting", "heldBy", "start", "end") == [
        (iri("meeting:thematic-discussion-2021-04-26"), iri("body:CSP"), "2021-04-26", "2021-04-26"),
        (iri("meeting:wgeti-2021-04-26-28"), iri("body:WGETI"), "2021-04-26", "2021-04-28"),
        (iri("meeting:wgeti-swg-art6-7-2021-04-26"), iri("body:WGETI-SWG-Art6-7"), "2021-04-26", "2021-04-26"),
        (iri("meeting:wgeti-swg-art9-2021-04-27"), iri("body:WGETI-SWG-Art9"), "2021-04-27", "2021-04-27"),
        (iri("meeting:wgtu-2021-04-27"), iri("body:WGTU"), "2021-04-27", "2021-04-27"),
        (iri("meeting:wgeti-swg-art11-2021-04-28"), iri("body:WGETI-SWG-Art11"), "2021-04-28", "2021-04-28"),
        (iri("meeting:wgtr-2021-04-28"), iri("body:WGTR"), "2021-04-28", "2021-04-28"),
        (iri("meeting:wgtr-2021-04-29"), iri("body:WGTR"), "2021-04-29", "2021-04-29"),
    ]


def test_meetings_between_march_and_may_2026(graph: KnowledgeGraph) -> None:
    """WGETI met 16-18 March 2026 (CSP12 draft p8), its current and emerging issues sub-group on 17-18 March
    (annex 1 t4); the CSP12 informal preparatory meeting is set for 27-28 May 2026 (h24)."""
    result = rows(graph, "meetings-between-dates", {"from": "2026-03-01", "to": "2026-05-31"})
    assert columns(result, "meeting", "start", "end") == [
        (iri("meeting:wgeti-2026-03-16-18"), "2026-03-16", "2026-03-18"),
        (iri("meeting:wgeti-swg-current-emerging-2026-03-17-18"), "2026-03-17", "2026-03-18"),
        (iri("meeting:csp12-informal-preparatory-2026-05-27-28"), "2026-05-27", "2026-05-28"),
    ]


def test_agenda_of_the_current_and_emerging_issues_meeting_of_march_2026(graph: KnowledgeGraph) -> None:
    """Headings h9-h22 of the CSP12 draft report, in order: scope and control lists with four sub-items,
    industry with two, gender-based violence, inter-agency cooperation, and the special discussion of the
    three issues listed in p45."""
    meeting = "meeting:wgeti-swg-current-emerging-2026-03-17-18"
    result = rows(graph, "meeting-agenda")
    assert {r["meeting"] for r in result} == {iri(meeting)}
    item = "agenda-item:wgeti-swg-current-emerging-2026-03-17-18-"
    expected = [
        ("1", "scope-control-list-challenges"), ("1.1", "national-control-lists-parts"),
        ("1.2", "identifying-controlled-items"), ("1.3", "scope-and-other-instruments"),
        ("1.4", "further-work-scope-control-lists"), ("2", "role-of-industry"), ("2.1", "industry-due-diligence"),
        ("2.2", "industry-compliance-guidance"), ("3", "gbv-risk"), ("4", "interagency-cooperation"),
        ("5", "special-discussion"), ("5.1", "sd-maritime-security"), ("5.2", "sd-sudan-risk-assessment"),
        ("5.3", "sd-article-7-7-reassessment"),
    ]
    assert columns(result, "number", "item", "topic") == [
        (number, iri(item + number.replace(".", "-")), iri("topic:" + topic)) for number, topic in expected
    ]


def test_agenda_of_the_article_6_and_7_meeting_of_26_april_2021(graph: KnowledgeGraph) -> None:
    """Annex A, appendix 1: Topic 4 (interpreting key concepts), with the facilitator's report, open
    discussion and an expert kick-off on serious violations of IHL and IHRL."""
    topic4 = "document:wgeti-swg-art6-7-multi-year-workplan/topic-4"
    result = rows(graph, "meeting-agenda", {"meeting": "meeting:wgeti-swg-art6-7-2021-04-26"})
    assert columns(result, "number", "label", "topic") == [
        ("1", "Topic 4: interpreting key concepts", iri(topic4)),
        ("1.1", "Facilitator's report", iri(topic4)),
        ("1.2", "Open discussion", iri(topic4)),
        ("1.3", "Expert kick-off on 'serious violations of IHL' and 'serious violations of IHRL'", iri(topic4)),
    ]


def test_the_2021_timetable(graph: KnowledgeGraph) -> None:
    """Table 1 of the WGETI Chair's letter of 31 March 2021 (rows 1-4): Monday 26 April, thematic discussion
    12-13 and Articles 6 and 7 13-15; Tuesday 27 April, Article 9 12-14 and WGTU 14-15; Wednesday 28 April,
    Article 11 12-14 and WGTR 14-15."""
    result = rows(graph, "timetable")
    assert {r["table"] for r in result} == {iri("source:wgeti-2021-letter/table-1")}
    assert columns(result, "day", "start", "end", "heldBy", "slot") == [
        ("2021-04-26", "12:00:00", "13:00:00", iri("body:CSP"), iri("meeting:thematic-discussion-2021-04-26")),
        ("2021-04-26", "13:00:00", "15:00:00", iri("body:WGETI-SWG-Art6-7"),
         iri("meeting:wgeti-swg-art6-7-2021-04-26")),
        ("2021-04-27", "12:00:00", "14:00:00", iri("body:WGETI-SWG-Art9"), iri("meeting:wgeti-swg-art9-2021-04-27")),
        ("2021-04-27", "14:00:00", "15:00:00", iri("body:WGTU"), iri("meeting:wgtu-2021-04-27")),
        ("2021-04-28", "12:00:00", "14:00:00", iri("body:WGETI-SWG-Art11"),
         iri("meeting:wgeti-swg-art11-2021-04-28")),
        ("2021-04-28", "14:00:00", "15:00:00", iri("body:WGTR"), iri("meeting:wgtr-2021-04-28")),
    ]


def test_presentations_at_the_wgeti_meeting_of_march_2026(graph: KnowledgeGraph) -> None:
    """CSP12 draft report: national practice p11-p17 (CAR; Canada, Liberia; EEAS; Chile, South Africa);
    current and emerging issues p22-p50 (El Salvador, Côte d'Ivoire, Togo, Saferworld; UK, UNIDIR; the Chair,
    the Secretariat, OHCHR; the Chair on logistics; gender focal points Mexico, Spain, Togo; the Chair and
    France on Article 7(4); the Chair on inter-agency cooperation; SAS with Panama and UNIDIR, Maat, Control
    Arms). One row per presenter, in agenda order."""
    ce = "contribution:wgeti-swg-current-emerging-2026-03-17-18-"
    np_ = "contribution:wgeti-swg-national-practice-2026-03-"
    result = rows(graph, "presentations-at-meeting", {"meeting": "meeting:wgeti-2026-03-16-18"})
    presentation, contribution = iri("att:Presentation"), iri("att:Contribution")
    assert columns(result, "contribution", "kind", "presenter") == [
        (iri(ce + "civ"), presentation, iri("state:CIV")),
        (iri(ce + "saferworld"), presentation, iri("organisation:saferworld")),
        (iri(ce + "slv"), presentation, iri("state:SLV")),
        (iri(ce + "tgo"), presentation, iri("state:TGO")),
        (iri(ce + "gbr"), presentation, iri("state:GBR")),
        (iri(ce + "unidir"), presentation, iri("organisation:unidir")),
        (iri(ce + "ohchr"), presentation, iri("organisation:ohchr")),
        (iri(ce + "philippe-lejeune-due-diligence"), presentation, iri("person:philippe-lejeune")),
        (iri(ce + "secretariat"), presentation, iri("body:Secretariat")),
        (iri(ce + "philippe-lejeune-logistics"), presentation, iri("person:philippe-lejeune")),
        (iri(ce + "fra"), contribution, iri("state:FRA")),
        (iri(ce + "gender-focal-points"), presentation, iri("body:GenderFocalPoints")),
        (iri(ce + "gender-focal-points"), presentation, iri("state:ESP")),
        (iri(ce + "gender-focal-points"), presentation, iri("state:MEX")),
        (iri(ce + "gender-focal-points"), presentation, iri("state:TGO")),
        (iri(ce + "philippe-lejeune-gbv"), presentation, iri("person:philippe-lejeune")),
        (iri(ce + "philippe-lejeune-interagency"), presentation, iri("person:philippe-lejeune")),
        (iri(ce + "small-arms-survey"), presentation, iri("organisation:small-arms-survey")),
        (iri(ce + "small-arms-survey"), presentation, iri("organisation:unidir")),
        (iri(ce + "small-arms-survey"), presentation, iri("state:PAN")),
        (iri(ce + "maat"), presentation, iri("organisation:maat")),
        (iri(ce + "control-arms"), presentation, iri("organisation:control-arms")),
        (iri(np_ + "can"), presentation, iri("state:CAN")),
        (iri(np_ + "lbr"), presentation, iri("state:LBR")),
        (iri(np_ + "robert-hunter-perkins"), presentation, iri("person:robert-hunter-perkins")),
        (iri(np_ + "chl"), presentation, iri("state:CHL")),
        (iri(np_ + "michal-karczmarz"), presentation, iri("person:michal-karczmarz")),
        (iri(np_ + "zaf"), presentation, iri("state:ZAF")),
    ]


def test_states_that_described_their_import_controls(graph: KnowledgeGraph) -> None:
    """CSP11 report p11: Australia, Germany, Mexico and Romania presented their import practice under the
    first workplan topic."""
    result = rows(graph, "states-presenting-on-topic")
    meeting = iri("meeting:wgeti-swg-national-practice-2025-02")
    assert columns(result, "topic", "state", "meeting") == [
        (iri("topic:np-topic-1-import-controls"), iri(f"state:{code}"), meeting)
        for code in ("AUS", "DEU", "MEX", "ROU")
    ]


def test_states_that_presented_under_risk_assessment_and_control_lists(graph: KnowledgeGraph) -> None:
    """CSP12 draft p17: Chile and South Africa on risk assessment (topic 4); p22: El Salvador, Côte d'Ivoire
    and Togo on national control lists."""
    risk = rows(graph, "states-presenting-on-topic", {"topic": "topic:np-topic-4-risk-assessment"})
    assert columns(risk, "state") == [(iri("state:CHL"),), (iri("state:ZAF"),)]
    lists = rows(graph, "states-presenting-on-topic", {"topic": "topic:scope-control-list-challenges"})
    assert columns(lists, "state") == [(iri(f"state:{code}"),) for code in ("CIV", "GBR", "SLV", "TGO")]


def test_states_that_raised_gender_based_violence(graph: KnowledgeGraph) -> None:
    """Gender-based violence and its sub-topics: Mexico's focal-point proposal in informal consultations (CSP11
    report p42) and at the February 2025 meeting (p27), Israel's and Palestine's papers (p29); in March 2026 the
    focal points Spain, Mexico, Togo (CSP12 draft p39) and France's amendments (p41)."""
    result = rows(graph, "states-presenting-on-topic", {"topic": "topic:gbv-risk"})
    assert columns(result, "meeting", "state") == [
        (iri("meeting:informal-consultation-2025-07-25"), iri("state:MEX")),
        (iri("meeting:wgeti-swg-current-emerging-2025-02-26"), iri("state:ISR")),
        (iri("meeting:wgeti-swg-current-emerging-2025-02-26"), iri("state:MEX")),
        (iri("meeting:wgeti-swg-current-emerging-2025-02-26"), iri("state:PSE")),
        (iri("meeting:wgeti-swg-current-emerging-2026-03-17-18"), iri("state:ESP")),
        (iri("meeting:wgeti-swg-current-emerging-2026-03-17-18"), iri("state:FRA")),
        (iri("meeting:wgeti-swg-current-emerging-2026-03-17-18"), iri("state:MEX")),
        (iri("meeting:wgeti-swg-current-emerging-2026-03-17-18"), iri("state:TGO")),
    ]


def test_who_raised_which_special_discussion_issue(graph: KnowledgeGraph) -> None:
    """CSP11 report p30: Panama (early-warning platform, withdrawn) and Control Arms (ICJ and HRC findings);
    CSP12 draft p45: Small Arms Survey with Panama and UNIDIR (maritime security, p46), Maat (Sudan) and
    Control Arms (Article 7(7))."""
    feb25 = "meeting:wgeti-swg-current-emerging-2025-02-26"
    mar26 = "meeting:wgeti-swg-current-emerging-2026-03-17-18"
    assert columns(rows(graph, "special-discussion-issues"), "meeting", "issue", "raisedBy") == [
        (iri(feb25), iri("topic:sd-early-warning-compliance-platform"), iri("state:PAN")),
        (iri(feb25), iri("topic:sd-icj-hrc-findings"), iri("organisation:control-arms")),
        (iri(mar26), iri("topic:sd-maritime-security"), iri("organisation:small-arms-survey")),
        (iri(mar26), iri("topic:sd-maritime-security"), iri("organisation:unidir")),
        (iri(mar26), iri("topic:sd-maritime-security"), iri("state:PAN")),
        (iri(mar26), iri("topic:sd-sudan-risk-assessment"), iri("organisation:maat")),
        (iri(mar26), iri("topic:sd-article-7-7-reassessment"), iri("organisation:control-arms")),
    ]


def test_topics_of_the_workplan_endorsed_by_csp10_in_order(graph: KnowledgeGraph) -> None:
    """Topics 1 and 2 (imports; scope and control lists) were taken in February 2025 (CSP11 report p9, h7),
    topics 3 and 4 (brokering; risk assessment) in March 2026 (CSP12 draft p9)."""
    result = rows(graph, "workplan-topics")
    assert columns(result, "topic", "number", "meeting") == [
        (iri("topic:np-topic-1-import-controls"), "1", iri("meeting:wgeti-swg-national-practice-2025-02")),
        (iri("topic:np-topic-2-scope-control-lists"), "2", iri("meeting:wgeti-swg-national-practice-2025-02")),
        (iri("topic:np-topic-3-brokering-controls"), "3", iri("meeting:wgeti-swg-national-practice-2026-03")),
        (iri("topic:np-topic-4-risk-assessment"), "4", iri("meeting:wgeti-swg-national-practice-2026-03")),
    ]


def test_stages_of_the_article_11_workplan_in_order(graph: KnowledgeGraph) -> None:
    """Annex C p3: before, during and after the transfer; stage 1 has import documentation and assessing the
    risk of diversion (appendix 2 t4, t5), the latter taken on 28 April 2021 (appendix 1)."""
    workplan = "document:wgeti-swg-art11-multi-year-workplan-2021"
    result = rows(graph, "workplan-topics", {"workplan": workplan})
    assert columns(result, "topic", "number", "part", "partNumber", "meeting") == [
        (iri(workplan + "/stage-1"), "1", iri(workplan + "/stage-1/part-1"), "1", ""),
        (iri(workplan + "/stage-1"), "1", iri(workplan + "/stage-1/part-2"), "2",
         iri("meeting:wgeti-swg-art11-2021-04-28")),
        (iri(workplan + "/stage-2"), "2", "", "", ""),
        (iri(workplan + "/stage-3"), "3", "", "", ""),
    ]


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def test_documents_issued_by_wgtr(graph: KnowledgeGraph) -> None:
    """CSP10 paper endnotes: the co-chairs' draft reports to CSP3 (6) and CSP8 (10) with its Q&A annex of 22 July
    2022, the draft report to CSP9 of 21 July 2023 (8) and the introductory paper of 22 January 2024 (9)."""
    result = rows(graph, "documents-issued-by", {"issuer": "body:WGTR"})
    assert columns(result, "document", "date", "session") == [
        (iri("document:ATT/CSP3.WGTR/2017/CHAIR/159/Conf.Rep"), "", iri("session:CSP3")),
        (iri("document:ATT/CSP8.WGTR/2022/CHAIR/734/Conf.Rep"), "", iri("session:CSP8")),
        (iri("document:ATT/CSP8.WGTR/2022/CHAIR/734/Conf.Rep/annex-C"), "2022-07-22", iri("session:CSP8")),
        (iri("document:ATT/CSP9.WGTR/2023/CHAIR/768/Conf.Rep"), "2023-07-21", iri("session:CSP9")),
        (iri("document:ATT/CSP10.WGTR/2024/CHAIR/779/IntroPaper"), "2024-01-22", iri("session:CSP10")),
    ]


def test_documents_of_csp10(graph: KnowledgeGraph) -> None:
    """CSP10 documents: the WGETI letter (CSP10 paper endnote 7, printed WGET/024/Chair), the WGETI report and
    its workplan annex (CSP11 report p3), the WGTR and WGTU papers (endnotes 9, 12, printed with 024), the
    Mexico paper (CSP11 fn 8), the CSP10 Final Report (fn 6) and the CSP10 President's working paper itself."""
    result = rows(graph, "documents-of-session")
    assert columns(result, "document", "symbols") == [
        (iri("document:ATT/CSP10.WGETI/2024/CHAIR/775/LetterSubDocs"),
         "ATT/CSP10.WGET/024/Chair/775/LetterSubDocs"),
        (iri("document:ATT/CSP10.WGETI/2024/CHAIR/799/Conf.Rep"), "ATT/CSP10.WGETI/2024/CHAIR/799/Conf.Rep"),
        (iri("document:ATT/CSP10.WGETI/2024/CHAIR/799/Conf.Rep/annex-B"), ""),
        (iri("document:ATT/CSP10.WGTR/2024/CHAIR/779/IntroPaper"), "ATT/CSP10.WGTR/024/CHAIR/779/IntroPaper"),
        (iri("document:ATT/CSP10.WGTU/2024/CHAIR/777/DrWP"), "ATT/CSP10.WGTU/024/CHAIR/777/DrWP"),
        (iri("document:ATT/CSP10/2024/MEX/808/Conf.WP"), "ATT/CSP10/2024/MEX/808/Conf.WP"),
        (iri("document:ATT/CSP10/2024/SEC/807/Conf.FinRep"), "ATT/CSP10/2024/SEC/807/Conf.FinRep"),
        (iri("source:csp10-interagency-wp"), ""),
    ]


def test_what_the_dief_report_cites(graph: KnowledgeGraph) -> None:
    """DIEF report p1, p3, p5, p13 (the terms of reference) and p14 (Argentina's working paper)."""
    result = rows(graph, "document-cites")
    assert columns(result, "document", "cited") == [
        (iri("source:dief-csp7-report"), iri("document:arg-wp-transparency-information-exchange-diversion")),
        (iri("source:dief-csp7-report"), iri("document:dief-terms-of-reference")),
    ]


def test_what_the_annexes_of_the_csp12_draft_report_cite(graph: KnowledgeGraph) -> None:
    """Annex 1 t1 and t4: Control Arms' presentation, the Voluntary Guide and the WGETI report to CSP11."""
    result = rows(graph, "document-cites", {"document": "document:wgeti-csp12-draft-report-annex-1"})
    assert columns(result, "cited") == [
        (iri("document:control-arms-guidance-article-7-4"),),
        (iri("document:voluntary-guide-art-6-7"),),
        (iri("source:wgeti-csp11-report"),),
    ]


def test_what_cites_the_csp9_wgeti_report(graph: KnowledgeGraph) -> None:
    """ATT/CSP9.WGETI/2023/CHAIR/767/Conf.Rep is cited by the CSP11 report (p3, fn 9) and the CSP12 draft (p4, fn 2)."""
    result = rows(graph, "document-cited-by")
    assert columns(result, "citing") == [
        (iri("source:wgeti-csp11-report"),), (iri("source:wgeti-csp12-draft-report"),)]


def test_annexes_of_the_2021_letter(graph: KnowledgeGraph) -> None:
    """Table of contents of the letter (toc 1-8): Annex A with appendices 1 and 2, Annex B with appendix 1,
    Annex C with appendices 1 and 2."""
    letter = "document:wgeti-2021-letter-annex-"
    result = rows(graph, "document-annexes")
    assert columns(result, "annex", "annexNumber", "appendix", "appendixNumber") == [
        (iri(letter + "A"), "A", "", ""),
        (iri(letter + "A"), "A", iri(letter + "A-appendix-1"), "1"),
        (iri(letter + "A"), "A", iri(letter + "A-appendix-2"), "2"),
        (iri(letter + "B"), "B", "", ""),
        (iri(letter + "B"), "B", iri(letter + "B-appendix-1"), "1"),
        (iri(letter + "C"), "C", "", ""),
        (iri(letter + "C"), "C", iri(letter + "C-appendix-1"), "1"),
        (iri(letter + "C"), "C", iri(letter + "C-appendix-2"), "2"),
    ]


def test_annexes_of_the_csp12_draft_report(graph: KnowledgeGraph) -> None:
    """CSP12 draft p2: three annexes, on Article 7(4) guidance (1, 2) and inter-agency cooperation (3)."""
    result = rows(graph, "document-annexes", {"document": "source:wgeti-csp12-draft-report"})
    assert columns(result, "annex", "annexNumber", "label") == [
        (iri("document:wgeti-csp12-draft-report-annex-1"), "1",
         "Annex 1 to the WGETI Chair's draft report to CSP12: proposed supplementary guidance on implementing "
         "Article 7(4)"),
        (iri("document:wgeti-csp12-draft-report-annex-2"), "2",
         "Annex 2 to the WGETI Chair's draft report to CSP12: proposed revisions to the Voluntary Guide on "
         "Article 7(4)"),
        (iri("document:wgeti-csp12-draft-report-annex-3"), "3",
         "Annex 3 to the WGETI Chair's draft report to CSP12: possible steps and questions for developing or "
         "strengthening inter-agency cooperation"),
    ]


def test_revisions(graph: KnowledgeGraph) -> None:
    """Revision markers of the symbols (CSP11 draft fn 2: /Rev. and /Rev; letter annex A p1: .Rev1; CSP11 report
    fn 9: .Rev2), the 2021 Article 11 workplan (annex C p2) and the CSP7 diversion paper that grew out of the
    2021 draft (guidance.ttl, CSP10 paper endnote 4)."""
    doc = "document:"
    assert columns(rows(graph, "document-revisions"), "revision", "symbol", "original") == [
        (iri(doc + "ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev."), "ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.",
         iri(doc + "ATT/CSP11/2025/SEC/834/Conf.FinRep")),
        (iri(doc + "ATT/CSP12.WGETI/2026/CHAIR/835/LetterSubDocs/Rev"),
         "ATT/CSP12.WGETI/2026/CHAIR/835/LetterSubDocs/Rev",
         iri(doc + "ATT/CSP12.WGETI/2026/CHAIR/835/LetterSubDocs")),
        (iri(doc + "ATT/CSP5/2019/SEC/536/Conf.FinRep.Rev1"), "ATT/CSP5/2019/SEC/536/Conf.FinRep.Rev1",
         iri(doc + "ATT/CSP5/2019/SEC/536/Conf.FinRep")),
        (iri(doc + "ATT/CSP9/2023/SEC/773/Conf.FinRep.Rev2"), "ATT/CSP9/2023/SEC/773/Conf.FinRep.Rev2",
         iri(doc + "ATT/CSP9/2023/SEC/773/Conf.FinRep")),
        (iri(doc + "elements-diversion-risk-assessment"), "", iri(doc + "wgeti-2021-letter-annex-C-appendix-2")),
        (iri(doc + "wgeti-swg-art11-multi-year-workplan-2021"), "",
         iri(doc + "ATT/CSP5.WGETI/2019/CHAIR/529/Conf.Rep/annex-C")),
    ]


# ---------------------------------------------------------------------------------------------
# Recommendations and decisions
# ---------------------------------------------------------------------------------------------


def test_recommendations_to_csp11_with_their_status(graph: KnowledgeGraph) -> None:
    """CSP11 report p46 a-j, proposed; the CSP12 draft reports CSP11 acting on b and c (p20), d (p33), e (p41),
    f (p57), g (p43), h (p39) and j (fn 2, Final Report para 25(j)); nothing is reported on a and i."""
    adopted, proposed = iri("att:adopted"), iri("att:proposed")
    status = {"a": proposed, "i": proposed}
    result = rows(graph, "recommendations-to-session")
    assert columns(result, "number", "recommendation", "body", "status") == [
        (letter, iri(f"recommendation:CSP11-wgeti-csp11-report-{letter}"), iri("body:WGETI"),
         status.get(letter, adopted))
        for letter in "abcdefghij"
    ]


def test_recommendations_to_csp7_csp12_and_csp5(graph: KnowledgeGraph) -> None:
    """DIEF report p15 1)-3), proposed; CSP12 draft p62 a-i, draft; CSP5's four items on gender-based violence
    (letter annex A p5 i-iv), decided, with no recommending body: CSP5's President put them to CSP5 in a draft
    decision (p5), and WGETI is the body that is to consider them."""
    dief = rows(graph, "recommendations-to-session", {"session": "session:CSP7"})
    assert columns(dief, "number", "body", "status") == [(n, iri("body:DIEF"), iri("att:proposed")) for n in "123"]
    csp12 = rows(graph, "recommendations-to-session", {"session": "session:CSP12"})
    assert columns(csp12, "number", "status") == [(letter, iri("att:draft")) for letter in "abcdefghi"]
    csp5 = rows(graph, "recommendations-to-session", {"session": "session:CSP5"})
    assert columns(csp5, "number", "recommendation", "body", "status") == [
        (n, iri(f"recommendation:CSP5-wgeti-2021-letter-{n}"), "", iri("att:decided")) for n in ("i", "ii", "iii", "iv")
    ]


def test_recommendations_concerning_article_7(graph: KnowledgeGraph) -> None:
    """Article 7(4) in CSP5's four items (letter annex A p5), in CSP11 e and f (p46) and CSP12 d (p62); Articles
    6 and 7 as a whole in CSP11 a and CSP12 e."""
    result = rows(graph, "recommendations-concerning-article")
    assert {r["article"] for r in result} == {iri("article:7")}
    assert columns(result, "session", "number", "provision") == [
        (iri("session:CSP5"), "i", iri("provision:7.4")),
        (iri("session:CSP5"), "ii", iri("provision:7.4")),
        (iri("session:CSP5"), "iii", iri("provision:7.4")),
        (iri("session:CSP5"), "iv", iri("provision:7.4")),
        (iri("session:CSP11"), "a", iri("article:7")),
        (iri("session:CSP11"), "e", iri("provision:7.4")),
        (iri("session:CSP11"), "f", iri("provision:7.4")),
        (iri("session:CSP12"), "d", iri("provision:7.4")),
        (iri("session:CSP12"), "e", iri("article:7")),
    ]


def test_decisions_taken_by_csp11(graph: KnowledgeGraph) -> None:
    """CSP12 draft report: decisions on the sub-group's agenda (p20), gender focal points (p39), the fact sheet
    (p57), the Basic Guide (p43), supplementary guidance (p41), outreach (p33, 受到第十一届缔约国会议的鼓励:
    encouraged) and the Final Report para 25(j) on special discussions (fn 2, no verb: no status)."""
    decided, requested = iri("att:decided"), iri("att:requested")
    result = rows(graph, "decisions-of-session")
    assert columns(result, "decision", "status") == [
        (iri("decision:CSP11-current-emerging-agenda"), decided),
        (iri("decision:CSP11-gbv-fact-sheet"), requested),
        (iri("decision:CSP11-gender-focal-points"), decided),
        (iri("decision:CSP11-industry-outreach"), iri("att:encouraged")),
        (iri("decision:CSP11-interagency-basic-guide"), requested),
        (iri("decision:CSP11-special-discussion"), ""),
        (iri("decision:CSP11-supplementary-guidance-article-7-4"), requested),
    ]


def test_decisions_taken_by_csp6(graph: KnowledgeGraph) -> None:
    """DIEF report p1: CSP6 set up DIEF, adopted its terms of reference, tasked the CSP7 President with its first
    meeting in 2021 and decided to review it at CSP8 (p4)."""
    result = rows(graph, "decisions-of-session", {"session": "session:CSP6"})
    assert columns(result, "decision", "status") == [
        (iri("decision:CSP6-dief-first-meeting"), iri("att:requested")),
        (iri("decision:CSP6-dief-review-csp8"), iri("att:decided")),
        (iri("decision:CSP6-dief-terms-of-reference"), iri("att:adopted")),
        (iri("decision:CSP6-establish-dief"), iri("att:decided")),
    ]


STATUS_STATEMENTS = """
SELECT ?session ?number ?basis ?rule ?unit ?quote WHERE {
  ?recommendation a att:Recommendation ; att:addressedTo ?session ; att:number ?number ; att:status ?status .
  ?statement rdf:subject ?recommendation ; rdf:predicate att:status ; rdf:object ?status ; att:basis ?basis .
  OPTIONAL { ?statement att:rule ?rule }
  OPTIONAL { ?statement prov:wasDerivedFrom ?unit }
  OPTIONAL { ?statement att:quote ?quote }
}
ORDER BY ?number"""


def test_how_the_status_of_the_csp11_recommendations_is_known(graph: KnowledgeGraph) -> None:
    """Only for (h) does a source say in so many words that CSP11 acted on the recommendation (CSP12 draft p39,
    决定…根据有效执行条约工作组的建议). For b-g the CSP12 draft report says CSP11 decided (p20), encouraged (p33) or
    asked for (p41, p57, p43) what they asked, and for j it cites the CSP11 Final Report, para 25(j) (fn 2):
    adopted by rule:recommendations-acted-on. Nothing is recorded for a and i: proposed by
    rule:recommendations-no-outcome, quoting the sentence that puts them to CSP11 (CSP11 report p46)."""
    session = ox.NamedNode(iri("session:CSP11"))
    result = graph.query(STATUS_STATEMENTS, {ox.Variable("session"): session}).values()
    stated, derived = iri("att:stated"), iri("att:derived")
    acted, none = iri("rule:recommendations-acted-on"), iri("rule:recommendations-no-outcome")
    p46 = ("wgeti-csp11-report/p46",
           "考虑到有效执行条约工作组为履行其在第十届和第十一届缔约国会议之间的任务而开展的工作，"
           "工作组建议第十一届缔约国会议")
    p20 = ("根据第十一届缔约国会议的相关决定，工作分组就《条约》范围以及国家管制清单的建立和维护"
           "所面临的挑战展开了深入讨论")
    expected = [
        ("a", derived, none, *p46),
        ("b", derived, acted, "wgeti-csp12-draft-report/p20", p20),
        ("c", derived, acted, "wgeti-csp12-draft-report/p20",
         p20 + "，并继续探讨了产业界在负责任的国际武器转让中的作用"),
        ("d", derived, acted, "wgeti-csp12-draft-report/p33",
         "受到第十一届缔约国会议的鼓励，《武器贸易条约》秘书处报告了其继续与产业界行为体进行外联"),
        ("e", derived, acted, "wgeti-csp12-draft-report/p41",
         "根据第十一届缔约国会议的要求，制定在《执行<武器贸易条约>第 6 条和第 7 条的自愿指南》中"
         "纳入执行第 7 条第(4)款的拟议补充指导"),
        ("f", derived, acted, "wgeti-csp12-draft-report/p57",
         "《武器贸易条约》秘书处将根据第十一届缔约国会议对于发布的要求，汇编《自愿指南》中确定纳入基于性别的暴力行为情况简报的所有章节"),
        ("g", derived, acted, "wgeti-csp12-draft-report/p43",
         "回顾了第十一届缔约国会议关于讨论有益要素以纳入《建立国家管制制度自愿基本指南》以及其他相关自愿指导文件的请求"),
        ("h", stated, "", "wgeti-csp12-draft-report/p39",
         "鉴于第十一届缔约国会议根据有效执行条约工作组的建议，决定设立《武器贸易条约》性别问题联络人"),
        ("i", derived, none, *p46),
        ("j", derived, acted, "wgeti-csp12-draft-report/fn-2", "另请参阅第十一届缔约国会议最终报告第 25 (j) 段"),
    ]
    assert columns(result, "number", "basis", "rule", "unit", "quote") == [
        (n, basis, rule, iri(f"source:{unit}"), quote) for n, basis, rule, unit, quote in expected]


CONCERNS_STATEMENTS = """
SELECT ?recommendation ?object ?basis ?unit ?quote WHERE {
  ?statement rdf:subject ?recommendation ; rdf:predicate att:concerns ; rdf:object ?object ; att:basis ?basis .
  OPTIONAL { ?statement prov:wasDerivedFrom ?unit }
  OPTIONAL { ?statement att:quote ?quote }
}
ORDER BY STR(?object)"""


def test_what_csp11_recommendation_b_concerns_and_how_we_know(graph: KnowledgeGraph) -> None:
    """CSP11 report p46 b names the sub-working group, the challenges of scope and control lists and Article 4;
    that the treaty's scope (常规武器类别, its categories of arms) is Article 2(1) is our reading (editorial)."""
    item = "wgeti-csp11-report/p46/b"
    recommendation = ox.NamedNode(iri("recommendation:CSP11-wgeti-csp11-report-b"))
    result = graph.query(CONCERNS_STATEMENTS, {ox.Variable("recommendation"): recommendation}).values()
    assert columns(result, "object", "basis", "unit", "quote") == [
        (iri("article:4"), iri("att:stated"), iri(f"source:{item}"),
         "包括与处理零部件相关的问题（根据《条约》第 4 条）"),
        (iri("body:WGETI-SWG-CurrentEmerging"), iri("att:stated"), iri(f"source:{item}"),
         "请当前和新出现的执行问题工作分组"),
        (iri("provision:2.1"), iri("att:editorial"), iri(f"source:{item}"), "《条约》范围（常规武器类别）"),
        (iri("topic:scope-control-list-challenges"), iri("att:stated"), iri(f"source:{item}"),
         "审议与《条约》范围（常规武器类别）以及制定和维护国家管制清单有关的挑战"),
    ]


# ---------------------------------------------------------------------------------------------
# Discrepancies
# ---------------------------------------------------------------------------------------------


def test_the_records_discrepancies(graph: KnowledgeGraph) -> None:
    """The records area's discrepancies (data/curated/discrepancies.ttl), each with its adopted and set-aside
    reading: CSP11 report h3/h15 v p7; letter annex B p2 v annex C p2; annex A p5; CSP11 p3 v fn 9; CSP10 paper
    endnotes 7, 8, 11, 12, 9; letter annex A p1; CSP11 h12/p36 v p42; letter annex A p7/C p2 v B p3."""
    mine = {
        "csp5-report-cited-two-ways": ("ATT/CSP5/2019/SEC/536/Conf.FinRep.Rev1",
                                       "presented by the Chair of the WGETI to CSP5"),
        "gbv-topic-wording": ("暴力侵害妇女和儿童行为", "暴力侵害妇女行为"),
        "silence-procedure-name": ("默许程序", "沉默程序"),
        "symbol-528-space": ("ATT/CSP5/2019/PRES/528/Conf.GenderGBV", "ATT/CSP5/2019/PRES/528/Conf.Gender GBV"),
        "symbol-529-space": ("ATT/CSP5.WGETI/2019/CHAIR/529/Conf.Rep", "ATT/CSP5.WGETI/2019 /CHAIR/529/Conf.Rep"),
        "symbol-767-case": ("ATT/CSP9.WGETI/2023/CHAIR/767/Conf.Rep", "ATT/CSP9.WGETI/2023/Chair/767/Conf.Rep"),
        "symbol-768-body": ("ATT/CSP9.WGTR/2023/CHAIR/768/Conf.Rep", "ATT/CSP9.WTR/2023/CHAIR/768/Conf.Rep"),
        "symbol-769-body": ("ATT/CSP9.WGTU/2023/CHAIR/769/Conf.Rep", "ATT/CSP9.WTU/2023/CHAIR/769/Conf.Rep"),
        "symbol-775": ("ATT/CSP10.WGETI/2024/CHAIR/775/LetterSubDocs", "ATT/CSP10.WGET/024/Chair/775/LetterSubDocs"),
        "symbol-777-year": ("ATT/CSP10.WGTU/2024/CHAIR/777/DrWP", "ATT/CSP10.WGTU/024/CHAIR/777/DrWP"),
        "symbol-779-year": ("ATT/CSP10.WGTR/2024/CHAIR/779/IntroPaper", "ATT/CSP10.WGTR/024/CHAIR/779/IntroPaper"),
        "wgeti-2025-meeting-dates": ("2025-02-25/2025-02-27", "2025-02-27"),
    }
    result = rows(graph, "discrepancies")
    ours = [(r["discrepancy"], r["adopted"], r["setAside"]) for r in result
            if r["discrepancy"] in {iri(f"discrepancy:{slug}") for slug in mine}]
    assert ours == [(iri(f"discrepancy:{slug}"), *values) for slug, values in sorted(mine.items())]


def test_the_discrepancy_in_draft_recommendation_g(graph: KnowledgeGraph) -> None:
    """CSP12 draft report: the Chair's approach (p43) and draft recommendation (g) speak of the key elements of
    national control systems, the Chair's conclusions (p59) of national points of contact (recorded in
    recommendations.ttl, with the recommendation it concerns); the graph adopts the first."""
    slug = iri("discrepancy:national-control-system-or-contact-point")
    result = [r for r in rows(graph, "discrepancies") if r["discrepancy"] == slug]
    assert columns(result, "adopted", "setAside") == [("国家管制制度", "国家联络点")]


def test_the_discrepancy_list_covers_the_annex_c_weekday(graph: KnowledgeGraph) -> None:
    """Every weekday printed in the sources matches its date except Annex C's heading, Wednesday 29 April 2021
    (a Thursday); the table and the annex's own paragraphs say 28 April. That discrepancy is listed (it is
    recorded in guidance-discrepancies.ttl) with 28 April adopted."""
    result = rows(graph, "discrepancies")
    assert ("2021-04-28", "2021-04-29") in {(r["adopted"], r["setAside"]) for r in result}
