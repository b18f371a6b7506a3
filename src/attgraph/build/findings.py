"""What checking a user's files against our graph needs from the build: our graph, and its own findings.

The build's gate lets warnings and infos of our own data through; they are written to ``dist/own-findings.json``
with the digest of the data and of the shapes, so that checking a user's files with our graph sets them apart
(:mod:`attgraph.checks.userfiles`) without validating our graph a second time. When the file is missing or
stale, they are found again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from rdflib import Graph

from attgraph.checks.findings import ValidationReport, ValidationResult
from attgraph.checks.validation import validate
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.settings import Settings

from .prebuilt import open_graph, open_prebuilt

__all__ = ["FILE", "our_graph", "own_findings", "shapes_digest", "write_own_findings"]

FILE = "own-findings.json"
_KEPT = tuple(f.name for f in fields(ValidationResult) if f.compare)


def our_graph(settings: Settings) -> KnowledgeGraph:
    """Our graph as the service serves it: the prebuilt store when it is fresh, else loaded from the Turtle."""
    prebuilt = open_prebuilt(settings)
    return open_graph(prebuilt, settings) if prebuilt is not None else KnowledgeGraph.load(settings)


def shapes_digest(settings: Settings) -> str:
    """A SHA-256 of the shapes files (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(settings.shapes_dir.glob("*.ttl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_own_findings(report: ValidationReport, data_digest: str, settings: Settings, folder: Path) -> Path:
    """Write our graph's findings with the digests they hold for."""
    path = folder / FILE
    body = {"data": data_digest, "shapes": shapes_digest(settings),
            "results": [_plain(result) for result in report.results]}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def own_findings(graph: KnowledgeGraph, shapes: Graph) -> tuple[ValidationResult, ...]:
    """Our graph's findings: from ``dist/`` when they were written for this data and these shapes, else found."""
    path = graph.settings.dist_dir / FILE
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        if body["data"] == graph.digest and body["shapes"] == shapes_digest(graph.settings):
            return tuple(_result(item) for item in body["results"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return validate(graph.asserted(), shapes).results


def _plain(result: ValidationResult) -> dict[str, Any]:
    values = asdict(result)
    return {name: values[name] for name in _KEPT}


def _result(item: dict[str, Any]) -> ValidationResult:
    values = {name: item[name] for name in _KEPT}
    values["sources"] = tuple(values["sources"])
    values["allowed"] = tuple(values["allowed"])
    return ValidationResult(**values)
