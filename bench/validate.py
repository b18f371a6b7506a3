"""Time validation of the whole graph, reasoning included, and print the figures.

    .venv/bin/python bench/validate.py [--runs 3]

Loads the project's graph, then times each step: SHACL validation against shapes/ (pySHACL over a
pyoxigraph store), the HermiT check (through owlready2, Java), and the SPARQL rules that materialise the
inferences. Prints the best of ``--runs`` for each step and the total (the target is under 10 s).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from attgraph.build.gate import check_project
from attgraph.checks.reasoning import reason_project
from attgraph.checks.validation import validate_project
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Run the steps ``--runs`` times and print the best time of each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    graph = KnowledgeGraph.load(Settings(root=ROOT))
    load = time.perf_counter() - start
    best: dict[str, float] = {}
    results = ""
    for _ in range(args.runs):
        start = time.perf_counter()
        report = validate_project(graph)
        shacl = time.perf_counter() - start
        start = time.perf_counter()
        reasoned = reason_project(graph)
        reasoning = time.perf_counter() - start
        start = time.perf_counter()
        check_project(graph)
        together = time.perf_counter() - start
        steps = {"SHACL validation": shacl, "reasoning": reasoning,
                 "  HermiT (incl. Java start)": reasoned.seconds["hermit"],
                 "  rules (materialise)": reasoned.seconds["materialise"],
                 "  conversion": reasoned.seconds["convert"],
                 "one after the other": shacl + reasoning, "side by side (build gate)": together}
        best = {name: min(seconds, best.get(name, seconds)) for name, seconds in steps.items()}
        results = (f"{report.summary()}; {'consistent' if reasoned.consistent else 'INCONSISTENT'}, "
                   f"{len(reasoned.inferred)} inferred statements")
    print(f"graph: {len(graph.store)} statements (loaded in {load:.1f} s); {results}")
    print(f"best of {args.runs} runs:")
    for name, seconds in best.items():
        print(f"  {name:30} {seconds:6.2f} s")
    total = best["side by side (build gate)"]
    print(f"  target: under 10 s — {'met' if total < 10 else 'NOT met'} ({total:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
