"""What a SHACL validation found, for people: the report model and how pySHACL's report graph becomes it.

A :class:`ValidationReport` holds one :class:`ValidationResult` per result of the report graph, with the focus
node, its label, the path in SPARQL syntax, the value, the message (English and Chinese, placeholders
filled), the severity, the named shape it comes from and the source units the focus node was derived from;
for a value outside a closed list (``sh:in``), the allowed values and the nearest of them; and the terms
themselves, for finding the statement at fault in a user's file (:mod:`attgraph.checks.userfiles`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from attgraph.knowledge.namespaces import PREFIXES, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = ["SEVERITIES", "ValidationReport", "ValidationResult", "counts_text", "report_results"]

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
    allowed: tuple[str, ...] = ()
    suggestion: str | None = None
    #: The terms, for locating the statement: the focus node, the path's one step (predicate IRI and whether
    #: it is inverse) when the path is one step, and the value node.
    focus_node: Node | None = field(default=None, compare=False, repr=False)
    step: tuple[str, bool] | None = field(default=None, compare=False, repr=False)
    value_node: Node | None = field(default=None, compare=False, repr=False)

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
    """The values of ``predicate`` on ``node``: an IRI, or a blank node of the store (a statement of
    data/evidence/ is one, and its units are what a reader needs to find it)."""
    if isinstance(node, URIRef):
        subject: ox.NamedNode | ox.BlankNode = ox.NamedNode(str(node))
    elif isinstance(node, BNode):
        subject = ox.BlankNode(str(node))
    else:
        return []
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None)]


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


def _step(shapes: Graph, report: Graph, path: Node | None) -> tuple[str, bool] | None:
    """``(predicate, inverse)`` when ``path`` is one predicate or its inverse."""
    if isinstance(path, URIRef):
        return str(path), False
    if path is None:
        return None
    for graph in (shapes, report):
        inner = graph.value(path, SH.inversePath)
        if isinstance(inner, URIRef):
            return str(inner), True
    return None


def _closed_list(shapes: Graph, shape: Node, value: Node | None, names: _Names) -> tuple[tuple[str, ...], str | None]:
    """The values ``sh:in`` allows on ``shape`` (display forms) and the one nearest to ``value``."""
    head = shapes.value(shape, SH["in"])
    if head is None:
        return (), None
    allowed = tuple(names.node(item) for item in Collection(shapes, head))
    if value is None:
        return allowed, None
    wanted = _bare(names.node(value)).lower()
    bare = {_bare(item).lower(): item for item in allowed}
    nearest = difflib.get_close_matches(wanted, list(bare), n=1, cutoff=0.6)
    return allowed, bare[nearest[0]] if nearest else None


def _bare(text: str) -> str:
    """A display form without quotes, datatype, language or prefix: ``"adopted"@en`` → ``adopted``."""
    if text.startswith('"'):
        return text[1:text.rindex('"')] if text.count('"') >= 2 else text.strip('"')
    if text.startswith("<"):
        return re.split(r"[/#]", text.strip("<>"))[-1]
    return text.rpartition(":")[2]


def report_results(report: Graph, shapes: Graph, store: ox.Store) -> tuple[ValidationResult, ...]:
    """The results of pySHACL's ``report`` graph, for people, sorted by shape, severity and focus node;
    ``store`` is the validated data (for labels and sources)."""
    names = _Names(shapes)
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
        allowed: tuple[str, ...] = ()
        suggestion: str | None = None
        if component == SH.InConstraintComponent:
            allowed, suggestion = _closed_list(shapes, shape, value_node, names)
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
            allowed=allowed,
            suggestion=suggestion,
            focus_node=focus,
            step=_step(shapes, report, path_node),
            value_node=None if value_node == focus else value_node,
        ))
    results.sort(key=lambda r: (r.shape, rank.get(r.severity, 9), r.focus, r.path or "", r.value or "",
                                r.message))
    return tuple(results)
