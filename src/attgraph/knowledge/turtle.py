"""Turtle and TriG that every parser reads: our own writer, used for every Turtle or TriG attgraph writes
(dumps, the inferences, resources, CONSTRUCT results).

The engine's serializer writes a prefixed name wherever the grammar allows one, escaping what needs it
(``document:ATT\\/CSP11\\/…\\/Rev\\.``). That is legal Turtle, but rdflib (7.6) rejects a name ending in an
escaped dot, and other parsers differ on escapes. This writer writes a prefixed name only when its local part
needs no escape at all and does not end in a dot (:data:`SAFE_LOCAL`); every other IRI is written in full.
Literals are written as N-Triples writes them (a subset of Turtle), with the datatype as a prefixed name when
that is safe. Statements are grouped by subject and predicate, in sorted order, so the same statements always
give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from .namespaces import PREFIXES, RDF

__all__ = ["SAFE_LOCAL", "term_text", "write_trig", "write_turtle"]

#: A local name every Turtle parser takes: ASCII letters, digits, ``_``, ``-`` and inner dots, no escape.
SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_RDF_TYPE = str(RDF.type)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Subject = ox.NamedNode | ox.BlankNode
Node = ox.NamedNode | ox.BlankNode | ox.Literal


class _Names:
    """Prefixed names for IRIs under the given namespaces (the longest namespace wins), and the ones used."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                if SAFE_LOCAL.fullmatch(local):
                    self.used.add(prefix)
                    return f"{prefix}:{local}"
        return f"<{_escape_iri(iri)}>"


def _escape_iri(iri: str) -> str:
    # Valid IRIs hold none of these; the engine's terms are valid, so this is only a guard.
    return "".join(f"\\u{ord(c):04X}" if c in '<>"{}|^`\\' or ord(c) <= 0x20 else c for c in iri)


def term_text(term: Node, names: _Names) -> str:
    """One term in Turtle: a prefixed name or ``<IRI>``, ``_:label``, or a literal."""
    if isinstance(term, ox.NamedNode):
        return names.iri(term.value)
    if isinstance(term, ox.BlankNode):
        return str(term)
    text = str(term)  # the N-Triples form: "lexical"@lang or "lexical"^^<datatype>
    if term.language or term.datatype.value == _XSD_STRING:
        return text
    head, _, _ = text.rpartition("^^")
    return f"{head}^^{names.iri(term.datatype.value)}"


def _block(triples: Sequence[ox.Triple], names: _Names, indent: str) -> list[str]:
    """The statements of ``triples`` (sorted), one paragraph per subject."""
    lines: list[str] = []
    current: str | None = None
    predicate: str | None = None
    for triple in triples:
        if not isinstance(triple.subject, ox.NamedNode | ox.BlankNode) or not isinstance(
                triple.object, ox.NamedNode | ox.BlankNode | ox.Literal):
            raise ValueError(f"RDF-star triple terms cannot be written: {triple}")
        subject = term_text(triple.subject, names)
        verb = "a" if triple.predicate.value == _RDF_TYPE else names.iri(triple.predicate.value)
        value = term_text(triple.object, names)
        if subject != current:
            if current is not None:
                lines[-1] += " ."
            lines.append(f"{indent}{subject} {verb} {value}")
            current, predicate = subject, verb
        elif verb != predicate:
            lines[-1] += " ;"
            lines.append(f"{indent}\t{verb} {value}")
            predicate = verb
        else:
            lines[-1] += f" , {value}"
    if current is not None:
        lines[-1] += " ."
    return lines


def _ordered(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Distinct triples by subject, then ``rdf:type`` first, then predicate and object."""
    return sorted(set(triples), key=lambda t: (str(t.subject), t.predicate.value != _RDF_TYPE,
                                               str(t.predicate), str(t.object)))


def _header(names: _Names, prefixes: Mapping[str, str]) -> str:
    declared = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in prefixes.items()
                if prefix in names.used]
    return "\n".join(declared) + ("\n\n" if declared else "")


def write_turtle(triples: Iterable[ox.Triple], prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """``triples`` as Turtle, declaring only the prefixes it uses."""
    names = _Names(prefixes)
    body = _block(_ordered(triples), names, "")
    text = _header(names, prefixes) + "".join(line + "\n" for line in body)
    return text.encode("utf-8")


def write_trig(quads: Iterable[ox.Quad], prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """``quads`` as TriG: the default graph's statements first, then one block per named graph, by name."""
    names = _Names(prefixes)
    graphs: dict[str, tuple[ox.NamedNode | ox.BlankNode | ox.DefaultGraph, list[ox.Triple]]] = {}
    for quad in quads:
        key = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        graphs.setdefault(key, (quad.graph_name, []))[1].append(ox.Triple(quad.subject, quad.predicate,
                                                                            quad.object))
    lines: list[str] = []
    for key in sorted(graphs):
        graph, triples = graphs[key]
        if isinstance(graph, ox.DefaultGraph):
            lines += _block(_ordered(triples), names, "")
            continue
        if lines:
            lines.append("")
        label = names.iri(graph.value) if isinstance(graph, ox.NamedNode) else str(graph)
        lines.append(f"{label} {{")
        lines += _block(_ordered(triples), names, "\t")
        lines.append("}")
    text = _header(names, prefixes) + "".join(line + "\n" for line in lines)
    return text.encode("utf-8")
