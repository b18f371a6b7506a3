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

from .cleaning import SUPER_TO_DIGIT, clean_inline
from .outline import Outline, Piece, SubList
from .printed import (
    ANNEX,
    APPENDIX,
    BARE_URL,
    BOLD_LINE,
    BULLET,
    CLOSERS,
    CONTINUABLE,
    DELTA,
    DIGIT_NOTE,
    LETTER_ITEM,
    MD_HEADING,
    NOTES,
    NUMBERED_HEADING,
    PARAGRAPH,
    PAREN_ITEM,
    SEPARATOR,
    STEP,
    SUPER_NOTE,
    TABLE,
    TOC_ENTRY,
    Line,
    ends_sentence,
    hard_wrapped,
    heading_like,
    logical_lines,
    title_end,
)
from .unit import KINDS, SegmentationError, Unit

__all__ = ["KINDS", "SegmentationError", "Unit", "clean_inline", "segment"]


class _Segmenter(Outline):
    """A line-by-line state machine; one instance per document."""

    # -- the title block ---------------------------------------------------------------------

    def title(self, lines: list[Line]) -> None:
        """The document's opening lines, one per printed line, as the ``title`` unit."""
        texts: list[str] = []
        calls: list[int] = []
        for line in lines:
            if line.rule:
                continue
            text, found = clean_inline(MD_HEADING.sub("", line.raw.strip()))
            texts.append(text)
            calls.extend(found)
        if texts:
            first = next(line.no for line in lines if not line.rule)
            self._add(first, "title", None, "title", None, "\n".join(texts), tuple(calls))
            self.prev = None

    # -- one line ----------------------------------------------------------------------------

    def feed(self, line: Line, group_follows: bool) -> None:
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
        bare = MD_HEADING.sub("", stripped)
        text, calls = clean_inline(bare)
        piece = Piece(line, stripped, bare, text, calls, bare != stripped, hard_before, group_follows)
        handlers = (
            self._table_or_toc, self._separator, self._note_line, self._container_line, self._title_line,
            self._hard_broken, self._marked_heading, self._step_text, self._table_caption, self._numbered,
            self._item, self._block_start, self._continuation, self._plain_heading,
        )
        if text and not any(handler(piece) for handler in handlers):
            self._text(line.no, text, calls)

    # -- line handlers: each returns True when it placed the line ------------------------------

    def _table_or_toc(self, piece: Piece) -> bool:
        line = piece.line
        if self.mode == "table" and "\t" in line.raw and self.table is not None:
            row = f"row-{self._count(self.table.path, 'row')}"
            self._add(line.no, "row", self.table.path, row, None, line.raw.strip(" \r\n"), sealed=True)
            return True
        if self.mode == "toc" and TOC_ENTRY.search(piece.stripped):
            toc = self._child(self.container, "toc")
            self._add(line.no, "text", toc, str(self._count(toc, "entry")), None, piece.stripped, sealed=True)
            return True
        self.mode = None
        return False

    def _separator(self, piece: Piece) -> bool:
        if not SEPARATOR.match(piece.stripped):
            return False
        self.note_zone = piece.stripped == "---"
        self.open_body = None
        self.prev = None
        return True

    def _note_line(self, piece: Piece) -> bool:
        """A footnote or endnote (superscript number), or in a footnote zone a digit note or a URL."""
        if self.note_zone:
            digit = DIGIT_NOTE.match(piece.text)
            if digit:
                body = digit.group(2) or digit.group(3) or ""
                self._note(piece.line.no, int(digit.group(1)), body, piece.calls)
                return True
            if BARE_URL.match(piece.text):
                segment = f"url-{self._count(self.container, 'url')}"
                self._add(piece.line.no, "text", self.container, segment, None, piece.text, sealed=True)
                return True
            self.note_zone = False
        note = SUPER_NOTE.match(piece.bare)
        if not note:
            return False
        body, calls = clean_inline(note.group(2))
        self._note(piece.line.no, int(note.group(1).translate(SUPER_TO_DIGIT)), body, calls)
        return True

    def _container_line(self, piece: Piece) -> bool:
        """An annex (附件 A), an appendix (附录 1) or a step (第3步): each opens a new container."""
        no, text = piece.line.no, piece.text
        annex = ANNEX.match(text)
        if annex:
            number = annex.group(1)
            path = "annex" if number is None else f"annex-{number}"
            self._add(no, "annex", None, path, number, text)
            self.container = self.annex = path
            self._enter_container()
            self.pending = "title"
            return True
        appendix = APPENDIX.match(text)
        if appendix:
            segment = f"appendix-{appendix.group(1)}"
            self._add(no, "appendix", self.annex, segment, appendix.group(1), text)
            self.container = self._child(self.annex, segment)
            self._enter_container()
            self.pending = None if appendix.group(2) else "title"
            return True
        step = STEP.match(text)
        if step:
            self.step = self.anchor = self._add(no, "step", self.container, f"step-{step.group(1)}", text, "")
            self.sublist = None
            self.pending = "step"
            return True
        return False

    def _title_line(self, piece: Piece) -> bool:
        """The first block after an annex or appendix label is its title."""
        if self.pending != "title":
            return False
        self.pending = None
        if piece.markdown_heading or _is_item(piece.stripped):
            return False
        self._add(piece.line.no, "title", self.container, "title", None, piece.text, piece.calls)
        return True

    def _hard_broken(self, piece: Piece) -> bool:
        """A line after a markdown hard break (two trailing spaces) joins its block with a newline."""
        prev = self.prev
        if not piece.hard_before or prev is None or prev.sealed or prev.kind not in CONTINUABLE | {"title"}:
            return False
        self._append(prev, piece.text, piece.calls, "\n")
        return True

    def _marked_heading(self, piece: Piece) -> bool:
        if piece.markdown_heading or BOLD_LINE.match(piece.stripped):
            self._heading(piece.line.no, piece.text)
            return True
        return False

    def _step_text(self, piece: Piece) -> bool:
        """The block after 第n步 is what the step says."""
        if self.pending != "step" or self.step is None:
            return False
        self.pending = None
        self._append(self.step, piece.text, piece.calls, "")
        self.open_body = self.step
        return True

    def _table_caption(self, piece: Piece) -> bool:
        table = TABLE.match(piece.text)
        if not table:
            return False
        number = table.group(1)
        self.table = self._add(piece.line.no, "table", self.container, f"table-{number}", number, piece.text,
                               piece.calls)
        self.mode = "table"
        self.open_body = None
        return True

    def _block_start(self, piece: Piece) -> bool:
        """The first line of a block of hard-broken lines (a signature) opens a text unit."""
        if piece.group_follows:
            self._text(piece.line.no, piece.text, piece.calls)
            return True
        return False

    def _continuation(self, piece: Piece) -> bool:
        """A line that continues an earlier unit: in the same block, after a page break, after notes.

        In order: a line right under a continuable unit (no blank line) unless it looks like a
        heading; a line after a unit cut mid-sentence (a heading-like line only if the cut unit does
        not end in a closing bracket or quote); a line that does not look like a heading — in a
        hard-wrapped document after any body unit, elsewhere only after a footnote or endnote.
        """
        text, calls, prev = piece.text, piece.calls, self.prev
        looks_heading = heading_like(text)
        if prev is not None and not piece.line.blank_before and prev.kind in CONTINUABLE \
                and not prev.sealed and not looks_heading:
            self._append(prev, text, calls, "\n" if ends_sentence(prev.text) else None)
            return True
        body = self.open_body
        if body is not None and not ends_sentence(body.text) and (not looks_heading or body.text[-1] not in CLOSERS):
            self._append(body, text, calls, None)
            return True
        if looks_heading:
            return False
        if self.wrapped and body is not None:
            self._append(body, text, calls, None)
            return True
        if prev is not None and prev.kind in NOTES:
            self._append(prev, text, calls, None)
            return True
        return False

    def _plain_heading(self, piece: Piece) -> bool:
        if heading_like(piece.text):
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
            numbered = NUMBERED_HEADING.match(text)
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

    def _numbered(self, piece: Piece) -> bool:
        """A numbered paragraph (``12. …``), or an item of a numbered list restarting under one."""
        line = piece.line
        match = PARAGRAPH.match(piece.stripped)
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
            self.sublist = SubList(parent, "number", str(number))
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

    def _item(self, piece: Piece) -> bool:
        """A sub-item (``a.``, ``ii.``, ``1)``), a bullet point or a bulleted question."""
        line, stripped = piece.line, piece.stripped
        paren = PAREN_ITEM.match(stripped)
        if paren and self.anchor is not None:
            number = paren.group(1)
            sub = self.sublist
            follows = (sub is not None and sub.style == "paren" and sub.parent == self.anchor.path
                       and int(number) == int(sub.last) + 1)
            starts = number == "1" and self.prev is self.anchor and self.anchor.text.endswith("：")
            if follows or starts:
                body, calls = clean_inline(paren.group(2))
                self._add(line.no, "subitem", self.anchor.path, number, number, body, calls)
                self.sublist = SubList(self.anchor.path, "paren", number)
                return True
            return False
        letter = LETTER_ITEM.match(stripped)
        if letter and self.anchor is not None:
            value = letter.group(1)
            style = self._letter_style(value)
            if style is not None:
                body, calls = clean_inline(letter.group(2))
                self._add(line.no, "subitem", self.anchor.path, value, value, body, calls)
                self.sublist = SubList(self.anchor.path, style, value)
                return True
        bullet = BULLET.match(stripped)
        if not bullet:
            return False
        marker, rest = bullet.groups()
        delta = bool(DELTA.match(rest))
        body, calls = clean_inline(DELTA.sub("", rest))
        if marker == "—" and body.startswith("("):
            body = "一 " + body  # "- 一 (01)" was converted to an em dash: restore the numeral
        parent = self._bullet_parent(line)
        kind = "question" if body.endswith("？") else "bullet"
        prefix = "q" if kind == "question" else "b"
        draft = self._add(line.no, kind, parent, f"{prefix}{self._count(parent, prefix)}", None, body, calls)
        draft.delta = delta
        return True


def _is_item(stripped: str) -> bool:
    return bool(PARAGRAPH.match(stripped) or BULLET.match(stripped) or STEP.match(stripped))


def segment(text: str, source_key: str) -> list[Unit]:
    """Cut the text of one source document into units, in document order.

    Raises :class:`SegmentationError` when the structure cannot be placed (two units would get the
    same path, paragraph numbers go backwards, or a unit calls a note that is not printed).
    """
    lines = logical_lines(text)
    end = title_end(lines)
    machine = _Segmenter(source_key, hard_wrapped(lines))
    machine.title(lines[:end])
    body = lines[end:]
    for index, line in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        machine.feed(line, line.hard_break and following is not None and not following.blank_before)
    return machine.units()
