"""Validating RDF against the SHACL shapes of ``shapes/`` with pySHACL, and the report model.

Non-conformance is data, not an exception: :func:`validate` returns a :class:`ValidationReport` whose
results name, for people, the focus node and its label, the path, the value, the message (English and
Chinese), the severity, the shape and the source units the focus node was derived from. The CLI maps it to
exit codes (0 conforms, 1 does not); anything that stops validation from running raises
:class:`~attgraph.errors.AttgraphError` (exit 2).

The data graph handed to pySHACL is a pyoxigraph store (its SPARQL engine makes the SPARQL-based
constraints fast); ``owl:imports`` are never followed (``do_owl_imports=False``), nothing is inferred
(``inference="none"``) and SHACL-AF is on for the whole-graph checks that use SPARQL targets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from pyshacl.graph_abstraction import OxigraphDataGraph
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from .errors import AttgraphError, LoadError
from .loader import bind_prefixes, discover, load_files
from .namespaces import PREFIXES, PROV, RDF, RDFS, SH, SKOS, XSD

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .rdfinput import UserInput
    from .settings import Settings

__all__ = [
    "SEVERITIES",
    "ValidationReport",
    "ValidationResult",
    "asserted",
    "counts_text",
    "data_for_files",
    "load_shapes",
    "shape_names",
    "validate",
    "validate_project",
]

#: Severity names, most serious first (the local names of sh:Violation, sh:Warning, sh:Info).
SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")

_XSD_STRING = str(XSD.string)
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_PLACEHOLDER = re.compile(r"\{[$?]([A-Za-z_][A-Za-z0-9_]*)\}")
#: The closing "; found {?value}" of a message, dropped when a result has no value (a missing property).
_FOUND_VALUE = re.compile(r"(; found|；实际为) \{\?value\}$")


@dataclass(frozen=True)
class ValidationResult:
    """One result of validation, ready to show to a person.

    ``focus``, ``path``, ``value``, ``shape`` and ``sources`` are display forms (CURIEs where a prefix is
    known, ``<IRI>`` otherwise, literals in Turtle form); ``focus_iri`` and ``shape_iri`` are the full
    forms. ``shape`` is the named shape the result comes from (a result of an anonymous property shape is
    attributed to the named node shape holding it). ``messages`` maps a language (``en``, ``zh``) to the
    message in it; ``message`` is the English one.
    """

    severity: str
    shape: str
    shape_iri: str
    focus: str
    focus_iri: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    messages: dict[str, str] = field(default_factory=dict)
    component: str = ""
    sources: tuple[str, ...] = ()

    def message_in(self, language: str) -> str:
        """The message in ``language``, or the English one when there is none in that language."""
        return self.messages.get(language, self.message)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of one validation: whether the data conforms, every result, and the SHACL report graph."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    graph: Graph

    def count(self, severity: str) -> int:
        """How many results have ``severity`` (``"Violation"``, ``"Warning"`` or ``"Info"``)."""
        return sum(1 for result in self.results if result.severity == severity)

    @property
    def violations(self) -> int:
        """The number of violations."""
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        """The number of warnings."""
        return self.count("Warning")

    @property
    def infos(self) -> int:
        """The number of infos."""
        return self.count("Info")

    def by_shape(self) -> dict[str, list[ValidationResult]]:
        """Results grouped by shape (display name), shapes in alphabetical order."""
        groups: dict[str, list[ValidationResult]] = {}
        for result in self.results:
            groups.setdefault(result.shape, []).append(result)
        return dict(sorted(groups.items()))

    def summary(self) -> str:
        """One line: ``conforms`` or ``does not conform``, then the counts."""
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{verdict}: {counts_text(self.violations, self.warnings, self.infos)}"


def counts_text(violations: int, warnings: int, infos: int) -> str:
    """``"3 violations, 1 warning, 0 infos"``."""
    return ", ".join(_plural(n, word) for n, word in
                     ((violations, "violation"), (warnings, "warning"), (infos, "info")))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- shapes --------------------------------------------------------------------------------------


def load_shapes(folder: Path) -> Graph:
    """Every ``*.ttl`` of ``folder`` in one graph. Raises :class:`LoadError` naming a file that fails."""
    if not folder.is_dir():
        raise LoadError(f"{folder}: no shapes folder", {"folder": str(folder)})
    paths = sorted(folder.glob("*.ttl"))
    _, files = load_files(paths, folder)
    shapes = Graph()
    bind_prefixes(shapes)
    for item in files:
        for prefix, namespace in item.graph.namespaces():
            if prefix not in PREFIXES:
                shapes.bind(prefix, namespace, override=False)
        for triple in item.graph:
            shapes.add(triple)
    return shapes


def shape_names(shapes: Graph) -> list[URIRef]:
    """The named (IRI) shapes of a shapes graph, node and property shapes, sorted."""
    named = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)}
    return sorted(s for s in named if isinstance(s, URIRef))


# -- running -------------------------------------------------------------------------------------


def _memoize_sparql_checks() -> None:
    """Check each SPARQL constraint's text once, not once per focus node.

    pySHACL re-runs its well-formedness regexes on the query text for every focus node; on long queries
    they backtrack quadratically (seconds for the whole graph). The check depends only on the text and on
    which variables may be pre-bound, so its (successful) outcome is remembered per key.
    """
    original = SPARQLQueryHelper.check_invalid_sparql
    if getattr(original, "_attgraph_memoized", False):
        return
    passed: set[tuple[str, bool, tuple[str, ...]]] = set()

    def check(self: SPARQLQueryHelper, sparql_text: str, valuenode: object = None,
              extravars: Iterable[str] | None = None) -> bool:
        key = (sparql_text, valuenode is None, tuple(sorted(extravars or ())))
        if key not in passed:
            original(self, sparql_text, valuenode, extravars)  # type: ignore[no-untyped-call]
            passed.add(key)
        return True

    check._attgraph_memoized = True  # type: ignore[attr-defined]
    SPARQLQueryHelper.check_invalid_sparql = check  # type: ignore[method-assign]


class _StoreGraph(OxigraphDataGraph):
    """pySHACL's view of a pyoxigraph store whose size is counted once.

    pySHACL asks a data graph for its truth value (``datagraph or shapes_graph``) each time it makes a
    result, and the engine answers by counting every triple; the store never changes during validation.
    """

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self._size = len(store)

    def __len__(self, context: object = None) -> int:
        return self._size

    def __bool__(self) -> bool:
        return True



def validate(data: Graph | ox.Store, shapes: Graph) -> ValidationReport:
    """Validate ``data`` (which should hold the ontology, for subclass targets) against ``shapes``.

    ``data`` is an rdflib Graph or a pyoxigraph store (its default graph); a store is used as it is.
    """
    _memoize_sparql_checks()
    if isinstance(data, ox.Store):
        store = data
    else:
        store = ox.Store()
        store.bulk_load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    try:
        conforms, report_graph, _ = pyshacl_validate(
            _StoreGraph(store),
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            inplace=True,
            allow_warnings=True,
            allow_infos=True,
            do_owl_imports=False,
        )
    except Exception as error:  # pySHACL raises bare exceptions for broken shapes or engines
        raise AttgraphError(f"validation could not run: {error}", {"reason": str(error)}) from error
    if not isinstance(report_graph, Graph):
        raise AttgraphError(f"validation could not run: {report_graph}", {"reason": str(report_graph)})
    bind_prefixes(report_graph)
    names = _Names(shapes)
    results = _results(report_graph, shapes, store, names)
    return ValidationReport(bool(conforms), results, report_graph)


def asserted(graph: KnowledgeGraph) -> ox.Store:
    """The project's statements as asserted (every named graph but the inferred one), in the default graph
    of a new pyoxigraph store."""
    from .reasoning import INFERRED_GRAPH

    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in graph.store if q.graph_name != inferred)
    return store


def validate_project(graph: KnowledgeGraph) -> ValidationReport:
    """Validate the project's own graph (ontology and data, without inferences) against its shapes."""
    return validate(asserted(graph), load_shapes(graph.settings.shapes_dir))


def data_for_files(inputs: Sequence[UserInput], settings: Settings, *,
                   graph: KnowledgeGraph | None = None) -> Graph:
    """The graph to validate user files in: the files merged, with our whole graph when ``graph`` is given,
    else with our ontology alone (so that subclass targets work)."""
    data = Graph()
    bind_prefixes(data)
    for item in inputs:
        for triple in item.graph:
            data.add(triple)
    if graph is not None:
        from .rdfinput import to_rdflib

        for triple in to_rdflib(asserted(graph)):
            data.add(triple)
        return data
    _, ontology_files = load_files(discover(settings.root, ("ontology",)), settings.root)
    for loaded in ontology_files:
        for triple in loaded.graph:
            data.add(triple)
    return data


# -- turning the report graph into results -------------------------------------------------------


class _Names:
    """Display names: CURIEs for the project's prefixes and the shapes' own, ``<IRI>`` otherwise."""

    def __init__(self, shapes: Graph) -> None:
        table = dict(PREFIXES)
        for prefix, namespace in shapes.namespaces():
            if prefix and prefix not in table:
                table[prefix] = str(namespace)
        # Longest namespace first, so that ``…/id/source/`` wins over ``…/id/``.
        self.prefixes = sorted(table.items(), key=lambda item: -len(item[1]))
        self._pattern = re.compile(
            "(?:" + "|".join(re.escape(ns) for _, ns in self.prefixes) + r")[^\s,;()\"'<>{}\[\]]*")

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return f"<{iri}>"

    def node(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, BNode):
            return f"_:{node}"
        if isinstance(node, Literal):
            text = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            if node.language:
                return f'"{text}"@{node.language}'
            if node.datatype is not None and str(node.datatype) != _XSD_STRING:
                return f'"{text}"^^{self.iri(str(node.datatype))}'
            return f'"{text}"'
        return str(node)

    def compact(self, text: str) -> str:
        """Replace every full IRI of a known namespace inside ``text`` by its CURIE."""

        def shorten(match: re.Match[str]) -> str:
            found = match.group(0)
            trailing = ""
            while found and found[-1] in ".:":
                trailing = found[-1] + trailing
                found = found[:-1]
            return self.iri(found) + trailing

        return self._pattern.sub(shorten, text)


def _path_text(shapes: Graph, path: Node, names: _Names) -> str:
    """A SHACL property path in SPARQL property-path syntax."""
    if isinstance(path, URIRef):
        return names.iri(str(path))
    if (path, RDF.first, None) in shapes:
        return "/".join(_path_text(shapes, step, names) for step in Collection(shapes, path))
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return template.format(_group(shapes, inner, names))
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path_text(shapes, step, names) for step in Collection(shapes, alternatives)) + ")"
    return names.node(path)


def _group(shapes: Graph, path: Node, names: _Names) -> str:
    text = _path_text(shapes, path, names)
    return text if isinstance(path, URIRef) or text.startswith("(") else f"({text})"


def _named_shape(shapes: Graph, shape: Node) -> Node:
    """The nearest named shape holding ``shape`` (itself when it has an IRI)."""
    seen: set[Node] = set()
    current = shape
    while isinstance(current, BNode) and current not in seen:
        seen.add(current)
        holder = next(shapes.subjects(SH.property, current), None)
        if holder is None:
            holder = next((s for s, p, _ in shapes.triples((None, None, current))
                           if p in (SH.node, SH.qualifiedValueShape, SH["not"])), None)
        if holder is None:
            lists = [s for s in shapes.subjects(RDF.first, current)]
            while lists:
                head = lists.pop()
                parents = list(shapes.subjects(RDF.rest, head))
                if parents:
                    lists.extend(parents)
                    continue
                holder = next((s for s, p, _ in shapes.triples((None, None, head))
                               if p in (SH["or"], SH["and"], SH.xone)), None)
        if holder is None:
            break
        current = holder
    return current


def _objects(store: ox.Store, node: Node, predicate: URIRef) -> list[object]:
    if not isinstance(node, URIRef):
        return []
    return [q.object for q in store.quads_for_pattern(ox.NamedNode(str(node)), ox.NamedNode(str(predicate)), None)]


def _label(store: ox.Store, node: Node) -> str | None:
    labels = [o for p in (RDFS.label, SKOS.prefLabel) for o in _objects(store, node, p) if isinstance(o, ox.Literal)]
    for language in ("en", None, "zh"):
        found = sorted(o.value for o in labels if o.language == language)
        if found:
            return found[0]
    return sorted(o.value for o in labels)[0] if labels else None


def _language(message: Literal) -> str:
    if message.language:
        return message.language
    return "zh" if _CJK.search(str(message)) else "en"


def _fill(template: str, values: Mapping[str, str]) -> str:
    if not values.get("value"):
        template = _FOUND_VALUE.sub("", template)
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _results(report: Graph, shapes: Graph, store: ox.Store, names: _Names) -> tuple[ValidationResult, ...]:
    results: list[ValidationResult] = []
    rank = {name: index for index, name in enumerate(SEVERITIES)}
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        if focus is None or shape is None:
            continue
        named = _named_shape(shapes, shape)
        path_node = report.value(node, SH.resultPath)
        value_node = report.value(node, SH.value)
        path = None if path_node is None else _path_text(shapes if path_node in shapes.all_nodes()
                                                         else report, path_node, names)
        value = None if value_node is None or value_node == focus else names.node(value_node)
        focus_text = names.node(focus)
        fill = {"this": focus_text, "value": value or "", "path": path or ""}
        messages: dict[str, str] = {}
        for literal in sorted((m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)),
                              key=str):
            language = _language(literal)
            if language not in messages:
                messages[language] = names.compact(_fill(str(literal), fill))
        severity_node = report.value(node, SH.resultSeverity)
        severity = str(severity_node).rsplit("#", 1)[-1] if severity_node is not None else "Violation"
        component = report.value(node, SH.sourceConstraintComponent)
        sources = sorted(names.iri(o.value) for o in _objects(store, focus, PROV.wasDerivedFrom)
                         if isinstance(o, ox.NamedNode))
        results.append(ValidationResult(
            severity=severity,
            shape=names.node(named),
            shape_iri=str(named),
            focus=focus_text,
            focus_iri=str(focus),
            focus_label=_label(store, focus),
            path=path,
            value=value,
            message=messages.get("en") or next(iter(messages.values()), ""),
            messages=messages,
            component=names.node(component).removeprefix("sh:") if component is not None else "",
            sources=tuple(sources),
        ))
    results.sort(key=lambda r: (r.shape, rank.get(r.severity, 9), r.focus, r.path or "", r.value or "",
                                r.message))
    return tuple(results)
