"""The segmenter on the five real source documents: counts, exact units, every kind of mess."""

from __future__ import annotations

from collections import Counter

import pytest

from attgraph.ingest.segment import KINDS, SegmentationError, Unit, clean_inline, segment

LETTER = "wgeti-2021-letter"
CSP12 = "wgeti-csp12-draft-report"
DIEF = "dief-csp7-report"
CSP11 = "wgeti-csp11-report"
CSP10 = "csp10-interagency-wp"

NUMBERED_PARAGRAPHS = {LETTER: 26, CSP12: 64, DIEF: 15, CSP11: 46, CSP10: 16}

KIND_COUNTS = {
    LETTER: {"annex": 3, "appendix": 5, "bullet": 47, "footnote": 3, "heading": 33, "paragraph": 26,
             "question": 8, "row": 4, "subitem": 7, "table": 1, "text": 41, "title": 8},
    CSP12: {"annex": 3, "bullet": 27, "footnote": 6, "heading": 28, "paragraph": 64, "question": 42,
            "step": 16, "subitem": 12, "text": 6, "title": 4},
    DIEF: {"footnote": 1, "heading": 5, "paragraph": 15, "subitem": 3, "text": 2, "title": 1},
    CSP11: {"annex": 1, "bullet": 12, "footnote": 9, "heading": 17, "paragraph": 46, "subitem": 13,
            "text": 2, "title": 2},
    CSP10: {"bullet": 26, "endnote": 12, "heading": 4, "paragraph": 16, "question": 10, "title": 1},
}


def text_of(units: dict[str, dict[str, Unit]], key: str, path: str) -> str:
    return units[key][path].text


# ---------------------------------------------------------------------------------------------
# Counts and structure, every document
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(NUMBERED_PARAGRAPHS))
def test_numbered_paragraph_count(segmented: dict[str, list[Unit]], key: str) -> None:
    assert sum(unit.kind == "paragraph" for unit in segmented[key]) == NUMBERED_PARAGRAPHS[key]


@pytest.mark.parametrize("key", sorted(KIND_COUNTS))
def test_units_per_kind(segmented: dict[str, list[Unit]], key: str) -> None:
    assert dict(sorted(Counter(unit.kind for unit in segmented[key]).items())) == KIND_COUNTS[key]


def test_paragraph_numbers_of_the_csp12_report(segmented: dict[str, list[Unit]]) -> None:
    paths = [unit.path for unit in segmented[CSP12] if unit.kind == "paragraph"]
    assert paths == [f"p{n}" for n in range(1, 63)] + ["annex-2/p104", "annex-2/p135"]


def test_paragraph_numbering_restarts_in_each_annex_and_appendix(segmented: dict[str, list[Unit]]) -> None:
    paths = [unit.path for unit in segmented[LETTER] if unit.kind == "paragraph"]
    assert paths == (
        ["p1", "p2", "p3"]
        + [f"annex-A/p{n}" for n in range(1, 9)]
        + ["annex-B/p1", "annex-B/p2", "annex-B/p3"]
        + [f"annex-C/p{n}" for n in range(1, 8)]
        + [f"annex-C/appendix-2/p{n}" for n in range(1, 6)]
    )


@pytest.mark.parametrize("key", sorted(NUMBERED_PARAGRAPHS))
def test_structure_invariants(segmented: dict[str, list[Unit]], key: str) -> None:
    found = segmented[key]
    paths = [unit.path for unit in found]
    assert len(paths) == len(set(paths)), "paths are unique"
    assert [unit.order for unit in found] == list(range(len(found))), "order is 0, 1, 2 …"
    assert all(unit.kind in KINDS for unit in found)
    assert all(unit.source_key == key for unit in found)
    known = set(paths)
    for unit in found:
        expected_parent = unit.path.rsplit("/", 1)[0] if "/" in unit.path else None
        assert unit.parent == expected_parent, unit.path
        assert unit.parent is None or unit.parent in known, unit.path
        assert all(note in known for note in unit.notes), unit.path
    lines = [unit.line for unit in found]
    assert lines == sorted(lines), "units start in file order"


@pytest.mark.parametrize("key", sorted(NUMBERED_PARAGRAPHS))
def test_segmenting_twice_gives_the_same_units(texts: dict[str, str], segmented: dict[str, list[Unit]],
                                               key: str) -> None:
    assert segment(texts[key], key) == segmented[key]


@pytest.mark.parametrize("key", sorted(NUMBERED_PARAGRAPHS))
def test_no_markdown_debris_left(segmented: dict[str, list[Unit]], key: str) -> None:
    for unit in segmented[key]:
        for debris in ("](", "**", "\\", "<sup>", "####", "*"):
            assert debris not in unit.text, (unit.path, debris)
        assert not any(char in unit.text for char in "⁰¹²³⁴⁵⁶⁷⁸⁹"), unit.path


@pytest.mark.parametrize("key", sorted(NUMBERED_PARAGRAPHS))
def test_every_note_is_called_exactly_once(segmented: dict[str, list[Unit]], key: str) -> None:
    notes = [unit.path for unit in segmented[key] if unit.kind in ("footnote", "endnote")]
    calls = [note for unit in segmented[key] for note in unit.notes]
    assert sorted(calls) == sorted(notes)


# ---------------------------------------------------------------------------------------------
# Title blocks
# ---------------------------------------------------------------------------------------------


def test_title_blocks(units: dict[str, dict[str, Unit]]) -> None:
    assert text_of(units, LETTER, "title") == "2021年3月31日\n有效执行条约工作组发布\n原文：英文"
    assert text_of(units, CSP12, "title") == (
        "《武器贸易条约》\n第十二届缔约国会议\n2026年8月24日至28日，日内瓦\n"
        "《武器贸易条约》有效执行条约工作组 主席向第十二届缔约国会议提交的报告\n草案"
    )
    assert text_of(units, CSP11, "title") == (
        "《武器贸易条约》\n第十一届缔约国会议\n2025年8月25日至29日，日内瓦\n"
        "《武器贸易条约》有效执行条约工作组主席\n向第十一届缔约国会议提交的报告"
    )
    assert text_of(units, CSP10, "title") == (
        "2024年2月9日\n发布：第十届缔约国会议主席\n原文：英文\n《武器贸易条约》\n第十届缔约国会议\n"
        "2024年8月19日至23日，日内瓦\n《武器贸易条约》第十届缔约国会议主席提交的工作文件草案\n"
        "机构间合作在有效执行《武器贸易条约》条款方面的作用"
    )
    assert units[CSP10]["title"].line == 5


def test_footnote_called_by_a_bare_digit_in_the_dief_title(units: dict[str, dict[str, Unit]]) -> None:
    """``主席1向`` in the DIEF title: the digit is the call of footnote 1, not part of the title."""
    title = units[DIEF]["title"]
    assert title.text == (
        "2021 年 7 月 16 日\n签发：转用信息交流论坛\n原文：英文\n《武器贸易条约》\n第七次缔约国会议\n"
        "日内瓦，2021年8月30日至9月3日\n《武器贸易条约》转用信息交流论坛\n主席向第七次缔约国会议提交的报告"
    )
    assert title.notes == ("fn-1",)
    assert text_of(units, DIEF, "fn-1") == "转用信息交流论坛的现任主席是比利时的 Tom NIJS 先生。"


# ---------------------------------------------------------------------------------------------
# The 2021 letter: table, footnotes, annexes, appendices
# ---------------------------------------------------------------------------------------------


def test_letter_salutation_is_its_own_unit(units: dict[str, dict[str, Unit]]) -> None:
    assert text_of(units, LETTER, "t1") == "各位，"
    assert text_of(units, LETTER, "t9") == "此致，"
    assert text_of(units, LETTER, "t10") == "Sang-beom LIM 大使\n大韩民国常驻联合国副代表\nATT 有效执行条约工作组主席"


def test_letter_numbered_list_with_sup_calls_and_bold(units: dict[str, dict[str, Unit]]) -> None:
    """``**Ignacio SÁNCHEZ DE LERÍN** 担任协调人<sup>1</sup>；``: bold and the call go, the link stays."""
    p1 = units[LETTER]["p1"]
    assert p1.text == (
        "第6条和第7条（禁止以及出口和出口评估）将由西班牙大使、西班牙常驻裁军谈判会议代表 "
        "Ignacio SÁNCHEZ DE LERÍN 担任协调人；"
    )
    assert (p1.number, p1.notes, p1.line) == ("1", ("fn-1",), 20)
    assert units[LETTER]["p2"].notes == ("fn-2",)
    assert units[LETTER]["p3"].notes == ("fn-3",)


def test_letter_footnote_bodies_lost_in_conversion(units: dict[str, dict[str, Unit]]) -> None:
    """The letter's footnotes print as ``1``, ``2。``, ``3。`` after a ``---`` rule."""
    notes = [(u.path, u.number, u.text, u.line) for u in units[LETTER].values() if u.kind == "footnote"]
    assert notes == [("fn-1", "1", "", 36), ("fn-2", "2", "。", 38), ("fn-3", "3", "。", 40)]


def test_letter_timetable(units: dict[str, dict[str, Unit]]) -> None:
    table = units[LETTER]["table-1"]
    assert (table.kind, table.number, table.text) == ("table", "1", "表 1.WGETI 工作分组会议的时间表（2021 年 4 月）")
    rows = [(u.path, u.text) for u in units[LETTER].values() if u.kind == "row"]
    assert rows == [
        ("table-1/row-1", "\t4 月 26 日，星期一\t4 月 27 日，星期二\t4 月 28 日，星期三"),
        ("table-1/row-2",
         "12:00 – 13:00\t专题讨论 (主席的主题)\tWGETI 第 9 条工作分组\tWGETI 第 11 条工作分组"),
        ("table-1/row-3",
         "13:00 – 14:00\tWGETI 第 6 和第 7 条工作 分组\tWGETI 第 9 条工作分组\tWGETI 第 11 条工作分组"),
        ("table-1/row-4", "14:00 – 15:00\tWGETI 第 6 和第 7 条工作 分组\tWGTU\tWGTR"),
    ]


def test_letter_table_of_contents(units: dict[str, dict[str, Unit]]) -> None:
    entries = [u.path for u in units[LETTER].values() if u.parent == "toc"]
    assert entries == [f"toc/{n}" for n in range(1, 9)]
    assert text_of(units, LETTER, "toc/2") == (
        "附录 1.2021 年 4 月 26 日第 6 条和第 7 条（禁止以及出口和出口评估）工作分组会议议程草案"
        "（多年工作计划摘录）.....\t6"
    )


def test_annex_title_from_bold_hard_broken_lines(units: dict[str, dict[str, Unit]]) -> None:
    annex = units[LETTER]["annex-A"]
    assert (annex.kind, annex.number, annex.text, annex.parent) == ("annex", "A", "附件 A", None)
    assert text_of(units, LETTER, "annex-A/title") == (
        "第 6 条和第 7 条工作分组工作计划\n2021 年 4 月 26 日，星期一，13:00-15:00")
    assert text_of(units, LETTER, "annex-A/h1") == "介绍"


def test_glued_bold_runs_split_into_title_and_heading(units: dict[str, dict[str, Unit]]) -> None:
    """``…12:00-14:00****介绍**`` (Annex C): the annex title ends, the heading 介绍 begins."""
    assert text_of(units, LETTER, "annex-C/title") == (
        "第 11 条（转用）工作分组工作计划\n2021 年 4 月 29 日，星期三，12:00-14:00")
    heading = units[LETTER]["annex-C/h1"]
    assert (heading.kind, heading.text, heading.line) == ("heading", "介绍", 283)


def test_link_to_nowhere_keeps_its_text(units: dict[str, dict[str, Unit]]) -> None:
    """``（[ATT/CSP5/2019/SEC/536/Conf.FinRep.Rev1](#)）presented by …`` in Annex A ¶1."""
    assert text_of(units, LETTER, "annex-A/p1") == (
        "有效执行条约工作组（WGETI）的第一任主席是瑞士的Sabrina DALLAFIOR大使，在2018年1月的第四次武器贸易条约（ATT）"
        "缔约国会议（CSP4）的筹备期间成立了第6条和第7条（禁止以及出口和出口评估）工作分组，并任命瑞典为该工作分组CSP4和"
        "CSP5的前期工作提供便利。该工作分组在头两年的工作中取得了重大进展，并确定了许多需要推进的领域（参见向第五次缔约国"
        "会议（CSP5）提交的报告的第22（c）段（ATT/CSP5/2019/SEC/536/Conf.FinRep.Rev1）presented by the Chair of the "
        "WGETI to CSP5）。"
    )


def test_roman_sub_items(units: dict[str, dict[str, Unit]]) -> None:
    items = [(u.path, u.number) for u in units[LETTER].values() if u.parent == "annex-A/p5"]
    assert items == [("annex-A/p5/i", "i"), ("annex-A/p5/ii", "ii"), ("annex-A/p5/iii", "iii"),
                     ("annex-A/p5/iv", "iv")]
    assert text_of(units, LETTER, "annex-A/p5/ii") == (
        "鼓励缔约国在第7条第4款的范围内提供有关“缓解措施”的本国做法方面的信息：这些措施是什么以及如何执行。"
    )


def test_appendix_with_title_block(units: dict[str, dict[str, Unit]]) -> None:
    appendix = units[LETTER]["annex-A/appendix-1"]
    assert (appendix.kind, appendix.number, appendix.text, appendix.parent) == ("appendix", "1", "附录 1", "annex-A")
    assert text_of(units, LETTER, "annex-A/appendix-1/title") == (
        "会议议程草案\n第 6 和第 7 条工作分组\n(禁止以及出口和出口评估)\n(多年工作计划摘录)\n2021 年 4 月 26 日"
    )
    headings = [u.text for u in units[LETTER].values() if u.parent == "annex-A/appendix-1" and u.kind == "heading"]
    assert headings == ["话题 4：解读关键概念", "协调人汇报", "公开讨论"]


def test_appendix_labelled_on_one_line_with_numbered_list(units: dict[str, dict[str, Unit]]) -> None:
    appendix = units[LETTER]["annex-C/appendix-2"]
    assert appendix.text == "附录2. 转用风险评估流程组成要素的说明文件草案"
    assert "annex-C/appendix-2/title" not in units[LETTER]
    assert text_of(units, LETTER, "annex-C/appendix-2/t1") == "(基于2020年2月5日WGETI第11条工作分组会议期间的讨论)"
    assert text_of(units, LETTER, "annex-C/appendix-2/p3") == (
        "在出口管制薄弱的国家提高认识。就能够从事武器出口的公司维持一个全国登记簿，相关公司必须在登记后才能申请出口许可证。"
        "提供专家培训。应鼓励举办关于信息共享程序和标准的讲习班和培训，并出版自愿手册和指南或指导方针。"
    )
    last = units[LETTER]["annex-C/appendix-2/t9"]
    assert (last.parent, last.line) == ("annex-C/appendix-2", 368)


def test_numbering_restarting_inside_a_paragraph(units: dict[str, dict[str, Unit]]) -> None:
    """Annex C: ``3. …三个部分：`` then ``1. 转让前`` ``2.`` ``3.``, then ``4.`` is paragraph 4 again."""
    items = [(u.path, u.kind, u.text) for u in units[LETTER].values() if u.parent == "annex-C/p3"]
    assert items == [("annex-C/p3/1", "subitem", "转让前"), ("annex-C/p3/2", "subitem", "转让期间"),
                     ("annex-C/p3/3", "subitem", "进口时或进口后/交货后")]
    assert units[LETTER]["annex-C/p4"].kind == "paragraph"


def test_bullets_cut_by_a_page_break(units: dict[str, dict[str, Unit]]) -> None:
    """Annex A, Appendix 2: ``…而是对整个`` / (page break) / ``工作作了一般性评论。…``."""
    assert text_of(units, LETTER, "annex-A/appendix-2/h7/b2") == (
        "还请注意，某个缔约国在其文稿中没有提及某个概念的一个或多个要素，并不意味着该缔约国没有在其评估中考虑该要素。"
        "此外，一些提交了文稿的缔约国没有提供有关其国家做法的信息，而是对整个工作作了一般性评论。因此，本报告中提供的"
        "统计信息不应被理解为本报告表明（例如）“在评估是否可能会使用武器或物品犯下或有助于犯下严重违反国际人权法、"
        "严重违反国际人道主义法的行为时，在提交文稿的 20 个缔约国中只有 11 个提到了国际人道法公约”。"
    )
    assert units[LETTER]["annex-A/appendix-2/h7/b3"].line == 157


def test_findings_under_markdown_headings(units: dict[str, dict[str, Unit]]) -> None:
    """``#### **“有助于”(7.1.b(i-iv) / ( 7.4.))**`` and its findings; ``— (01)`` is ``- 一 (01)``."""
    assert text_of(units, LETTER, "annex-A/appendix-2/h8") == "“有助于”(7.1.b(i-iv) / ( 7.4.))"
    findings = [u.text for u in units[LETTER].values() if u.parent == "annex-A/appendix-2/h8"]
    assert findings == [
        "四 (04) 个缔约国逐案考虑了该要素。",
        "八 (08) 个缔约国考虑了欧盟理事会共同立场 2008/944 CFSP。",
        "九个 (09) 缔约国考虑了武器更容易获取是否会促成违法行为，或者是否会使用武器犯下违反国际人道法的行为，"
        "或者现有武器是否对违法行为非常有帮助，或者现有武器是否有助于带来负面结果。",
        "一 (01) 个缔约国提及《国际刑事法院罗马规约》第 25 条第 3 款 (c) 项（关于个人刑事责任的条款）。",
        "四 (04) 个缔约国考虑了武器是否使违法变得更容易，包括通过恐吓手段。",
    ]


def test_agenda_questions_under_a_text(units: dict[str, dict[str, Unit]]) -> None:
    questions = [(u.path, u.kind, u.text) for u in units[LETTER].values()
                 if u.parent == "annex-B/appendix-1/t1"]
    assert questions == [
        ("annex-B/appendix-1/t1/q1", "question", "缔约国如何在其国家实践中使用“过境”一词？"),
        ("annex-B/appendix-1/t1/q2", "question", "缔约国如何在其国家实践中使用“转运”一词？"),
        ("annex-B/appendix-1/t1/q3", "question", "缔约国的国家治理体系是否对“过境”和“转运”采用相同的规定？"),
    ]


def test_separators_make_no_units(texts: dict[str, str], segmented: dict[str, list[Unit]]) -> None:
    separator_lines = {no for no, line in enumerate(texts[LETTER].splitlines(), 1) if line.strip() == r"\*\*\*"}
    assert separator_lines == {100, 120, 231, 248, 278, 307, 334, 370}
    assert not {unit.line for unit in segmented[LETTER]} & separator_lines


# ---------------------------------------------------------------------------------------------
# The CSP12 draft report: page breaks with footnotes, steps, annex footnotes
# ---------------------------------------------------------------------------------------------


def test_paragraph_cut_by_a_page_break_with_a_footnote_between(units: dict[str, dict[str, Unit]]) -> None:
    """¶40 ``…各代表团还强调了`` / footnote ¹ / ``除执行第 7 条第(4)款外，…``; the call is in ¶36."""
    assert text_of(units, CSP12, "p40") == (
        "对此，各代表团表示欢迎该工作计划以及为加强促进性别平等的条约执行工作所采取的务实、全面的方法，"
        "该方法也可纳入预期的《武器贸易条约》五年战略中。各代表团还强调了除执行第 7 条第(4)款外，"
        "扩大参与广泛程度、加强区域联系以及与妇女网络和议员合作的重要性。"
    )
    footnote = units[CSP12]["fn-1"]
    assert (footnote.kind, footnote.number, footnote.line) == ("footnote", "1", 142)
    assert footnote.text == (
        "请注意，这已经是关于人权尽职调查的初步讨论和陈述中得出的关键结论之一，参阅ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs。"
    )
    assert units[CSP12]["p36"].notes == ("fn-1",)
    assert "并行义务。各代表团还强调了产业界行为体" in text_of(units, CSP12, "p36")


def test_paragraph_cut_by_a_page_break_with_two_footnotes_between(units: dict[str, dict[str, Unit]]) -> None:
    """¶59 ``…关于国家联`` / footnotes ³ ⁴ / ``络点的关键要素时…``; ¶58 stays cut (its end is lost)."""
    assert text_of(units, CSP12, "p59") == (
        "关于发展或加强机构间合作，主席根据有限的发言情况总结称，各代表团同意所提议的方法，"
        "即将一套可能采取的步骤和问题纳入《自愿基本指南》，并在工作组讨论关于国家联络点的关键要素时，"
        "考虑就机构间合作提供可能的指导。拟议指导内容未作任何修改，作为附件 3 提交，供各代表团审议。"
        "展望未来，主席认为应在更广泛的议题项目中考虑机构间合作问题，以便能够审查建立国家联络点"
        "和规范《条约》范围内不同转让活动的已确定关键要素。"
    )
    assert text_of(units, CSP12, "p58").endswith("特别关注了基于性别的暴力行为和暴力侵害妇女和儿童行为的")
    assert units[CSP12]["p56"].notes == ("fn-3",)
    assert units[CSP12]["p57"].notes == ("fn-4",)


def test_paragraph_cut_mid_word(units: dict[str, dict[str, Unit]]) -> None:
    """¶11 ``…他还强调了缔`` / ``约国之间加强信息共享…``."""
    text = text_of(units, CSP12, "p11")
    assert "他还强调了缔约国之间加强信息共享的重要性，特别是在中介和转用案件方面" in text
    assert text.endswith("以及通过有针对性的国际合作和援助解决能力差距的必要性。")


def test_bullets_from_empty_links(units: dict[str, dict[str, Unit]]) -> None:
    bullets = [u.text for u in units[CSP12].values() if u.parent == "p2"]
    assert bullets == [
        "附件1：关于在《执行〈武器贸易条约〉第6条和第7条的自愿指南》中纳入执行第7条第(4)款的拟议补充指导（4页）",
        "附件2：关于《执行〈武器贸易条约〉第6条和第7条的自愿指南》中涉及执行第7条第(4)款内容的拟议修订（1页）",
        "附件3：发展或加强机构间合作的可能步骤和问题（3页）",
    ]
    assert units[CSP12]["h2"].text == "背景"


def test_escaped_brackets_in_link_text(units: dict[str, dict[str, Unit]]) -> None:
    """``[关于执行《武器贸易条约》第 7 条第\\(4\\)款的指南](#)`` in Annex 1."""
    assert "武器控制组织（Control Arms）作了题为“关于执行《武器贸易条约》第 7 条第(4)款的指南”报告" in text_of(
        units, CSP12, "annex-1/t1")


def test_lettered_sub_items_of_the_recommendations(units: dict[str, dict[str, Unit]]) -> None:
    items = [u.number for u in units[CSP12].values() if u.parent == "p62"]
    assert items == list("abcdefghi")
    assert text_of(units, CSP12, "p62/h") == "鼓励在工作分组讨论的议题中，考虑与海上安全相关的方面。"


def test_steps_with_bullets_and_questions(units: dict[str, dict[str, Unit]]) -> None:
    step = units[CSP12]["annex-1/step-3"]
    assert (step.kind, step.number, step.parent, step.line) == ("step", "第3步", "annex-1", 271)
    assert step.text == "确定接收国是否正采取有效行动来防止基于性别的暴力行为和暴力侵害妇女和儿童的行为。"
    children = [(u.path, u.kind) for u in units[CSP12].values() if u.parent == "annex-1/step-3"]
    assert children == [("annex-1/step-3/b1", "bullet"), ("annex-1/step-3/t1", "text")]
    assert text_of(units, CSP12, "annex-1/step-3/b1") == (
        "红十字国际委员会建议出口国考虑接收国是否已履行国际法规定的义务，"
        "以及该国采取了哪些措施来防止、终止或惩处严重违反 GBV 和 VAWC 规定的行为。"
    )
    assert text_of(units, CSP12, "annex-1/step-3/t1") == "可以考虑的问题："
    questions = [u.text for u in units[CSP12].values() if u.parent == "annex-1/step-3/t1"]
    assert questions == [
        "接收国是否有相关法律来处理这些违规行为？",
        "违规行为是否受到应有惩处？",
        "军队、安全部队和警察部队是否接受过关于预防基于性别的暴力行为和暴力侵害妇女和儿童行为的培训？",
    ]


def test_nested_bullets_under_delta_marks(units: dict[str, dict[str, Unit]]) -> None:
    nested = [(u.path, u.text) for u in units[CSP12].values() if u.parent == "annex-1/step-4/b1"]
    assert nested == [
        ("annex-1/step-4/b1/b1",
         "“帮助实施”包括武器可能使侵犯人权行为更容易发生，即使转让的武器/物项并未直接参与其中。"),
        ("annex-1/step-4/b1/b2", "例如：武器的存在本身就可能使弱势群体感到恐惧，从而增加违规行为的风险。"),
    ]


def test_ten_steps_of_annex_3(units: dict[str, dict[str, Unit]]) -> None:
    steps = [(u.path, u.number) for u in units[CSP12].values() if u.kind == "step" and u.parent == "annex-3"]
    assert steps == [(f"annex-3/step-{n}", f"第{n}步") for n in range(1, 11)]
    assert text_of(units, CSP12, "annex-3/step-1") == (
        "评估机构间合作需求，建立制定和采用机构间合作的流程(包括提高政治行为体和其他决策者的认识)"
    )
    assert [u.path for u in units[CSP12].values() if u.parent == "annex-3/step-5"] == [
        f"annex-3/step-5/q{n}" for n in range(1, 8)]


def test_question_with_a_second_line(units: dict[str, dict[str, Unit]]) -> None:
    assert text_of(units, CSP12, "annex-3/step-3/q1") == (
        "如何制定明确的任务？\n有哪些具体的任务或工作流？分别由哪个实体负责？预期有哪些具体产出？如何组织决策过程？"
        "有哪些决策内容？分别由哪些实体负责？各个实体分别在哪个级别参与决策？决策之前是否需要达成共识？如何解决分歧？"
    )


def test_footnote_numbering_restarts_in_annex_2(units: dict[str, dict[str, Unit]]) -> None:
    notes = [(u.path, u.parent) for u in units[CSP12].values() if u.kind == "footnote"]
    assert notes == [("fn-1", None), ("fn-2", None), ("fn-3", None), ("fn-4", None),
                     ("annex-2/fn-1", "annex-2"), ("annex-2/fn-2", "annex-2")]
    assert units[CSP12]["annex-2/t1"].notes == ("annex-2/fn-1",)
    assert units[CSP12]["annex-2/p135"].notes == ("annex-2/fn-2",)
    assert text_of(units, CSP12, "annex-2/t1") == (
        "以下是针对《执行第6条和第7条的自愿指南》中直接涉及执行第7条第(4)款内容的细微修订。")


# ---------------------------------------------------------------------------------------------
# The DIEF report: hard-wrapped lines
# ---------------------------------------------------------------------------------------------


def test_hard_wrapped_paragraph_joined(units: dict[str, dict[str, Unit]]) -> None:
    """¶8: lines cut every ~45 characters, one cut in a single newline (``首都专`` / `` 家``)."""
    assert text_of(units, DIEF, "p8") == (
        "在缔约国决定以混合形式举行 CSP7，并让有限数量的代表亲临会场之后，"
        "DIEF 主席考虑了在 CSP7 上包括 DIEF现场会议的可行性和意愿，同时也考虑了 4 月 29 日 WGTR 会议期间"
        "提出的观点。最终，DIEF 主席、CSP7 主席和 ATT 秘书处得出结论，即使采用混合形式，"
        "也很难举行有意义、有成效的 DIEF 首次会议，因为一个简单的事实是，就其性质而言，"
        "会议依赖首都专家（如可能，执法官员）的经验，但这些人员很可能无法参加。"
        "因此，适当的做法是推迟 DIEF 的首次会议，并相应地推迟对 DIEF 效用的审查，"
        "以尊重审查至少涵盖 DIEF 两个完整周期会议的初衷。"
    )


def test_inline_numbering_in_a_wrapped_line_is_not_an_item(units: dict[str, dict[str, Unit]]) -> None:
    """DIEF ¶1: a wrapped line starts with ``3) 责成…``; it is part of the paragraph."""
    assert "；2) 通过了指导转用信息交流论坛运作的职权范围；3) 责成第七次缔约国会议主席于 2021 年组织" in text_of(
        units, DIEF, "p1")
    assert [u.path for u in units[DIEF].values() if u.parent == "p1"] == []


def test_paragraph_interrupted_by_footnote_and_urls(units: dict[str, dict[str, Unit]]) -> None:
    assert "各方认为有意义、有成效的 DIEF 会议需要人员到场参会" in text_of(units, DIEF, "p4")
    assert [(u.path, u.kind, u.line) for u in units[DIEF].values() if 70 <= u.line <= 75] == [
        ("fn-1", "footnote", 71), ("url-1", "text", 73), ("url-2", "text", 74)]
    assert text_of(units, DIEF, "url-2") == (
        "https://thearmstradetreaty.org/diversion-information-exchange-forum.html?templateId=1386528")


def test_recommendations_numbered_with_parentheses(units: dict[str, dict[str, Unit]]) -> None:
    items = [(u.path, u.number) for u in units[DIEF].values() if u.parent == "p15"]
    assert items == [("p15/1", "1"), ("p15/2", "2"), ("p15/3", "3")]
    assert text_of(units, DIEF, "p15/2") == (
        "因此，指示 CSP8 主席在现场参与可行后于 2022 年分配给 ATT 会议的时间框架和预算内"
        "并根据其职权范围尽快组织转用信息交流论坛第一次正式会议；以及"
    )


# ---------------------------------------------------------------------------------------------
# The CSP11 report
# ---------------------------------------------------------------------------------------------


def test_csp11_paragraph_across_a_footnote(units: dict[str, dict[str, Unit]]) -> None:
    p11 = units[CSP11]["p11"]
    assert p11.notes == ("fn-1",)
    assert "其中包括不同法律中关于实际进口和其他活动（如搬运、运输）的规则。他们还描述了" in p11.text
    assert "尤其需要有效的机构间合作和信息共享（系统），后者在监测边境进口方面发挥着关键作用。" in p11.text
    assert units[CSP11]["p14"].notes == ("fn-2", "fn-3")


def test_link_cut_by_a_page_break(units: dict[str, dict[str, Unit]]) -> None:
    """¶29 ``以色列随后提交的工`` / (page break, footnotes 6–8) / ``[作文件](#)阐述…``."""
    assert "以色列随后提交的工作文件阐述了关于向恐怖组织转让武器对基于性别的暴力行为" in text_of(units, CSP11, "p29")


def test_stray_asterisks_removed(units: dict[str, dict[str, Unit]]) -> None:
    assert text_of(units, CSP11, "p46/h") == "通过关于设立《武器贸易条约》性别问题协调人的决定草案（主席报告附件）；"
    assert text_of(units, CSP11, "p34").startswith("关于进口和范围/国家管制清单的结构化讨论，主席对于")


def test_autolink_in_a_footnote(units: dict[str, dict[str, Unit]]) -> None:
    assert text_of(units, CSP11, "fn-3").endswith("这两份文件都可以在ATT网站的工具和指南部分找到(https://www.thearmstradetreaty.org/reporting.html)。")


def test_text_after_a_paragraphs_bullets_belongs_to_it(units: dict[str, dict[str, Unit]]) -> None:
    text = units[CSP11]["p21/t1"]
    assert (text.parent, text.kind, text.line) == ("p21", "text", 108)
    assert text.text.startswith("在挑战方面，ROSANELLI 女士表示：i)小公司可能缺乏对责任的充分理解")


def test_unnumbered_annex(units: dict[str, dict[str, Unit]]) -> None:
    assert [(u.path, u.kind, u.text) for u in units[CSP11].values() if u.path.startswith("annex")] == [
        ("annex", "annex", "附件"),
        ("annex/title", "title", "关于根据《武器贸易条约》设立性别问题协调人的决定草案"),
        ("annex/t1", "text", "（请参阅单独文件）"),
    ]


# ---------------------------------------------------------------------------------------------
# The CSP10 working paper: endnotes
# ---------------------------------------------------------------------------------------------


def test_endnotes_and_multi_digit_superscript_calls(units: dict[str, dict[str, Unit]]) -> None:
    endnotes = [u.path for u in units[CSP10].values() if u.kind == "endnote"]
    assert endnotes == [f"endnote-{n}" for n in range(1, 13)]
    assert units[CSP10]["p3"].notes == ("endnote-1", "endnote-2")
    assert units[CSP10]["p12"].notes == ("endnote-8", "endnote-9", "endnote-10")
    assert units[CSP10]["p4/b3"].notes == ("endnote-5", "endnote-6")
    assert text_of(units, CSP10, "endnote-2") == (
        "Rob Canton，“机构间合作：如何更好地强化守法行为？”，东京："
        "《联合国亚洲及远东预防犯罪和罪犯待遇研究所2015年年度报告和资源材料系列第99号》，2016年9月，第80页，"
        "https://www.unafei.or.jp/publications/pdf/RS_No99/No99_VE_Canton_2.pdf。"
    )


def test_endnote_with_a_second_paragraph(units: dict[str, dict[str, Unit]]) -> None:
    text = text_of(units, CSP10, "endnote-3")
    assert "(Rev%20WA).pdf。另见：《执行武器贸易条约第9条自愿指南》，ATT有效执行条约工作组发布，" in text


def test_endnote_url_cut_across_lines(units: dict[str, dict[str, Unit]]) -> None:
    """``<https://…/hyper->`` / ``[images/file/….pdf](#)``: one URL again."""
    assert text_of(units, CSP10, "endnote-8") == (
        "《ATT透明度和报告工作组向第九届缔约国会议提交的报告草案》，2023年7月21日，ATT/CSP9.WTR/2023/CHAIR/768/Conf.Rep，"
        "第6页，https://www.thearmstradetreaty.org/hyper-images/file/ATT_CSP9_WGTR_Chair_Draft%20Report%20to%20CSP9_EN/"
        "ATT_CSP9_WGTR_Chair_Draft%20Report%20to%20CSP9_EN.pdf"
    )


def test_numbered_questions_restarting_under_a_paragraph(units: dict[str, dict[str, Unit]]) -> None:
    questions = [(u.path, u.kind, u.number) for u in units[CSP10].values() if u.parent == "p16"]
    assert questions == [(f"p16/{n}", "question", str(n)) for n in range(1, 11)]
    assert text_of(units, CSP10, "p16/1") == "机构间合作是否在贵国批准或加入《条约》的过程中发挥作用？"


# ---------------------------------------------------------------------------------------------
# clean_inline and errors
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text", "calls"),
    [
        ("担任协调人<sup>1</sup>；", "担任协调人；", (1,)),
        ("并行义务。¹各代表团", "并行义务。各代表团", (1,)),
        ("关于性别问题联络人的提案。¹⁰", "关于性别问题联络人的提案。", (10,)),
        ("（[ATT/CSP10.WGETI/2024/CHAIR/799/Conf.Rep](#)；附件 B）",
         "（ATT/CSP10.WGETI/2024/CHAIR/799/Conf.Rep；附件 B）", ()),
        ("“[关于执行《武器贸易条约》第 7 条第\\(4\\)款的指南](#)”",
         "“关于执行《武器贸易条约》第 7 条第(4)款的指南”", ()),
        ("[https://x.org/a%20\\(\\(b\\)_EN.pdf](https://x.org/a%20((b)_EN.pdf)；后文",
         "https://x.org/a%20((b)_EN.pdf；后文", ()),
        ("找到(<https://www.thearmstradetreaty.org/reporting.html>)。",
         "找到(https://www.thearmstradetreaty.org/reporting.html)。", ()),
        ("关于**特别讨论**，主席", "关于特别讨论，主席", ()),
        ("*基于性别的严重暴力行为*", "基于性别的严重暴力行为", ()),
        ("[待 2026 年 5 月 27 日至 28 日第十二届缔约国会议非正式筹备会议后补充。]",
         "[待 2026 年 5 月 27 日至 28 日第十二届缔约国会议非正式筹备会议后补充。]", ()),
    ],
)
def test_clean_inline(raw: str, text: str, calls: tuple[int, ...]) -> None:
    assert clean_inline(raw) == (text, calls)


def test_a_call_to_a_missing_note_is_an_error() -> None:
    with pytest.raises(SegmentationError, match="calls note 2"):
        segment("标题\n\n引言\n\n1. 第一段。²\n", "sample")


def test_paragraph_numbers_going_back_are_an_error() -> None:
    with pytest.raises(SegmentationError, match="paragraph 2 after paragraph 5"):
        segment("标题\n\n引言\n\n5. 第五段。\n\n2. 第二段。\n", "sample")
