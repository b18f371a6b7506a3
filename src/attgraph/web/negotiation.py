"""Choosing a response format from an ``Accept`` header (with q-values) or a ``format=`` parameter.

Each offered media type gets the q-value of the most specific ``Accept`` range that matches it
(``type/subtype`` over ``type/*`` over ``*/*``, RFC 9110 §12.5.1); the offer with the highest q wins, ties
going to the server's order. ``q=0`` refuses a type. ``format=`` (a name, extension or media type) wins
over ``Accept``: it is how a browser link asks for a download. Several ``format=`` values (as SPARQLWrapper
sends) are tried in order; the first one known wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from attgraph.errors import FormatError
from attgraph.knowledge.formats import Format

__all__ = ["ALIASES", "HTML", "choose", "choose_view", "parse_accept", "quality"]

#: The media type of pages.
HTML = "text/html"
_HTML_TYPES = (HTML, "application/xhtml+xml")


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs, highest q first, more specific first among equals."""
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    ranges.sort(key=lambda r: (-r[1], r[0].count("*"), r[2]))
    return [(media, q) for media, q, _ in ranges]


def _specificity(media_range: str, media_type: str) -> int:
    """How specifically ``media_range`` matches ``media_type``: 3 exact, 2 ``type/*``, 1 ``*/*``, 0 not."""
    if media_range == media_type:
        return 3
    if media_range == "*/*":
        return 1
    if media_range.endswith("/*") and media_type.startswith(media_range[:-1]):
        return 2
    return 0


def quality(ranges: list[tuple[str, float]], media_type: str) -> float:
    """The q-value ``ranges`` (from :func:`parse_accept`) give ``media_type``: its most specific match."""
    best, q = 0, 0.0
    for media_range, value in ranges:
        level = _specificity(media_range, media_type)
        if level > best or (level == best and level and value > q):
            best, q = level, value
    return q


def _offer_quality(ranges: list[tuple[str, float]], media_types: Sequence[str]) -> float:
    return max(quality(ranges, m) for m in media_types)


#: Other names clients use in ``format=`` (SPARQLWrapper sends ``rdf+xml``, ``n3``, ``xml`` for graphs).
ALIASES = {"rdf+xml": "rdfxml", "xml": "rdfxml", "n3": "turtle", "text/n3": "turtle", "text/rdf+n3": "turtle",
           "json-ld": "jsonld", "json": "jsonld", "nt": "ntriples", "n-triples": "ntriples",
           "sparql-results+json": "json", "sparql-results+xml": "xml"}


def _named(table: Sequence[Format], requested: str) -> Format | None:
    """The format ``requested`` names (a name, extension, media type or alias) in ``table``."""
    key = requested.strip().lower()
    for candidate in (key, ALIASES.get(key)):
        for fmt in table:
            if candidate is not None and (candidate in (fmt.name, fmt.extension) or candidate in fmt.media_types):
                return fmt
    return None


def choose(table: Sequence[Format], accept: str | None, requested: str | Sequence[str] | None = None) -> Format:
    """The format to answer with: ``requested`` (a name) wins; else the best ``Accept`` match; else the first.

    Raises :class:`FormatError` (406) when nothing acceptable can be produced.
    """
    chosen = choose_view(table, accept, requested, html=False)
    assert chosen is not None
    return chosen


def choose_view(table: Sequence[Format], accept: str | None, requested: str | Sequence[str] | None = None, *,
                html: bool = True) -> Format | None:
    """Like :func:`choose`, with an HTML page also on offer when ``html``: ``None`` means "the page".

    The page is chosen only when ``format=html`` or when ``Accept`` prefers HTML strictly over every other
    format (as browsers do); ``*/*`` and no ``Accept`` at all get the first format of ``table``.
    """
    asked = [requested] if isinstance(requested, str) else list(requested or [])
    asked = [a for a in asked if a.strip()]
    for value in asked:
        if html and value.strip().lower() in ("html", *_HTML_TYPES):
            return None
        found = _named(table, value)
        if found is not None:
            return found
    if asked:
        names = ", ".join((["html"] if html else []) + [f.name for f in table])
        raise FormatError(f"format {asked[0]!r} is not available here; use one of: {names}",
                          {"format": asked[0], "available": names.split(", ")})
    if not accept or not accept.strip():
        return table[0]
    return _by_accept(tuple(table), accept, html)


@lru_cache(maxsize=512)
def _by_accept(table: tuple[Format, ...], accept: str, html: bool) -> Format | None:
    """:func:`choose_view` by ``Accept`` alone (clients send the same few headers again and again)."""
    ranges = parse_accept(accept)
    page = _offer_quality(ranges, _HTML_TYPES) if html else 0.0
    q, _, best = max(((_offer_quality(ranges, f.media_types), -i, f) for i, f in enumerate(table)),
                     key=lambda offer: (offer[0], offer[1]))
    if page > q:
        return None
    if q <= 0:
        available = ([HTML] if html else []) + [f.media_type for f in table]
        raise FormatError(f"none of the accepted media types ({accept}) can be produced; available: "
                          + ", ".join(available), {"accept": accept, "available": available})
    return best
