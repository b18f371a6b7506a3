"""The build's gate: our own data must conform to the shapes (SHACL) and be consistent (OWL) before anything is
written or served.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from attgraph.checks.findings import ValidationReport
from attgraph.checks.reasoning import ReasoningReport, reason
from attgraph.checks.validation import load_shapes, validate
from attgraph.errors import ValidationFailed
from attgraph.knowledge.graph import KnowledgeGraph

__all__ = ["check_project", "gate"]


def check_project(graph: KnowledgeGraph) -> tuple[ValidationReport, ReasoningReport]:
    """SHACL validation and OWL reasoning of our own graph, side by side: HermiT runs in Java while pySHACL
    runs here, so the two take about as long as the slower one (the build gate and ``bench/validate.py``)."""
    shapes = load_shapes(graph.settings.shapes_dir)
    with ThreadPoolExecutor(max_workers=1) as pool:
        reasoned = pool.submit(reason, graph.asserted())
        checked = validate(graph.asserted(), shapes)
        return checked, reasoned.result()


def gate(graph: KnowledgeGraph) -> tuple[list[ox.Triple], ValidationReport]:
    """Validate and reason over our own data; raise ValidationFailed (exit 2) with the summary if either fails.

    Returns the inferences to attach and write, and the SHACL report (its warnings and infos, which the gate
    lets through, are kept for checking users' files: :mod:`attgraph.build.findings`).
    """
    checked, reasoned = check_project(graph)
    if checked.conforms and reasoned.ok:
        return list(reasoned.inferred), checked
    lines = ["our own data does not pass the checks; nothing was built"]
    if not checked.conforms:
        lines.append(f"SHACL: {checked.summary()}")
        lines.extend(f"  {shape}: {len(results)}" for shape, results in checked.by_shape().items())
        lines.append("  run `attgraph validate` for the full report")
    if not reasoned.ok:
        lines.append("OWL: " + "; ".join(reasoned.problems()))
        lines.append("  run `attgraph reason` for details")
    raise ValidationFailed("\n".join(lines), {"conforms": checked.conforms, "violations": checked.violations,
                                              "consistent": reasoned.consistent,
                                              "unsatisfiable": list(reasoned.unsatisfiable)})
