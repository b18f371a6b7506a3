"""Inline debris of the PDF and Word conversion, cleaned out of one line of text: markdown links, bold and
italics, escapes, ``<sup>n</sup>`` and superscript note calls (which are returned as numbers)."""

from __future__ import annotations

import re

__all__ = ["SUPERSCRIPTS", "SUPER_TO_DIGIT", "clean_inline"]

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPER_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
_CALL = re.compile(r"<sup>(\d+)</sup>|([" + SUPERSCRIPTS + r"]+)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_STAR_PLACEHOLDER = "\x00"


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def _link_target_end(text: str, start: int, shown: str) -> int | None:
    """Index of the ``)`` closing a link target that starts at ``start``, or None.

    A target that repeats the shown text (a URL shown as itself) is skipped by length, since such
    URLs may hold unbalanced parentheses; otherwise parentheses are balanced.
    """
    if shown and text.startswith(shown + ")", start):
        return start + len(shown)
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char.isspace():
            return None
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index
            depth -= 1
    return None


def _strip_links(text: str) -> str:
    """``[shown](target)`` → ``shown`` (escapes inside ``shown`` kept for :func:`_unescape`)."""
    out: list[str] = []
    position = 0
    while True:
        opening = text.find("[", position)
        if opening < 0:
            break
        index = opening + 1
        while index < len(text) and text[index] != "]":
            index += 2 if text[index] == "\\" else 1
        if not text.startswith("](", index):
            out.append(text[position:opening + 1])
            position = opening + 1
            continue
        shown = text[opening + 1:index]
        end = _link_target_end(text, index + 2, _unescape(shown))
        if end is None:
            out.append(text[position:opening + 1])
            position = opening + 1
            continue
        out.append(text[position:opening])
        out.append(shown)
        position = end + 1
    out.append(text[position:])
    return "".join(out)


def clean_inline(text: str) -> tuple[str, tuple[int, ...]]:
    """Remove markdown debris from one line; return the clean text and the note numbers it calls.

    Links keep their shown text, ``<url>`` keeps the URL, emphasis markers go, escapes are resolved,
    and note calls (``<sup>3</sup>``, ``³``, ``¹⁰``) are removed and returned in order.
    """
    calls: list[int] = []

    def call(match: re.Match[str]) -> str:
        digits = match.group(1) or match.group(2).translate(SUPER_TO_DIGIT)
        calls.append(int(digits))
        return ""

    text = _strip_links(text)
    text = _CALL.sub(call, text)
    text = text.replace("\\*", _STAR_PLACEHOLDER).replace("*", "").replace(_STAR_PLACEHOLDER, "*")
    text = _unescape(text)
    text = _AUTOLINK.sub(r"\1", text)
    return text.strip(), tuple(calls)


# ---------------------------------------------------------------------------------------------
# Line patterns
