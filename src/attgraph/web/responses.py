"""Responses carrying results: serialized completely before the status line is sent, with the headers
that state the format, the row cap and whether the cap cut the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox
from fastapi.responses import Response

from ..errors import FormatError
from ..executor import Answer
from ..formats import Format
from ..results import QueryResult

__all__ = ["ROW_LIMIT_HEADER", "TRUNCATED_HEADER", "graph_result", "result_response", "serialize"]

ROW_LIMIT_HEADER = "X-Max-Rows"
TRUNCATED_HEADER = "X-Result-Truncated"
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


def result_response(answer: Answer, fmt: Format, max_rows: int, vary: bool = True) -> Response:
    """The response for a query answer in ``fmt``, with ``Server-Timing``: ``engine`` (evaluating and
    serializing, in the worker) and ``query`` (from the check to the answer: waiting for a worker included)."""
    timing = f"engine;dur={answer.engine * 1000:.2f}, " if answer.engine else ""
    headers = {ROW_LIMIT_HEADER: str(max_rows), TRUNCATED_HEADER: "true" if answer.truncated else "false",
               "Server-Timing": f"{timing}query;dur={answer.elapsed * 1000:.2f}"}
    if vary:
        headers["Vary"] = "Accept"
    return Response(serialize(answer.result, fmt), media_type=fmt.media_type, headers=headers)
