"""Reading RDF that a user hands us (a file to validate, an upload), safely: it never fetches anything.

The bytes are parsed by pyoxigraph, whose parsers do no I/O of their own, after three checks that refuse
what could make any parser reach out or blow up:

* JSON-LD whose ``@context`` (anywhere in the document) is a string or a list holding a string (a remote or
  relative context document), or that uses ``@import`` — refused before parsing;
* RDF/XML with a ``<!DOCTYPE`` or ``<!ENTITY`` declaration (external entities, entity expansion) — refused;
* ``owl:imports`` is only a triple here: nothing follows it (and validation runs pySHACL with
  ``do_owl_imports=False``).

Failures raise :class:`~attgraph.errors.LoadError` (unreadable, refused, syntax error with its line and
column) or :class:`~attgraph.errors.FormatError` (unknown format); the CLI maps both to exit code 2 and the
web service to a 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from attgraph.errors import FormatError, LoadError, PayloadTooLarge
from attgraph.knowledge.formats import Format, by_extension, graph_format
from attgraph.knowledge.loader import bind_prefixes
from attgraph.knowledge.namespaces import XSD

from .locations import Positions, read_positions

__all__ = ["UserInput", "read_bytes", "read_file", "read_files", "read_user_bytes", "to_rdflib"]

#: Markup declarations that RDF/XML never needs and that entity attacks rely on.
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECLARATIONS_UTF16 = ("<!DOCTYPE", "<!ENTITY")
_XSD_STRING = str(XSD.string)


@dataclass(frozen=True)
class UserInput:
    """One parsed user file: its name as given, the format it was read as and its triples; and, for the report
    to point into it, its text and where each statement is written (:mod:`attgraph.checks.locations`)."""

    name: str
    format: Format
    graph: Graph
    text: str | None = None
    positions: Positions | None = None
    triples: tuple[ox.Triple, ...] = ()


def read_file(path: Path, format_name: str | None = None, *, max_bytes: int | None = None) -> UserInput:
    """Read one file, its format from ``format_name`` or else from its extension."""
    if format_name:
        fmt = graph_format(format_name)
    else:
        try:
            fmt = by_extension(path.name)
        except FormatError:
            raise FormatError(f"{path}: cannot tell the RDF format from the file name; name the format "
                              "(turtle, ntriples, nquads, trig, jsonld, rdfxml)", {"file": str(path)}) from None
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror}", {"file": str(path)}) from error
    return read_user_bytes(data, fmt, str(path), base_iri=path.resolve().as_uri(), max_bytes=max_bytes)


def read_files(paths: Sequence[Path], format_name: str | None = None) -> list[UserInput]:
    """Read several files, all or nothing: the first that fails raises."""
    return [read_file(path, format_name) for path in paths]


def read_bytes(data: bytes, fmt: Format, name: str, *, base_iri: str | None = None,
               max_bytes: int | None = None, max_triples: int | None = None) -> Graph:
    """Parse ``data`` in ``fmt`` into a new rdflib Graph (graph names of quad formats are dropped).

    ``name`` is how errors refer to the input (a path or an upload's file name). With ``max_triples``, the parse
    stops as soon as the data is known to hold more (:class:`~attgraph.errors.PayloadTooLarge`, 413): the cap
    bounds the work and the memory, not only the answer.
    """
    return to_rdflib(_parse(data, fmt, name, base_iri, max_bytes, max_triples))


def read_user_bytes(data: bytes, fmt: Format, name: str, *, base_iri: str | None = None,
                    max_bytes: int | None = None, max_triples: int | None = None) -> UserInput:
    """Parse ``data`` as :func:`read_bytes` does, keeping its text and the position of each statement. Where
    the positions are known, the statements are the ones read with them (the same as the parser's, up to the
    names of blank nodes), so that a finding on a blank node can be pointed at."""
    quads = _parse(data, fmt, name, base_iri, max_bytes, max_triples)
    try:
        text: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    positions = read_positions(text, fmt, quads, base_iri) if text is not None else None
    triples = positions.triples() if positions is not None else [ox.Triple(q.subject, q.predicate, q.object)
                                                                   for q in quads]
    return UserInput(name, fmt, to_rdflib(triples), text, positions, tuple(dict.fromkeys(triples)))


def _parse(data: bytes, fmt: Format, name: str, base_iri: str | None, max_bytes: int | None,
           max_triples: int | None) -> list[ox.Quad]:
    if max_bytes is not None and len(data) > max_bytes:
        raise LoadError(f"{name}: too large ({len(data)} bytes; the limit is {max_bytes})",
                        {"file": name, "bytes": len(data), "limit": max_bytes})
    if not isinstance(fmt.engine, ox.RdfFormat):
        raise FormatError(f"{name}: {fmt.name} is not an RDF format", {"file": name, "format": fmt.name})
    if fmt.engine == ox.RdfFormat.JSON_LD:
        _refuse_remote_contexts(data, name)
    if fmt.engine == ox.RdfFormat.RDF_XML:
        _refuse_xml_declarations(data, name)
    try:
        parsed = ox.parse(data, format=fmt.engine, base_iri=base_iri)
        quads = list(parsed if max_triples is None else islice(parsed, max_triples + 1))
    except SyntaxError as error:
        raise _syntax_error(error, fmt, name, data) from None
    except (ValueError, OSError) as error:
        raise LoadError(f"{name}: cannot parse as {fmt.name}: {error}", {"file": name}) from None
    except RecursionError:
        raise _too_deep(name, fmt) from None
    if max_triples is not None and len(quads) > max_triples:
        raise PayloadTooLarge(f"{name} holds more than {max_triples} triples; an upload may hold at most "
                              f"{max_triples}", {"limit": max_triples}, code="upload_too_large")
    return quads


def _too_deep(name: str, fmt: Format) -> LoadError:
    return LoadError(f"{name}: refused: the {fmt.name} nests more deeply than a parser may follow",
                     {"file": name, "format": fmt.name})


def to_rdflib(quads: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """An rdflib Graph of the triples (graph names dropped), with the project's prefixes bound."""
    graph = Graph()
    bind_prefixes(graph)
    for quad in quads:
        graph.add((_node(quad.subject), _node(quad.predicate), _node(quad.object)))
    return graph


def _node(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise LoadError(f"RDF-star triple terms are not supported: {term}", {"term": str(term)})


def _syntax_error(error: SyntaxError, fmt: Format, name: str, data: bytes) -> LoadError:
    """The parser's error with its place in the file and the line it is on, a caret under the column. A
    missing final dot is found only where the next statement starts: the place given is then the end of the
    statement that lacks it."""
    line, column = error.lineno, error.offset
    reason = str(error.msg if isinstance(error.msg, str) else error)
    reason = re.sub(r"^Parser error (at line \d+ (column \d+|between columns \d+ and \d+)|between line \d+ "
                    r"column \d+ and line \d+ column \d+): ", "", reason)
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines()
    if line and reason.startswith("A dot is expected") and 1 <= line <= len(lines):
        found = _end_of_previous(lines, line, column or 1)
        if found is not None:
            reason = f"a dot is expected to end the statement (the next one starts at line {line}, column {column})"
            line, column = found
    where = f"{name}:{line}:{column}" if line else name
    details: dict[str, Any] = {"file": name, "format": fmt.name, "reason": reason}
    message = f"{where}: {fmt.name} syntax error: {reason}"
    if line:
        details.update(line=line, column=column)
        if 1 <= line <= len(lines):
            shown = lines[line - 1].rstrip()[:200]
            details["excerpt"] = shown
            message += f"\n    {shown}\n    {' ' * max(0, (column or 1) - 1)}^"
    return LoadError(message, details)


def _end_of_previous(lines: list[str], line: int, column: int) -> tuple[int, int] | None:
    """The place just after the last character written before ``line``:``column`` (comments aside)."""
    current = lines[line - 1][: column - 1]
    for number in range(line, 0, -1):
        text = current if number == line else re.sub(r"\s#[^\"'>]*$|^#.*$", "", lines[number - 1])
        stripped = text.rstrip()
        if stripped:
            return number, len(stripped) + 1
    return None


# -- JSON-LD -------------------------------------------------------------------------------------


def _refuse_remote_contexts(data: bytes, name: str) -> None:
    try:
        _check_contexts(data, name)
    except RecursionError:
        raise LoadError(f"{name}: refused: the jsonld nests more deeply than a parser may follow",
                        {"file": name, "format": "jsonld"}) from None


def _check_contexts(data: bytes, name: str) -> None:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        where = f"{name}:{line}:{getattr(error, 'colno', '')}" if line else name
        raise LoadError(f"{where}: jsonld syntax error: {error}", {"file": name, "line": line}) from None
    for where, reference in _context_references(document, "$"):
        raise LoadError(
            f"{name}: refused: the JSON-LD @context at {where} refers to another document ({reference!r}); "
            "remote and relative contexts are never fetched — inline the context in the file",
            {"file": name, "context": reference, "at": where},
        )


def _context_references(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string context (and ``@import``) anywhere in a JSON-LD document, with its JSON path."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}"
            if key == "@context":
                yield from _context_value(value, here)
            if key == "@import" and isinstance(value, str):
                yield here, value
            yield from _context_references(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _context_references(value, f"{where}[{index}]")


def _context_value(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield f"{where}[{index}]", item


# -- RDF/XML -------------------------------------------------------------------------------------


def _refuse_xml_declarations(data: bytes, name: str) -> None:
    found = _XML_DECLARATIONS.search(data)
    if found is None and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", errors="replace").upper()
        found_text = next((d for d in _XML_DECLARATIONS_UTF16 if d in text), None)
        if found_text:
            raise _xml_refusal(name, found_text)
    if found is not None:
        line = data[: found.start()].count(b"\n") + 1
        raise _xml_refusal(name, "<!" + found.group(1).decode().upper(), line)


def _xml_refusal(name: str, declaration: str, line: int | None = None) -> LoadError:
    where = f"{name}:{line}" if line else name
    return LoadError(
        f"{where}: refused: RDF/XML with a {declaration} declaration (entities are never expanded or "
        "fetched); remove the declaration",
        {"file": name, "line": line, "declaration": declaration},
    )
