"""Rendering a validation report for people (text), programs (JSON) and RDF tools (Turtle).

The text report puts the summary first (conforms?, counts, counts by shape), then one section per shape
with each result: severity, focus node and its label, path, value, message, source units.
"""

from __future__ import annotations

import json
from typing import Any

from attgraph.knowledge.loader import bind_prefixes

from .findings import SEVERITIES, ValidationReport, ValidationResult, counts_text

__all__ = ["REPORT_FORMATS", "render", "render_json", "render_text", "render_turtle"]

#: The formats ``attgraph validate --format`` accepts.
REPORT_FORMATS: tuple[str, ...] = ("text", "json", "turtle")


def render(report: ValidationReport, fmt: str = "text", language: str = "en") -> str:
    """The report in ``fmt`` (one of :data:`REPORT_FORMATS`); messages in ``language`` for text."""
    if fmt == "json":
        return render_json(report)
    if fmt == "turtle":
        return render_turtle(report)
    return render_text(report, language)


def _shape_counts(results: list[ValidationResult]) -> str:
    parts = []
    for severity in SEVERITIES:
        n = sum(1 for r in results if r.severity == severity)
        if n:
            word = severity.lower()
            parts.append(f"{n} {word}{'' if n == 1 else 's'}")
    return ", ".join(parts)


def render_text(report: ValidationReport, language: str = "en") -> str:
    """The report as plain text, summary first, then the results grouped by shape."""
    lines = [
        f"Validation: {'conforms' if report.conforms else 'does not conform'}",
        f"  {counts_text(report.violations, report.warnings, report.infos)}",
    ]
    groups = report.by_shape()
    if groups:
        width = max(len(name) for name in groups)
        lines.append("  by shape:")
        lines.extend(f"    {name.ljust(width)}  {_shape_counts(results)}" for name, results in groups.items())
    for name, results in groups.items():
        lines.append("")
        lines.append(f"{name} ({_shape_counts(results)})")
        for result in results:
            label = f' "{result.focus_label}"' if result.focus_label else ""
            lines.append(f"  {result.severity}: {result.focus}{label}")
            if result.path:
                lines.append(f"    path:    {result.path}")
            if result.value:
                lines.append(f"    value:   {result.value}")
            lines.append(f"    message: {result.message_in(language)}")
            if result.sources:
                lines.append(f"    source:  {', '.join(result.sources)}")
    return "\n".join(lines) + "\n"


def _result_json(result: ValidationResult) -> dict[str, Any]:
    return {
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
        "sources": list(result.sources),
    }


def render_json(report: ValidationReport) -> str:
    """The report as JSON: ``conforms``, ``counts``, ``byShape`` and ``results``."""
    groups = report.by_shape()
    body = {
        "conforms": report.conforms,
        "counts": {"violations": report.violations, "warnings": report.warnings, "infos": report.infos},
        "byShape": {
            name: {severity.lower() + "s": sum(1 for r in results if r.severity == severity)
                   for severity in SEVERITIES}
            for name, results in groups.items()
        },
        "results": [_result_json(result) for result in report.results],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The standard SHACL ``sh:ValidationReport`` as Turtle."""
    bind_prefixes(report.graph)
    text: str = report.graph.serialize(format="turtle")
    return text
