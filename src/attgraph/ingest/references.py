"""References in the Chinese source texts: treaty provisions, document symbols, CSP sessions, bodies, dates.

:func:`extract_references` returns every reference found in a text as a :class:`Reference` with its
character offsets. Kinds, and the rules the extractor follows:

``provision``
    A reference to an article, paragraph, subparagraph or item of the Arms Trade Treaty, as a dotted
    key (``"7"``, ``"7.4"``, ``"2.1.h"``, ``"7.1.b.ii"``). Lists and ranges are expanded into one
    reference: ``第 6、7、9 和 11 条`` → 6, 7, 9, 11; ``第6条至第10条`` → 6 … 10; ``第 7 条第(1)-(3)款``
    and ``第 7 条第(1)款至第(3)款`` → 7.1, 7.2, 7.3; ``第7条第1款和第11条第2款`` → 7.1, 11.2;
    ``7.1.b(i-iv)`` → 7.1.b.i … 7.1.b.iv. The span runs from ``第`` to the last ``条``/``款``/``项``;
    a title in brackets after it (``（转用）``) is not part of it. Markdown-escaped brackets
    (``第 7 条第\\(4\\)款``) are read like plain ones. A bare dotted number (``7.4``, ``(7.3.)``,
    ``7.1.b (i)``) counts only inside round brackets, where the sources use it as a heading tag;
    elsewhere it is a paragraph label, a page or a date. Only the Treaty's articles count: a number
    that follows the title of another instrument (``《国际刑事法院罗马规约》第 25 条``) or another
    text's own articles (``职权范围第 13 条``, ``议事规则``) is skipped. Keys must exist in the
    Treaty (:data:`VALID_PROVISION_KEYS`, transcribed from ``shared/treaty.md``); keys that do not
    are dropped, and a reference left with none is not emitted. ``第1步``, ``第 29-30 段``,
    ``第 1 章``, ``第9页``, ``附件 1`` and numbered labels are not provisions.
``symbol``
    An ATT document symbol; the target is its canonical form (:func:`parse_symbol`).
``session``
    A session of the Conference of States Parties: ``CSP7``, ``第十一届缔约国会议``,
    ``第七次缔约国会议``, ``第四次武器贸易条约（ATT）缔约国会议``; coordinated ordinals share one
    reference (``第十届和第十一届缔约国会议`` → CSP10, CSP11; ``第十一届至第十二届`` is a range).
    A directly following ``周期`` (cycle) is part of the span (``CSP7周期``, ``第十届缔约国会议周期``)
    so that callers can tell a cycle from a session by ``text.endswith("周期")``.
``body``
    A body named by one of the aliases in :data:`BODY_ALIASES`, or a WGETI sub-working group named
    by its articles (``第 6 条和第 7 条工作分组`` → ``WGETI-SWG-Art6-7``). ``缔约国会议`` inside a
    session reference is the session, not a body mention. ``秘书处`` is the ATT Secretariat (every
    use in the sources is) unless another organisation's name stands right before it.
``date`` / ``date-range``
    ``2021年4月26日`` and its spaced form → ``2021-04-26``; ``2026年3月16日至18日`` and
    ``2021年8月30日至9月3日`` → a range. A date without a year (``4 月 29 日``), a month without a
    day (``2021年4月``) and a bare year are not emitted.

Nothing is extracted inside URLs or percent-encoded paths, and only a symbol inside a symbol.
Whitespace inside a reference may be spaces or tabs, never a line break.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from attgraph.ingest.cjk import CJK_NUMERAL_CHARS, cjk_to_int
from attgraph.ingest.symbols import SYMBOL_PATTERN, parse_symbol

__all__ = [
    "BODY_ALIASES",
    "BODY_KEYS",
    "KINDS",
    "VALID_PROVISION_KEYS",
    "Reference",
    "extract_references",
]

#: The kinds of reference, in the order used to sort references that start at the same offset.
KINDS: tuple[str, ...] = ("symbol", "provision", "session", "body", "date", "date-range")


@dataclass(frozen=True)
class Reference:
    """One reference in a text: its kind, where it is (``text == source[start:end]``) and what it names."""

    kind: str
    start: int
    end: int
    text: str
    targets: tuple[str, ...]


# --- the Treaty's structure (from shared/treaty.md) -------------------------------------------------

_PARAGRAPHS: dict[int, int] = {
    2: 3, 5: 6, 6: 3, 7: 7, 8: 3, 11: 6, 12: 4, 13: 3, 15: 7, 16: 3, 17: 5,
    18: 3, 19: 2, 20: 4, 21: 3, 22: 2, 24: 3, 25: 2, 26: 2,
}  # fmt: skip
_SUBPARAGRAPHS: dict[str, str] = {"2.1": "abcdefgh", "7.1": "ab", "17.4": "abcdefg", "18.3": "abcde"}
_ROMAN: tuple[str, ...] = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
_ITEMS: dict[str, int] = {"7.1.b": 4}


def _provision_keys() -> frozenset[str]:
    keys = {str(article) for article in range(1, 29)}
    keys.update(f"{article}.{n}" for article, count in _PARAGRAPHS.items() for n in range(1, count + 1))
    keys.update(f"{para}.{letter}" for para, letters in _SUBPARAGRAPHS.items() for letter in letters)
    keys.update(f"{sub}.{_ROMAN[n]}" for sub, count in _ITEMS.items() for n in range(count))
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

_NOT_ATT_SECRETARIAT = ("联合国", "公约", "议定书", "安排")


def _alias_pattern(alias: str) -> str:
    if alias.isascii():
        tail = r"(?![ \t]*\d)" if alias == "CSP" else ""
        return rf"(?<![A-Za-z0-9_]){re.escape(alias)}(?![A-Za-z0-9_]){tail}"
    return re.escape(alias)


_BODY = re.compile("|".join(_alias_pattern(a) for a in sorted(BODY_ALIASES, key=len, reverse=True)))

# --- shared pieces -------------------------------------------------------------------------------------

_S = r"[ \t\u3000]*"
_WS = " \t\u3000"
_OPAQUE = re.compile(r"(?:https?://|www\.)[!-~]+|[!-~]*%[0-9A-Fa-f]{2}[!-~]*")

_DATE = re.compile(
    rf"(?<![0-9])(?P<y>\d{{4}}){_S}年{_S}(?P<m>\d{{1,2}}){_S}月{_S}(?P<d>\d{{1,2}}){_S}日"
    rf"(?:{_S}(?:至|到|-|–|—|~|～){_S}(?:(?P<y2>\d{{4}}){_S}年{_S}(?=\d{{1,2}}{_S}月))?"
    rf"(?:(?P<m2>\d{{1,2}}){_S}月{_S})?(?P<d2>\d{{1,2}}){_S}日)?"
)

_ORDINAL = rf"第{_S}(?:[{CJK_NUMERAL_CHARS}]+|\d{{1,2}}){_S}[届次]"
_SESSION_CN = re.compile(
    rf"{_ORDINAL}(?:{_S}(?:、|和|及|与|或|至|到|-|–){_S}{_ORDINAL})*"
    rf"(?:{_S}《?武器贸易条约》?{_S}(?:[（(]ATT[）)])?)?{_S}(?:缔约国|缔约方)会议(?:{_S}周期)?"
)
_SESSION_ORDINAL = re.compile(rf"(?P<sep>至|到|-|–)?{_S}第{_S}(?P<n>[{CJK_NUMERAL_CHARS}]+|\d{{1,2}}){_S}[届次]")
_SESSION_CSP = re.compile(r"(?<![A-Za-z0-9_])CSP(?P<n>\d{1,2})(?![A-Za-z0-9_])(?:[ \t]*周期)?")

_RANGE_OPS = ("至", "到", "-", "–", "—")
_LIST_OPS = ("、", "和", "及", "与", "或")
_ARTICLE_SEPARATORS = ("以及", *_LIST_OPS, *_RANGE_OPS)
_ARTICLE_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,2}(?:\.[a-h](?:\.(?:i{1,3}|iv|vi{0,3}|ix|x))?)?)?(?![\d.])")
_PLAIN_NUMBER = re.compile(r"\d{1,3}(?!\d)")
_BARE = re.compile(
    r"(?:(?<=\()|(?<=（)|(?<=/))[ \t]*(?P<key>\d{1,2}\.\d{1,2}(?:\.[a-h])?)"
    r"(?:[ \t]*\((?P<items>(?:i{1,3}|iv|vi{0,3}|ix|x)(?:[ \t]*[-–][ \t]*(?:i{1,3}|iv|vi{0,3}|ix|x))?)\))?"
    r"(?=\.?[ \t]*[)）/])"
)
_ATT_TITLES = ("武器贸易条约", "条约", "ATT")
_OTHER_TEXT_BEFORE = ("职权范围", "议事规则", "规约", "议定书", "公约", "共同立场")
_TITLE_MARKS = {"》": "《", "〉": "〈", ">": "<"}


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _starts(text: str, i: int, options: Iterable[str]) -> str | None:
    return next((o for o in options if text.startswith(o, i)), None)


# --- dates and sessions --------------------------------------------------------------------------------


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _dates(text: str, blocked: list[tuple[int, int]]) -> list[Reference]:
    refs: list[Reference] = []
    for m in _DATE.finditer(text):
        if _overlaps(m.start(), m.end(), blocked):
            continue
        first = _iso(m["y"], m["m"], m["d"])
        if first is None:
            continue
        if m["d2"] is None:
            refs.append(Reference("date", m.start(), m.end(), m.group(), (first,)))
            continue
        last = _iso(m["y2"] or m["y"], m["m2"] or m["m"], m["d2"])
        if last is None or last <= first:
            end = text.index("日", m.start("d")) + 1
            refs.append(Reference("date", m.start(), end, text[m.start() : end], (first,)))
        else:
            refs.append(Reference("date-range", m.start(), m.end(), m.group(), (first, last)))
    return refs


def _sessions(text: str, blocked: list[tuple[int, int]]) -> list[Reference]:
    refs: list[Reference] = []
    for m in _SESSION_CN.finditer(text):
        if _overlaps(m.start(), m.end(), blocked):
            continue
        numbers: list[int] = []
        for o in _SESSION_ORDINAL.finditer(m.group()):
            n = cjk_to_int(o["n"])
            if o["sep"] and numbers and n > numbers[-1]:
                numbers.extend(range(numbers[-1] + 1, n + 1))
            else:
                numbers.append(n)
        refs.append(Reference("session", m.start(), m.end(), m.group(), tuple(f"CSP{n}" for n in numbers)))
    for m in _SESSION_CSP.finditer(text):
        if not _overlaps(m.start(), m.end(), blocked):
            refs.append(Reference("session", m.start(), m.end(), m.group(), (f"CSP{int(m['n'])}",)))
    return refs


def _bodies(text: str, blocked: list[tuple[int, int]]) -> list[Reference]:
    refs: list[Reference] = []
    for m in _BODY.finditer(text):
        if _overlaps(m.start(), m.end(), blocked):
            continue
        key = BODY_ALIASES[m.group()]
        if key == "Secretariat" and text[: m.start()].rstrip(_WS).endswith(_NOT_ATT_SECRETARIAT):
            continue
        refs.append(Reference("body", m.start(), m.end(), m.group(), (key,)))
    return refs


# --- provisions ----------------------------------------------------------------------------------------


def _open_bracket(text: str, i: int) -> int | None:
    """Index after an opening round bracket at ``i`` (plain, full-width or Markdown-escaped)."""
    for opener in ("\\(", "(", "（"):
        if text.startswith(opener, i):
            return i + len(opener)
    return None


def _close_bracket(text: str, i: int) -> int | None:
    for closer in ("\\)", ")", "）"):
        if text.startswith(closer, i):
            return i + len(closer)
    return None


def _expand(numbers: list[tuple[str | None, int]]) -> list[int]:
    out: list[int] = []
    for op, n in numbers:
        if op in _RANGE_OPS and out and n > out[-1]:
            out.extend(range(out[-1] + 1, n + 1))
        else:
            out.append(n)
    return out


def _paragraph_numbers(text: str, i: int) -> tuple[int, list[int]] | None:
    """Read ``(1)-(3)款``, ``(2-4)款``, ``4 款`` … starting after ``第``; the end is after ``款``."""
    numbers: list[tuple[str | None, int]] = []
    op: str | None = None
    while True:
        i = _skip_ws(text, i)
        after = _open_bracket(text, i) or _close_bracket(text, i)
        if after is not None:
            i = after
            continue
        m = _PLAIN_NUMBER.match(text, i)
        if m:
            numbers.append((op, int(m.group())))
            op, i = None, m.end()
            continue
        sep = _starts(text, i, (*_RANGE_OPS, *_LIST_OPS))
        if sep and numbers and op is None:
            op = sep
            i = _skip_ws(text, i + len(sep))
            if text.startswith("第", i):
                i += 1
            continue
        if text.startswith("款", i) and numbers and op is None:
            return i + 1, _expand(numbers)
        return None


def _romans(text: str, i: int) -> tuple[int, list[str]] | None:
    """Read ``(i) 和 (ii)``, ``(i-iv)`` or ``(i)`` starting at ``i``."""
    found: list[str] = []
    pattern = re.compile(r"(i{1,3}|iv|vi{0,3}|ix|x)(?:[ \t]*[-–][ \t]*(i{1,3}|iv|vi{0,3}|ix|x))?")
    while True:
        j = _open_bracket(text, _skip_ws(text, i))
        m = pattern.match(text, j) if j is not None else None
        k = _close_bracket(text, m.end()) if m else None
        if m is None or k is None:
            break
        first, last = _ROMAN.index(m[1]), _ROMAN.index(m[2] or m[1])
        found.extend(_ROMAN[first : last + 1])
        i = k
        nxt = _skip_ws(text, i)
        sep = _starts(text, nxt, ("和", "、", "及", "至", "-"))
        if sep is None:
            break
        if _open_bracket(text, _skip_ws(text, nxt + len(sep))) is None:
            break
        i = nxt + len(sep)
    return (i, found) if found else None


def _article_phrase(text: str, i: int) -> tuple[int, list[str]] | None:
    """Read one ``第 … 条`` phrase with its paragraph, subparagraph and items, starting at ``第``."""
    j = _skip_ws(text, i + 1)
    m = _ARTICLE_NUMBER.match(text, j)
    if m is None:
        return None
    numbers: list[tuple[str | None, int]] = []
    dotted = m.group() if "." in m.group() else None
    if dotted is None:
        numbers.append((None, int(m.group())))
    j = m.end()
    while dotted is None:
        k = _skip_ws(text, j)
        sep = _starts(text, k, _ARTICLE_SEPARATORS)
        if sep is None:
            break
        k = _skip_ws(text, k + len(sep))
        if text.startswith("第", k):
            k = _skip_ws(text, k + 1)
        n = _PLAIN_NUMBER.match(text, k)
        if n is None:
            break
        after = _skip_ws(text, n.end())
        if not (text.startswith("条", after) or _starts(text, after, _ARTICLE_SEPARATORS)):
            break
        numbers.append((sep, int(n.group())))
        j = n.end()
    k = _skip_ws(text, j)
    if not text.startswith("条", k):
        return None
    end = k + 1
    if dotted is not None:
        return end, [dotted]
    articles = _expand(numbers)
    if len(articles) > 1:
        return end, [str(a) for a in articles]
    keys = [str(articles[0])]
    k = _skip_ws(text, end)
    if text.startswith("第", k):
        para = _paragraph_numbers(text, k + 1)
        if para is not None:
            end, paras = para
            more = _skip_ws(text, end)
            sep = _starts(text, more, _RANGE_OPS)
            if sep and text.startswith("第", _skip_ws(text, more + len(sep))):
                tail = _paragraph_numbers(text, _skip_ws(text, more + len(sep)) + 1)
                if tail is not None and tail[1][0] > paras[-1]:
                    end = tail[0]
                    paras = [*paras, *range(paras[-1] + 1, tail[1][0] + 1), *tail[1][1:]]
            keys = [f"{articles[0]}.{p}" for p in paras]
            end, keys = _subparagraph(text, end, keys)
    return end, keys


def _subparagraph(text: str, end: int, keys: list[str]) -> tuple[int, list[str]]:
    """Extend a single paragraph key with ``(h)``, ``(b) (i) 和 (ii)`` and a closing ``项``."""
    if len(keys) != 1:
        return end, keys
    j = _open_bracket(text, _skip_ws(text, end))
    if j is None or j >= len(text) or text[j] not in "abcdefgh":
        return end, keys
    k = _close_bracket(text, j + 1)
    if k is None:
        return end, keys
    letter, end = text[j], k
    keys = [f"{keys[0]}.{letter}"]
    items = _romans(text, end)
    if items is not None:
        end, romans = items
        keys = [f"{keys[0]}.{r}" for r in romans]
    k = _skip_ws(text, end)
    if text.startswith("项", k):
        end = k + 1
    return end, keys


def _names_other_instrument(text: str, i: int) -> bool:
    """Whether the text right before ``i`` names an instrument other than the Treaty."""
    before = text[:i].rstrip(_WS)
    if before and before[-1] in _TITLE_MARKS:
        start = before.rfind(_TITLE_MARKS[before[-1]])
        title = before[start + 1 : -1] if start >= 0 else ""
        return title not in _ATT_TITLES
    return before.endswith(_OTHER_TEXT_BEFORE)


def _provision_at(text: str, i: int) -> tuple[int, list[str]] | None:
    first = _article_phrase(text, i)
    if first is None:
        return None
    end, keys = first
    while True:
        k = _skip_ws(text, end)
        sep = _starts(text, k, _ARTICLE_SEPARATORS)
        if sep is None:
            break
        k = _skip_ws(text, k + len(sep))
        if not text.startswith("第", k):
            break
        nxt = _article_phrase(text, k)
        if nxt is None:
            break
        if sep in _RANGE_OPS and keys[-1].isdigit() and nxt[1] == [nxt[1][0]] and nxt[1][0].isdigit():
            keys.extend(str(a) for a in range(int(keys[-1]) + 1, int(nxt[1][0]) + 1))
        else:
            keys.extend(nxt[1])
        end = nxt[0]
    return end, keys


def _subgroup(text: str, start: int, end: int, keys: list[str]) -> Reference | None:
    key = ARTICLE_SUBGROUPS.get(frozenset(keys))
    if key is None:
        return None
    m = re.compile(rf"{_S}(?:[（(][^（）()]{{1,20}}[）)])?{_S}(?:工作{_S})?分组").match(text, end)
    return Reference("body", start, m.end(), text[start : m.end()], (key,)) if m else None


def _provisions(text: str, blocked: list[tuple[int, int]]) -> tuple[list[Reference], list[Reference]]:
    """Provision references and the sub-working-group body references named through them."""
    provisions: list[Reference] = []
    subgroups: list[Reference] = []
    last_end = 0
    for m in re.finditer(r"第(?=[ \t\u3000]*\d)", text):
        if m.start() < last_end or _overlaps(m.start(), m.start() + 1, blocked):
            continue
        found = _provision_at(text, m.start())
        if found is None:
            continue
        end, keys = found
        last_end = end
        if _names_other_instrument(text, m.start()):
            continue
        valid = tuple(dict.fromkeys(k for k in keys if k in VALID_PROVISION_KEYS))
        if valid:
            provisions.append(Reference("provision", m.start(), end, text[m.start() : end], valid))
        group = _subgroup(text, m.start(), end, keys)
        if group is not None:
            subgroups.append(group)
    for m in _BARE.finditer(text):
        if _overlaps(m.start("key"), m.end(), blocked):
            continue
        key = m["key"]
        keys = [key]
        if m["items"]:
            bounds = [b.strip() for b in re.split(r"[-–]", m["items"])]
            first, last = _ROMAN.index(bounds[0]), _ROMAN.index(bounds[-1])
            keys = [f"{key}.{r}" for r in _ROMAN[first : last + 1]]
        valid = tuple(k for k in keys if k in VALID_PROVISION_KEYS)
        if valid:
            start = m.start("key")
            provisions.append(Reference("provision", start, m.end(), text[start : m.end()], valid))
    return provisions, subgroups


# --- everything together -------------------------------------------------------------------------------


def _without_overlaps(refs: list[Reference]) -> list[Reference]:
    kept: list[Reference] = []
    for ref in sorted(refs, key=lambda r: (r.start, -(r.end - r.start))):
        if not kept or ref.start >= kept[-1].end:
            kept.append(ref)
    return kept


def extract_references(text: str) -> list[Reference]:
    """Every reference in ``text``, sorted by start offset; references of one kind never overlap.

    See the module docstring for what each kind covers and the rules that exclude false positives.
    """
    blocked = [m.span() for m in _OPAQUE.finditer(text)]
    symbols: list[Reference] = []
    for m in SYMBOL_PATTERN.finditer(text):
        if not _overlaps(m.start(), m.end(), blocked):
            symbols.append(Reference("symbol", m.start(), m.end(), m.group(), (parse_symbol(m.group()).canonical,)))
    blocked += [(r.start, r.end) for r in symbols]
    sessions = _without_overlaps(_sessions(text, blocked))
    provisions, subgroups = _provisions(text, blocked)
    bodies = _bodies(text, blocked + [(r.start, r.end) for r in sessions]) + subgroups
    dates = _dates(text, blocked)
    refs = [*symbols, *_without_overlaps(provisions), *sessions, *_without_overlaps(bodies)]
    refs += _without_overlaps([d for d in dates if d.kind == "date"])
    refs += _without_overlaps([d for d in dates if d.kind == "date-range"])
    return sorted(refs, key=lambda r: (r.start, KINDS.index(r.kind), r.end))
