"""Rendering a validation report for people (text), programs (JSON) and RDF tools (Turtle).

The JSON is one shape wherever it comes from (``attgraph validate --format json``, ``POST /api/validate``, the
page's download), described by the JSON Schema ``report.schema.json`` beside this module (served at
``/schemas/validation-report.json``): the verdict and counts of the user's
findings, what they were checked against, the files, every finding with its place in the files, and the
findings of our own graph apart. The text report puts the summary first, then one section per shape, then our
graph's own findings.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from attgraph.knowledge.loader import bind_prefixes

from .findings import SEVERITIES, ValidationResult, counts_text
from .userfiles import FileReport, Finding

__all__ = ["REPORT_FORMATS", "SCHEMA_VERSION", "render", "render_json", "render_text", "render_turtle",
           "report_json", "report_schema"]

#: The formats ``attgraph validate --format`` accepts.
REPORT_FORMATS: tuple[str, ...] = ("text", "json", "turtle")
#: The version of the JSON shape (``report.schema.json``).
SCHEMA_VERSION = 2
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")


@cache
def report_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`report_json`'s shape."""
    found: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return found

_AGAINST = {"graph": "your files with our whole graph", "ontology": "your files with our ontology alone",
            "project": "our own graph"}


def render(report: FileReport, fmt: str = "text", language: str = "en") -> str:
    """The report in ``fmt`` (one of :data:`REPORT_FORMATS`); messages in ``language`` for text."""
    if fmt == "json":
        return render_json(report)
    if fmt == "turtle":
        return render_turtle(report)
    return render_text(report, language)


def _counts(results: list[ValidationResult]) -> dict[str, int]:
    return {severity.lower() + "s": sum(1 for r in results if r.severity == severity) for severity in SEVERITIES}


def _shape_counts(results: list[ValidationResult]) -> str:
    parts = []
    for severity in SEVERITIES:
        n = sum(1 for r in results if r.severity == severity)
        if n:
            parts.append(f"{n} {severity.lower()}{'' if n == 1 else 's'}")
    return ", ".join(parts)


def _by_shape(findings: list[Finding]) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.result.shape, []).append(finding)
    return dict(sorted(groups.items()))


def _result_lines(result: ValidationResult, language: str, finding: Finding | None = None) -> list[str]:
    label = f' "{result.focus_label}"' if result.focus_label else ""
    lines = [f"  {result.severity}: {result.focus}{label}"]
    if finding is not None and finding.location is not None:
        where = finding.location
        column = f", column {where.column}" if where.column else ""
        lines.append(f"    at:      {where.file}, line {where.line}{column}")
        lines.append(f"             {where.excerpt}")
    if result.path:
        lines.append(f"    path:    {result.path}")
    if result.value:
        lines.append(f"    value:   {result.value}")
    lines.append(f"    message: {result.message_in(language)}")
    if result.allowed:
        lines.append(f"    allowed: {', '.join(result.allowed)}")
    if result.suggestion:
        lines.append(f"    did you mean {result.suggestion}?")
    if result.sources:
        lines.append(f"    source:  {', '.join(result.sources)}")
    return lines


def render_text(report: FileReport, language: str = "en") -> str:
    """The report as plain text, summary first, then the findings grouped by shape, then ours."""
    lines = [f"Validation: {'conforms' if report.conforms else 'does not conform'}",
             f"  {counts_text(report.count('Violation'), report.count('Warning'), report.count('Info'))}"]
    if report.against != "project":
        lines.append(f"  checked: {_AGAINST[report.against]}")
    groups = _by_shape(list(report.findings))
    if groups:
        width = max(len(name) for name in groups)
        lines.append("  by shape:")
        lines.extend(f"    {name.ljust(width)}  {_shape_counts([f.result for f in found])}"
                     for name, found in groups.items())
    for name, found in groups.items():
        lines.append("")
        lines.append(f"{name} ({_shape_counts([f.result for f in found])})")
        for finding in found:
            lines.extend(_result_lines(finding.result, language, finding))
    if report.ours:
        lines.append("")
        lines.append(f"In our own graph, not in your files ({_shape_counts(list(report.ours))}; they do not count "
                     "against your files)")
        for result in report.ours:
            lines.extend(_result_lines(result, language))
    return "\n".join(lines) + "\n"


def _result_json(result: ValidationResult, finding: Finding | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "severity": result.severity,
        "shape": result.shape,
        "shapeIri": result.shape_iri,
        "focus": result.focus,
        "focusIri": result.focus_iri,
        "focusLabel": result.focus_label,
        "path": result.path,
        "value": result.value,
        "message": result.message,
        "messages": dict(sorted(result.messages.items())),
        "component": result.component,
        "allowed": list(result.allowed),
        "suggestion": result.suggestion,
        "sources": list(result.sources),
    }
    if finding is not None:
        where = finding.location
        body["location"] = None if where is None else {
            "file": where.file, "line": where.line, "column": where.column, "excerpt": where.excerpt}
    return body


def report_json(report: FileReport) -> dict[str, Any]:
    """The report as a JSON object (the shape of :func:`report_schema`)."""
    results = [f.result for f in report.findings]
    return {
        "version": SCHEMA_VERSION,
        "conforms": report.conforms,
        "summary": report.summary(),
        "against": report.against,
        "files": [{"name": name, "format": fmt, "statements": n} for name, fmt, n in report.files],
        "counts": _counts(results),
        "byShape": {name: _counts([f.result for f in found])
                    for name, found in _by_shape(list(report.findings)).items()},
        "results": [_result_json(f.result, f) for f in report.findings],
        "ours": {"counts": _counts(list(report.ours)), "results": [_result_json(r) for r in report.ours]},
    }


def render_json(report: FileReport) -> str:
    """:func:`report_json` as indented text."""
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"


def render_turtle(report: FileReport) -> str:
    """The standard SHACL ``sh:ValidationReport`` of the whole check, as Turtle."""
    bind_prefixes(report.graph)
    text: str = report.graph.serialize(format="turtle")
    return text
