"""Write the prebuilt store of a generated project: ``python bench/prebuild.py DATA [--disk] [--from-nquads]``.

By default the store is built the way ``attgraph build`` builds it: the Turtle parsed by rdflib, then
written by :func:`attgraph.build.prebuilt.write_store`. With ``--from-nquads`` the statements come from the
generator's ``attgraph.nq`` instead (the same statements; used at ×100, where rdflib needs minutes and
gigabytes). Prints one JSON object: seconds, peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from attgraph.build.prebuilt import input_paths, stamp_inputs, store_dir, write_store
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.settings import Settings


def main(argv: list[str] | None = None) -> int:
    """Build the store and print the time it took."""
    parser = argparse.ArgumentParser(description="write the prebuilt store of a generated project")
    parser.add_argument("data", type=Path)
    parser.add_argument("--disk", action="store_true", help="the on-disk kind, in DATA/dist/db")
    parser.add_argument("--from-nquads", action="store_true", help="read DATA/attgraph.nq instead of the Turtle")
    args = parser.parse_args(argv)
    settings = Settings(root=args.data, store_path=args.data / "dist" / "db" if args.disk else None)
    started = time.perf_counter()
    inputs = stamp_inputs(input_paths(settings), settings.root)
    if args.from_nquads:
        engine = ox.Store()
        engine.bulk_load(path=args.data / "attgraph.nq", format=ox.RdfFormat.N_QUADS)
        names = sorted(URIRef(g.value) for g in engine.named_graphs())
        graph = KnowledgeGraph(None, [], settings, store=engine, graphs=names)
    else:
        graph = KnowledgeGraph.load(settings)
    write_store(graph, store_dir(settings), inputs, "disk" if args.disk else "memory")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak, "statements": len(graph.store)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
