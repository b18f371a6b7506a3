"""What the service process does to a query before a worker takes it, on adversarial shapes: milliseconds of
CPU per KB for the lexical guard, the lookup recogniser and the prefix scan (target: each ≤ 1 ms per KB).

    python bench/guard.py            # 32 KB queries (the default size limit), best of 5 runs each

Every step is linear in the query's length: the figures stay flat from 4 KB to 32 KB (printed for both).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable

from attgraph.engine.guard import inspect
from attgraph.engine.lookups import lookup_end
from attgraph.errors import QueryRefused
from attgraph.knowledge.namespaces import PREFIXES, prefixes_for

LIMIT = 32 * 1024


def shapes(size: int) -> dict[str, str]:
    """Queries of about ``size`` bytes, each built to make some step work hard."""
    def fill(unit: str, head: str = "ASK {} ", tail: str = "") -> str:
        return head + unit * ((size - len(head) - len(tail)) // len(unit)) + tail

    return {
        "name runs a-a-a-…": fill("a-"),
        "name runs, colon at the end": fill("a-", tail=":x"),
        "dotted names a.a.a…": fill("a."),
        "names and numbers a-1e-5-…": fill("a-1e-5-"),
        "bracket runs {{{…": fill("{", head="ASK "),
        "balanced brackets ()()…": fill("()"),
        "unary runs !!!…": fill("!", head="ASK { FILTER(", tail="true) }"),
        "long operators &&&&…": fill("&&"),
        "one long IRI": fill("a", head="ASK { <", tail="> ?p ?o }"),
        "unterminated IRIs <a<a…": fill("<a"),
        "escapes \\u0041…": fill("\\u0041", head="ASK { ?s ?p '", tail="' }"),
        "unterminated strings 'a'a…": fill("'a"),
        "long string": fill("a", head="ASK { ?s ?p \"", tail="\" }"),
        "prefixed names a-a:b…": fill("a-a:b "),
        "variables ?a-?a-…": fill("?a-"),
        "language tags @a-…": fill("@a-"),
        "comments #…": fill("#x\n"),
        "chinese text": fill("过境或转运", head="ASK { ?s ?p \"", tail="\" }"),
    }


def cost(step: Callable[[str], object], text: str, runs: int = 5) -> float:
    """The fewest milliseconds of CPU per KB that ``step`` took on ``text`` over ``runs`` runs."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        with contextlib.suppress(QueryRefused):
            step(text)
        best = min(best, time.process_time() - started)
    return 1000 * best / (len(text.encode()) / 1024)


STEPS: dict[str, Callable[[str], object]] = {
    "guard": lambda text: inspect(text, max_bytes=LIMIT + 1024, max_depth=100, prefixes=PREFIXES),
    "lookup shape": lookup_end,
    "prefix scan": prefixes_for,
}


def main() -> int:
    print("| shape | " + " | ".join(f"{name} 4 KB | {name} 32 KB" for name in STEPS) + " |")
    print("|---|" + "---|---|" * len(STEPS))
    worst = 0.0
    small, large = shapes(4 * 1024), shapes(LIMIT)
    for shape in large:
        cells = []
        for step in STEPS.values():
            four, thirty_two = cost(step, small[shape]), cost(step, large[shape])
            worst = max(worst, four, thirty_two)
            cells += [f"{four:.3f}", f"{thirty_two:.3f}"]
        print(f"| {shape} | " + " | ".join(cells) + " |")
    print(f"\nworst: {worst:.3f} ms of CPU per KB (target ≤ 1): {'met' if worst <= 1 else 'NOT met'}")
    return 0 if worst <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
