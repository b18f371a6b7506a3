"""Precision and recall of the reference extractor against the hand-labelled gold set.

Usage: ``python bench/reference_quality.py [--heldout] [--json] [--errors]``. Prints a table per kind (a hit is
the same line, kind and targets; "same text" counts hits whose surface string agrees as well) and,
with ``--errors``, every missed, spurious or differently-spanned reference.

``--heldout`` scores against ``tests/gold/heldout.tsv`` instead: lines chosen by position (not content) and
labelled by a reader who had not seen the extractor's code or output. It is small (34 references, mostly
bodies) but independent; the main gold set was labelled by the extractor's author.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from attgraph.ingest.quality import QualityReport, evaluate, format_table

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold"


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
    parser.add_argument("--heldout", action="store_true", help="score against the independent held-out set")
    args = parser.parse_args(argv)
    report = evaluate(GOLD / "heldout.tsv", GOLD / "heldout_lines.tsv") if args.heldout else evaluate()
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
