"""The formats attgraph reads and writes: one table, media type ↔ name ↔ engine format.

Content negotiation everywhere (CLI ``--format``, web ``Accept`` and ``format=``, dumps) reads this table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from attgraph.errors import FormatError

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Format",
    "by_extension",
    "graph_format",
    "result_format",
]


@dataclass(frozen=True)
class Format:
    """A serialization: its short name, media types (first is canonical), file extension, engine format."""

    name: str
    media_types: tuple[str, ...]
    extension: str
    engine: ox.RdfFormat | ox.QueryResultsFormat
    rdflib_name: str | None = None

    @property
    def media_type(self) -> str:
        """The canonical media type, as sent in ``Content-Type``."""
        return self.media_types[0]

    def __hash__(self) -> int:  # formats are keys of the negotiation's cache: hash the name alone, not every field
        return hash(self.name)


#: SELECT and ASK results.
RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", ("application/sparql-results+json", "application/json"), "srj", ox.QueryResultsFormat.JSON),
    Format("xml", ("application/sparql-results+xml", "application/xml", "text/xml"), "srx",
           ox.QueryResultsFormat.XML),
    Format("csv", ("text/csv",), "csv", ox.QueryResultsFormat.CSV),
    Format("tsv", ("text/tab-separated-values",), "tsv", ox.QueryResultsFormat.TSV),
)

#: RDF graphs and datasets (CONSTRUCT and DESCRIBE results, dumps, resource pages, uploads).
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", ("text/turtle", "application/x-turtle"), "ttl", ox.RdfFormat.TURTLE, "turtle"),
    Format("ntriples", ("application/n-triples", "text/plain"), "nt", ox.RdfFormat.N_TRIPLES, "nt"),
    # Plain ``application/json`` asks for JSON-LD too (a JSON-LD document is JSON).
    Format("jsonld", ("application/ld+json", "application/json"), "jsonld", ox.RdfFormat.JSON_LD, "json-ld"),
    Format("rdfxml", ("application/rdf+xml",), "rdf", ox.RdfFormat.RDF_XML, "xml"),
    Format("nquads", ("application/n-quads",), "nq", ox.RdfFormat.N_QUADS, "nquads"),
    Format("trig", ("application/trig",), "trig", ox.RdfFormat.TRIG, "trig"),
)

_EXTRA_EXTENSIONS = {"owl": "rdfxml", "xml": "rdfxml", "json": "jsonld", "n3": "turtle"}


def _lookup(table: tuple[Format, ...], name: str, kind: str) -> Format:
    key = name.lower()
    for item in table:
        if key in (item.name, item.extension) or key in item.media_types:
            return item
    names = ", ".join(item.name for item in table)
    raise FormatError(f"unknown {kind} format {name!r}; use one of: {names}", {"format": name})


def result_format(name: str) -> Format:
    """A result format by name, extension or media type."""
    return _lookup(RESULT_FORMATS, name, "result")


def graph_format(name: str) -> Format:
    """An RDF format by name, extension or media type."""
    return _lookup(GRAPH_FORMATS, name, "RDF")


def by_extension(filename: str) -> Format:
    """The RDF format a file name's extension implies (``.ttl``, ``.nt``, ``.nq``, ``.trig``, ``.jsonld``…)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not suffix:
        raise FormatError(f"{filename}: no extension to tell the format; pass --format", {"file": filename})
    try:
        return graph_format(_EXTRA_EXTENSIONS.get(suffix, suffix))
    except FormatError as error:
        raise FormatError(f"{filename}: unknown extension .{suffix}; pass --format",
                          {"file": filename}) from error
