"""The outline a document is cut into while it is read: draft units (:class:`Draft`) under their paths, the
counters that number them, and the finished :class:`~attgraph.ingest.unit.Unit` list with every note call
resolved to the note it calls. The segmenter (:mod:`attgraph.ingest.segment`) fills it line by line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .printed import BODY, CJK, NOTES, Line, join, next_roman
from .unit import SegmentationError, Unit

__all__ = ["Draft", "Outline", "Piece", "SubList", "resolve_note"]


@dataclass
class Draft:
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
class Piece:
    """One logical line as the handlers see it."""

    line: Line
    stripped: str
    bare: str
    text: str
    calls: tuple[int, ...]
    markdown_heading: bool
    hard_before: bool
    group_follows: bool


@dataclass
class SubList:
    parent: str
    style: str
    last: str


class Outline:
    """The units of one document so far, and the state the line handlers share."""

    def __init__(self, key: str, wrapped: bool) -> None:
        self.key = key
        self.wrapped = wrapped
        self.drafts: list[Draft] = []
        self.paths: set[str] = set()
        self.counters: dict[tuple[str | None, str], int] = {}
        self.container: str | None = None
        self.annex: str | None = None
        self.last_para: Draft | None = None
        self.anchor: Draft | None = None
        self.step: Draft | None = None
        self.prev: Draft | None = None
        self.open_body: Draft | None = None
        self.sublist: SubList | None = None
        self.pending: str | None = None
        self.note_zone = False
        self.endnotes = False
        self.mode: str | None = None
        self.table: Draft | None = None
        self.prev_hard_break = False

    # -- helpers -----------------------------------------------------------------------------

    def _child(self, parent: str | None, segment: str) -> str:
        return segment if parent is None else f"{parent}/{segment}"

    def _count(self, parent: str | None, prefix: str) -> int:
        value = self.counters.get((parent, prefix), 0) + 1
        self.counters[(parent, prefix)] = value
        return value

    def _add(self, line: int, kind: str, parent: str | None, segment: str, number: str | None,
             text: str, calls: tuple[int, ...] = (), sealed: bool = False) -> Draft:
        path = self._child(parent, segment)
        if path in self.paths:
            raise SegmentationError(
                f"{self.key}: line {line}: a second unit with path {path!r}",
                {"source": self.key, "line": line, "path": path},
            )
        self.paths.add(path)
        draft = Draft(path, kind, number, text, parent, line, list(calls), sealed=sealed)
        self.drafts.append(draft)
        self.prev = draft
        if kind in BODY and not sealed:
            self.open_body = draft
        return draft

    def _append(self, draft: Draft, text: str, calls: tuple[int, ...], separator: str | None) -> None:
        if separator is None:
            draft.text = join(draft.text, text)
        else:
            draft.text = f"{draft.text}{separator}{text}" if draft.text else text
        draft.calls.extend(calls)
        self.prev = draft

    def _reset_section(self) -> None:
        self.step = None
        self.sublist = None
        self.open_body = None

    # -- where an item goes -------------------------------------------------------------------

    def _letter_style(self, value: str) -> str | None:
        """The numbering style (``letter`` or ``roman``) an item numbered ``value`` continues or starts."""
        sub = self.sublist
        assert self.anchor is not None
        if sub is not None and sub.parent == self.anchor.path:
            if sub.style == "letter" and len(value) == 1 and ord(value) == ord(sub.last) + 1:
                return "letter"
            if sub.style == "roman" and value == next_roman(sub.last):
                return "roman"
        if value == "a":
            return "letter"
        if value == "i":
            return "roman"
        return None

    def _bullet_parent(self, line: Line) -> str | None:
        """The path a bullet on ``line`` belongs under."""
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
        notes = [(index, d) for index, d in enumerate(self.drafts) if d.kind in NOTES]
        result: list[Unit] = []
        for order, draft in enumerate(self.drafts):
            called: list[str] = []
            for number in draft.calls:
                target = resolve_note(notes, order, str(number))
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
            if note.kind not in NOTES or note.number is None or int(note.number) in called:
                continue
            pattern = re.compile(f"(?<=[{CJK}]){note.number}(?=[{CJK}])")
            for draft in self.drafts[:index]:
                if draft.kind in NOTES:
                    continue
                match = pattern.search(draft.text)
                if match:
                    draft.text = draft.text[:match.start()] + draft.text[match.end():]
                    draft.calls.append(int(note.number))
                    break




def resolve_note(notes: list[tuple[int, Draft]], order: int, number: str) -> str | None:
    """The note with this number printed next after the calling unit (else the last one before it)."""
    after = [d for index, d in notes if d.number == number and index > order]
    if after:
        return after[0].path
    before = [d for index, d in notes if d.number == number and index < order]
    return before[-1].path if before else None
