"""ATT document symbols: finding them in text and reading their parts.

A symbol has the shape ``ATT/{session}[.{body}]/{year}/{author}/{serial}/{document type}[revision]``,
for example ``ATT/CSP11.WGETI/2025/CHAIR/808/LetterSubDocs`` or
``ATT/CSP9/2023/SEC/773/Conf.FinRep.Rev2``. The sources misprint some symbols; :func:`parse_symbol`
keeps the printed form, builds a canonical form with only the corrections that the symbol itself
makes unambiguous (stray whitespace removed, author code upper-cased) and lists everything odd in
``anomalies``. It never guesses: a three-digit year (``024``) or an unknown body code (``WTR``) is
kept as printed and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SYMBOL_PATTERN", "SymbolParts", "parse_symbol"]

#: A symbol inside running text. A single space or tab before a slash is a misprint the sources
#: contain (``ATT/CSP5.WGETI/2019 /CHAIR/529/Conf.Rep``); the match spans it.
SYMBOL_PATTERN = re.compile(
    r"(?<![A-Za-z0-9_])ATT/"
    r"(?P<session>CSP\d{1,2})(?:\.(?P<body>[A-Za-z]+))?"
    r"/(?P<year>\d{2,4})"
    r"(?:[ \t]?/(?P<author>[A-Za-z]+)"
    r"[ \t]?/(?P<serial>\d+)"
    r"[ \t]?/(?P<doc_type>[A-Za-z]+(?:\.(?!Rev(?:\d|\.|\b))[A-Za-z]+)*)"
    r"(?P<revision>[./]Rev(?:\.?\d+|\.)?)?)?"
    r"(?![A-Za-z0-9_])"
)


@dataclass(frozen=True)
class SymbolParts:
    """The parts of one ATT document symbol.

    ``printed`` is the symbol exactly as given; ``canonical`` the normalised form. ``session`` is the
    CSP session code (``"CSP11"``), ``body`` the body code printed after it (``"WGETI"``; ``None``
    when the symbol names none), ``year`` as printed, ``author`` upper-cased (``"CHAIR"``, ``"SEC"``,
    ``"PRES"``, ``"MEX"``), ``serial`` the running number, ``doc_type`` the document type
    (``"Conf.FinRep"``, ``"LetterSubDocs"``) and ``revision`` the revision marker without its leading
    separator (``"Rev2"``, ``"Rev"``, ``"Rev."``) or ``None``. A truncated symbol has empty
    ``author``, ``serial`` and ``doc_type``. ``anomalies`` describes every misprint found.
    """

    printed: str
    canonical: str
    session: str | None
    body: str | None
    year: str
    author: str
    serial: str
    doc_type: str
    revision: str | None
    anomalies: tuple[str, ...]


def parse_symbol(symbol: str) -> SymbolParts:
    """Read an ATT document symbol into its parts; ``ValueError`` naming it when it is not one."""
    match = SYMBOL_PATTERN.fullmatch(symbol)
    if match is None:
        raise ValueError(f"not an ATT document symbol: {symbol!r}")
    from .names import BODY_KEYS

    session = match["session"]
    body = match["body"]
    year = match["year"]
    author = match["author"] or ""
    serial = match["serial"] or ""
    doc_type = match["doc_type"] or ""
    revision = match["revision"][1:] if match["revision"] else None

    anomalies: list[str] = []
    spaces = len(re.findall(r"[ \t]", symbol))
    if spaces:
        anomalies.append(
            f"whitespace inside the symbol ({spaces} place{'s' if spaces > 1 else ''}); removed in the canonical form"
        )
    if body is not None and body not in BODY_KEYS:
        anomalies.append(f"body code {body!r} is not a known ATT body key; kept as printed")
    if len(year) != 4:
        anomalies.append(
            f"year {year!r} has {len(year)} digits, not 4; kept as printed "
            "(the intended year cannot be read from the symbol alone)"
        )
    if not author:
        anomalies.append("symbol ends after the year: no author, serial or document type")
    elif author != author.upper():
        anomalies.append(f"author code {author!r} is not upper-case; the canonical form uses {author.upper()!r}")

    canonical = f"ATT/{session}" + (f".{body}" if body else "") + f"/{year}"
    if author:
        canonical += f"/{author.upper()}/{serial}/{doc_type}" + (match["revision"] or "")
    return SymbolParts(
        printed=symbol,
        canonical=canonical,
        session=session,
        body=body,
        year=year,
        author=author.upper(),
        serial=serial,
        doc_type=doc_type,
        revision=revision,
        anomalies=tuple(anomalies),
    )
