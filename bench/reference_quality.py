"""Precision and recall of the reference extractor against the hand-labelled gold set.

Usage: ``python bench/reference_quality.py [--json] [--errors]``. Prints a table per kind (a hit is
the same line, kind and targets; "same text" counts hits whose surface string agrees as well) and,
with ``--errors``, every missed, spurious or differently-spanned reference.
"""

from __future__ import annotations

import argparse
import json
import sys

from attgraph.ingest.quality import QualityReport, evaluate, format_table


def _errors(report: QualityReport) -> str:
    lines = [f"missed   {r.source_key}:{r.line} {r.kind} {r.text!r} {' '.join(r.targets)}" for r in report.missed]
    lines += [f"spurious {r.source_key}:{r.line} {r.kind} {r.text!r} {' '.join(r.targets)}" for r in report.spurious]
    lines += [
        f"span     {g.source_key}:{g.line} {g.kind} gold {g.text!r} got {f.text!r}" for g, f in report.text_differs
    ]
    return "\n".join(lines) if lines else "no differences"


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print it; exit status 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the scores and differences as JSON")
    parser.add_argument("--errors", action="store_true", help="list missed, spurious and re-spanned references")
    args = parser.parse_args(argv)
    report = evaluate()
    if args.json:
        json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_table(report))
        if args.errors:
            print(_errors(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
