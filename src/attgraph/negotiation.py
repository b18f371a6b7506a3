"""Choosing a response format from an ``Accept`` header (with q-values) or a ``format=`` parameter."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import FormatError
from .formats import Format

__all__ = ["choose", "parse_accept"]


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs, highest q first, more specific first among equals."""
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    specificity = {True: 0, False: 1}
    ranges.sort(key=lambda r: (-r[1], r[0].count("*"), specificity[r[0].endswith("/*")], r[2]))
    return [(media, q) for media, q, _ in ranges]


def _matches(media_range: str, media_type: str) -> bool:
    if media_range in ("*/*", "*"):
        return True
    if media_range.endswith("/*"):
        return media_type.startswith(media_range[:-1])
    return media_range == media_type


def choose(table: Sequence[Format], accept: str | None, requested: str | None = None) -> Format:
    """The format to answer with: ``requested`` (a name) wins; else the best ``Accept`` match; else the first.

    Raises :class:`FormatError` (406) when nothing acceptable can be produced.
    """
    if requested:
        for fmt in table:
            if requested.lower() in (fmt.name, fmt.extension) or requested.lower() in fmt.media_types:
                return fmt
        raise FormatError(f"format {requested!r} is not available here; use one of: "
                          + ", ".join(f.name for f in table), {"format": requested})
    if not accept or not accept.strip():
        return table[0]
    refused = {media for media, q in parse_accept(accept) if q == 0.0}
    for media_range, q in parse_accept(accept):
        if q == 0.0:
            continue
        for fmt in table:
            if any(_matches(media_range, m) for m in fmt.media_types) and fmt.media_type not in refused:
                return fmt
    raise FormatError(f"none of the accepted media types ({accept}) can be produced; available: "
                      + ", ".join(f.media_type for f in table), {"accept": accept})
