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
from datetime import date

from .cjk import CJK_NUMERAL_CHARS, cjk_to_int
from .names import ARTICLE_SUBGROUPS, BODY_ALIASES, BODY_KEYS, VALID_PROVISION_KEYS
from .provisions import provisions as find_provisions
from .spans import KINDS, WS, Reference, S, overlaps, without_overlaps
from .symbols import SYMBOL_PATTERN, parse_symbol

__all__ = [
    "ARTICLE_SUBGROUPS",
    "BODY_ALIASES",
    "BODY_KEYS",
    "KINDS",
    "VALID_PROVISION_KEYS",
    "Reference",
    "extract_references",
]

_NOT_ATT_SECRETARIAT = ("联合国", "公约", "议定书", "安排")


def _alias_pattern(alias: str) -> str:
    if alias.isascii():
        tail = r"(?![ \t]*\d)" if alias == "CSP" else ""
        return rf"(?<![A-Za-z0-9_]){re.escape(alias)}(?![A-Za-z0-9_]){tail}"
    return re.escape(alias)


_BODY = re.compile("|".join(_alias_pattern(a) for a in sorted(BODY_ALIASES, key=len, reverse=True)))


_OPAQUE = re.compile(r"(?:https?://|www\.)[!-~]+|[!-~]*%[0-9A-Fa-f]{2}[!-~]*")

_DATE = re.compile(
    rf"(?<![0-9])(?P<y>\d{{4}}){S}年{S}(?P<m>\d{{1,2}}){S}月{S}(?P<d>\d{{1,2}}){S}日"
    rf"(?:{S}(?:至|到|-|–|—|~|～){S}(?:(?P<y2>\d{{4}}){S}年{S}(?=\d{{1,2}}{S}月))?"
    rf"(?:(?P<m2>\d{{1,2}}){S}月{S})?(?P<d2>\d{{1,2}}){S}日)?"
)

_ORDINAL = rf"第{S}(?:[{CJK_NUMERAL_CHARS}]+|\d{{1,2}}){S}[届次]"
_SESSION_CN = re.compile(
    rf"{_ORDINAL}(?:{S}(?:、|和|及|与|或|至|到|-|–){S}{_ORDINAL})*"
    rf"(?:{S}《?武器贸易条约》?{S}(?:[（(]ATT[）)])?)?{S}(?:缔约国|缔约方)会议(?:{S}周期)?"
)
_SESSION_ORDINAL = re.compile(rf"(?P<sep>至|到|-|–)?{S}第{S}(?P<n>[{CJK_NUMERAL_CHARS}]+|\d{{1,2}}){S}[届次]")
_SESSION_CSP = re.compile(r"(?<![A-Za-z0-9_])CSP(?P<n>\d{1,2})(?![A-Za-z0-9_])(?:[ \t]*周期)?")


# --- dates and sessions --------------------------------------------------------------------------------


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _dates(text: str, blocked: list[tuple[int, int]]) -> list[Reference]:
    refs: list[Reference] = []
    for m in _DATE.finditer(text):
        if overlaps(m.start(), m.end(), blocked):
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
        if overlaps(m.start(), m.end(), blocked):
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
        if not overlaps(m.start(), m.end(), blocked):
            refs.append(Reference("session", m.start(), m.end(), m.group(), (f"CSP{int(m['n'])}",)))
    return refs


def _bodies(text: str, blocked: list[tuple[int, int]]) -> list[Reference]:
    refs: list[Reference] = []
    for m in _BODY.finditer(text):
        if overlaps(m.start(), m.end(), blocked):
            continue
        key = BODY_ALIASES[m.group()]
        if key == "Secretariat" and text[: m.start()].rstrip(WS).endswith(_NOT_ATT_SECRETARIAT):
            continue
        refs.append(Reference("body", m.start(), m.end(), m.group(), (key,)))
    return refs


# --- everything together -------------------------------------------------------------------------------


def extract_references(text: str) -> list[Reference]:
    """Every reference in ``text``, sorted by start offset; references of one kind never overlap.

    See the module docstring for what each kind covers and the rules that exclude false positives.
    """
    blocked = [m.span() for m in _OPAQUE.finditer(text)]
    symbols: list[Reference] = []
    for m in SYMBOL_PATTERN.finditer(text):
        if not overlaps(m.start(), m.end(), blocked):
            symbols.append(Reference("symbol", m.start(), m.end(), m.group(), (parse_symbol(m.group()).canonical,)))
    blocked += [(r.start, r.end) for r in symbols]
    sessions = without_overlaps(_sessions(text, blocked))
    provisions, subgroups = find_provisions(text, blocked)
    bodies = _bodies(text, blocked + [(r.start, r.end) for r in sessions]) + subgroups
    dates = _dates(text, blocked)
    refs = [*symbols, *without_overlaps(provisions), *sessions, *without_overlaps(bodies)]
    refs += without_overlaps([d for d in dates if d.kind == "date"])
    refs += without_overlaps([d for d in dates if d.kind == "date-range"])
    return sorted(refs, key=lambda r: (r.start, KINDS.index(r.kind), r.end))
