"""``attgraph build``: dumps, the VoID description, and byte-identical rebuilds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from attgraph.build.dumps import DATASET_IRI, build
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namespaces import ATT, VOID
from attgraph.settings import PROJECT_ROOT


def _build_in_subprocess(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "attgraph.cli", "build", "--out", str(out)], check=True, env=env,
                   cwd=PROJECT_ROOT, capture_output=True)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """Separate processes with different hash seeds must write the same bytes."""
    _build_in_subprocess(tmp_path / "one", "1")
    _build_in_subprocess(tmp_path / "two", "2")
    names = sorted(p.name for p in (tmp_path / "one").iterdir() if p.is_file())
    assert names == ["attgraph.jsonld", "attgraph.nq", "attgraph.nt", "attgraph.trig", "attgraph.ttl", "dumps.json",
                     "inferred.ttl", "void.ttl"]
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_dumps_round_trip(graph: KnowledgeGraph, tmp_path: Path) -> None:
    report = build(graph, tmp_path)
    assert report.triples == len(graph.store)
    quads = list(ox.parse(path=str(tmp_path / "attgraph.nq"), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(graph.store)
    graphs = {str(q.graph_name.value) for q in quads}
    assert graphs == {str(name) for name in graph.graph_names()}
    jsonld = list(ox.parse(path=str(tmp_path / "attgraph.jsonld"), format=ox.RdfFormat.JSON_LD))
    assert len(jsonld) == len(quads)


def test_void_counts_articles(graph: KnowledgeGraph, tmp_path: Path) -> None:
    build(graph, tmp_path)
    void = ox.Store()
    void.load(path=str(tmp_path / "void.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(void.query(
        f"SELECT ?n WHERE {{ <{DATASET_IRI}> <{VOID.classPartition}> ?p . "
        f"?p <{VOID['class']}> <{ATT.Article}> ; <{VOID.entities}> ?n }}"))
    assert [r["n"].value for r in rows] == ["28"]
    total = list(void.query(f"SELECT ?t WHERE {{ <{DATASET_IRI}> <{VOID.triples}> ?t }}"))
    assert [int(r["t"].value) for r in total] == [len(graph.store)]


def test_every_dump_loads_in_rdflib_and_in_pyoxigraph_with_the_same_statements(graph: KnowledgeGraph,
                                                                               tmp_path: Path) -> None:
    from rdflib import Dataset, Graph

    from attgraph.build.dumps import DUMPS

    build(graph, tmp_path)
    statements = len(graph.store)
    triples = len({(q.subject, q.predicate, q.object) for q in graph.store})
    counted: dict[str, tuple[int, int]] = {}
    for name, filename in DUMPS.items():
        path = tmp_path / filename
        engine = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
                  "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}[name]
        by_oxigraph = len(set(ox.parse(path=str(path), format=engine)))
        rdflib_format = {"nquads": "nquads", "trig": "trig", "jsonld": "json-ld", "turtle": "turtle",
                         "ntriples": "nt"}[name]
        if name in ("nquads", "trig", "jsonld"):
            dataset = Dataset()
            dataset.parse(path, format=rdflib_format)
            by_rdflib = sum(1 for _ in dataset.quads((None, None, None, None)))
        else:
            by_rdflib = len(Graph().parse(path, format=rdflib_format))
        counted[name] = (by_oxigraph, by_rdflib)
    assert counted == {"nquads": (statements, statements), "trig": (statements, statements),
                       "jsonld": (statements, statements), "turtle": (triples, triples),
                       "ntriples": (triples, triples)}
