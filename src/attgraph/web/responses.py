"""Responses carrying results: serialized completely before the status line is sent, with the headers
that state the format, the row cap and whether the cap cut the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox
from fastapi.responses import Response

from attgraph.engine.requests import Answer
from attgraph.errors import FormatError
from attgraph.knowledge.formats import Format
from attgraph.knowledge.results import QueryResult

__all__ = ["ROW_LIMIT_HEADER", "TRUNCATED_HEADER", "graph_result", "result_headers", "result_response", "serialize"]

ROW_LIMIT_HEADER = "X-Max-Rows"
TRUNCATED_HEADER = "X-Result-Truncated"
_ROW_LIMIT = ROW_LIMIT_HEADER.lower().encode()
_TRUNCATED = TRUNCATED_HEADER.lower().encode()
#: Characters XML 1.0 cannot carry at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_FORMATS = (ox.QueryResultsFormat.XML, ox.RdfFormat.RDF_XML)


def graph_result(triples: Iterable[ox.Triple]) -> QueryResult:
    """A graph result holding ``triples`` (duplicates dropped, sorted), to render in any RDF format."""
    unique = sorted(set(triples), key=str)
    return QueryResult("graph", (), bytes(ox.serialize(unique, format=ox.RdfFormat.N_TRIPLES) or b""))


def serialize(result: QueryResult, fmt: Format) -> bytes:
    """``result`` in ``fmt``; refused (406) when XML is asked for and the result holds a character XML 1.0
    cannot represent."""
    data = result.serialize(fmt)
    if fmt.engine in _XML_FORMATS:
        found = _NOT_XML.search(data.decode("utf-8"))
        if found:
            code = f"U+{ord(found.group()):04X}"
            raise FormatError(f"the result holds the character {code}, which XML 1.0 cannot represent; "
                              "ask for another format (JSON, CSV, TSV, Turtle, N-Triples)",
                              {"character": code, "format": fmt.name})
    return data


def result_headers(answer: Answer, fmt: Format, max_rows: int, length: int, vary: bool = True,
                   ) -> list[tuple[bytes, bytes]]:
    """The headers of the response carrying ``answer`` in ``fmt`` (``length`` bytes): the row cap, whether it
    cut the result, ``Server-Timing`` with ``engine`` (evaluating and serializing) and ``query`` (from the check
    to the answer: waiting for a worker included), ``Vary``, the length and the media type (text types in
    UTF-8)."""
    timing = f"engine;dur={answer.engine * 1000:.2f}, " if answer.engine else ""
    media = fmt.media_type
    if media.startswith("text/"):
        media += "; charset=utf-8"
    headers = [(_ROW_LIMIT, str(max_rows).encode()), (_TRUNCATED, b"true" if answer.truncated else b"false"),
               (b"server-timing", f"{timing}query;dur={answer.elapsed * 1000:.2f}".encode())]
    if vary:
        headers.append((b"vary", b"Accept"))
    headers += [(b"content-length", str(length).encode()), (b"content-type", media.encode())]
    return headers


def result_response(answer: Answer, fmt: Format, max_rows: int, vary: bool = True) -> Response:
    """The response for a query answer in ``fmt``, with the headers of :func:`result_headers`."""
    body = serialize(answer.result, fmt)
    response = Response(body)
    response.raw_headers = result_headers(answer, fmt, max_rows, len(body), vary)
    return response
