"""Validating one upload in a process of its own:
``python -m attgraph.engine.validation_job ROOT FORMAT NAME MAX_TRIPLES MEMORY_MB PARENT_PID AGAINST < data > report``.

The service runs each upload's validation here so that a deadline can stop it (the process is killed) and
so that pySHACL never holds the service's interpreter. The process leaves the network (where the kernel
allows it) and caps its memory before it reads a byte; the data is parsed by :mod:`attgraph.checks.rdfinput`,
which never fetches anything, and checked by :mod:`attgraph.checks.userfiles` with our whole graph beside it
(``AGAINST`` = ``graph``, from the prebuilt store) or our ontology alone (``ontology``).

It prints one JSON object: ``{"ok": true, "report": {...}, "turtle": "..."}`` (the report in the one JSON shape
of :func:`attgraph.checks.report.report_json`) or
``{"ok": false, "error": {...}}`` (the error body of :func:`attgraph.errors.error_body`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .worker import isolate

__all__ = ["main"]


def _validate(root: Path, format_name: str, name: str, max_triples: int, against: str, data: bytes,
              ) -> dict[str, Any]:
    from attgraph.build.findings import our_graph, own_findings
    from attgraph.checks.rdfinput import read_user_bytes
    from attgraph.checks.report import render_turtle, report_json
    from attgraph.checks.userfiles import check_files
    from attgraph.checks.validation import load_shapes, ontology_store
    from attgraph.errors import AttgraphError, error_body
    from attgraph.knowledge.formats import graph_format
    from attgraph.settings import Settings

    try:
        fmt = graph_format(format_name)
        upload = read_user_bytes(data, fmt, name, max_triples=max_triples)
        settings = Settings(root=root)
        shapes = load_shapes(settings.shapes_dir)
        if against == "ontology":
            report = check_files([upload], shapes, ontology_store(settings), "ontology")
        else:
            graph = our_graph(settings)
            report = check_files([upload], shapes, graph.asserted(), "graph", own_findings(graph, shapes))
        return {"ok": True, "report": report_json(report), "turtle": render_turtle(report)}
    except AttgraphError as error:
        body = error_body(error)["error"]
        if error.code == "load_error":
            body.update(code="bad_upload", status=400)
        return {"ok": False, "error": body}


def main(argv: list[str] | None = None) -> int:
    """Validate the data on stdin and print the outcome as JSON on stdout."""
    root, format_name, name, max_triples, memory_mb, parent, against = (argv or sys.argv[1:])[:7]
    isolate(int(memory_mb), int(parent))
    data = sys.stdin.buffer.read()
    outcome = _validate(Path(root), format_name, name, int(max_triples), against, data)
    sys.stdout.write(json.dumps(outcome, ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
