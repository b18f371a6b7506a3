"""What ``attgraph build`` writes to ``dist/`` once the gate (:mod:`attgraph.build.gate`) has passed: the
dumps, the dataset description and the inferences.

Dumps are canonical: blank nodes are relabelled by RDFC-1.0 and statements sorted, so two builds of the
same input are byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from attgraph.knowledge.formats import Format, graph_format
from attgraph.knowledge.graph import KnowledgeGraph, internal_query
from attgraph.knowledge.inferred import INFERRED_FILE, inputs_digest, write_inferred
from attgraph.knowledge.namespaces import BASE, PREFIXES

__all__ = ["DATASET_IRI", "DUMPS", "BuildReport", "build", "canonical_quads", "void_description",
           "write_inferences"]

DATASET_IRI = BASE + "dataset"

#: The dump files ``build`` writes, by format name.
DUMPS: dict[str, str] = {
    "nquads": "attgraph.nq",
    "turtle": "attgraph.ttl",
    "jsonld": "attgraph.jsonld",
}


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    out_dir: Path
    files: dict[str, int]
    triples: int


def canonical_quads(graph: KnowledgeGraph) -> list[ox.Quad]:
    """Every quad of the store, blank nodes canonicalized, sorted by their N-Quads text."""
    dataset = ox.Dataset(graph.store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def _serialize(items: list[ox.Quad] | list[ox.Triple], fmt: Format) -> bytes:
    assert isinstance(fmt.engine, ox.RdfFormat)
    prefixes = None if fmt.engine in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES) else PREFIXES
    data = ox.serialize(items, format=fmt.engine, prefixes=prefixes)
    assert data is not None
    return bytes(data)


def void_description(graph: KnowledgeGraph) -> list[ox.Triple]:
    """The VoID/DCAT description of the dataset: counts per class and property, sorted."""
    result = graph.run(internal_query("void"), {"dataset": DATASET_IRI})
    return sorted(result.triples(), key=str)


def build(graph: KnowledgeGraph, out_dir: Path) -> BuildReport:
    """Write the N-Quads, Turtle and JSON-LD dumps and ``void.ttl`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    quads = canonical_quads(graph)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    written: dict[str, int] = {}
    for name, filename in DUMPS.items():
        fmt = graph_format(name)
        assert isinstance(fmt.engine, ox.RdfFormat)
        data = _serialize(quads if fmt.engine.supports_datasets else triples, fmt)
        (out_dir / filename).write_bytes(data)
        written[filename] = len(data)
    void = _serialize(void_description(graph), graph_format("turtle"))
    (out_dir / "void.ttl").write_bytes(void)
    written["void.ttl"] = len(void)
    return BuildReport(out_dir, written, len(quads))


def write_inferences(graph: KnowledgeGraph, inferred: list[ox.Triple], out_dir: Path) -> str:
    """Write ``inferred.ttl`` (stamped with the digest of the loaded files) and say what was written."""
    size = write_inferred(inferred, out_dir / INFERRED_FILE, inputs_digest(graph.files))
    return f"{INFERRED_FILE}  {size} bytes ({len(inferred)} inferred statements)"
