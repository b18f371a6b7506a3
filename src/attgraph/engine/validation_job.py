"""Validating one upload in a process of its own:
``python -m attgraph.engine.validation_job ROOT FORMAT NAME MAX_TRIPLES MEMORY_MB PARENT_PID < data > report``.

The service runs each upload's validation here so that a deadline can stop it (the process is killed) and
so that pySHACL never holds the service's interpreter. The process leaves the network (where the kernel
allows it) and caps its memory before it reads a byte; the data is parsed by :mod:`attgraph.checks.rdfinput`,
which never fetches anything, and validated by :mod:`attgraph.checks.validation` with our ontology beside it.

It prints one JSON object: ``{"ok": true, "report": {...}, "turtle": "..."}`` or
``{"ok": false, "error": {...}}`` (the error body of :func:`attgraph.errors.error_body`).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .worker import isolate

__all__ = ["main", "report_json"]


def report_json(report: Any) -> dict[str, Any]:
    """A :class:`~attgraph.checks.findings.ValidationReport` as JSON: verdict, counts and every result."""
    return {"conforms": report.conforms, "summary": report.summary(), "violations": report.violations,
            "warnings": report.warnings, "infos": report.infos,
            "results": [{**asdict(r), "sources": list(r.sources)} for r in report.results]}


def _validate(root: Path, format_name: str, name: str, max_triples: int, data: bytes) -> dict[str, Any]:
    from attgraph.checks.rdfinput import UserInput, read_bytes
    from attgraph.checks.validation import data_for_files, load_shapes, validate
    from attgraph.errors import AttgraphError, error_body
    from attgraph.knowledge.formats import graph_format
    from attgraph.settings import Settings

    try:
        fmt = graph_format(format_name)
        graph = read_bytes(data, fmt, name, max_triples=max_triples)
        settings = Settings(root=root)
        combined = data_for_files([UserInput(name, fmt, graph)], settings)
        report = validate(combined, load_shapes(settings.shapes_dir))
        turtle = report.graph.serialize(format="turtle")
        return {"ok": True, "report": report_json(report), "turtle": turtle}
    except AttgraphError as error:
        body = error_body(error)["error"]
        if error.code == "load_error":
            body.update(code="bad_upload", status=400)
        return {"ok": False, "error": body}


def main(argv: list[str] | None = None) -> int:
    """Validate the data on stdin and print the outcome as JSON on stdout."""
    root, format_name, name, max_triples, memory_mb, parent = (argv or sys.argv[1:])[:6]
    isolate(int(memory_mb), int(parent))
    data = sys.stdin.buffer.read()
    outcome = _validate(Path(root), format_name, name, int(max_triples), data)
    sys.stdout.write(json.dumps(outcome, ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
