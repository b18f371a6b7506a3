"""The guidance named queries (queries/*.rq of the guidance area) return exactly what the sources say.

Expected rows are written from the five sources, with the unit each fact is read from named next to
it, not copied from query output. IRIs are written as prefixed names and expanded with the project's
prefixes. Where a row carries a label another curation area owns (a document described in
documents.ttl, a recommendation in recommendations.ttl), the test pins the IRIs and leaves that label
to the owning area's tests.
"""

from __future__ import annotations

import json
from collections import defaultdict

from rdflib import Graph

from attgraph.knowledge.formats import graph_format
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import PREFIXES

from ..conftest import iri, unit

RDFS_LABEL = PREFIXES["rdfs"] + "label"

V1 = "framework:gbv-flowchart-2025-control-arms"
V2 = "framework:gbv-flowchart-2026-working-paper"
V3 = "framework:gbv-flowchart-2026-draft-report"
IAC = "framework:interagency-cooperation-steps"
GUIDE = "document:voluntary-guide-art-6-7"




def rows(graph: KnowledgeGraph, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The rows of a named query."""
    return graph.run(name, params or {}).values()


def pick(found: list[dict[str, str]], *columns: str) -> list[tuple[str, ...]]:
    """The given columns of each row, as tuples, in row order."""
    return [tuple(row[c] for c in columns) for row in found]


# ---------------------------------------------------------------------------------------------
# Guidance addressing a provision
# ---------------------------------------------------------------------------------------------

#: Voluntary Guide parts on Article 7(4): CSP12 draft report, Annex 1 background (t1/b1-b3) and
#: Annex 2 note 1: chapter 1 paras 26-35 and boxes 1-2; chapter 3 paras 104-108, box 3, paras 129-135, box 7.
GUIDE_PARAGRAPHS = [*range(26, 36), *range(104, 109), *range(129, 136)]
GUIDE_BOXES = [1, 2, 3, 7]


def test_guidance_for_article_7_4(graph: KnowledgeGraph) -> None:
    """Guidance on Article 7(4): the three flowchart versions and their steps (CSP11 report p26; CSP12
    draft report Annex 1), the Voluntary Guide's paragraphs, boxes and proposed Annex B, Control Arms'
    guidance and the civil-society guides of Annex 2 note 2, the reference list (2021 letter, Annex A
    p3) and the requested fact sheet (CSP11 report p46 f)."""
    found = rows(graph, "guidance-for-provision")

    def doc(name: str) -> tuple[str, str, str, str, str]:
        return (iri("provision:7.4"), iri(name), "", "GuidanceDocument", "")

    def part(document: str, curie: str, kind: str, number: str = "") -> tuple[str, str, str, str, str]:
        return (iri("provision:7.4"), iri(document), iri(curie), kind, number)

    expected = [
        part("", V2, "Framework"),
        *[part("", f"{V2}/step-{n}", "Step", str(n)) for n in range(1, 7)],
        doc("document:control-arms-2022-gbv-risk-assessment-guide"),
        doc("document:control-arms-2022-gender-action-plan"),
        doc("document:control-arms-guidance-article-7-4"),
        part("document:control-arms-guidance-article-7-4", V1, "Framework"),
        *[part("document:control-arms-guidance-article-7-4", f"{V1}/step-{n}", "Step", str(n)) for n in range(1, 6)],
        doc("document:preventing-gbv-through-att-2017"),
        doc("document:reference-documents-risk-assessment"),
        doc(GUIDE),
        part(GUIDE, f"{GUIDE}/annex-b", "Annex", "B"),
        *[part(GUIDE, f"{GUIDE}/box-{n}", "Box", str(n)) for n in GUIDE_BOXES],
        part(GUIDE, V3, "Framework"),
        *[part(GUIDE, f"{GUIDE}/paragraph-{n}", "GuidanceParagraph", str(n)) for n in GUIDE_PARAGRAPHS],
        *[part(GUIDE, f"{V3}/step-{n}", "Step", str(n)) for n in range(1, 7)],
        doc("document:voluntary-guide-art-6-7-gbv-fact-sheet"),
        doc("document:wilpf-2016-preventing-gbv-through-arms-control"),
    ]
    assert pick(found, "addressed", "document", "part", "kind", "number") == expected
    assert {r["provision"] for r in found} == {iri("provision:7.4")}
    labels = {r["part"]: r["label"] for r in found if r["part"]}
    assert labels[iri(f"{GUIDE}/paragraph-108")] == "Voluntary Guide (Articles 6 and 7), paragraph 108"
    assert labels[iri(f"{GUIDE}/box-7")] == "Voluntary Guide (Articles 6 and 7), Box 7"
    assert labels[iri(f"{V2}/step-4")] == "Assess the potential risk"
    assert labels[iri(f"{V3}/step-6")] == (
        "Judge whether there is an overriding risk of the negative consequences identified in step 4")


def test_guidance_for_article_9_includes_provisions_within(graph: KnowledgeGraph) -> None:
    """Article 9: the two topics of the 2021 Article 9 workplan, which belong to no guidance document
    (2021 letter, Annex B, Appendix 1 h1, h2), then the Article 9 guide and its page 9 (CSP10 paper,
    endnote 3); nothing addresses a narrower provision (Article 9 has one paragraph)."""
    found = rows(graph, "guidance-for-provision", {"provision": "article:9"})
    plan = "document:wgeti-swg-art9-multi-year-workplan"
    assert pick(found, "addressed", "document", "part", "kind", "label") == [
        (iri("article:9"), "", iri(f"{plan}/topic-1"), "Chapter",
         "Article 9 workplan, topic 1: national approaches to the terms \"transit\" and \"trans-shipment\""),
        (iri("article:9"), "", iri(f"{plan}/topic-2"), "Chapter",
         "Article 9 workplan, topic 2: the wording \"under its jurisdiction\" and \"through its territory in "
         "accordance with international law\""),
        (iri("article:9"), iri("document:voluntary-guide-art-9"), "", "GuidanceDocument",
         "Voluntary Guide to Implementing Article 9 of the Arms Trade Treaty"),
        (iri("article:9"), iri("document:voluntary-guide-art-9"), iri("document:voluntary-guide-art-9/page-9"),
         "GuidanceElement", "Voluntary Guide to Implementing Article 9, page 9"),
    ]


def test_guidance_documents(graph: KnowledgeGraph) -> None:
    """The catalogue: issuers, dates, status and endorsement of this area's guidance documents, as the
    sources print them (CSP10 paper endnotes 3-5; 2021 letter Annex A p3, Annex C p4; CSP11 report p46 f)."""
    found = {r["document"]: r for r in rows(graph, "guidance-documents")}
    mine = {
        "document:voluntary-basic-guide": ("body:WGETI", "2019-07-26", "", ""),
        "document:voluntary-guide-art-9": ("body:WGETI", "2023-07-21", "", ""),
        "document:possible-measures-diversion": ("body:WGETI", "2018-07-20", "", ""),
        "document:elements-diversion-risk-assessment": ("post:WGETI-chair", "", "att:endorsed", "session:CSP7"),
        "document:reference-documents-risk-assessment": ("body:WGETI-SWG-Art6-7", "", "att:welcomed", ""),
        "document:voluntary-guide-art-6-7-gbv-fact-sheet": ("body:Secretariat", "", "att:requested", ""),
        "document:voluntary-guide-art-6-7": ("", "", "", ""),
        "document:end-use-end-user-documentation-guide": ("", "", "", ""),
        "document:npoc-guidance": ("", "", "", ""),
        "document:un-register-conventional-arms": ("", "", "", ""),
        "document:ammunition-supply-chain-security-guidance": ("", "", "att:draft", ""),
    }
    for curie, (issuer, date, status, endorsed) in mine.items():
        row = found[iri(curie)]
        assert (row["issuer"], row["date"], row["status"], row["endorsedBy"]) == (
            iri(issuer), date, iri(status), iri(endorsed)), curie
    others = [
        "<https://w3id.org/attgraph/id/document/ATT/CSP3.WGTR/2017/CHAIR/159/Conf.Rep/annex-B>",
        "<https://w3id.org/attgraph/id/document/ATT/CSP8.WGTR/2022/CHAIR/734/Conf.Rep/annex-C>",
        "document:annual-report-faq-guidance", "document:att-issue-brief-regulating-brokering",
        "document:control-arms-2022-gbv-risk-assessment-guide", "document:control-arms-2022-gender-action-plan",
        "document:control-arms-guidance-article-7-4", "document:eu-common-military-list",
        "document:eu-common-position-2008-944-cfsp", "document:eu-common-position-users-guide",
        "document:eu-post-shipment-control-best-practices", "document:global-framework-ammunition-management",
        "document:nairobi-protocol", "document:oecd-due-diligence-guidance-rbc",
        "document:oecd-guidelines-multinational-enterprises", "document:ohchr-conflict-affected-areas-tool",
        "document:preventing-gbv-through-att-2017", "document:un-firearms-protocol",
        "document:un-guiding-principles-business-human-rights", "document:unwg-bhr-arms-sector-guidance",
        "document:wassenaar-munitions-list", "document:wgeti-2021-letter-annex-C-appendix-2",
        "document:wilpf-2016-preventing-gbv-through-arms-control",
    ]
    expanded = {o.strip("<>") if o.startswith("<") else iri(o) for o in others}
    assert set(found) == {iri(c) for c in mine} | expanded


def test_guidance_structure_of_the_voluntary_guide(graph: KnowledgeGraph) -> None:
    """Chapter 1 (boxes 1-2, paras 26-35), chapter 3 (boxes 3 and 7, paras 104-108 and 129-135), then
    the proposed Annex B holding the flowchart (CSP12 draft report, Annex 1 t1, t4; Annex 2 note 1)."""
    found = rows(graph, "guidance-structure")
    ch1, ch3, annex = f"{GUIDE}/chapter-1", f"{GUIDE}/chapter-3", f"{GUIDE}/annex-b"
    expected = [
        (ch1, "Chapter", GUIDE, "1"),
        (f"{GUIDE}/box-1", "Box", ch1, "1"), (f"{GUIDE}/box-2", "Box", ch1, "2"),
        *[(f"{GUIDE}/paragraph-{n}", "GuidanceParagraph", ch1, str(n)) for n in range(26, 36)],
        (ch3, "Chapter", GUIDE, "3"),
        (f"{GUIDE}/box-3", "Box", ch3, "3"), (f"{GUIDE}/box-7", "Box", ch3, "7"),
        *[(f"{GUIDE}/paragraph-{n}", "GuidanceParagraph", ch3, str(n)) for n in [*range(104, 109), *range(129, 136)]],
        (annex, "Annex", GUIDE, "B"),
        (V3, "Framework", annex, ""),
    ]
    assert pick(found, "part", "kind", "parent", "number") == [
        (iri(p), k, iri(parent), n) for p, k, parent, n in expected]
    assert found[0]["label"] == "Voluntary Guide (Articles 6 and 7), Chapter 1: Key concepts"
    assert found[13]["label"] == "Voluntary Guide (Articles 6 and 7), Chapter 3: Export and export assessment"


def test_guidance_structure_of_the_basic_guide(graph: KnowledgeGraph) -> None:
    """The Basic Guide: the proposed inter-agency section with its framework (CSP12 draft report p43, p59,
    p62 f), and the pages the sources cite: 5-9 (CSP11 report note 3), 11 and 16-17 (CSP10 paper notes 3, 5)."""
    found = rows(graph, "guidance-structure", {"document": "document:voluntary-basic-guide"})
    basic = "document:voluntary-basic-guide"
    assert pick(found, "part", "kind", "parent") == [
        (iri(f"{basic}/inter-agency-cooperation"), "Chapter", iri(basic)),
        (iri(IAC), "Framework", iri(f"{basic}/inter-agency-cooperation")),
        (iri(f"{basic}/pages-5-9"), "GuidanceElement", iri(basic)),
        (iri(f"{basic}/page-11"), "GuidanceElement", iri(basic)),
        (iri(f"{basic}/pages-16-17"), "GuidanceElement", iri(basic)),
    ]


# ---------------------------------------------------------------------------------------------
# Frameworks
# ---------------------------------------------------------------------------------------------

#: The six steps of the flowchart in Annex 1 of the CSP12 draft report (annex-1/step-1 … step-6):
#: English title (our translation), Chinese title as printed, points and questions (nested included).
V3_STEPS = [
    ("Identify the types of GBV and VAWC common in the recipient State",
     "确定受援国常见的基于性别的暴力行为和暴力侵害妇女和儿童行为的类型。", 3, 0),
    ("Judge how serious the common acts or violations are", "判断常见的行为/违规行为的严重程度。", 3, 0),
    ("Determine whether the recipient State is taking effective action to prevent GBV and VAWC",
     "确定接收国是否正采取有效行动来防止基于性别的暴力行为和暴力侵害妇女和儿童的行为。", 1, 3),
    ("Assess whether the arms or items to be transferred could be used to commit or facilitate the serious "
     "acts of GBV or VAWC identified in steps 1 and 2",
     "评估待转让的武器或物项是否有可能被用于实施或帮助实施第1步和第2步中确定的基于性别的严重暴力行为或严重暴力侵害妇女和儿童的行为。",
     3, 0),
    ("Determine whether mitigation measures or other approaches can adequately and significantly reduce the "
     "Article 7(1) risks identified in step 4",
     "确定缓解措施或其他方法能否妥善且显著降低第4步中确定的相关第7.1条风险。", 2, 0),
    ("Judge whether there is an overriding risk of the negative consequences identified in step 4",
     "判断第4步中确定的消极后果是否存在“高于一切的风险”。", 1, 0),
]


def test_framework_steps_of_the_flowchart(graph: KnowledgeGraph) -> None:
    """Six steps in order, each pointing to the next (CSP12 draft report, Annex 1, steps 1-6); the annex
    prints them, so each is known from the printed layout (derived by rule:frameworks-printed-layout)."""
    found = rows(graph, "framework-steps")
    expected = []
    for n, (title, zh, points, questions) in enumerate(V3_STEPS, start=1):
        nxt = iri(f"{V3}/step-{n + 1}") if n < 6 else ""
        expected.append({"framework": iri(V3), "position": str(n), "step": iri(f"{V3}/step-{n}"), "number": str(n),
                         "title": title, "titleZh": zh, "next": nxt, "points": str(points),
                         "questions": str(questions), "basis": iri("att:derived"), "basisNote": ""})
    assert found == expected


def test_working_paper_version_is_reconstructed(graph: KnowledgeGraph) -> None:
    """No source prints the working paper's version of February 2026: it is rebuilt from the background
    note on the initial revision (CSP12 draft report, Annex 1 t3), so every step of it, and the version
    itself, is reported as reconstructed, with a note naming t3; the Control Arms version is stated
    (CSP11 report p26) and the draft report's derived from its printed layout."""
    steps = rows(graph, "framework-steps", {"framework": V2})
    assert [(r["step"], r["basis"]) for r in steps] == [
        (iri(f"{V2}/step-{n}"), iri("att:reconstructed")) for n in range(1, 7)]
    assert all("annex-1/t3" in r["basisNote"] for r in steps)
    history = {r["version"]: r for r in rows(graph, "flowchart-history")}
    assert {v: (r["basis"], r["dateBasis"]) for v, r in history.items()} == {
        iri(V1): (iri("att:stated"), iri("att:stated")),
        iri(V2): (iri("att:reconstructed"), iri("att:reconstructed")),
        iri(V3): (iri("att:derived"), ""),
    }
    assert "annex-1/t3" in history[iri(V2)]["basisNote"]
    # what the note itself says of the changes is stated
    changes = [r["changeBasis"] for r in rows(graph, "flowchart-history") if r["change"]]
    assert changes == [iri("att:stated")] * 6
    # only the rename of step 4 is stated all the way back; the other lineages rest on the rebuilt steps
    lineage = rows(graph, "flowchart-step-lineage", {"framework": V2})
    assert [(r["step"], r["earlierStep"], r["basis"], r["stepBasis"]) for r in lineage] == [
        *[(iri(f"{V2}/step-{n}"), iri(f"{V1}/step-{n}"),
           iri("att:stated") if n == 4 else iri("att:reconstructed"), iri("att:reconstructed")) for n in range(1, 6)],
        (iri(f"{V2}/step-6"), "", "", iri("att:reconstructed")),
    ]
    assert {r["basis"] for r in rows(graph, "flowchart-step-lineage")} == {iri("att:reconstructed")}
    assert {r["basis"] for r in rows(graph, "framework-steps", {"framework": V1})} == {iri("att:stated")}
    # the JSON-LD of the version carries the statements of its rebuilt triples, those of step 4 and 6 stated
    result = graph.run("framework-jsonld", {"framework": V2})
    statements: dict[str, dict[str, str]] = defaultdict(dict)
    for triple in result.triples():
        statements[str(triple.subject)][triple.predicate.value.removeprefix(PREFIXES["rdf"])] = triple.object.value
    rebuilt = {(s["subject"], s["predicate"], s["object"]) for s in statements.values() if "subject" in s}
    assert sorted(o for _, p, o in rebuilt if p == iri("att:step")) == [iri(f"{V2}/step-{n}") for n in (1, 2, 3, 5)]
    assert (iri(V2), iri("att:firstStep"), iri(f"{V2}/step-1")) in rebuilt


def test_framework_steps_of_inter_agency_cooperation(graph: KnowledgeGraph) -> None:
    """Ten steps (CSP12 draft report, Annex 3), with 6, 3, 6 (+9 nested under the first), 3, 7, 4, 1, 3,
    2 and 4 questions."""
    found = rows(graph, "framework-steps", {"framework": IAC})
    titles = [
        "Assess the needs for inter-agency cooperation and set up a process for developing and adopting it "
        "(including raising awareness among political actors and other decision-makers)",
        "Identify the relevant entities",
        "Define mandates, roles, responsibilities and processes (including the involvement of the ATT national "
        "point of contact)",
        "Designate or establish a lead entity and/or committee",
        "Establish arrangements or mechanisms for coordination, operational cooperation and handling and "
        "exchanging information",
        "Allocate resources and provide for contingencies",
        "Formalise the arrangements in legislation and/or regulatory frameworks",
        "Set out the arrangements in detail as standard operating procedures and/or memoranda of understanding",
        "Train the relevant staff",
        "Review the arrangements regularly",
    ]
    questions = [6, 3, 15, 3, 7, 4, 1, 3, 2, 4]
    assert pick(found, "position", "title", "points", "questions", "next") == [
        (str(n), titles[n - 1], "0", str(questions[n - 1]), iri(f"{IAC}/step-{n + 1}") if n < 10 else "")
        for n in range(1, 11)]
    assert found[1]["titleZh"] == "确定相关实体"


def test_points_and_questions_of_step_3(graph: KnowledgeGraph) -> None:
    """Step 3: the ICRC point, then the three questions to consider (annex-1/step-3/b1, t1/q1-q3)."""
    found = rows(graph, "step-points-and-questions")
    step = f"{V3}/step-3"
    assert pick(found, "kind", "depth", "topPosition", "position", "item", "parent", "textZh") == [
        ("point", "1", "1", "1", iri(f"{step}/point-1"), iri(step),
         "红十字国际委员会建议出口国考虑接收国是否已履行国际法规定的义务，"
         "以及该国采取了哪些措施来防止、终止或惩处严重违反 GBV 和 VAWC 规定的行为。"),
        ("question", "1", "1", "1", iri(f"{step}/question-1"), iri(step), "接收国是否有相关法律来处理这些违规行为？"),
        ("question", "1", "2", "2", iri(f"{step}/question-2"), iri(step), "违规行为是否受到应有惩处？"),
        ("question", "1", "3", "3", iri(f"{step}/question-3"), iri(step),
         "军队、安全部队和警察部队是否接受过关于预防基于性别的暴力行为和暴力侵害妇女和儿童行为的培训？"),
    ]
    assert found[2]["text"] == "Are violations duly punished?"


def test_points_of_step_4_are_nested(graph: KnowledgeGraph) -> None:
    """Step 4: one point with two points indented under it (annex-1/step-4/b1, b1/b1, b1/b2)."""
    step = f"{V3}/step-4"
    found = rows(graph, "step-points-and-questions", {"step": step})
    assert pick(found, "kind", "depth", "position", "item", "parent") == [
        ("point", "1", "1", iri(f"{step}/point-1"), iri(step)),
        ("point", "2", "1", iri(f"{step}/point-1/point-1"), iri(f"{step}/point-1")),
        ("point", "2", "2", iri(f"{step}/point-1/point-2"), iri(f"{step}/point-1")),
    ]
    assert found[1]["textZh"] == "“帮助实施”包括武器可能使侵犯人权行为更容易发生，即使转让的武器/物项并未直接参与其中。"


def test_framework_as_json_ld(graph: KnowledgeGraph) -> None:
    """The CONSTRUCT renders, as JSON-LD, every step, point and question of the flowchart: merged by
    @id and ordered by att:position it gives back the six steps with their 16 points and questions."""
    result = graph.run("framework-jsonld")
    assert len(result.triples()) == 154
    compact = json.loads(result.serialize(graph_format("jsonld")))
    assert set(compact) == {"@context", "@graph"}
    # Read back with rdflib's own JSON-LD parser, which expands the context: the same 154 triples.
    read = Graph().parse(data=json.dumps(compact), format="json-ld")
    assert len(read) == 154
    nodes: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for node in json.loads(read.serialize(format="json-ld")):
        for key, values in node.items():
            if key == "@type":
                nodes[node["@id"]][key].extend({"@id": t} for t in values)
            elif key != "@id":
                nodes[node["@id"]][key].extend(values)
    att = PREFIXES["att"]

    def text(node: str, lang: str) -> str:
        return next(v["@value"] for v in nodes[node][RDFS_LABEL] if v.get("@language") == lang)

    def ordered(node: str, *props: str) -> list[str]:
        children = [v["@id"] for p in props for v in nodes[node].get(att + p, [])]
        return sorted(children, key=lambda c: int(nodes[c][att + "position"][0]["@value"]))

    steps = ordered(iri(V3), "step")
    assert [text(s, "zh") for s in steps] == [zh for _, zh, _, _ in V3_STEPS]
    assert nodes[iri(V3)][att + "firstStep"] == [{"@id": iri(f"{V3}/step-1")}]
    items = {s: [text(i, "en") for i in ordered(s, "hasPoint", "hasQuestion")] for s in steps}
    assert items[iri(f"{V3}/step-3")] == [
        "The ICRC recommends that exporters consider whether the recipient State meets its obligations under "
        "international law and what it does to prevent, stop or punish serious GBV and VAWC violations",
        "Does the recipient State have laws to deal with these violations?",
        "Are violations duly punished?",
        "Are the armed forces, security forces and police trained to prevent GBV and VAWC?",
    ]
    assert items[iri(f"{V3}/step-6")] == [
        "If the exporting State Party finds an overriding risk, it shall not authorize the export"]
    nested = [text(i, "en") for i in ordered(iri(f"{V3}/step-2/point-2"), "hasPoint")]
    assert nested == ["A small number of victims may also suffer serious harm"]
    typed = {n for n, props in nodes.items() if "@type" in props}
    assert len(typed) == 1 + 6 + 16


def test_flowchart_history(graph: KnowledgeGraph) -> None:
    """Three versions: Control Arms' of 26 February 2025 (CSP12 draft report Annex 1 t1), the initial
    revision circulated on 18 February 2026 (p8, p41) and the draft report's own; the changes of the
    initial revision (Annex 1 t3; CSP11 report note 7) and the further revision after the March 2026
    meeting (Annex 1 t3, p42, p57, note 4)."""
    found = rows(graph, "flowchart-history")
    wp, dr = f"{V2}/change", f"{V3}/change"
    assert pick(found, "generation", "version", "date", "previous", "change", "changeType") == [
        ("1", iri(V1), "2025-02-26", "", "", ""),
        ("2", iri(V2), "2026-02-18", iri(V1), iri(f"{wp}-1"), "renamed"),
        ("2", iri(V2), "2026-02-18", iri(V1), iri(f"{wp}-2"), "added"),
        ("2", iri(V2), "2026-02-18", iri(V1), iri(f"{wp}-3"), "moved"),
        ("2", iri(V2), "2026-02-18", iri(V1), iri(f"{wp}-4"), "reworded"),
        ("2", iri(V2), "2026-02-18", iri(V1), iri(f"{wp}-5"), "reworded"),
        ("3", iri(V3), "", iri(V2), iri(f"{dr}-1"), "revised"),
    ]
    steps = {r["change"]: set(r["steps"].split()) for r in found if r["change"]}
    assert steps[iri(f"{wp}-1")] == {iri(f"{V1}/step-4"), iri(f"{V2}/step-4")}
    assert steps[iri(f"{wp}-2")] == {iri(f"{V2}/step-6")}
    assert steps[iri(f"{wp}-3")] == {iri(f"{V1}/step-4"), iri(f"{V1}/step-5"), iri(f"{V2}/step-6")}
    assert steps[iri(f"{dr}-1")] == set()
    units = {r["change"]: set(r["reportedIn"].split()) for r in found if r["change"]}
    assert units[iri(f"{wp}-1")] == {unit("wgeti-csp12-draft-report/annex-1/t3"), unit("wgeti-csp11-report/fn-7")}
    assert units[iri(f"{wp}-4")] == {unit("wgeti-csp12-draft-report/annex-1/t3")}
    assert found[1]["changeLabel"] == (
        "Change: Step 4 renamed from \"determine whether there is an overriding risk\" "
        "to \"assess the potential risk\"")


def test_flowchart_step_lineage(graph: KnowledgeGraph) -> None:
    """Steps 1-5 of the 2026 flowchart continue steps 1-5 of both earlier versions (step 4 renamed);
    step 6 continues only the working paper's added step 6."""
    found = rows(graph, "flowchart-step-lineage")
    expected = []
    for n in range(1, 7):
        if n < 6:
            expected.append((str(n), iri(V1), str(n), iri(f"{V1}/step-{n}")))
        expected.append((str(n), iri(V2), str(n), iri(f"{V2}/step-{n}")))
    assert pick(found, "position", "earlierVersion", "earlierPosition", "earlierStep") == expected
    assert found[6]["earlierTitle"] == (
        "Determine whether there is an \"overriding risk\" that the arms or items to be exported could be used to "
        "commit or facilitate the GBV and VAWC identified")


# ---------------------------------------------------------------------------------------------
# Concepts and the survey
# ---------------------------------------------------------------------------------------------

def test_concepts_of_article_7(graph: KnowledgeGraph) -> None:
    """Concepts of Article 7, by provision: inter-agency cooperation (CSP10 paper p4-p5) and maritime
    security (CSP12 draft report p46) bear on the article; the rest interpret its words (2021 letter,
    Annex A p4-p5 and the survey headings; CSP11 report note 7; CSP12 draft report p15, p50, Annex 1)."""
    found = rows(graph, "concepts-of-article")
    expected = [
        ("article:7", "aboutProvision", "concept:inter-agency-cooperation", "机构间合作"),
        ("article:7", "aboutProvision", "concept:maritime-security", "海上安全"),
        ("provision:7.1", "interprets", "concept:export-assessment", "出口评估"),
        ("provision:7.1.b", "interprets", "concept:facilitate", "有助于"),
        ("provision:7.1.b", "interprets", "concept:seriousness", "严重"),
        ("provision:7.1.b.i", "interprets", "concept:serious-violation-ihl", "严重违反国际人道主义法"),
        ("provision:7.1.b.ii", "interprets", "concept:serious-violation-ihrl", "严重违反国际人权法"),
        ("provision:7.1.b.iv", "interprets", "concept:transnational-organized-crime", "跨国有组织犯罪"),
        ("provision:7.2", "interprets", "concept:export-assessment", "出口评估"),
        ("provision:7.2", "interprets", "concept:mitigation-measures", "缓解措施"),
        ("provision:7.3", "interprets", "concept:export-assessment", "出口评估"),
        ("provision:7.3", "interprets", "concept:overriding-risk", "高于一切的风险"),
        ("provision:7.4", "interprets", "concept:facilitate", "有助于"),
        ("provision:7.4", "interprets", "concept:gender-based-violence", "基于性别的暴力行为"),
        ("provision:7.4", "interprets", "concept:seriousness", "严重"),
        ("provision:7.4", "interprets", "concept:serious-acts-gbv-vawc",
         "基于性别的严重暴力行为或严重暴力侵害妇女和儿童行为"),
        ("provision:7.4", "interprets", "concept:violence-against-women-and-children", "暴力侵害妇女和儿童行为"),
        ("provision:7.7", "interprets", "concept:reassessment-of-authorization", "重新评估已批准许可"),
    ]
    assert pick(found, "provision", "relation", "concept", "labelZh") == [
        (iri(p), rel, iri(c), zh) for p, rel, c, zh in expected]
    assert {r["article"] for r in found} == {iri("article:7")}


def test_concept_links_of_overriding_risk(graph: KnowledgeGraph) -> None:
    """Overriding risk: its broader and related concepts, Article 7(3), the four survey findings (2021
    letter, Annex A, Appendix 2 h12), the flowchart steps and points that apply it, the Voluntary Guide,
    and CSP5's item (i) (2021 letter, Annex A p5 i)."""
    found = rows(graph, "concept-links")
    expected = [
        ("in", "skos:related", "concept:clear-risk"),
        ("in", "skos:related", "concept:export-assessment"),
        ("in", "skos:related", "concept:mitigation-measures"),
        *[("in", "att:aboutConcept", f"finding:key-concepts-2021-overriding-risk-{n}") for n in range(1, 5)],
        ("in", "att:appliesConcept", GUIDE),
        ("in", "att:appliesConcept", V1),
        ("in", "att:appliesConcept", f"{V1}/step-4"),
        ("in", "att:appliesConcept", V3),
        ("in", "att:appliesConcept", f"{V3}/step-6"),
        ("in", "att:appliesConcept", f"{V3}/step-6/point-1"),
        ("in", "att:appliesConcept", V2),
        ("in", "att:appliesConcept", f"{V2}/step-6"),
        ("in", "att:concerns", "recommendation:CSP5-wgeti-2021-letter-i"),
        ("out", "skos:broader", "concept:export-assessment"),
        ("out", "skos:related", "concept:clear-risk"),
        ("out", "skos:related", "concept:mitigation-measures"),
        ("out", "att:interprets", "provision:7.3"),
    ]
    assert pick(found, "direction", "property", "other") == [(d, iri(p), iri(o)) for d, p, o in expected]


def test_survey_figures_for_overriding_risk(graph: KnowledgeGraph) -> None:
    """Overriding risk (2021 letter, Annex A, Appendix 2, h12 b1-b4): 6 case by case, 10 unmitigable
    risk, 8 EU Common Position, 3 clear or substantial risk. No total: the disclaimer (h7 b2) says the counts
    must not be read as "only N of the 20 States Parties that sent submissions"."""
    found = rows(graph, "concept-survey-figures")
    base = "wgeti-2021-letter/annex-A/appendix-2/h12"
    assert pick(found, "position", "finding", "count", "provisions", "units") == [
        (str(n), iri(f"finding:key-concepts-2021-overriding-risk-{n}"), count, iri("provision:7.3"),
         unit(f"{base}/b{n}")) for n, count in enumerate(["6", "10", "8", "3"], start=1)]
    assert "outOf" not in found[0]
    assert graph.query("SELECT ?finding WHERE { ?finding a att:SurveyFinding ; att:outOf ?total }").values() == []
    assert found[1]["label"] == "Overriding risk: States reading it as a risk that cannot be mitigated"


def test_survey_figures_for_facilitate(graph: KnowledgeGraph) -> None:
    """"Facilitate" (h8 b1-b5, about 7(1)(b) and 7(4)): 4, 8, 9, 1, 4."""
    found = rows(graph, "concept-survey-figures", {"concept": "concept:facilitate"})
    provisions = {iri("provision:7.1.b"), iri("provision:7.4")}
    assert [(r["count"], set(r["provisions"].split())) for r in found] == [
        (c, provisions) for c in ["4", "8", "9", "1", "4"]]


def test_survey_totals_by_concept(graph: KnowledgeGraph) -> None:
    """Sums per concept of the survey's counts (Appendix 2 h8-h13): IHRL 9+6+8+2+1+1+1+1, IHL
    11+5+9+1+1+1, overriding risk 6+10+8+3, facilitate 4+8+9+1+4, GBV/VAWC 2+6+8+2+1+1+2+1+1+1,
    knowledge 4+12+4+2+1; with the case-by-case and EU Common Position figures of each."""
    found = rows(graph, "survey-totals-by-concept")
    assert pick(found, "concept", "findings", "mentions", "largest", "caseByCaseStates",
                "euCommonPositionStates") == [
        (iri("concept:serious-violation-ihrl"), "8", "29", "9", "9", "8"),
        (iri("concept:serious-violation-ihl"), "6", "28", "11", "5", "9"),
        (iri("concept:overriding-risk"), "4", "27", "10", "6", "8"),
        (iri("concept:facilitate"), "5", "26", "9", "4", "8"),
        (iri("concept:serious-acts-gbv-vawc"), "10", "25", "8", "6", "8"),
        (iri("concept:knowledge-at-time-of-authorization"), "5", "23", "12", "4", "4"),
    ]


def test_survey_submissions(graph: KnowledgeGraph) -> None:
    """20 States Parties, one regional organisation and three civil society organisations (Appendix 2 t3)."""
    found = rows(graph, "survey-submissions")
    t3 = unit("wgeti-2021-letter/annex-A/appendix-2/t3")
    assert pick(found, "finding", "count", "unit") == [
        (iri("finding:key-concepts-2021-submissions-states-parties"), "20", t3),
        (iri("finding:key-concepts-2021-submissions-regional-organisations"), "1", t3),
        (iri("finding:key-concepts-2021-submissions-civil-society"), "3", t3),
        ("", "24", ""),
    ]
    assert found[3]["label"] == "total"


# ---------------------------------------------------------------------------------------------
# Gaps and proposals
# ---------------------------------------------------------------------------------------------

def test_provisions_of_article_7_without_guidance(graph: KnowledgeGraph) -> None:
    """In Article 7, guidance addresses the article (the Voluntary Guide), 7(2)-(4) (flowchart steps and
    the Guide's parts); 7(1) and its parts and 7(5)-(7) have none yet."""
    found = rows(graph, "provisions-without-guidance")
    keys = ["7.1", "7.1.a", "7.1.b", "7.1.b.i", "7.1.b.ii", "7.1.b.iii", "7.1.b.iv", "7.5", "7.6", "7.7"]
    assert pick(found, "provision", "key") == [(iri(f"provision:{k}"), k) for k in keys]
    assert found[0]["label"] == "Article 7(1)"


def test_provisions_of_article_11_without_guidance(graph: KnowledgeGraph) -> None:
    """Article 11: the diversion papers address the article and 11(2); 11(1) and 11(3)-(6) have none."""
    found = rows(graph, "provisions-without-guidance", {"article": "article:11"})
    assert [r["key"] for r in found] == ["11.1", "11.3", "11.4", "11.5", "11.6"]


def test_proposed_changes_to_the_voluntary_guide(graph: KnowledgeGraph) -> None:
    """Control Arms' proposal (CSP12 draft report Annex 1 t1), Annex 1 adding Annex B, Annex 2 and its
    revised paragraphs 108 (printed 104) and 135, and draft recommendation (d) (p62 d)."""
    found = rows(graph, "proposed-guidance-changes")
    annex2 = "wgeti-csp12-draft-report/annex-2"
    assert pick(found, "target", "proposer") == [
        (iri(GUIDE), iri("document:control-arms-guidance-article-7-4")),
        (iri(GUIDE), iri("document:wgeti-csp12-draft-report-annex-1")),
        (iri(GUIDE), iri("recommendation:CSP12-wgeti-csp12-draft-report-d")),
        (iri(f"{GUIDE}/annex-b"), iri("document:wgeti-csp12-draft-report-annex-1")),
        (iri(f"{GUIDE}/paragraph-108"), iri("document:wgeti-csp12-draft-report-annex-2")),
        (iri(f"{GUIDE}/paragraph-108"), unit(f"{annex2}/p104")),
        (iri(f"{GUIDE}/paragraph-135"), iri("document:wgeti-csp12-draft-report-annex-2")),
        (iri(f"{GUIDE}/paragraph-135"), unit(f"{annex2}/p135")),
    ]
    kinds = {r["proposer"]: r["proposerKind"] for r in found}
    assert kinds[unit(f"{annex2}/p104")] == "NumberedParagraph"
    assert kinds[iri("recommendation:CSP12-wgeti-csp12-draft-report-d")] == "Recommendation"


def test_proposed_changes_to_the_basic_guide(graph: KnowledgeGraph) -> None:
    """Annex 3 and draft recommendation (f) would add the inter-agency steps (CSP12 draft report p62 f)."""
    found = rows(graph, "proposed-guidance-changes", {"document": "document:voluntary-basic-guide"})
    basic = "document:voluntary-basic-guide"
    assert pick(found, "target", "proposer") == [
        (iri(basic), iri("document:wgeti-csp12-draft-report-annex-3")),
        (iri(basic), iri("recommendation:CSP12-wgeti-csp12-draft-report-f")),
        (iri(f"{basic}/inter-agency-cooperation"), iri("document:wgeti-csp12-draft-report-annex-3")),
    ]


# ---------------------------------------------------------------------------------------------
# Article 7(4): one query for everything
# ---------------------------------------------------------------------------------------------

#: The units of the five sources that cite Article 7(4), in any of its printed forms (第7.4条,
#: 第7条第4款, 第 7 条第(4)款, (7.4)), by source and line.
UNITS_CITING_7_4 = [
    ("csp10-interagency-wp", 64, "p9"),
    ("wgeti-2021-letter", 81, "annex-A/p3"),
    ("wgeti-2021-letter", 87, "annex-A/p5/i"),
    ("wgeti-2021-letter", 88, "annex-A/p5/ii"),
    ("wgeti-2021-letter", 159, "annex-A/appendix-2/h8"),
    ("wgeti-2021-letter", 201, "annex-A/appendix-2/h11"),
    ("wgeti-csp11-report", 122, "p26"),
    ("wgeti-csp11-report", 128, "p29"),
    ("wgeti-csp11-report", 174, "p42"),
    ("wgeti-csp11-report", 192, "p46/e"),
    ("wgeti-csp11-report", 193, "p46/f"),
    ("wgeti-csp12-draft-report", 15, "p2/b1"),
    ("wgeti-csp12-draft-report", 16, "p2/b2"),
    ("wgeti-csp12-draft-report", 140, "p40"),
    ("wgeti-csp12-draft-report", 146, "p41"),
    ("wgeti-csp12-draft-report", 223, "p62/d"),
    ("wgeti-csp12-draft-report", 233, "annex-1/title"),
    ("wgeti-csp12-draft-report", 237, "annex-1/t1"),
    ("wgeti-csp12-draft-report", 306, "annex-2/title"),
    ("wgeti-csp12-draft-report", 308, "annex-2/t1"),
    ("wgeti-csp12-draft-report", 310, "annex-2/p104"),
    ("wgeti-csp12-draft-report", 314, "annex-2/fn-1"),
]


def test_everything_linked_to_article_7_4(graph: KnowledgeGraph) -> None:
    """Article 7(4): guidance documents and the Voluntary Guide's parts, the three flowcharts and their
    steps, the five concepts that interpret it, the recommendations that concern it (CSP5 items i-iv,
    2021 letter Annex A p5; CSP11 e-f; CSP12 draft d), the survey findings about it (Appendix 2 h8, h11),
    the discrepancies about it and the 22 source units that cite it."""
    found = rows(graph, "provision-links")
    by_kind: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in found:
        by_kind[row["kind"]].append((row["container"], row["order"], row["resource"]))
    assert list(by_kind) == ["1 guidance document", "2 guidance annex", "2 guidance box",
                             "2 guidance guidanceparagraph", "3 framework", "4 framework step", "5 concept",
                             "6 recommendation", "7 survey finding", "8 discrepancy", "9 source unit"]
    assert [r for _, _, r in by_kind["1 guidance document"]] == [iri(d) for d in [
        "document:control-arms-2022-gbv-risk-assessment-guide", "document:control-arms-2022-gender-action-plan",
        "document:control-arms-guidance-article-7-4", "document:preventing-gbv-through-att-2017",
        "document:reference-documents-risk-assessment", GUIDE, "document:voluntary-guide-art-6-7-gbv-fact-sheet",
        "document:wilpf-2016-preventing-gbv-through-arms-control"]]
    assert by_kind["2 guidance annex"] == [(iri(GUIDE), "", iri(f"{GUIDE}/annex-b"))]
    assert by_kind["2 guidance box"] == [(iri(GUIDE), str(n), iri(f"{GUIDE}/box-{n}")) for n in GUIDE_BOXES]
    assert by_kind["2 guidance guidanceparagraph"] == [
        (iri(GUIDE), str(n), iri(f"{GUIDE}/paragraph-{n}")) for n in GUIDE_PARAGRAPHS]
    assert [r for _, _, r in by_kind["3 framework"]] == [iri(V1), iri(V3), iri(V2)]
    assert by_kind["4 framework step"] == [
        (iri(v), str(n), iri(f"{v}/step-{n}")) for v, last in ((V1, 5), (V3, 6), (V2, 6)) for n in range(1, last + 1)]
    assert [r for _, _, r in by_kind["5 concept"]] == [iri(c) for c in [
        "concept:facilitate", "concept:gender-based-violence", "concept:serious-acts-gbv-vawc",
        "concept:seriousness", "concept:violence-against-women-and-children"]]
    assert [(c, r) for c, _, r in by_kind["6 recommendation"]] == [(iri(s), iri(r)) for s, r in [
        ("session:CSP11", "recommendation:CSP11-wgeti-csp11-report-e"),
        ("session:CSP11", "recommendation:CSP11-wgeti-csp11-report-f"),
        ("session:CSP12", "recommendation:CSP12-wgeti-csp12-draft-report-d"),
        ("session:CSP5", "recommendation:CSP5-wgeti-2021-letter-i"),
        ("session:CSP5", "recommendation:CSP5-wgeti-2021-letter-ii"),
        ("session:CSP5", "recommendation:CSP5-wgeti-2021-letter-iii"),
        ("session:CSP5", "recommendation:CSP5-wgeti-2021-letter-iv")]]
    assert by_kind["7 survey finding"] == [
        *[(iri("concept:facilitate"), str(n), iri(f"finding:key-concepts-2021-facilitate-{n}")) for n in range(1, 6)],
        *[(iri("concept:serious-acts-gbv-vawc"), str(n), iri(f"finding:key-concepts-2021-gbv-vawc-{n}"))
          for n in range(1, 11)]]
    mine = {iri(f"discrepancy:{d}") for d in ["control-arms-flowchart-presentation-date", "flowchart-2026-step-5-girls",
                                              "key-concepts-survey-human-rights-record",
                                              "original-flowchart-women-and-girls",
                                              "voluntary-guide-paragraph-108-or-104"]}
    assert mine <= {r for _, _, r in by_kind["8 discrepancy"]}
    assert by_kind["9 source unit"] == [
        (iri(f"source:{key}"), str(line), unit(f"{key}/{path}")) for key, line, path in UNITS_CITING_7_4]
    assert {r["provision"] for r in found} == {iri("provision:7.4")}


# ---------------------------------------------------------------------------------------------
# Ordered lists
# ---------------------------------------------------------------------------------------------

def test_diversion_risk_assessment_elements(graph: KnowledgeGraph) -> None:
    """Five elements, in order (2021 letter, Annex C, Appendix 2 p1-p5); the paper CSP7 endorsed grew
    from this draft (CSP10 paper endnote 4)."""
    found = rows(graph, "diversion-risk-assessment-elements")
    paper = "document:wgeti-2021-letter-annex-C-appendix-2"
    assert pick(found, "position", "element", "labelZh", "unit", "endorsedVersion") == [
        (str(n), iri(f"{paper}/element-{n}"), zh, unit(f"wgeti-2021-letter/annex-C/appendix-2/p{n}"),
         iri("document:elements-diversion-risk-assessment")) for n, zh in enumerate([
            "最终用户证书（EUC）在防止和解决转用方面的重要性",
            "在信息共享方面开展国际合作的重要性",
            "在出口管制薄弱的国家提高认识",
            "私营部门作为转让中重要环节的重要性",
            "民间社会和非政府组织在防止转用方面发挥着重要作用",
        ], start=1)]
    assert set(found[3]["concepts"].split()) == {iri("concept:industry-outreach"),
                                                 iri("concept:internal-compliance-programme")}


def test_transfer_chain_stages(graph: KnowledgeGraph) -> None:
    """Before, during, at or after import (2021 letter, Annex C p3/1-3); stage 1 in two parts, import
    documentation and assessing diversion risk (Appendix 2 t4-t5), the latter with seven guiding questions
    (Appendix 1 t2)."""
    found = rows(graph, "transfer-chain-stages")
    plan = "document:wgeti-swg-art11-multi-year-workplan-2021"
    assert pick(found, "stagePosition", "stage", "partPosition", "part", "questions") == [
        ("1", iri(f"{plan}/stage-1"), "1", iri(f"{plan}/stage-1/part-1"), "0"),
        ("1", iri(f"{plan}/stage-1"), "2", iri(f"{plan}/stage-1/part-2"), "7"),
        ("2", iri(f"{plan}/stage-2"), "", "", "0"),
        ("3", iri(f"{plan}/stage-3"), "", "", "0"),
    ]
    assert [r["stageLabel"] for r in found[1:]] == [
        "Article 11 workplan, stage 1: before the transfer",
        "Article 11 workplan, stage 2: during the transfer",
        "Article 11 workplan, stage 3: at or after import / after delivery",
    ]


def test_inter_agency_challenges(graph: KnowledgeGraph) -> None:
    """Eleven challenges, in order (CSP10 paper p8 b1-b11)."""
    found = rows(graph, "inter-agency-challenges")
    assert pick(found, "position", "challenge", "unit") == [
        (str(n), iri(f"document:csp10-interagency-wp/challenges/{n}"), unit(f"csp10-interagency-wp/p8/b{n}"))
        for n in range(1, 12)]
    assert found[3]["labelZh"] == "不同政府实体之间权力和影响力或“制定议程的能力”存在差异"
    assert found[10]["label"] == "Entities involved where they need not be, and absent where they are needed"


def test_working_paper_questions(graph: KnowledgeGraph) -> None:
    """The CSP10 paper's ten questions (p16/1-10), the special-discussion issues on maritime security
    (CSP12 draft report p46 i-iv), the Article 11 workplan's seven (2021 letter Annex C Appendix 1 t2) and
    the Article 9 workplan's three and four (Annex B Appendix 1 t1, t3)."""
    found = rows(graph, "working-paper-questions")
    lists = [("document:csp10-interagency-wp/questions", 10),
             ("document:wgeti-csp12-draft-report/special-discussion-issues/1", 4),
             ("document:wgeti-swg-art11-multi-year-workplan-2021/stage-1/part-2", 7),
             ("document:wgeti-swg-art9-multi-year-workplan/topic-1", 3),
             ("document:wgeti-swg-art9-multi-year-workplan/topic-2", 4)]
    assert pick(found, "list", "position") == [(iri(name), str(n)) for name, count in lists
                                               for n in range(1, count + 1)]
    assert found[0]["textZh"] == "机构间合作是否在贵国批准或加入《条约》的过程中发挥作用？"
    assert found[13]["text"] == "Needs for capacity building, technical assistance and regional cooperation"
    assert found[26]["textZh"] == "船旗国的一般义务和作用是什么？"


def test_list_items_of_the_special_discussion_issues(graph: KnowledgeGraph) -> None:
    """Three issues raised before CSP12 (CSP12 draft report p45 b1-b3), the first with the four issues
    the Small Arms Survey put to the working group (p46)."""
    name = "document:wgeti-csp12-draft-report/special-discussion-issues"
    found = rows(graph, "list-items", {"list": name})
    first = f"{name}/1"
    assert pick(found, "topPosition", "depth", "position", "item") == [
        ("1", "1", "1", iri(first)),
        *[("1", "2", str(n), iri(f"{first}/question-{n}")) for n in range(1, 5)],
        ("2", "1", "2", iri(f"{name}/2")),
        ("3", "1", "3", iri(f"{name}/3")),
    ]
    assert set(found[0]["units"].split()) == {unit("wgeti-csp12-draft-report/p45/b1"),
                                              unit("wgeti-csp12-draft-report/p46")}
    assert found[6]["text"] == "Reassessing authorized arms transfers under Article 7(7) (raised by Control Arms)"


def test_list_items_default_is_the_challenges(graph: KnowledgeGraph) -> None:
    """Without a parameter the list is the CSP10 paper's eleven challenges (p8)."""
    found = rows(graph, "list-items")
    assert [r["item"] for r in found] == [iri(f"document:csp10-interagency-wp/challenges/{n}") for n in range(1, 12)]
    assert {r["depth"] for r in found} == {"1"}
