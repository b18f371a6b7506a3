"""Checking a user's files against the shapes, with our graph beside them, and pointing into the files.

By default a user's files are checked together with our whole graph (``against="graph"``): a file that links
to ``session:CSP12`` or ``article:7`` is then read as it will be used, with the resources it points at. The
findings that exist in our graph without the user's files (:func:`own_key` matches them against the findings
of our graph alone) are kept apart, as ``ours``; the others are the user's, each with where it is written in
the user's file: the file, the line and column of the statement at fault (of its subject, or of the term the
finding is about), and the line itself. ``against="ontology"`` checks the files with our ontology only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal as Kind

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .findings import ValidationReport, ValidationResult, counts_text
from .locations import Position, TextSearch, excerpt
from .rdfinput import UserInput
from .validation import validate

__all__ = ["Against", "FileReport", "Finding", "Location", "check_files", "locate", "own_key", "project_report"]

Against = Kind["graph", "ontology", "project"]


@dataclass(frozen=True)
class Location:
    """Where a finding is written: the file as the user named it, line and column (from 1), the line's text."""

    file: str
    line: int
    column: int | None
    excerpt: str


@dataclass(frozen=True)
class Finding:
    """One result of validation, and where it is written in the user's files (``None``: nowhere to point at,
    such as a resource the files never name)."""

    result: ValidationResult
    location: Location | None = None


@dataclass(frozen=True)
class FileReport:
    """The check of a user's files (or of our graph): the user's findings with their places, ours apart."""

    against: Against
    files: tuple[tuple[str, str, int], ...]  # (name, format, statements)
    findings: tuple[Finding, ...]
    ours: tuple[ValidationResult, ...]
    graph: Graph  # pySHACL's report graph of the whole check

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.result.severity == severity)

    @property
    def conforms(self) -> bool:
        """No violation among the user's findings (ours never make a user's file fail)."""
        return self.count("Violation") == 0

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{verdict}: {counts_text(self.count('Violation'), self.count('Warning'), self.count('Info'))}"


def project_report(report: ValidationReport) -> FileReport:
    """Our own graph's report in the same form (every finding is about our data; no file to point into)."""
    return FileReport("project", (), tuple(Finding(r) for r in report.results), (), report.graph)


def check_files(inputs: Sequence[UserInput], shapes: Graph, base: ox.Store, against: Against,
                own: Iterable[ValidationResult] = ()) -> FileReport:
    """Validate ``inputs`` added to ``base`` (a new store: our asserted graph, or our ontology alone), locate
    each finding in the files, and set apart those of ``own`` (the findings of ``base`` alone)."""
    for item in inputs:
        base.extend(ox.Quad(t.subject, t.predicate, t.object) for t in item.triples)
    report = validate(base, shapes)
    known = {own_key(result) for result in own}
    findings: list[Finding] = []
    ours: list[ValidationResult] = []
    for result in report.results:
        if own_key(result) in known:
            ours.append(result)
        else:
            findings.append(Finding(result, locate(result, inputs)))
    findings.sort(key=lambda f: (f.location is None, f.location.file if f.location else "",
                                 f.location.line if f.location else 0, f.result.shape, f.result.focus))
    files = tuple((item.name, item.format.name, len(item.triples)) for item in inputs)
    return FileReport(against, files, tuple(findings), tuple(ours), report.graph)


def own_key(result: ValidationResult) -> tuple[str, ...]:
    """What makes a finding the same in two checks: shape, constraint, focus, path, value, message (a blank
    node's name differs from one load to the next, so blank nodes count as one)."""
    focus = "_:" if result.focus.startswith("_:") else result.focus_iri
    value = "_:" if (result.value or "").startswith("_:") else (result.value or "")
    return (result.shape_iri, result.component, focus, result.path or "", value,
            "" if focus == "_:" else result.message)


def _ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def locate(result: ValidationResult, inputs: Sequence[UserInput]) -> Location | None:
    """The first place in ``inputs`` that a finding is about: the statement (focus, path, value) when the path is
    one step, else the first statement about the focus node, else where its value is written."""
    if result.focus_node is None:
        return None
    focus = _ox(result.focus_node)
    value = _ox(result.value_node) if result.value_node is not None else None
    for item in inputs:
        if item.text is None:
            continue
        place = _in_statements(item, focus, result.step, value) if item.positions is not None else \
            _in_text(item.text, focus, value)
        if place is not None:
            return Location(item.name, place.line, place.column, excerpt(item.text, place.line))
    return None


def _in_statements(item: UserInput, focus: ox.NamedNode | ox.BlankNode | ox.Literal, step: tuple[str, bool] | None,
                   value: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Position | None:
    positions = item.positions
    assert positions is not None
    if step is not None:
        predicate = ox.NamedNode(step[0])
        if step[1]:
            found = positions.find(value, predicate, focus) if value is not None else None
            if found is not None:
                return found.subject
        else:
            found = positions.find(focus, predicate, value)
            if found is not None:
                return found.object if value is not None else found.predicate
    if value is not None:
        found = positions.find(focus, None, value)
        if found is not None:
            return found.object
    place = positions.mention(focus)
    if place is None and value is not None:
        place = positions.mention(value)
    return place


def _in_text(text: str, focus: ox.NamedNode | ox.BlankNode | ox.Literal,
             value: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Position | None:
    search = TextSearch(text)
    for term in (focus, value):
        if isinstance(term, ox.NamedNode):
            offset = search.find(term.value)
            if offset is not None:
                return search.position(offset)
    return None
