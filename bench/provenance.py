"""Statement-level provenance in figures: claims in all, how each is known, with a quote, quotes verified.

    python bench/provenance.py              # the figures
    python bench/provenance.py --missing    # and every claim not yet known, every bad quote (exit 1 if any)
    python bench/provenance.py --file institutions.ttl --missing   # one curated file only

What counts as a claim, and as covered, is in :mod:`attgraph.checks.provenance`.
"""

from __future__ import annotations

import argparse
import sys

from attgraph.checks.provenance import check_provenance
from attgraph.knowledge.graph import KnowledgeGraph

BASES = ("stated", "derived", "reconstructed", "identified", "editorial", "missing")


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true", help="list claims not known and quotes that fail")
    parser.add_argument("--file", help="only the claims of this curated file (its name, e.g. concepts.ttl)")
    args = parser.parse_args(argv)
    report = check_provenance(KnowledgeGraph.load())
    known = report.claims - report.by_basis["missing"]
    print(f"claims: {report.claims}; known (a statement or a default basis): {known} "
          f"({_percent(known, report.claims)}); with a statement of their own: {report.with_statement}; "
          f"with a verified quote: {report.with_quote} ({_percent(report.with_quote, report.claims)})")
    print(f"quotes: {report.quotes}; verified (a substring of their unit's text): {report.verified}; "
          f"failing: {len(report.problems)}; statements of triples the graph does not hold: {len(report.dangling)}")
    print("\n| file | " + " | ".join(BASES) + " |")
    print("|---|" + "---|" * len(BASES))
    for file, counts in sorted(report.by_file.items()):
        print(f"| {file} | " + " | ".join(str(counts[b]) for b in BASES) + " |")
    print("| all | " + " | ".join(str(report.by_basis[b]) for b in BASES) + " |")
    if args.missing:
        wanted = [c for c in report.missing if args.file is None or c.graph.endswith("/" + args.file)]
        print(f"\nclaims not known ({len(wanted)}):")
        for claim in wanted:
            print(f"  {claim.graph.rsplit('/', 1)[-1]}: {claim.text()}")
        print(f"\nquote problems ({len(report.problems)}):")
        for problem in report.problems:
            print(f"  {problem.claim}\n    unit {problem.unit}: {problem.problem}: {problem.quote!r}")
        for dangling in report.dangling:
            print(f"  statement of a triple the graph does not hold: {dangling}")
        return 0 if not wanted and not report.problems and not report.dangling else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
