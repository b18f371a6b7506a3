"""Cut one source document (Chinese text converted from PDF or Word) into units.

A unit is a title block, heading, numbered paragraph, sub-item, bullet point, question, annex,
appendix, step, table, table row, footnote, endnote or other text, with its exact text, its place in
the document (a path such as ``p12/a`` or ``annex-1/step-3/b2``) and the line it starts on. The path
scheme and every kind of mess handled here are documented in ``docs/source-units.md``.

The conversion left debris that is handled here, never by editing the sources: markdown links
``[text](#)``, ``**bold**``, ``*italic*``, ``#### headings``, escaped ``\\*\\*\\*`` separators,
``<sup>n</sup>`` and superscript note calls, lines cut at page breaks (with footnotes printed in
between), footnote separators and link targets printed at the foot of a page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from attgraph.errors import AttgraphError

__all__ = ["KINDS", "SegmentationError", "Unit", "clean_inline", "segment"]

#: Every kind of unit, in the order they are documented.
KINDS: tuple[str, ...] = (
    "title", "heading", "paragraph", "subitem", "annex", "appendix", "step", "bullet", "question",
    "table", "row", "footnote", "endnote", "text",
)


class SegmentationError(AttgraphError):
    """A source document has a structure the segmenter cannot place (a duplicate path, say)."""

    code = "segmentation_error"
    status = 500


@dataclass(frozen=True)
class Unit:
    """One unit of a source document.

    ``path`` is unique in the document and names the unit in its IRI; ``parent`` is the path of the
    enclosing unit (always ``path`` minus its last segment) or None at top level; ``order`` is the
    0-based document order; ``line`` the 1-based line of the source file the unit starts on;
    ``notes`` the paths of the footnotes or endnotes the unit calls.
    """

    source_key: str
    path: str
    kind: str
    number: str | None
    text: str
    parent: str | None
    order: int
    line: int
    notes: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Inline cleaning
# ---------------------------------------------------------------------------------------------

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = str.maketrans(_SUPERSCRIPTS, "0123456789")
_CALL = re.compile(r"<sup>(\d+)</sup>|([" + _SUPERSCRIPTS + r"]+)")
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
        digits = match.group(1) or match.group(2).translate(_SUPER_TO_DIGIT)
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
# ---------------------------------------------------------------------------------------------

_SEPARATOR = re.compile(r"^(?:\\\*\\\*\\\*|\*\*\*|---)$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_BOLD_LINE = re.compile(r"^\*\*([^*].*?)\*\*$")
_ANNEX = re.compile(r"^附件\s*([A-Z]|\d+)?$")
_APPENDIX = re.compile(r"^附录\s*(\d+)\s*(?:[.．]\s*(.*))?$")
_STEP = re.compile(r"^第\s*(\d+)\s*步$")
_TABLE = re.compile(r"^表\s*(\d+)\s*[.．]")
_TOC_ENTRY = re.compile(r"\.{3,}\s*\d+\s*$")
_PARAGRAPH = re.compile(r"^(\d{1,3})\.(?!\d)\s*(\S.*)$")
_PAREN_ITEM = re.compile(r"^(\d{1,2})\)\s*(\S.*)$")
_LETTER_ITEM = re.compile(r"^-\s*([a-z]{1,4})\.\s+(\S.*)$")
_BULLET = re.compile(r"^([-—])\s*(.*)$")
_DELTA = re.compile(r"^[Δ△]\s*")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2})\.\s*(\S.*)$")
_SUPER_NOTE = re.compile(r"^([" + _SUPERSCRIPTS + r"]+)\s*(.*)$")
_DIGIT_NOTE = re.compile(r"^(\d{1,2})(?:\s+(\S.*)|(。))?$")
_BARE_URL = re.compile(r"^https?://\S+$")
_CJK = "\u4e00-\u9fff"

#: Characters after which a sentence is complete (a following line is not its continuation).
_TERMINAL = "。！？.!?"
_CLOSERS = "”’」』）)】]》"
#: A line ending in one of these is not a heading.
_NOT_HEADING_END = "。；，、：！？,;:!?"
_HEADING_MAX = 80
_SALUTATION_MAX = 6
_WRAP_WIDTH = 60
#: A whitespace-only line at least this long is the footnote rule of a PDF page.
_RULE_MIN = 20

_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")

#: Kinds a later line may continue (a page break cut them, or a line break inside a block).
_CONTINUABLE = {"paragraph", "subitem", "text", "bullet", "question", "footnote", "endnote", "step"}
#: Kinds that are body text (cut at page breaks, continued after footnotes).
_BODY = {"paragraph", "subitem", "text", "bullet", "question", "step"}
_NOTES = {"footnote", "endnote"}


def _ends_sentence(text: str) -> bool:
    """Whether a unit's text is complete, so that a following line cannot continue it.

    Complete: it ends a sentence (。！？ before any closing quotes or brackets), it is a short
    salutation or closing ending in a comma (各位，/ 此致，), or it is one parenthesised remark.
    """
    stripped = text.rstrip(_CLOSERS + " ")
    if stripped and stripped[-1] in _TERMINAL:
        return True
    if len(text) <= _SALUTATION_MAX and text.endswith("，"):
        return True
    return text[:1] in "(（" and text[-1:] in ")）"


def _join(left: str, right: str) -> str:
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


def _heading_like(text: str) -> bool:
    return (
        0 < len(text) <= _HEADING_MAX
        and not any(mark in text for mark in "。，；")
        and text[-1] not in _NOT_HEADING_END
        and text[0] not in "(（[-—"
    )


def _next_roman(value: str) -> str | None:
    index = _ROMAN.index(value) if value in _ROMAN else -1
    return _ROMAN[index + 1] if 0 <= index < len(_ROMAN) - 1 else None


# ---------------------------------------------------------------------------------------------
# Logical lines
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    no: int
    raw: str
    blank_before: bool
    hard_break: bool
    rule: bool = False


def _logical_lines(text: str) -> list[_Line]:
    """The non-blank lines, with whether a blank line precedes each and whether it ends in a hard break.

    A long whitespace-only line (the footnote rule of a PDF page) is kept as a ``rule`` line.
    ``**A****B**`` (two bold runs glued together) is split into two lines with the same number.
    """
    lines: list[_Line] = []
    blank = True
    for no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            if len(raw) >= _RULE_MIN:
                lines.append(_Line(no, "", True, False, rule=True))
            blank = True
            continue
        hard = raw.endswith("  ")
        pieces = [raw]
        if "****" in raw:
            head, tail = raw.split("****", 1)
            pieces = [head + "**", "**" + tail]
        for index, piece in enumerate(pieces):
            lines.append(_Line(no, piece, blank or index > 0, hard and index == len(pieces) - 1))
        blank = False
    return lines


def _hard_wrapped(lines: list[_Line]) -> bool:
    """Whether the converter wrapped every paragraph at a fixed width (one printed line per line).

    In such a document nine lines in ten are short, and a line after a full stop may still belong
    to the paragraph above it.
    """
    lengths = sorted(len(line.raw.strip()) for line in lines if not line.rule)
    return bool(lengths) and lengths[(len(lengths) * 9) // 10] < _WRAP_WIDTH


def _title_end(lines: list[_Line]) -> int:
    """Index of the first line after the document's title block.

    The block ends before a line ending in a comma (a salutation) or before the heading that
    directly precedes the first numbered paragraph.
    """
    for index, line in enumerate(lines):
        if line.rule:
            continue
        text, _ = clean_inline(_MD_HEADING.sub("", line.raw.strip()))
        if text.endswith("，"):
            return index
        following = next((item for item in lines[index + 1:] if not item.rule), None)
        if following is not None and _PARAGRAPH.match(following.raw.strip()):
            return index
    return 0


# ---------------------------------------------------------------------------------------------
# The segmenter
# ---------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    path: str
    kind: str
    number: str | None
    text: str
    parent: str | None
    line: int
    calls: list[int] = field(default_factory=list)
    delta: bool = False
    sealed: bool = False


@dataclass(frozen=True)
class _Piece:
    """One logical line as the handlers see it."""

    line: _Line
    stripped: str
    bare: str
    text: str
    calls: tuple[int, ...]
    markdown_heading: bool
    hard_before: bool
    group_follows: bool


@dataclass
class _SubList:
    parent: str
    style: str
    last: str


class _Segmenter:
    """A line-by-line state machine; one instance per document."""

    def __init__(self, key: str, wrapped: bool) -> None:
        self.key = key
        self.wrapped = wrapped
        self.drafts: list[_Draft] = []
        self.paths: set[str] = set()
        self.counters: dict[tuple[str | None, str], int] = {}
        self.container: str | None = None
        self.annex: str | None = None
        self.last_para: _Draft | None = None
        self.anchor: _Draft | None = None
        self.step: _Draft | None = None
        self.prev: _Draft | None = None
        self.open_body: _Draft | None = None
        self.sublist: _SubList | None = None
        self.pending: str | None = None
        self.note_zone = False
        self.endnotes = False
        self.mode: str | None = None
        self.table: _Draft | None = None
        self.prev_hard_break = False

    # -- helpers -----------------------------------------------------------------------------

    def _child(self, parent: str | None, segment: str) -> str:
        return segment if parent is None else f"{parent}/{segment}"

    def _count(self, parent: str | None, prefix: str) -> int:
        value = self.counters.get((parent, prefix), 0) + 1
        self.counters[(parent, prefix)] = value
        return value

    def _add(self, line: int, kind: str, parent: str | None, segment: str, number: str | None,
             text: str, calls: tuple[int, ...] = (), sealed: bool = False) -> _Draft:
        path = self._child(parent, segment)
        if path in self.paths:
            raise SegmentationError(
                f"{self.key}: line {line}: a second unit with path {path!r}",
                {"source": self.key, "line": line, "path": path},
            )
        self.paths.add(path)
        draft = _Draft(path, kind, number, text, parent, line, list(calls), sealed=sealed)
        self.drafts.append(draft)
        self.prev = draft
        if kind in _BODY and not sealed:
            self.open_body = draft
        return draft

    def _append(self, draft: _Draft, text: str, calls: tuple[int, ...], separator: str | None) -> None:
        if separator is None:
            draft.text = _join(draft.text, text)
        else:
            draft.text = f"{draft.text}{separator}{text}" if draft.text else text
        draft.calls.extend(calls)
        self.prev = draft

    def _reset_section(self) -> None:
        self.step = None
        self.sublist = None
        self.open_body = None

    # -- the title block ---------------------------------------------------------------------

    def title(self, lines: list[_Line]) -> None:
        """The document's opening lines, one per printed line, as the ``title`` unit."""
        texts: list[str] = []
        calls: list[int] = []
        for line in lines:
            if line.rule:
                continue
            text, found = clean_inline(_MD_HEADING.sub("", line.raw.strip()))
            texts.append(text)
            calls.extend(found)
        if texts:
            first = next(line.no for line in lines if not line.rule)
            self._add(first, "title", None, "title", None, "\n".join(texts), tuple(calls))
            self.prev = None

    # -- one line ----------------------------------------------------------------------------

    def feed(self, line: _Line, group_follows: bool) -> None:
        """Place one logical line: a new unit, or the continuation of an earlier one.

        ``group_follows`` says the line ends in a hard break and the next line belongs to its block.
        The handlers are tried in order; the first that takes the line wins.
        """
        hard_before = self.prev_hard_break and not line.blank_before
        self.prev_hard_break = line.hard_break
        if line.rule:
            self.note_zone = True
            return
        stripped = line.raw.strip()
        bare = _MD_HEADING.sub("", stripped)
        text, calls = clean_inline(bare)
        piece = _Piece(line, stripped, bare, text, calls, bare != stripped, hard_before, group_follows)
        handlers = (
            self._table_or_toc, self._separator, self._note_line, self._container_line, self._title_line,
            self._hard_broken, self._marked_heading, self._step_text, self._table_caption, self._numbered,
            self._item, self._block_start, self._continuation, self._plain_heading,
        )
        if text and not any(handler(piece) for handler in handlers):
            self._text(line.no, text, calls)

    # -- line handlers: each returns True when it placed the line ------------------------------

    def _table_or_toc(self, piece: _Piece) -> bool:
        line = piece.line
        if self.mode == "table" and "\t" in line.raw and self.table is not None:
            row = f"row-{self._count(self.table.path, 'row')}"
            self._add(line.no, "row", self.table.path, row, None, line.raw.strip(" \r\n"), sealed=True)
            return True
        if self.mode == "toc" and _TOC_ENTRY.search(piece.stripped):
            toc = self._child(self.container, "toc")
            self._add(line.no, "text", toc, str(self._count(toc, "entry")), None, piece.stripped, sealed=True)
            return True
        self.mode = None
        return False

    def _separator(self, piece: _Piece) -> bool:
        if not _SEPARATOR.match(piece.stripped):
            return False
        self.note_zone = piece.stripped == "---"
        self.open_body = None
        self.prev = None
        return True

    def _note_line(self, piece: _Piece) -> bool:
        """A footnote or endnote (superscript number), or in a footnote zone a digit note or a URL."""
        if self.note_zone:
            digit = _DIGIT_NOTE.match(piece.text)
            if digit:
                body = digit.group(2) or digit.group(3) or ""
                self._note(piece.line.no, int(digit.group(1)), body, piece.calls)
                return True
            if _BARE_URL.match(piece.text):
                segment = f"url-{self._count(self.container, 'url')}"
                self._add(piece.line.no, "text", self.container, segment, None, piece.text, sealed=True)
                return True
            self.note_zone = False
        note = _SUPER_NOTE.match(piece.bare)
        if not note:
            return False
        body, calls = clean_inline(note.group(2))
        self._note(piece.line.no, int(note.group(1).translate(_SUPER_TO_DIGIT)), body, calls)
        return True

    def _container_line(self, piece: _Piece) -> bool:
        """An annex (附件 A), an appendix (附录 1) or a step (第3步): each opens a new container."""
        no, text = piece.line.no, piece.text
        annex = _ANNEX.match(text)
        if annex:
            number = annex.group(1)
            path = "annex" if number is None else f"annex-{number}"
            self._add(no, "annex", None, path, number, text)
            self.container = self.annex = path
            self._enter_container()
            self.pending = "title"
            return True
        appendix = _APPENDIX.match(text)
        if appendix:
            segment = f"appendix-{appendix.group(1)}"
            self._add(no, "appendix", self.annex, segment, appendix.group(1), text)
            self.container = self._child(self.annex, segment)
            self._enter_container()
            self.pending = None if appendix.group(2) else "title"
            return True
        step = _STEP.match(text)
        if step:
            self.step = self.anchor = self._add(no, "step", self.container, f"step-{step.group(1)}", text, "")
            self.sublist = None
            self.pending = "step"
            return True
        return False

    def _title_line(self, piece: _Piece) -> bool:
        """The first block after an annex or appendix label is its title."""
        if self.pending != "title":
            return False
        self.pending = None
        if piece.markdown_heading or _is_item(piece.stripped):
            return False
        self._add(piece.line.no, "title", self.container, "title", None, piece.text, piece.calls)
        return True

    def _hard_broken(self, piece: _Piece) -> bool:
        """A line after a markdown hard break (two trailing spaces) joins its block with a newline."""
        prev = self.prev
        if not piece.hard_before or prev is None or prev.sealed or prev.kind not in _CONTINUABLE | {"title"}:
            return False
        self._append(prev, piece.text, piece.calls, "\n")
        return True

    def _marked_heading(self, piece: _Piece) -> bool:
        if piece.markdown_heading or _BOLD_LINE.match(piece.stripped):
            self._heading(piece.line.no, piece.text)
            return True
        return False

    def _step_text(self, piece: _Piece) -> bool:
        """The block after 第n步 is what the step says."""
        if self.pending != "step" or self.step is None:
            return False
        self.pending = None
        self._append(self.step, piece.text, piece.calls, "")
        self.open_body = self.step
        return True

    def _table_caption(self, piece: _Piece) -> bool:
        table = _TABLE.match(piece.text)
        if not table:
            return False
        number = table.group(1)
        self.table = self._add(piece.line.no, "table", self.container, f"table-{number}", number, piece.text,
                               piece.calls)
        self.mode = "table"
        self.open_body = None
        return True

    def _block_start(self, piece: _Piece) -> bool:
        """The first line of a block of hard-broken lines (a signature) opens a text unit."""
        if piece.group_follows:
            self._text(piece.line.no, piece.text, piece.calls)
            return True
        return False

    def _continuation(self, piece: _Piece) -> bool:
        """A line that continues an earlier unit: in the same block, after a page break, after notes.

        In order: a line right under a continuable unit (no blank line) unless it looks like a
        heading; a line after a unit cut mid-sentence (a heading-like line only if the cut unit does
        not end in a closing bracket or quote); a line that does not look like a heading — in a
        hard-wrapped document after any body unit, elsewhere only after a footnote or endnote.
        """
        text, calls, prev = piece.text, piece.calls, self.prev
        heading_like = _heading_like(text)
        if prev is not None and not piece.line.blank_before and prev.kind in _CONTINUABLE \
                and not prev.sealed and not heading_like:
            self._append(prev, text, calls, "\n" if _ends_sentence(prev.text) else None)
            return True
        body = self.open_body
        if body is not None and not _ends_sentence(body.text) and (not heading_like or body.text[-1] not in _CLOSERS):
            self._append(body, text, calls, None)
            return True
        if heading_like:
            return False
        if self.wrapped and body is not None:
            self._append(body, text, calls, None)
            return True
        if prev is not None and prev.kind in _NOTES:
            self._append(prev, text, calls, None)
            return True
        return False

    def _plain_heading(self, piece: _Piece) -> bool:
        if _heading_like(piece.text):
            self._heading(piece.line.no, piece.text)
            return True
        return False

    # -- unit makers -------------------------------------------------------------------------

    def _enter_container(self) -> None:
        self.last_para = None
        self.anchor = None
        self.prev = None
        self.mode = None
        self.note_zone = False
        self._reset_section()

    def _note(self, line: int, number: int, text: str, calls: tuple[int, ...]) -> None:
        kind = "endnote" if self.endnotes else "footnote"
        segment = f"fn-{number}" if kind == "footnote" else f"endnote-{number}"
        self._add(line, kind, self.annex, segment, str(number), text, calls)

    def _heading(self, line: int, text: str) -> None:
        if text == "目录":
            self._add(line, "heading", self.container, "toc", None, text)
            self.mode = "toc"
        else:
            number = None
            numbered = _NUMBERED_HEADING.match(text)
            if numbered:
                number, text = numbered.group(1), numbered.group(2)
            segment = f"h{self._count(self.container, 'h')}"
            self.anchor = self._add(line, "heading", self.container, segment, number, text)
            if text == "尾注":
                self.endnotes = True
        self._reset_section()

    def _text(self, line: int, text: str, calls: tuple[int, ...]) -> None:
        if self.step is not None:
            parent: str | None = self.step.path
        elif (self.last_para is not None and self.prev is not None
              and self.prev.path.startswith(self.last_para.path + "/")):
            parent = self.last_para.path
        else:
            parent = self.container
        self.anchor = self._add(line, "text", parent, f"t{self._count(parent, 't')}", None, text, calls)
        self.sublist = None

    def _numbered(self, piece: _Piece) -> bool:
        """A numbered paragraph (``12. …``), or an item of a numbered list restarting under one."""
        line = piece.line
        match = _PARAGRAPH.match(piece.stripped)
        if not match:
            return False
        number = int(match.group(1))
        body, calls = clean_inline(match.group(2))
        last = int(self.last_para.number or 0) if self.last_para is not None else None
        sub = self.sublist
        continues = (sub is not None and sub.style == "number" and number == int(sub.last) + 1
                     and not (last is not None and number == last + 1))
        starts = (last is not None and number == 1 and self.last_para is not None
                  and self.prev is self.last_para and self.last_para.text.endswith("："))
        if continues or starts:
            assert self.last_para is not None
            parent = self.last_para.path
            kind = "question" if body.endswith("？") else "subitem"
            self._add(line.no, kind, parent, str(number), str(number), body, calls)
            self.sublist = _SubList(parent, "number", str(number))
            return True
        if last is not None and number <= last:
            raise SegmentationError(
                f"{self.key}: line {line.no}: paragraph {number} after paragraph {last}",
                {"source": self.key, "line": line.no},
            )
        self.last_para = self.anchor = self._add(
            line.no, "paragraph", self.container, f"p{number}", str(number), body, calls)
        self.step = None
        self.sublist = None
        return True

    def _item(self, piece: _Piece) -> bool:
        """A sub-item (``a.``, ``ii.``, ``1)``), a bullet point or a bulleted question."""
        line, stripped = piece.line, piece.stripped
        paren = _PAREN_ITEM.match(stripped)
        if paren and self.anchor is not None:
            number = paren.group(1)
            sub = self.sublist
            follows = (sub is not None and sub.style == "paren" and sub.parent == self.anchor.path
                       and int(number) == int(sub.last) + 1)
            starts = number == "1" and self.prev is self.anchor and self.anchor.text.endswith("：")
            if follows or starts:
                body, calls = clean_inline(paren.group(2))
                self._add(line.no, "subitem", self.anchor.path, number, number, body, calls)
                self.sublist = _SubList(self.anchor.path, "paren", number)
                return True
            return False
        letter = _LETTER_ITEM.match(stripped)
        if letter and self.anchor is not None:
            value = letter.group(1)
            style = self._letter_style(value)
            if style is not None:
                body, calls = clean_inline(letter.group(2))
                self._add(line.no, "subitem", self.anchor.path, value, value, body, calls)
                self.sublist = _SubList(self.anchor.path, style, value)
                return True
        bullet = _BULLET.match(stripped)
        if not bullet:
            return False
        marker, rest = bullet.groups()
        delta = bool(_DELTA.match(rest))
        body, calls = clean_inline(_DELTA.sub("", rest))
        if marker == "—" and body.startswith("("):
            body = "一 " + body  # "- 一 (01)" was converted to an em dash: restore the numeral
        parent = self._bullet_parent(line)
        kind = "question" if body.endswith("？") else "bullet"
        prefix = "q" if kind == "question" else "b"
        draft = self._add(line.no, kind, parent, f"{prefix}{self._count(parent, prefix)}", None, body, calls)
        draft.delta = delta
        return True

    def _letter_style(self, value: str) -> str | None:
        sub = self.sublist
        assert self.anchor is not None
        if sub is not None and sub.parent == self.anchor.path:
            if sub.style == "letter" and len(value) == 1 and ord(value) == ord(sub.last) + 1:
                return "letter"
            if sub.style == "roman" and value == _next_roman(sub.last):
                return "roman"
        if value == "a":
            return "letter"
        if value == "i":
            return "roman"
        return None

    def _bullet_parent(self, line: _Line) -> str | None:
        prev = self.prev
        if line.raw.startswith(" ") and prev is not None:
            if prev.delta:
                return prev.path
            parent = next((d for d in self.drafts if d.path == prev.parent), None)
            if prev.kind in {"bullet", "question"} and parent is not None and parent.delta:
                return parent.path
        return self.anchor.path if self.anchor is not None else self.container

    # -- finishing ---------------------------------------------------------------------------

    def units(self) -> list[Unit]:
        """The drafts as frozen units, with note calls resolved to note paths."""
        self._plain_digit_calls()
        notes = [(index, d) for index, d in enumerate(self.drafts) if d.kind in _NOTES]
        result: list[Unit] = []
        for order, draft in enumerate(self.drafts):
            called: list[str] = []
            for number in draft.calls:
                target = _resolve_note(notes, order, str(number))
                if target is None:
                    raise SegmentationError(
                        f"{self.key}: {draft.path} calls note {number}, which is not in the document",
                        {"source": self.key, "path": draft.path, "note": number},
                    )
                if target not in called:
                    called.append(target)
            result.append(Unit(self.key, draft.path, draft.kind, draft.number, draft.text, draft.parent,
                               order, draft.line, tuple(called)))
        return result

    def _plain_digit_calls(self) -> None:
        """A footnote nobody calls was called by a bare digit between Chinese characters (主席1向)."""
        called = {n for d in self.drafts for n in d.calls}
        for index, note in enumerate(self.drafts):
            if note.kind not in _NOTES or note.number is None or int(note.number) in called:
                continue
            pattern = re.compile(f"(?<=[{_CJK}]){note.number}(?=[{_CJK}])")
            for draft in self.drafts[:index]:
                if draft.kind in _NOTES:
                    continue
                match = pattern.search(draft.text)
                if match:
                    draft.text = draft.text[:match.start()] + draft.text[match.end():]
                    draft.calls.append(int(note.number))
                    break


def _is_item(stripped: str) -> bool:
    return bool(_PARAGRAPH.match(stripped) or _BULLET.match(stripped) or _STEP.match(stripped))


def _resolve_note(notes: list[tuple[int, _Draft]], order: int, number: str) -> str | None:
    """The note with this number printed next after the calling unit (else the last one before it)."""
    after = [d for index, d in notes if d.number == number and index > order]
    if after:
        return after[0].path
    before = [d for index, d in notes if d.number == number and index < order]
    return before[-1].path if before else None


def segment(text: str, source_key: str) -> list[Unit]:
    """Cut the text of one source document into units, in document order.

    Raises :class:`SegmentationError` when the structure cannot be placed (two units would get the
    same path, paragraph numbers go backwards, or a unit calls a note that is not printed).
    """
    lines = _logical_lines(text)
    end = _title_end(lines)
    machine = _Segmenter(source_key, _hard_wrapped(lines))
    machine.title(lines[:end])
    body = lines[end:]
    for index, line in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        machine.feed(line, line.hard_break and following is not None and not following.blank_before)
    return machine.units()
