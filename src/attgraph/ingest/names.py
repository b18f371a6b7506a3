"""The names the extractor knows: the keys of the Treaty's provisions (transcribed from ``shared/treaty.md``) and
every name the sources use for an ATT body, with its key in ``docs/iri-scheme.md``."""

from __future__ import annotations

__all__ = ["ARTICLE_SUBGROUPS", "BODY_ALIASES", "BODY_KEYS", "ROMAN", "VALID_PROVISION_KEYS"]

# --- the Treaty's structure (from shared/treaty.md) -------------------------------------------------

_PARAGRAPHS: dict[int, int] = {
    2: 3, 5: 6, 6: 3, 7: 7, 8: 3, 11: 6, 12: 4, 13: 3, 15: 7, 16: 3, 17: 5,
    18: 3, 19: 2, 20: 4, 21: 3, 22: 2, 24: 3, 25: 2, 26: 2,
}  # fmt: skip
_SUBPARAGRAPHS: dict[str, str] = {"2.1": "abcdefgh", "7.1": "ab", "17.4": "abcdefg", "18.3": "abcde"}
ROMAN: tuple[str, ...] = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
_ITEMS: dict[str, int] = {"7.1.b": 4}


def _provision_keys() -> frozenset[str]:
    keys = {str(article) for article in range(1, 29)}
    keys.update(f"{article}.{n}" for article, count in _PARAGRAPHS.items() for n in range(1, count + 1))
    keys.update(f"{para}.{letter}" for para, letters in _SUBPARAGRAPHS.items() for letter in letters)
    keys.update(f"{sub}.{ROMAN[n]}" for sub, count in _ITEMS.items() for n in range(count))
    return frozenset(keys)


#: Every dotted key a provision reference may name: 28 articles, their numbered paragraphs,
#: subparagraphs 2(1)(a)–(h), 7(1)(a)–(b), 17(4)(a)–(g), 18(3)(a)–(e) and items 7(1)(b)(i)–(iv).
VALID_PROVISION_KEYS: frozenset[str] = _provision_keys()

# --- bodies --------------------------------------------------------------------------------------------

#: Every name the sources use for an ATT body, mapped to its key in docs/iri-scheme.md.
BODY_ALIASES: dict[str, str] = {
    "CSP": "CSP",
    "缔约国会议": "CSP",
    "缔约方会议": "CSP",
    "秘书处": "Secretariat",
    "WGETI": "WGETI",
    "有效执行条约工作组": "WGETI",
    "有效执行条约常设工作组": "WGETI",
    "关于有效执行条约的常设工作组": "WGETI",
    "WGTR": "WGTR",
    "透明度和报告工作组": "WGTR",
    "透明度和报告问题工作组": "WGTR",
    "WGTU": "WGTU",
    "普遍加入条约工作组": "WGTU",
    "DIEF": "DIEF",
    "转用信息交流论坛": "DIEF",
    "VTF": "VTF",
    "自愿信托基金": "VTF",
    "管理委员会": "ManagementCommittee",
    "性别问题联络人": "GenderFocalPoints",
    "性别问题协调人": "GenderFocalPoints",
    "信息交流平台": "InformationExchangePlatform",
    "交流国家执行做法工作分组": "WGETI-SWG-NationalPractice",
    "当前和新出现的执行问题工作分组": "WGETI-SWG-CurrentEmerging",
    "当前及新出现执行问题工作分组": "WGETI-SWG-CurrentEmerging",
}

#: WGETI sub-working groups named by the articles they cover (``第 9 条（过境或转运）工作分组``).
ARTICLE_SUBGROUPS: dict[frozenset[str], str] = {
    frozenset({"6", "7"}): "WGETI-SWG-Art6-7",
    frozenset({"9"}): "WGETI-SWG-Art9",
    frozenset({"11"}): "WGETI-SWG-Art11",
}

#: Every body key the extractor can produce.
BODY_KEYS: frozenset[str] = frozenset(BODY_ALIASES.values()) | frozenset(ARTICLE_SUBGROUPS.values())
