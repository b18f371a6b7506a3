"""A unit of a source document as the segmenter gives it (:class:`Unit`), the kinds of unit, and the error
for a structure that cannot be placed."""

from __future__ import annotations

from dataclasses import dataclass

from attgraph.errors import AttgraphError

__all__ = ["KINDS", "SegmentationError", "Unit"]

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
