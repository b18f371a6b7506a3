"""How the converted text is laid out: the patterns of printed lines (paragraph numbers, items, bullets,
annexes, steps, notes …), the rules for where a sentence ends and how lines cut at a page break join, and the
document as logical lines (:func:`logical_lines`) with its title block (:func:`title_end`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .cleaning import SUPERSCRIPTS, clean_inline

__all__ = [
    "ANNEX",
    "APPENDIX",
    "BARE_URL",
    "BODY",
    "BOLD_LINE",
    "BULLET",
    "CJK",
    "CLOSERS",
    "CONTINUABLE",
    "DELTA",
    "DIGIT_NOTE",
    "HEADING_MAX",
    "LETTER_ITEM",
    "MD_HEADING",
    "NOTES",
    "NOT_HEADING_END",
    "NUMBERED_HEADING",
    "PARAGRAPH",
    "PAREN_ITEM",
    "ROMAN",
    "RULE_MIN",
    "SALUTATION_MAX",
    "SEPARATOR",
    "STEP",
    "SUPER_NOTE",
    "TABLE",
    "TERMINAL",
    "TOC_ENTRY",
    "WRAP_WIDTH",
    "Line",
    "ends_sentence",
    "hard_wrapped",
    "heading_like",
    "join",
    "logical_lines",
    "next_roman",
    "title_end",
]

SEPARATOR = re.compile(r"^(?:\\\*\\\*\\\*|\*\*\*|---)$")
MD_HEADING = re.compile(r"^#{1,6}\s+")
BOLD_LINE = re.compile(r"^\*\*([^*].*?)\*\*$")
ANNEX = re.compile(r"^附件\s*([A-Z]|\d+)?$")
APPENDIX = re.compile(r"^附录\s*(\d+)\s*(?:[.．]\s*(.*))?$")
STEP = re.compile(r"^第\s*(\d+)\s*步$")
TABLE = re.compile(r"^表\s*(\d+)\s*[.．]")
TOC_ENTRY = re.compile(r"\.{3,}\s*\d+\s*$")
PARAGRAPH = re.compile(r"^(\d{1,3})\.(?!\d)\s*(\S.*)$")
PAREN_ITEM = re.compile(r"^(\d{1,2})\)\s*(\S.*)$")
LETTER_ITEM = re.compile(r"^-\s*([a-z]{1,4})\.\s+(\S.*)$")
BULLET = re.compile(r"^([-—])\s*(.*)$")
DELTA = re.compile(r"^[Δ△]\s*")
NUMBERED_HEADING = re.compile(r"^(\d{1,2})\.\s*(\S.*)$")
SUPER_NOTE = re.compile(r"^([" + SUPERSCRIPTS + r"]+)\s*(.*)$")
DIGIT_NOTE = re.compile(r"^(\d{1,2})(?:\s+(\S.*)|(。))?$")
BARE_URL = re.compile(r"^https?://\S+$")
CJK = "\u4e00-\u9fff"

#: Characters after which a sentence is complete (a following line is not its continuation).
TERMINAL = "。！？.!?"
CLOSERS = "”’」』）)】]》"
#: A line ending in one of these is not a heading.
NOT_HEADING_END = "。；，、：！？,;:!?"
HEADING_MAX = 80
SALUTATION_MAX = 6
WRAP_WIDTH = 60
#: A whitespace-only line at least this long is the footnote rule of a PDF page.
RULE_MIN = 20

ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")

#: Kinds a later line may continue (a page break cut them, or a line break inside a block).
CONTINUABLE = {"paragraph", "subitem", "text", "bullet", "question", "footnote", "endnote", "step"}
#: Kinds that are body text (cut at page breaks, continued after footnotes).
BODY = {"paragraph", "subitem", "text", "bullet", "question", "step"}
NOTES = {"footnote", "endnote"}


def ends_sentence(text: str) -> bool:
    """Whether a unit's text is complete, so that a following line cannot continue it.

    Complete: it ends a sentence (。！？ before any closing quotes or brackets), it is a short
    salutation or closing ending in a comma (各位，/ 此致，), or it is one parenthesised remark.
    """
    stripped = text.rstrip(CLOSERS + " ")
    if stripped and stripped[-1] in TERMINAL:
        return True
    if len(text) <= SALUTATION_MAX and text.endswith("，"):
        return True
    return text[:1] in "(（" and text[-1:] in ")）"


def join(left: str, right: str) -> str:
    """Join a line cut at a page break: no space between Chinese characters, one next to Latin."""
    if not left:
        return right
    if not right:
        return left
    if left.endswith("-"):
        return left + right
    latin_left = left[-1].isascii() and left[-1].isalnum()
    latin_right = right[0].isascii() and right[0].isalnum()
    if latin_left or (latin_right and not unicodedata.category(left[-1]).startswith("P")):
        return f"{left} {right}"
    return left + right


def heading_like(text: str) -> bool:
    return (
        0 < len(text) <= HEADING_MAX
        and not any(mark in text for mark in "。，；")
        and text[-1] not in NOT_HEADING_END
        and text[0] not in "(（[-—"
    )


def next_roman(value: str) -> str | None:
    index = ROMAN.index(value) if value in ROMAN else -1
    return ROMAN[index + 1] if 0 <= index < len(ROMAN) - 1 else None



@dataclass(frozen=True)
class Line:
    no: int
    raw: str
    blank_before: bool
    hard_break: bool
    rule: bool = False


def logical_lines(text: str) -> list[Line]:
    """The non-blank lines, with whether a blank line precedes each and whether it ends in a hard break.

    A long whitespace-only line (the footnote rule of a PDF page) is kept as a ``rule`` line.
    ``**A****B**`` (two bold runs glued together) is split into two lines with the same number.
    """
    lines: list[Line] = []
    blank = True
    for no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            if len(raw) >= RULE_MIN:
                lines.append(Line(no, "", True, False, rule=True))
            blank = True
            continue
        hard = raw.endswith("  ")
        pieces = [raw]
        if "****" in raw:
            head, tail = raw.split("****", 1)
            pieces = [head + "**", "**" + tail]
        for index, piece in enumerate(pieces):
            lines.append(Line(no, piece, blank or index > 0, hard and index == len(pieces) - 1))
        blank = False
    return lines


def hard_wrapped(lines: list[Line]) -> bool:
    """Whether the converter wrapped every paragraph at a fixed width (one printed line per line).

    In such a document nine lines in ten are short, and a line after a full stop may still belong
    to the paragraph above it.
    """
    lengths = sorted(len(line.raw.strip()) for line in lines if not line.rule)
    return bool(lengths) and lengths[(len(lengths) * 9) // 10] < WRAP_WIDTH


def title_end(lines: list[Line]) -> int:
    """Index of the first line after the document's title block.

    The block ends before a line ending in a comma (a salutation) or before the heading that
    directly precedes the first numbered paragraph.
    """
    for index, line in enumerate(lines):
        if line.rule:
            continue
        text, _ = clean_inline(MD_HEADING.sub("", line.raw.strip()))
        if text.endswith("，"):
            return index
        following = next((item for item in lines[index + 1:] if not item.rule), None)
        if following is not None and PARAGRAPH.match(following.raw.strip()):
            return index
    return 0
