"""The reference extractor on real phrases from the five sources, false-positive traps, and symbols."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from attgraph.ingest.cjk import cjk_to_int
from attgraph.ingest.quality import SOURCE_KEYS, SOURCES_DIR
from attgraph.ingest.references import (
    BODY_ALIASES,
    BODY_KEYS,
    KINDS,
    VALID_PROVISION_KEYS,
    Reference,
    extract_references,
)
from attgraph.ingest.symbols import SymbolParts, parse_symbol

IRI_SCHEME = Path(__file__).resolve().parents[2] / "docs" / "iri-scheme.md"

PHRASES = [
    pytest.param(
        "中纳入执行第7条第(4)款的拟议补充指导",
        [
            Reference("provision", 5, 13, "第7条第(4)款", ("7.4",)),
        ],
        id="paren-paragraph",
    ),
    pytest.param(
        "鼓励讨论各国在解释第7条第4款所用语言和标准时的做法",
        [
            Reference("provision", 9, 15, "第7条第4款", ("7.4",)),
        ],
        id="plain-paragraph",
    ),
    pytest.param(
        "提及了对第 7 条第 1 款 (b) (i) 和 (ii) 项中的严重程度的考虑",
        [
            Reference("provision", 4, 31, "第 7 条第 1 款 (b) (i) 和 (ii) 项", ("7.1.b.i", "7.1.b.ii")),
        ],
        id="spaced-paragraph-item-list",
    ),
    pytest.param(
        "其中包括有关执行第7.4条中基于性别的暴力的相关评估",
        [
            Reference("provision", 8, 13, "第7.4条", ("7.4",)),
        ],
        id="dotted-in-article",
    ),
    pytest.param(
        "显著降低第4步中确定的相关第7.1条风险。",
        [
            Reference("provision", 13, 18, "第7.1条", ("7.1",)),
        ],
        id="dotted-in-article-7.1",
    ),
    pytest.param(
        "#### **“有助于”(7.1.b(i-iv) / ( 7.4.))**",
        [
            Reference("provision", 13, 24, "7.1.b(i-iv)", ("7.1.b.i", "7.1.b.ii", "7.1.b.iii", "7.1.b.iv")),
            Reference("provision", 29, 32, "7.4", ("7.4",)),
        ],
        id="bare-dotted-heading",
    ),
    pytest.param(
        "#### **“高于一切的风险” (7.3.)**",
        [
            Reference("provision", 18, 21, "7.3", ("7.3",)),
        ],
        id="bare-dotted-trailing-dot",
    ),
    pytest.param(
        "#### **“严重违反国际人道主义法” (7.1.b (i) )**",
        [
            Reference("provision", 22, 31, "7.1.b (i)", ("7.1.b.i",)),
        ],
        id="bare-dotted-item",
    ),
    pytest.param(
        "#### **“在批准时了解到” (6.3)**",
        [
            Reference("provision", 18, 21, "6.3", ("6.3",)),
        ],
        id="bare-dotted-6.3",
    ),
    pytest.param(
        "在《条约》第 7 条第(1)-(3)款的出口评估中",
        [
            Reference("provision", 5, 19, "第 7 条第(1)-(3)款", ("7.1", "7.2", "7.3")),
        ],
        id="paragraph-range-dash",
    ),
    pytest.param(
        "通过一个流程图将第 7 条第(1)款至第(3)款中的出口评估",
        [
            Reference("provision", 8, 24, "第 7 条第(1)款至第(3)款", ("7.1", "7.2", "7.3")),
        ],
        id="paragraph-range-zhi",
    ),
    pytest.param(
        "根据《条约》第 6、7、9 和 11 条，海上安全问题具有相关性",
        [
            Reference("provision", 6, 20, "第 6、7、9 和 11 条", ("6", "7", "9", "11")),
        ],
        id="article-number-list",
    ),
    pytest.param(
        "对于不经常参与条约第2、3和4条所涉物项的风险评估",
        [
            Reference("provision", 9, 16, "第2、3和4条", ("2", "3", "4")),
        ],
        id="article-number-list-compact",
    ),
    pytest.param(
        "即适用第 6 条和第 7 条是执行《条约》的核心要义",
        [
            Reference("provision", 3, 14, "第 6 条和第 7 条", ("6", "7")),
        ],
        id="two-articles",
    ),
    pytest.param(
        "代表团指出的挑战包括第 6 条、第 7 条和第 11 条（关于武器转用）之间的相互联系",
        [
            Reference("provision", 10, 28, "第 6 条、第 7 条和第 11 条", ("6", "7", "11")),
        ],
        id="three-articles",
    ),
    pytest.param(
        "对于《条约》第2条第(1)款(h)项中“小武器和轻武器”这一强制性类别",
        [
            Reference("provision", 6, 18, "第2条第(1)款(h)项", ("2.1.h",)),
        ],
        id="subparagraph-h",
    ),
    pytest.param(
        "i)《条约》第2条第(1)款和第5条第(2-4)款中关于范围和国家管制清单的规定",
        [
            Reference("provision", 6, 25, "第2条第(1)款和第5条第(2-4)款", ("2.1", "5.2", "5.3", "5.4")),
        ],
        id="paragraph-range-in-bracket",
    ),
    pytest.param(
        "iii)弹药和零部件在《条约》第3条和第4条中的特殊地位",
        [
            Reference("provision", 15, 22, "第3条和第4条", ("3", "4")),
        ],
        id="articles-3-and-4",
    ),
    pytest.param(
        "- 如何围绕转用风险开展一致且客观的转用风险评估（第7条第1款和第11条第2款）；",
        [
            Reference("provision", 25, 39, "第7条第1款和第11条第2款", ("7.1", "11.2")),
        ],
        id="paragraphs-of-two-articles",
    ),
    pytest.param(
        "以便第6条和第7条（禁止以及出口和出口评估）工作分组、第9条（过境或转运）工作分组以及第11条（转用）工作分组继续",
        [
            Reference("provision", 2, 9, "第6条和第7条", ("6", "7")),
            Reference("body", 2, 26, "第6条和第7条（禁止以及出口和出口评估）工作分组", ("WGETI-SWG-Art6-7",)),
            Reference("provision", 27, 30, "第9条", ("9",)),
            Reference("body", 27, 41, "第9条（过境或转运）工作分组", ("WGETI-SWG-Art9",)),
            Reference("provision", 43, 47, "第11条", ("11",)),
            Reference("body", 43, 55, "第11条（转用）工作分组", ("WGETI-SWG-Art11",)),
        ],
        id="titled-articles-and-subgroup",
    ),
    pytest.param(
        "1. 第6条和第7条（禁止以及出口和出口评估）将由西班牙大使",
        [
            Reference("provision", 3, 10, "第6条和第7条", ("6", "7")),
        ],
        id="titled-articles-alone",
    ),
    pytest.param(
        "并根据第7条制定了《缔约国开展风险评估时可能使用的参考文件清单》",
        [
            Reference("provision", 3, 6, "第7条", ("7",)),
        ],
        id="article-alone",
    ),
    pytest.param(
        "因此，机构间合作有助于有效实施《条约》第6条至第10条。³",
        [
            Reference("provision", 19, 27, "第6条至第10条", ("6", "7", "8", "9", "10")),
        ],
        id="article-range",
    ),
    pytest.param(
        "作了题为“[关于执行《武器贸易条约》第 7 条第\\(4\\)款的指南](#)”报告",
        [
            Reference("provision", 18, 30, "第 7 条第\\(4\\)款", ("7.4",)),
        ],
        id="escaped-brackets",
    ),
    pytest.param(
        "关于在《执行<武器贸易条约>第 6 条和第 7 条的自愿指南》中纳入执行第 7 条第(4)款的拟议补充指导",
        [
            Reference("provision", 14, 25, "第 6 条和第 7 条", ("6", "7")),
            Reference("provision", 36, 46, "第 7 条第(4)款", ("7.4",)),
        ],
        id="inside-guide-title",
    ),
    pytest.param(
        "13:00 – 14:00\tWGETI 第 6 和第 7 条工作 分组\tWGETI 第 9 条工作分组",
        [
            Reference("body", 14, 19, "WGETI", ("WGETI",)),
            Reference("provision", 20, 30, "第 6 和第 7 条", ("6", "7")),
            Reference("body", 20, 35, "第 6 和第 7 条工作 分组", ("WGETI-SWG-Art6-7",)),
            Reference("body", 36, 41, "WGETI", ("WGETI",)),
            Reference("provision", 42, 47, "第 9 条", ("9",)),
            Reference("body", 42, 51, "第 9 条工作分组", ("WGETI-SWG-Art9",)),
        ],
        id="table-cell-subgroup",
    ),
    pytest.param(
        "政策讨论仍将完全在 WGETI 第 11 条分组中进行，",
        [
            Reference("body", 10, 15, "WGETI", ("WGETI",)),
            Reference("provision", 16, 22, "第 11 条", ("11",)),
            Reference("body", 16, 24, "第 11 条分组", ("WGETI-SWG-Art11",)),
        ],
        id="subgroup-without-work",
    ),
    pytest.param(
        "关于执行第 7 条第(7)款并重新评估已批准许可",
        [
            Reference("provision", 4, 14, "第 7 条第(7)款", ("7.7",)),
        ],
        id="para-7-7",
    ),
    pytest.param(
        "参阅[ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs](#)。",
        [
            Reference(
                "symbol",
                3,
                47,
                "ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs",
                ("ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs",),
            ),
        ],
        id="symbol-letter",
    ),
    pytest.param(
        "（[ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.](#)）。",
        [
            Reference(
                "symbol", 2, 41, "ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.", ("ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.",)
            ),
        ],
        id="symbol-rev-dot",
    ),
    pytest.param(
        "报告草案（[ATT/CSP9.WGETI/2023/Chair/767/Conf.Rep](#)）附件 D。",
        [
            Reference(
                "symbol", 6, 44, "ATT/CSP9.WGETI/2023/Chair/767/Conf.Rep", ("ATT/CSP9.WGETI/2023/CHAIR/767/Conf.Rep",)
            ),
        ],
        id="symbol-mixed-case-author",
    ),
    pytest.param(
        "（包含在ATT/CSP5.WGETI/2019 /CHAIR/529/Conf.Rep文件中）",
        [
            Reference(
                "symbol", 4, 43, "ATT/CSP5.WGETI/2019 /CHAIR/529/Conf.Rep", ("ATT/CSP5.WGETI/2019/CHAIR/529/Conf.Rep",)
            ),
        ],
        id="symbol-stray-space",
    ),
    pytest.param(
        "2024年1月22日，ATT/CSP10.WGET/024/Chair/775/LetterSubDocs，第2-3页。",
        [
            Reference("date", 0, 10, "2024年1月22日", ("2024-01-22",)),
            Reference(
                "symbol",
                11,
                53,
                "ATT/CSP10.WGET/024/Chair/775/LetterSubDocs",
                ("ATT/CSP10.WGET/024/CHAIR/775/LetterSubDocs",),
            ),
        ],
        id="symbol-three-digit-year",
    ),
    pytest.param(
        "CSP5主席提交的ATT/CSP5/2019/PRES/528/Conf.Gender GBV文件中",
        [
            Reference("session", 0, 4, "CSP5", ("CSP5",)),
            Reference("symbol", 9, 43, "ATT/CSP5/2019/PRES/528/Conf.Gender", ("ATT/CSP5/2019/PRES/528/Conf.Gender",)),
        ],
        id="symbol-then-word",
    ),
    pytest.param(
        "《武器贸易条约》\n第十一届缔约国会议",
        [
            Reference("session", 9, 18, "第十一届缔约国会议", ("CSP11",)),
        ],
        id="session-ordinal-jie",
    ),
    pytest.param(
        "向第七次缔约国会议提交的推荐建议",
        [
            Reference("session", 1, 9, "第七次缔约国会议", ("CSP7",)),
        ],
        id="session-ordinal-ci",
    ),
    pytest.param(
        "再次任命了SÁNCHEZ DE LERÍN大使担任CSP7周期的协调人",
        [
            Reference("session", 25, 31, "CSP7周期", ("CSP7",)),
        ],
        id="session-cycle",
    ),
    pytest.param(
        "一直以来，此内容拟于文件通过后，CSP7 周期的第一轮 ATT 会议之前",
        [
            Reference("session", 16, 23, "CSP7 周期", ("CSP7",)),
        ],
        id="session-cycle-spaced",
    ),
    pytest.param(
        "在第十届和第十一届缔约国会议周期担任有效执行条约工作组主席",
        [
            Reference("session", 1, 16, "第十届和第十一届缔约国会议周期", ("CSP10", "CSP11")),
            Reference("body", 18, 27, "有效执行条约工作组", ("WGETI",)),
        ],
        id="session-list-cycle",
    ),
    pytest.param(
        "在第十一届至第十二届缔约国会议期间担任",
        [
            Reference("session", 1, 15, "第十一届至第十二届缔约国会议", ("CSP11", "CSP12")),
        ],
        id="session-range",
    ),
    pytest.param(
        "（特别是第五届、第九届和第十届缔约国会议）通过的承诺",
        [
            Reference("session", 4, 20, "第五届、第九届和第十届缔约国会议", ("CSP5", "CSP9", "CSP10")),
        ],
        id="session-three",
    ),
    pytest.param(
        "在2018年1月的第四次武器贸易条约（ATT）缔约国会议（CSP4）的筹备期间",
        [
            Reference("session", 9, 28, "第四次武器贸易条约（ATT）缔约国会议", ("CSP4",)),
            Reference("session", 29, 33, "CSP4", ("CSP4",)),
        ],
        id="session-infix-title",
    ),
    pytest.param(
        "建议《武器贸易条约》第十三届缔约国会议有效执行条约工作组和《武器贸易条约》秘书处探讨",
        [
            Reference("session", 10, 19, "第十三届缔约国会议", ("CSP13",)),
            Reference("body", 19, 28, "有效执行条约工作组", ("WGETI",)),
            Reference("body", 37, 40, "秘书处", ("Secretariat",)),
        ],
        id="session-thirteen",
    ),
    pytest.param(
        "以及CSP3和CSP4之间取得的进展",
        [
            Reference("session", 2, 6, "CSP3", ("CSP3",)),
            Reference("session", 7, 11, "CSP4", ("CSP4",)),
        ],
        id="session-csp-pair",
    ),
    pytest.param(
        "（CSP4–两次会议；CSP5–两次会议；CSP6–一次会议）",
        [
            Reference("session", 1, 5, "CSP4", ("CSP4",)),
            Reference("session", 11, 15, "CSP5", ("CSP5",)),
            Reference("session", 21, 25, "CSP6", ("CSP6",)),
        ],
        id="session-csp-dash",
    ),
    pytest.param(
        "在2020年2月4日举行的第一次CSP6筹备会议上",
        [
            Reference("date", 1, 10, "2020年2月4日", ("2020-02-04",)),
            Reference("session", 16, 20, "CSP6", ("CSP6",)),
        ],
        id="session-first-meeting",
    ),
    pytest.param(
        "8. 2026年3月16日至18日，有效执行条约工作组各工作分组",
        [
            Reference("date-range", 3, 17, "2026年3月16日至18日", ("2026-03-16", "2026-03-18")),
            Reference("body", 18, 27, "有效执行条约工作组", ("WGETI",)),
        ],
        id="date-range-same-month",
    ),
    pytest.param(
        "有效执行条约工作组在 2026 年 3 月 16 日至 18 日的会议",
        [
            Reference("body", 0, 9, "有效执行条约工作组", ("WGETI",)),
            Reference("date-range", 11, 32, "2026 年 3 月 16 日至 18 日", ("2026-03-16", "2026-03-18")),
        ],
        id="date-range-spaced",
    ),
    pytest.param(
        "日内瓦，2021年8月30日至9月3日 ",
        [
            Reference("date-range", 4, 19, "2021年8月30日至9月3日", ("2021-08-30", "2021-09-03")),
        ],
        id="date-range-across-months",
    ),
    pytest.param(
        "2021年4月26日工作分组会议议程",
        [
            Reference("date", 0, 10, "2021年4月26日", ("2021-04-26",)),
        ],
        id="date-compact",
    ),
    pytest.param(
        "**2021 年 4 月 26 日，星期一，13:00-15:00**",
        [
            Reference("date", 2, 17, "2021 年 4 月 26 日", ("2021-04-26",)),
        ],
        id="date-spaced",
    ),
    pytest.param(
        "DIEF主席 2021年 4月 29日的发言  ",
        [
            Reference("body", 0, 4, "DIEF", ("DIEF",)),
            Reference("date", 7, 19, "2021年 4月 29日", ("2021-04-29",)),
        ],
        id="date-odd-spacing",
    ),
    pytest.param(
        "《2024年2月23日、2024年1月22日会议介绍性文件》",
        [
            Reference("date", 1, 11, "2024年2月23日", ("2024-02-23",)),
            Reference("date", 12, 22, "2024年1月22日", ("2024-01-22",)),
        ],
        id="date-pair",
    ),
    pytest.param(
        "附录 1.2021 年 4 月 26 日第 6 条和第 7 条（禁止以及出口和出口评估）工作分组会议议程草案",
        [
            Reference("date", 5, 20, "2021 年 4 月 26 日", ("2021-04-26",)),
            Reference("provision", 20, 31, "第 6 条和第 7 条", ("6", "7")),
            Reference("body", 20, 48, "第 6 条和第 7 条（禁止以及出口和出口评估）工作分组", ("WGETI-SWG-Art6-7",)),
        ],
        id="date-after-annex-number",
    ),
    pytest.param(
        "并鼓励缔约国通过ATT信息交流平台共享EUC模板（由缔约国发布或通过ATT秘书处发布）",
        [
            Reference("body", 11, 17, "信息交流平台", ("InformationExchangePlatform",)),
            Reference("body", 37, 40, "秘书处", ("Secretariat",)),
        ],
        id="body-secretariat",
    ),
    pytest.param(
        "就缔约方会议决定和/或建议中确定的问题",
        [
            Reference("body", 1, 6, "缔约方会议", ("CSP",)),
        ],
        id="body-csp-aliases",
    ),
    pytest.param(
        "包括 CSP 主席、ATT 秘书处、区",
        [
            Reference("body", 3, 6, "CSP", ("CSP",)),
            Reference("body", 14, 17, "秘书处", ("Secretariat",)),
        ],
        id="body-csp-latin",
    ),
    pytest.param(
        "12. 透明度和报告问题工作组请“履行报告义务的缔约国，包括自愿信托基金（或其他国际援助提供者）资助的",
        [
            Reference("body", 4, 15, "透明度和报告问题工作组", ("WGTR",)),
            Reference("body", 30, 36, "自愿信托基金", ("VTF",)),
        ],
        id="body-wgtr-variant",
    ),
    pytest.param(
        "¹² 普遍加入条约工作组，《关于执行第九届缔约国会议关于普遍加入条约工作组工作决定的工作文件》",
        [
            Reference("body", 3, 12, "普遍加入条约工作组", ("WGTU",)),
            Reference("session", 18, 26, "第九届缔约国会议", ("CSP9",)),
            Reference("body", 28, 37, "普遍加入条约工作组", ("WGTU",)),
        ],
        id="body-wgtu",
    ),
    pytest.param(
        "第三届缔约国会议决定设立有效执行条约常设工作组",
        [
            Reference("session", 0, 8, "第三届缔约国会议", ("CSP3",)),
            Reference("body", 12, 23, "有效执行条约常设工作组", ("WGETI",)),
        ],
        id="body-standing-wg",
    ),
    pytest.param(
        "1. 转用信息交流论坛（DIEF）主席向《武器贸易条约》第七次缔约国会议（CSP7）提交的这",
        [
            Reference("body", 3, 11, "转用信息交流论坛", ("DIEF",)),
            Reference("body", 12, 16, "DIEF", ("DIEF",)),
            Reference("session", 28, 36, "第七次缔约国会议", ("CSP7",)),
            Reference("session", 37, 41, "CSP7", ("CSP7",)),
        ],
        id="body-dief",
    ),
    pytest.param(
        "- h. 通过关于设立《武器贸易条约》性别问题协调人的决定草案（主席报告附件）；*",
        [
            Reference("body", 19, 26, "性别问题协调人", ("GenderFocalPoints",)),
        ],
        id="body-gender-focal-points",
    ),
    pytest.param(
        "- 交流国家执行做法工作分组；和 当前及新出现执行问题工作分组",
        [
            Reference("body", 2, 14, "交流国家执行做法工作分组", ("WGETI-SWG-NationalPractice",)),
            Reference("body", 17, 31, "当前及新出现执行问题工作分组", ("WGETI-SWG-CurrentEmerging",)),
        ],
        id="body-subgroups",
    ),
    pytest.param(
        "ATT缔约国会议周期可以采用哪些方法",
        [
            Reference("body", 3, 8, "缔约国会议", ("CSP",)),
        ],
        id="body-csp-generic",
    ),
    pytest.param(
        "presented by the Chair of the WGETI to CSP5）",
        [
            Reference("body", 30, 35, "WGETI", ("WGETI",)),
            Reference("session", 39, 43, "CSP5", ("CSP5",)),
        ],
        id="body-in-english",
    ),
    pytest.param(
        "7. 多年工作计划得到进一步完善，并最终由缔约国于2021年3月1日通过默许程序予以同意",
        [
            Reference("date", 25, 34, "2021年3月1日", ("2021-03-01",)),
        ],
        id="trap-paragraph-label",
    ),
    pytest.param(
        "12:00 – 13:00\t专题讨论 (主席的主题)",
        [],
        id="trap-times",
    ),
    pytest.param(
        "\t4 月 26 日，星期一\t4 月 27 日，星期二",
        [],
        id="trap-date-without-year",
    ),
    pytest.param(
        "同时也考虑了 4 月 29 日 WGTR 会议期间提",
        [
            Reference("body", 16, 20, "WGTR", ("WGTR",)),
        ],
        id="trap-date-without-year-2",
    ),
    pytest.param(
        "本文件将在2021年4月工作分组会议之前分发",
        [],
        id="trap-month-only",
    ),
    pytest.param(
        "2) 因此，指示 CSP8 主席在现场参与可行后于 2022 年分配给 ATT 会议的时间框架和预算",
        [
            Reference("session", 9, 13, "CSP8", ("CSP8",)),
        ],
        id="trap-year-only",
    ),
    pytest.param(
        "由于 2019 冠状病毒病疫情令",
        [],
        id="trap-covid",
    ),
    pytest.param(
        "- △ 实施第 2 步至第 5 步需要哪些人力、财政和技术资源",
        [],
        id="trap-steps",
    ),
    pytest.param(
        "第1步",
        [],
        id="trap-step",
    ),
    pytest.param(
        "（见下文第 29-30 段）；第一章（关键概念）中的第26-35段以及专栏1和2；第 25 (j) 段",
        [],
        id="trap-guide-paragraphs",
    ),
    pytest.param(
        "在编制拟议的《自愿指南》第 1 章的过程中进行。",
        [],
        id="trap-chapter",
    ),
    pytest.param(
        "（第5-9页）……2023年5月，第3页",
        [],
        id="trap-pages",
    ),
    pytest.param(
        "《执行武器贸易条约第9条自愿指南》，ATT有效执行条约工作组发布，2023年7月21日，第9页，",
        [
            Reference("provision", 9, 12, "第9条", ("9",)),
            Reference("body", 21, 30, "有效执行条约工作组", ("WGETI",)),
            Reference("date", 33, 43, "2023年7月21日", ("2023-07-21",)),
        ],
        id="trap-page-after-article",
    ),
    pytest.param(
        " - [附件1](#)：关于（4页）附件 D 附录 2 和 3",
        [],
        id="trap-annex-number",
    ),
    pytest.param(
        "第十届 第一次会议 第一次 CSP 会议",
        [
            Reference("body", 14, 17, "CSP", ("CSP",)),
        ],
        id="trap-ordinal-alone",
    ),
    pytest.param(
        "— (01) 个缔约国提及《国际刑事法院罗马规约》第 25 条第 3 款 (c) 项（关于个人刑事责任的条款）。",
        [],
        id="trap-rome-statute",
    ),
    pytest.param(
        "DIEF 职权范围第 13 条明确规定",
        [
            Reference("body", 0, 4, "DIEF", ("DIEF",)),
        ],
        id="trap-terms-of-reference",
    ),
    pytest.param(
        "-八 (08) 个缔约国考虑了欧盟理事会共同立场 2008/944 CFSP。",
        [],
        id="trap-eu-common-position",
    ),
    pytest.param(
        "此外，一个地区组织和三（03）个民间社会组织也提供了文稿。在提交文稿的 20 个缔约国中只有 11 个",
        [],
        id="trap-counts",
    ),
    pytest.param(
        "2。",
        [],
        id="trap-footnote-markers",
    ),
    pytest.param(
        "表 1.WGETI 工作分组会议的时间表（2021 年 4 月）",
        [
            Reference("body", 4, 9, "WGETI", ("WGETI",)),
        ],
        id="trap-table-caption",
    ),
    pytest.param(
        "菲律宾大使 Markus V.LACANILAO 在",
        [],
        id="trap-initial",
    ),
    pytest.param(
        "https://www.thearmstradetreaty.org/hyper-images/file/ATT_CSP5_WGETI%20Voluntary%20Basic%20Guide%20(updated%2009.09.2019)/x.pdf",
        [],
        id="trap-url",
    ),
    pytest.param(
        "[images/file/ATT_CSP9_WGTR_Chair_Draft%20Report%20to%20CSP9_EN/ATT_CSP9_WGTR_Chair_Draft%20Report%20to%20CSP9_EN.pdf](#)",
        [],
        id="trap-url-fragment",
    ),
    pytest.param(
        "这与职权范围第 7\n\n条中有关大力鼓励执法官员参加",
        [],
        id="trap-line-break",
    ),
    pytest.param(
        "协调人将通过模板向工作组报告",
        [],
        id="trap-coordinator",
    ),
]


@pytest.mark.parametrize(("phrase", "expected"), PHRASES)
def test_phrase(phrase: str, expected: list[Reference]) -> None:
    assert extract_references(phrase) == expected


def test_every_phrase_is_from_the_sources_or_marked() -> None:
    """Phrases are quoted from the sources (up to the spliced traps), so the table tests real forms."""
    corpus = "".join((SOURCES_DIR / name).read_text(encoding="utf-8") for name in SOURCE_KEYS)
    spliced = {"body-subgroups", "trap-ordinal-alone", "trap-guide-paragraphs", "trap-pages", "trap-annex-number",
               "trap-counts", "trap-url", "trap-url-fragment", "trap-line-break", "session-ordinal-jie"}  # fmt: skip
    not_found = [p.id for p in PHRASES if p.id not in spliced and str(p.values[0]).strip() not in corpus]
    assert not_found == []


SYMBOLS = [
    pytest.param(
        "ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs",
        SymbolParts("ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs", "ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs",
                    "CSP11", "WGETI", "2025", "CHAIR", "808", "LetterSubDocs", None, ()),
        id="letter",
    ),
    pytest.param(
        "ATT/CSP9/2023/SEC/773/Conf.FinRep.Rev2",
        SymbolParts("ATT/CSP9/2023/SEC/773/Conf.FinRep.Rev2", "ATT/CSP9/2023/SEC/773/Conf.FinRep.Rev2",
                    "CSP9", None, "2023", "SEC", "773", "Conf.FinRep", "Rev2", ()),
        id="final-report-rev2",
    ),
    pytest.param(
        "ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.",
        SymbolParts("ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.", "ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.",
                    "CSP11", None, "2025", "SEC", "834", "Conf.FinRep", "Rev.", ()),
        id="final-report-rev-dot",
    ),
    pytest.param(
        "ATT/CSP12.WGETI/2026/CHAIR/835/LetterSubDocs/Rev",
        SymbolParts("ATT/CSP12.WGETI/2026/CHAIR/835/LetterSubDocs/Rev",
                    "ATT/CSP12.WGETI/2026/CHAIR/835/LetterSubDocs/Rev",
                    "CSP12", "WGETI", "2026", "CHAIR", "835", "LetterSubDocs", "Rev", ()),
        id="letter-rev",
    ),
    pytest.param(
        "ATT/CSP5/2019/PRES/528/Conf.Gender",
        SymbolParts("ATT/CSP5/2019/PRES/528/Conf.Gender", "ATT/CSP5/2019/PRES/528/Conf.Gender",
                    "CSP5", None, "2019", "PRES", "528", "Conf.Gender", None, ()),
        id="president",
    ),
    pytest.param(
        "ATT/CSP10/2024/MEX/808/Conf.WP",
        SymbolParts("ATT/CSP10/2024/MEX/808/Conf.WP", "ATT/CSP10/2024/MEX/808/Conf.WP",
                    "CSP10", None, "2024", "MEX", "808", "Conf.WP", None, ()),
        id="state-working-paper",
    ),
    pytest.param(
        "ATT/CSP9.WGETI/2023/Chair/767/Conf.Rep",
        SymbolParts("ATT/CSP9.WGETI/2023/Chair/767/Conf.Rep", "ATT/CSP9.WGETI/2023/CHAIR/767/Conf.Rep",
                    "CSP9", "WGETI", "2023", "CHAIR", "767", "Conf.Rep", None,
                    ("author code 'Chair' is not upper-case; the canonical form uses 'CHAIR'",)),
        id="mixed-case-author",
    ),
    pytest.param(
        "ATT/CSP10.WGET/024/Chair/775/LetterSubDocs",
        SymbolParts("ATT/CSP10.WGET/024/Chair/775/LetterSubDocs", "ATT/CSP10.WGET/024/CHAIR/775/LetterSubDocs",
                    "CSP10", "WGET", "024", "CHAIR", "775", "LetterSubDocs", None,
                    ("body code 'WGET' is not a known ATT body key; kept as printed",
                     "year '024' has 3 digits, not 4; kept as printed "
                     "(the intended year cannot be read from the symbol alone)",
                     "author code 'Chair' is not upper-case; the canonical form uses 'CHAIR'")),
        id="three-misprints",
    ),
    pytest.param(
        "ATT/CSP9.WTU/2023/CHAIR/769/Conf.Rep",
        SymbolParts("ATT/CSP9.WTU/2023/CHAIR/769/Conf.Rep", "ATT/CSP9.WTU/2023/CHAIR/769/Conf.Rep",
                    "CSP9", "WTU", "2023", "CHAIR", "769", "Conf.Rep", None,
                    ("body code 'WTU' is not a known ATT body key; kept as printed",)),
        id="unknown-body-code",
    ),
    pytest.param(
        "ATT/CSP10.WGTR/024/CHAIR/779/IntroPaper",
        SymbolParts("ATT/CSP10.WGTR/024/CHAIR/779/IntroPaper", "ATT/CSP10.WGTR/024/CHAIR/779/IntroPaper",
                    "CSP10", "WGTR", "024", "CHAIR", "779", "IntroPaper", None,
                    ("year '024' has 3 digits, not 4; kept as printed "
                     "(the intended year cannot be read from the symbol alone)",)),
        id="three-digit-year",
    ),
    pytest.param(
        "ATT/CSP5.WGETI/2019 /CHAIR/529/Conf.Rep",
        SymbolParts("ATT/CSP5.WGETI/2019 /CHAIR/529/Conf.Rep", "ATT/CSP5.WGETI/2019/CHAIR/529/Conf.Rep",
                    "CSP5", "WGETI", "2019", "CHAIR", "529", "Conf.Rep", None,
                    ("whitespace inside the symbol (1 place); removed in the canonical form",)),
        id="stray-space",
    ),
    pytest.param(
        "ATT/CSP5.WGETI/2019",
        SymbolParts("ATT/CSP5.WGETI/2019", "ATT/CSP5.WGETI/2019", "CSP5", "WGETI", "2019", "", "", "", None,
                    ("symbol ends after the year: no author, serial or document type",)),
        id="truncated",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("symbol", "expected"), SYMBOLS)
def test_parse_symbol(symbol: str, expected: SymbolParts) -> None:
    assert parse_symbol(symbol) == expected


@pytest.mark.parametrize("text", ["CSP5/2019/SEC/536", "ATT/CSP5", "ATT/CSP5/2019/SEC/536/Conf.Rep 文件", ""])
def test_parse_symbol_refuses_what_is_not_a_symbol(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_symbol(text)


def test_every_symbol_in_the_sources_parses_to_its_extracted_target() -> None:
    found = {}
    for name in SOURCE_KEYS:
        for ref in extract_references((SOURCES_DIR / name).read_text(encoding="utf-8")):
            if ref.kind == "symbol":
                found[ref.text] = ref.targets
    assert found == {
        "ATT/CSP3.WGETI/2017/CHAIR/158/Conf.Rep": ("ATT/CSP3.WGETI/2017/CHAIR/158/Conf.Rep",),
        "ATT/CSP3.WGTR/2017/CHAIR/159/Conf.Rep": ("ATT/CSP3.WGTR/2017/CHAIR/159/Conf.Rep",),
        "ATT/CSP5.WGETI/2019 /CHAIR/529/Conf.Rep": ("ATT/CSP5.WGETI/2019/CHAIR/529/Conf.Rep",),
        "ATT/CSP5.WGETI/2019/CHAIR/529/Conf.Rep": ("ATT/CSP5.WGETI/2019/CHAIR/529/Conf.Rep",),
        "ATT/CSP5/2019/PRES/528/Conf.Gender": ("ATT/CSP5/2019/PRES/528/Conf.Gender",),
        "ATT/CSP5/2019/SEC/536/Conf.FinRep.Rev1": ("ATT/CSP5/2019/SEC/536/Conf.FinRep.Rev1",),
        "ATT/CSP7.WGETI/2021/CHAIR/675/Conf.Rep": ("ATT/CSP7.WGETI/2021/CHAIR/675/Conf.Rep",),
        "ATT/CSP8.WGTR/2022/CHAIR/734/Conf.Rep": ("ATT/CSP8.WGTR/2022/CHAIR/734/Conf.Rep",),
        "ATT/CSP9.WGETI/2023/CHAIR/767/Conf.Rep": ("ATT/CSP9.WGETI/2023/CHAIR/767/Conf.Rep",),
        "ATT/CSP9.WGETI/2023/Chair/767/Conf.Rep": ("ATT/CSP9.WGETI/2023/CHAIR/767/Conf.Rep",),
        "ATT/CSP9.WTR/2023/CHAIR/768/Conf.Rep": ("ATT/CSP9.WTR/2023/CHAIR/768/Conf.Rep",),
        "ATT/CSP9.WTU/2023/CHAIR/769/Conf.Rep": ("ATT/CSP9.WTU/2023/CHAIR/769/Conf.Rep",),
        "ATT/CSP9/2023/SEC/773/Conf.FinRep.Rev2": ("ATT/CSP9/2023/SEC/773/Conf.FinRep.Rev2",),
        "ATT/CSP10.WGETI/2024/CHAIR/799/Conf.Rep": ("ATT/CSP10.WGETI/2024/CHAIR/799/Conf.Rep",),
        "ATT/CSP10.WGET/024/Chair/775/LetterSubDocs": ("ATT/CSP10.WGET/024/CHAIR/775/LetterSubDocs",),
        "ATT/CSP10.WGTR/024/CHAIR/779/IntroPaper": ("ATT/CSP10.WGTR/024/CHAIR/779/IntroPaper",),
        "ATT/CSP10.WGTU/024/CHAIR/777/DrWP": ("ATT/CSP10.WGTU/024/CHAIR/777/DrWP",),
        "ATT/CSP10/2024/MEX/808/Conf.WP": ("ATT/CSP10/2024/MEX/808/Conf.WP",),
        "ATT/CSP10/2024/SEC/807/Conf.FinRep": ("ATT/CSP10/2024/SEC/807/Conf.FinRep",),
        "ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs": ("ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs",),
        "ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.": ("ATT/CSP11/2025/SEC/834/Conf.FinRep/Rev.",),
        "ATT/CSP12.WGETI/2026/CHAIR/835/LetterSubDocs/Rev": ("ATT/CSP12.WGETI/2026/CHAIR/835/LetterSubDocs/Rev",),
    }


@pytest.mark.parametrize("name", sorted(SOURCE_KEYS))
def test_references_in_a_whole_source_are_well_formed(name: str) -> None:
    """Offsets match the text, order is by start, and no two references of one kind overlap."""
    text = (SOURCES_DIR / name).read_text(encoding="utf-8")
    refs = extract_references(text)
    assert [r for r in refs if text[r.start : r.end] != r.text or r.kind not in KINDS or not r.targets] == []
    assert [r.start for r in refs] == sorted(r.start for r in refs)
    for kind in KINDS:
        spans = [(r.start, r.end) for r in refs if r.kind == kind]
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans))


def test_whole_text_and_line_by_line_agree() -> None:
    """No reference spans a line break, so extraction per line finds exactly what a whole-text run finds."""
    for name in SOURCE_KEYS:
        text = (SOURCES_DIR / name).read_text(encoding="utf-8")
        whole = sorted((r.kind, r.text, r.targets) for r in extract_references(text))
        lines = sorted((r.kind, r.text, r.targets) for line in text.split("\n") for r in extract_references(line))
        assert whole == lines, name


def test_provision_keys_follow_the_treaty_structure() -> None:
    assert len(VALID_PROVISION_KEYS) == 28 + 71 + 22 + 4
    assert {"1", "28", "2.1.h", "7.1.b.iv", "7.7", "17.4.g", "18.3.e", "26.2"} <= VALID_PROVISION_KEYS
    assert {"29", "9.1", "7.8", "2.1.i", "7.1.c", "7.1.b.v", "7.1.a.i", "25.3.c"}.isdisjoint(VALID_PROVISION_KEYS)


@pytest.mark.parametrize(
    ("phrase", "targets"),
    [
        ("第 7 条第(1)-(9)款", ("7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7")),
        ("第 29 条", None),
        ("第9条第1款", None),
    ],
)
def test_provisions_outside_the_treaty_are_dropped(phrase: str, targets: tuple[str, ...] | None) -> None:
    refs = extract_references(phrase)
    assert [r.targets for r in refs] == ([targets] if targets else [])


def test_body_keys_are_those_of_the_iri_scheme() -> None:
    section = IRI_SCHEME.read_text(encoding="utf-8").split("Body keys")[1]
    scheme_keys = set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE))
    assert scheme_keys >= BODY_KEYS
    assert scheme_keys - BODY_KEYS == {"WGETI-SWG-CurrentEmerging", "WGETI-SWG-NationalPractice"} - BODY_KEYS
    assert len(BODY_ALIASES) == 24


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一", 1),
        ("七", 7),
        ("十", 10),
        ("十一", 11),
        ("十二", 12),
        ("十三", 13),
        ("二十", 20),
        ("二十三", 23),
        ("11", 11),
    ],
)
def test_cjk_numerals(numeral: str, value: int) -> None:
    assert cjk_to_int(numeral) == value


@pytest.mark.parametrize("numeral", ["", "十十", "一二", "届", "〇十"])
def test_cjk_numerals_refused(numeral: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(numeral))):
        cjk_to_int(numeral)


def test_provision_keys_match_the_treaty_data() -> None:
    """The extractor's key table and data/treaty.ttl describe the same numbered provisions."""
    from rdflib import Graph

    from attgraph.knowledge.namespaces import PREFIXES

    graph = Graph().parse(Path(__file__).resolve().parents[2] / "data" / "treaty.ttl")
    prefixes = (PREFIXES["provision"], PREFIXES["article"])
    keys = {str(s)[len(p) :] for s in set(graph.subjects()) for p in prefixes if str(s).startswith(p)}
    assert keys - VALID_PROVISION_KEYS == {"1.object", "1.purpose", "preamble", "preamble.principles"}
    assert VALID_PROVISION_KEYS - keys == set()
