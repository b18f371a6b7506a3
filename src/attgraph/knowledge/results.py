"""Query results, held in a compact exchange form and rendered to any format on demand.

A SELECT or ASK result is kept as SPARQL-JSON bytes and a CONSTRUCT/DESCRIBE result as N-Triples, so a
result is complete (serialized) before anyone starts sending it, and can be rendered to every format of
:mod:`attgraph.knowledge.formats` without running the query again.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from .formats import Format
from .jsonld import compact_graph
from .namespaces import PREFIXES
from .turtle import write_turtle

__all__ = ["QueryResult", "Term", "from_engine", "term_text"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def term_text(term: Term | None) -> str:
    """A term as plain text: the IRI, the literal's lexical form, ``_:id`` for a blank node."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return str(term.value)


@dataclass(frozen=True)
class QueryResult:
    """The complete result of one query."""

    kind: TypingLiteral["select", "ask", "graph"]
    variables: tuple[str, ...]
    payload: bytes

    @property
    def boolean(self) -> bool:
        """The answer of an ASK query."""
        if self.kind != "ask":
            raise TypeError("only ASK results have a boolean")
        parsed = ox.parse_query_results(self.payload, format=ox.QueryResultsFormat.JSON)
        return bool(parsed)

    def rows(self) -> list[dict[str, Term]]:
        """SELECT rows as dicts from variable name to engine term (unbound variables left out)."""
        if self.kind != "select":
            raise TypeError("only SELECT results have rows")
        parsed = ox.parse_query_results(self.payload, format=ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QuerySolutions)
        out: list[dict[str, Term]] = []
        for solution in parsed:
            row: dict[str, Term] = {}
            for name in self.variables:
                value = solution[name]
                if value is not None:
                    row[name] = value
            out.append(row)
        return out

    def values(self) -> list[dict[str, str]]:
        """SELECT rows with every term as plain text (see :func:`term_text`); unbound → ``""``."""
        return [{name: term_text(row.get(name)) for name in self.variables} for row in self.rows()]

    def triples(self) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE result."""
        if self.kind != "graph":
            raise TypeError("only CONSTRUCT/DESCRIBE results have triples")
        return list(ox.parse(self.payload, format=ox.RdfFormat.N_TRIPLES))

    def __len__(self) -> int:
        if self.kind == "select":
            return len(self.rows())
        if self.kind == "graph":
            return len(self.triples())
        return 1

    def serialize(self, fmt: Format) -> bytes:
        """Render the result in ``fmt`` (a result format for SELECT/ASK, an RDF format for graphs: Turtle and TriG
        by :mod:`attgraph.knowledge.turtle`, JSON-LD compacted by :mod:`attgraph.knowledge.jsonld`)."""
        if self.kind == "graph":
            if not isinstance(fmt.engine, ox.RdfFormat):
                raise TypeError(f"{fmt.name} is not an RDF format")
            if fmt.engine in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):  # a graph is TriG's default graph
                return write_turtle(self.triples())
            if fmt.engine == ox.RdfFormat.JSON_LD:
                return json.dumps(compact_graph(self.triples()), ensure_ascii=False).encode("utf-8")
            prefixes = PREFIXES if fmt.engine == ox.RdfFormat.RDF_XML else None
            data = ox.serialize(self.triples(), format=fmt.engine, prefixes=prefixes)
            assert data is not None
            return bytes(data)
        if not isinstance(fmt.engine, ox.QueryResultsFormat):
            raise TypeError(f"{fmt.name} is not a result format")
        if fmt.engine == ox.QueryResultsFormat.JSON:
            return self.payload
        parsed = ox.parse_query_results(self.payload, format=ox.QueryResultsFormat.JSON)
        data = parsed.serialize(format=fmt.engine)
        assert data is not None
        return bytes(data)


def from_engine(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    """Consume an engine result completely into a :class:`QueryResult`."""
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", (), bytes(result.serialize(format=ox.QueryResultsFormat.JSON) or b""))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        buffer = io.BytesIO()
        result.serialize(buffer, format=ox.QueryResultsFormat.JSON)
        return QueryResult("select", variables, buffer.getvalue())
    buffer = io.BytesIO()
    result.serialize(buffer, format=ox.RdfFormat.N_TRIPLES)
    return QueryResult("graph", (), buffer.getvalue())
