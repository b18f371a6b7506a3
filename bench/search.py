"""Search quality and cost: precision at 5 on the query set of ``bench/search_queries.tsv``, before (the
hand-written index of ``bench/search_baseline.py``) and after (SQLite FTS5, :mod:`attgraph.knowledge.search`),
on the project's graph as the service holds it (the inferences attached); then the cost of each index: build
time, memory and time per query.

    .venv/bin/python bench/search.py [--queries FILE] [--show N] [--json]

Measures, per query, with R the resources the set names for it (the one expected first, then the others):

* **P@5**: how many of the first five hits are in R, over min(5, |R|), so 1.00 is the best possible page;
* **first**: whether the hit ranked first is the one expected first;
* **RR**: 1 / the rank of the one expected first (0 when it is not among the first 20).

A resource the set names that the graph does not hold is printed as a warning (the data moved) and counts
against both indexes alike.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from search_baseline import SearchIndex as BaselineIndex  # noqa: E402

from attgraph.checks.reasoning import materialise  # noqa: E402
from attgraph.knowledge.graph import KnowledgeGraph  # noqa: E402
from attgraph.knowledge.namespaces import PREFIXES, compact  # noqa: E402
from attgraph.knowledge.search import SearchIndex  # noqa: E402
from attgraph.settings import PROJECT_ROOT, Settings  # noqa: E402

QUERIES = BENCH / "search_queries.tsv"
DEPTH = 20


@dataclass(frozen=True)
class Case:
    """One line of the query set."""

    kind: str
    text: str
    first: str
    relevant: tuple[str, ...]


@dataclass
class Score:
    """What one index did with one case."""

    ranked: list[str]
    p5: float
    first: bool
    rr: float
    seconds: float


@dataclass
class Run:
    """One index over the whole set."""

    name: str
    build_seconds: float
    build_mib: float
    scores: list[Score] = field(default_factory=list)


def expand(name: str) -> str:
    """A compact name of the set (``concept:brokering``) as a full IRI."""
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not name.startswith("http") else name


def read_cases(path: Path) -> list[Case]:
    """The query set: tab-separated kind, query, expected first, others relevant; ``#`` lines are comments."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, text, first, *rest = line.split("\t")
        others = tuple(expand(n) for n in (rest[0].split() if rest else []))
        cases.append(Case(kind, text, expand(first), (expand(first), *others)))
    return cases


def score(case: Case, ranked: list[str], seconds: float) -> Score:
    """P@5, first and reciprocal rank of ``ranked`` for ``case``."""
    top = ranked[:5]
    p5 = sum(r in case.relevant for r in top) / min(5, len(case.relevant))
    rank = ranked.index(case.first) + 1 if case.first in ranked else 0
    return Score(ranked, p5, bool(ranked) and ranked[0] == case.first, 1 / rank if rank else 0.0, seconds)


def measure(name: str, build: Callable[[], tuple[Callable[[str], list[str]], int]], cases: list[Case]) -> Run:
    """Build an index twice, once timed and once with its Python allocations traced (what the engine holds
    outside Python, an SQLite database, ``build`` returns in bytes), and run every case through it."""
    started = time.perf_counter()
    search, outside = build()
    built = time.perf_counter() - started
    del search
    tracemalloc.start()
    search, outside = build()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    run = Run(name, built, (held + outside) / 2**20)
    for case in cases:
        search(case.text)  # warm
        started = time.perf_counter()
        ranked = search(case.text)
        run.scores.append(score(case, ranked, time.perf_counter() - started))
    return run


def baseline(graph: KnowledgeGraph) -> tuple[Callable[[str], list[str]], int]:
    """The hand-written index (all of it Python objects)."""
    index = BaselineIndex.from_graph(graph)
    return (lambda text: [h.resource for h in index.search(text, DEPTH)]), 0


def engine(graph: KnowledgeGraph) -> tuple[Callable[[str], list[str]], int]:
    """The FTS5 index, and the size of its database."""
    index = SearchIndex.from_graph(graph)
    return (lambda text: [h.resource for h in index.search(text, DEPTH).hits]), len(index.image())


def summary(run: Run, cases: list[Case], kind: str | None = None) -> tuple[float, float, float, int]:
    """Mean P@5, share first, MRR and count over the cases of ``kind`` (all when ``None``)."""
    chosen = [s for s, c in zip(run.scores, cases, strict=True) if kind is None or c.kind == kind]
    return (statistics.mean(s.p5 for s in chosen), statistics.mean(s.first for s in chosen),
            statistics.mean(s.rr for s in chosen), len(chosen))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--show", type=int, default=0, help="print the first N hits of each query")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    cases = read_cases(args.queries)
    started = time.perf_counter()
    graph = KnowledgeGraph.load(Settings(root=PROJECT_ROOT))
    graph.attach_inferred(materialise(graph.store))
    print(f"graph: {len(graph.store)} statements, loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    for case in cases:
        for iri in case.relevant:
            if not graph.exists(iri):
                print(f"warning: {case.text!r}: the graph holds nothing about {compact(iri)}", file=sys.stderr)

    runs = [measure("before", lambda: baseline(graph), cases), measure("after", lambda: engine(graph), cases)]

    if args.json:
        print(json.dumps({run.name: {
            "build_seconds": round(run.build_seconds, 3), "build_mib": round(run.build_mib, 1),
            "p5": round(summary(run, cases)[0], 3), "first": round(summary(run, cases)[1], 3),
            "mrr": round(summary(run, cases)[2], 3),
            "per_query": {c.text: {"p5": s.p5, "first": s.first, "rr": round(s.rr, 3), "top5": s.ranked[:5]}
                          for c, s in zip(cases, run.scores, strict=True)},
        } for run in runs}, ensure_ascii=False, indent=2))
        return 0

    before, after = runs
    print(f"{'kind':<7}{'query':<50}{'P@5 before':>11}{'after':>7}{'rank before':>13}{'after':>7}")
    for case, old, new in zip(cases, before.scores, after.scores, strict=True):
        def rank(s: Score) -> str:
            return str(round(1 / s.rr)) if s.rr else "–"
        print(f"{case.kind:<7}{case.text[:48]:<50}{old.p5:>11.2f}{new.p5:>7.2f}{rank(old):>13}{rank(new):>7}")
        if args.show:
            for label, s in (("before", old), ("after", new)):
                print(f"{'':<7}  {label}: " + ", ".join(compact(r) for r in s.ranked[:args.show]))
    print()
    print(f"{'':<12}{'queries':>8}{'P@5 before':>12}{'after':>7}{'first before':>14}{'after':>7}"
          f"{'MRR before':>12}{'after':>7}")
    for kind in (None, *sorted({c.kind for c in cases})):
        b, a = summary(before, cases, kind), summary(after, cases, kind)
        print(f"{kind or 'all':<12}{b[3]:>8}{b[0]:>12.2f}{a[0]:>7.2f}{b[1]:>14.2f}{a[1]:>7.2f}"
              f"{b[2]:>12.2f}{a[2]:>7.2f}")
    print()
    print(f"{'index':<10}{'build s':>9}{'memory MiB':>12}{'query ms p50':>14}{'max':>8}")
    for run in runs:
        times = [s.seconds * 1000 for s in run.scores]
        print(f"{run.name:<10}{run.build_seconds:>9.2f}{run.build_mib:>12.1f}{statistics.median(times):>14.2f}"
              f"{max(times):>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
