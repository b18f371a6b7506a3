"""One engine, in this process: load the generated data, then time every query of the mix.

``python bench/inprocess.py load SYSTEM DATA_DIR`` loads one system alone in the process and prints its load
time and memory (RSS); ``python bench/inprocess.py queries DATA_DIR SYSTEM…`` loads the systems side by side
and prints, for each query of the mix and each system, the timings in seconds and the size of the answer
(rows or triples), so that ``bench/run.py`` can check every system gave the same answer.

Systems:

* ``oxigraph``: pyoxigraph's in-memory store, bulk-loaded from the N-Quads; each query is evaluated and its
  result serialized as SPARQL JSON (or N-Triples), the work any server does before it answers;
* ``attgraph``: :class:`attgraph.knowledge.graph.KnowledgeGraph` opened from the prebuilt store (in memory), the store
  built first if missing; queries by :meth:`~attgraph.knowledge.graph.KnowledgeGraph.run` with their parameters;
* ``attgraph-disk``: the same over the on-disk prebuilt store (``ATTGRAPH_STORE_PATH``);
* ``rdflib``: rdflib's own SPARQL evaluator over the same statements (the Turtle parsed by rdflib).
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import QUERIES, lookup_resources, rss_mb  # noqa: E402

from attgraph.knowledge.namedqueries import NamedQuery, load_catalog  # noqa: E402
from attgraph.knowledge.namespaces import PREFIXES  # noqa: E402
from attgraph.settings import Settings  # noqa: E402

#: Each query runs until this many seconds have passed or it ran ``_MAX_RUNS`` times (and at least 3 times).
_BUDGET = 2.0
_MAX_RUNS = 50
_MIN_RUNS = 3

Runner = Callable[[NamedQuery, dict[str, str]], int]


def _oxigraph(data: Path) -> tuple[float, Runner]:
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=data / "attgraph.nq", format=ox.RdfFormat.N_QUADS)
    loaded = time.perf_counter() - started

    def run(query: NamedQuery, params: dict[str, str]) -> int:
        bindings = query.bindings(params)
        result = store.query(query.sparql, use_default_graph_as_union=True, prefixes=PREFIXES,
                             substitutions=dict(bindings) if bindings else None)
        if isinstance(result, ox.QueryTriples):
            triples = list(result)
            ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            return len(triples)
        buffer = io.BytesIO()
        result.serialize(buffer, format=ox.QueryResultsFormat.JSON)
        data = json.loads(buffer.getvalue())
        return len(data["results"]["bindings"]) if "results" in data else 1

    return loaded, run


def _attgraph(data: Path, on_disk: bool) -> tuple[float, Runner]:
    from attgraph.build.prebuilt import build_store, load_graph, open_prebuilt

    settings = Settings(root=data, store_path=data / "dist" / "db" if on_disk else None)
    if open_prebuilt(settings) is None:
        build_store(settings)
    started = time.perf_counter()
    graph, _ = load_graph(settings, rebuild=False)
    loaded = time.perf_counter() - started

    def run(query: NamedQuery, params: dict[str, str]) -> int:
        result = graph.run(query, params)
        if result.kind == "graph":  # counted as for pyoxigraph: the answer is not parsed again
            return result.payload.count(b"\n")
        data = json.loads(result.payload)
        return len(data["results"]["bindings"]) if "results" in data else 1

    return loaded, run


def _rdflib(data: Path) -> tuple[float, Runner]:
    import rdflib

    started = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    for path in sorted((data / "ontology").glob("*.ttl")) + sorted((data / "data").rglob("*.ttl")):
        dataset.graph(rdflib.URIRef(path.as_uri())).parse(path, format="turtle")
    loaded = time.perf_counter() - started

    def term(value: ox.NamedNode | ox.Literal) -> rdflib.term.Identifier:
        if isinstance(value, ox.NamedNode):
            return rdflib.URIRef(value.value)
        return rdflib.Literal(value.value, datatype=rdflib.URIRef(value.datatype.value))

    def run(query: NamedQuery, params: dict[str, str]) -> int:
        bindings = {v.value: term(t) for v, t in query.bindings(params).items()}
        result = dataset.query(query.sparql, initBindings=bindings, initNs=PREFIXES)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            assert result.graph is not None
            return len(result.graph)
        if result.type == "ASK":
            return 1
        return len(json.loads(result.serialize(format="json") or b"{}")["results"]["bindings"])

    return loaded, run


def _load(system: str, data: Path) -> tuple[float, Runner]:
    if system == "oxigraph":
        return _oxigraph(data)
    if system in ("attgraph", "attgraph-disk"):
        return _attgraph(data, on_disk=system == "attgraph-disk")
    if system == "rdflib":
        return _rdflib(data)
    raise SystemExit(f"unknown system {system}")


def measure_load(system: str, data: Path) -> dict[str, Any]:
    """Load ``data`` into ``system`` (alone in this process): seconds and memory."""
    loaded, _ = _load(system, data)
    return {"system": system, "load_s": loaded, "rss_mb": rss_mb()}


def measure_queries(systems: list[str], data: Path) -> dict[str, Any]:
    """Time every query of the mix on each of ``systems``, loaded side by side in this process.

    The systems take turns, one run each, so that whatever else the machine is doing weighs on all of them
    alike; each query gets ``_BUDGET`` seconds per system (at least ``_MIN_RUNS`` runs, at most ``_MAX_RUNS``).
    """
    runners = {system: _load(system, data)[1] for system in systems}
    catalog = load_catalog(QUERIES)
    resources = lookup_resources(data, 200)
    out: dict[str, Any] = {system: {} for system in systems}
    for name, query in catalog.items():
        times: dict[str, list[float]] = {system: [] for system in systems}
        sizes = dict.fromkeys(systems, -1)
        for run in runners.values():
            run(query, {})  # warm-up: caches, lazily built indexes
        budget_end = time.perf_counter() + _BUDGET * len(systems)
        rounds = 0
        while rounds < _MIN_RUNS or (rounds < _MAX_RUNS and time.perf_counter() < budget_end):
            params = {"resource": resources[rounds % len(resources)]} if name == "lookup" else {}
            order = list(runners.items())
            shift = rounds % len(order)  # each system goes first in turn (caches, CPU frequency)
            for system, run in order[shift:] + order[:shift]:
                started = time.perf_counter()
                count = run(query, params)
                times[system].append(time.perf_counter() - started)
                if sizes[system] < 0:
                    sizes[system] = count
            rounds += 1
        for system in systems:
            out[system][name] = {"times": times[system], "size": sizes[system]}
    return out


def main(argv: list[str]) -> int:
    """``inprocess.py load SYSTEM DATA`` or ``inprocess.py queries DATA SYSTEM…``: print JSON."""
    if argv[0] == "load":
        print(json.dumps(measure_load(argv[1], Path(argv[2]))))
    else:
        print(json.dumps(measure_queries(argv[2:], Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
