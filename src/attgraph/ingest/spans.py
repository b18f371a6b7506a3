"""What a found reference is (:class:`Reference`) and the small helpers every kind of reference uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["KINDS", "WS", "Reference", "S", "overlaps", "skip_ws", "starts", "without_overlaps"]

#: The kinds of reference, in the order used to sort references that start at the same offset.
KINDS: tuple[str, ...] = ("symbol", "provision", "session", "body", "date", "date-range")

#: Spaces and tabs (and the ideographic space) that may stand inside a reference, as a pattern and as a set.
S = r"[ \t\u3000]*"
WS = " \t\u3000"


@dataclass(frozen=True)
class Reference:
    """One reference in a text: its kind, where it is (``text == source[start:end]``) and what it names."""

    kind: str
    start: int
    end: int
    text: str
    targets: tuple[str, ...]


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether ``start``–``end`` overlaps any of ``spans``."""
    return any(start < e and s < end for s, e in spans)


def skip_ws(text: str, i: int) -> int:
    """The first index from ``i`` that is not a space or tab."""
    while i < len(text) and text[i] in WS:
        i += 1
    return i


def starts(text: str, i: int, options: Iterable[str]) -> str | None:
    """The first of ``options`` that ``text`` has at ``i``."""
    return next((o for o in options if text.startswith(o, i)), None)


def without_overlaps(refs: list[Reference]) -> list[Reference]:
    """The references left when, of two that overlap, the one starting first (or the longer) is kept."""
    kept: list[Reference] = []
    for ref in sorted(refs, key=lambda r: (r.start, -(r.end - r.start))):
        if not kept or ref.start >= kept[-1].end:
            kept.append(ref)
    return kept
