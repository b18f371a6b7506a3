"""References to the Treaty's provisions in Chinese text: ``第 7 条第(4)款``, lists and ranges of articles,
paragraphs, subparagraphs and items, and bare dotted keys in brackets (the rules are in
:mod:`attgraph.ingest.references`); also the WGETI sub-working groups named through their articles."""

from __future__ import annotations

import re

from .names import ARTICLE_SUBGROUPS, ROMAN, VALID_PROVISION_KEYS
from .spans import WS, Reference, S, overlaps, skip_ws, starts

__all__ = ["provisions"]

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
        i = skip_ws(text, i)
        after = _open_bracket(text, i) or _close_bracket(text, i)
        if after is not None:
            i = after
            continue
        m = _PLAIN_NUMBER.match(text, i)
        if m:
            numbers.append((op, int(m.group())))
            op, i = None, m.end()
            continue
        sep = starts(text, i, (*_RANGE_OPS, *_LIST_OPS))
        if sep and numbers and op is None:
            op = sep
            i = skip_ws(text, i + len(sep))
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
        j = _open_bracket(text, skip_ws(text, i))
        m = pattern.match(text, j) if j is not None else None
        k = _close_bracket(text, m.end()) if m else None
        if m is None or k is None:
            break
        first, last = ROMAN.index(m[1]), ROMAN.index(m[2] or m[1])
        found.extend(ROMAN[first : last + 1])
        i = k
        nxt = skip_ws(text, i)
        sep = starts(text, nxt, ("和", "、", "及", "至", "-"))
        if sep is None:
            break
        if _open_bracket(text, skip_ws(text, nxt + len(sep))) is None:
            break
        i = nxt + len(sep)
    return (i, found) if found else None


def _article_phrase(text: str, i: int) -> tuple[int, list[str]] | None:
    """Read one ``第 … 条`` phrase with its paragraph, subparagraph and items, starting at ``第``."""
    j = skip_ws(text, i + 1)
    m = _ARTICLE_NUMBER.match(text, j)
    if m is None:
        return None
    numbers: list[tuple[str | None, int]] = []
    dotted = m.group() if "." in m.group() else None
    if dotted is None:
        numbers.append((None, int(m.group())))
    j = m.end()
    while dotted is None:
        k = skip_ws(text, j)
        sep = starts(text, k, _ARTICLE_SEPARATORS)
        if sep is None:
            break
        k = skip_ws(text, k + len(sep))
        if text.startswith("第", k):
            k = skip_ws(text, k + 1)
        n = _PLAIN_NUMBER.match(text, k)
        if n is None:
            break
        after = skip_ws(text, n.end())
        if not (text.startswith("条", after) or starts(text, after, _ARTICLE_SEPARATORS)):
            break
        numbers.append((sep, int(n.group())))
        j = n.end()
    k = skip_ws(text, j)
    if not text.startswith("条", k):
        return None
    end = k + 1
    if dotted is not None:
        return end, [dotted]
    articles = _expand(numbers)
    if len(articles) > 1:
        return end, [str(a) for a in articles]
    keys = [str(articles[0])]
    k = skip_ws(text, end)
    if text.startswith("第", k):
        para = _paragraph_numbers(text, k + 1)
        if para is not None:
            end, paras = para
            more = skip_ws(text, end)
            sep = starts(text, more, _RANGE_OPS)
            if sep and text.startswith("第", skip_ws(text, more + len(sep))):
                tail = _paragraph_numbers(text, skip_ws(text, more + len(sep)) + 1)
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
    j = _open_bracket(text, skip_ws(text, end))
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
    k = skip_ws(text, end)
    if text.startswith("项", k):
        end = k + 1
    return end, keys


def _names_other_instrument(text: str, i: int) -> bool:
    """Whether the text right before ``i`` names an instrument other than the Treaty."""
    before = text[:i].rstrip(WS)
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
        k = skip_ws(text, end)
        sep = starts(text, k, _ARTICLE_SEPARATORS)
        if sep is None:
            break
        k = skip_ws(text, k + len(sep))
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
    m = re.compile(rf"{S}(?:[（(][^（）()]{{1,20}}[）)])?{S}(?:工作{S})?分组").match(text, end)
    return Reference("body", start, m.end(), text[start : m.end()], (key,)) if m else None


def provisions(text: str, blocked: list[tuple[int, int]]) -> tuple[list[Reference], list[Reference]]:
    """Provision references and the sub-working-group body references named through them."""
    provisions: list[Reference] = []
    subgroups: list[Reference] = []
    last_end = 0
    for m in re.finditer(r"第(?=[ \t\u3000]*\d)", text):
        if m.start() < last_end or overlaps(m.start(), m.start() + 1, blocked):
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
        if overlaps(m.start("key"), m.end(), blocked):
            continue
        key = m["key"]
        keys = [key]
        if m["items"]:
            bounds = [b.strip() for b in re.split(r"[-–]", m["items"])]
            first, last = ROMAN.index(bounds[0]), ROMAN.index(bounds[-1])
            keys = [f"{key}.{r}" for r in ROMAN[first : last + 1]]
        valid = tuple(k for k in keys if k in VALID_PROVISION_KEYS)
        if valid:
            start = m.start("key")
            provisions.append(Reference("provision", start, m.end(), text[start : m.end()], valid))
    return provisions, subgroups
