"""What ``attgraph build`` writes to ``dist/`` once the gate (:mod:`attgraph.build.gate`) has passed: the
dumps, their catalogue, the dataset description and the inferences.

Dumps are canonical: blank nodes are relabelled by RDFC-1.0 and statements sorted, so two builds of the
same input are byte-identical. There is one per format a builder may want: the dataset with its named graphs
(N-Quads, TriG, JSON-LD) and its statements merged in one graph (Turtle, N-Triples). Turtle and TriG are
written by :mod:`attgraph.knowledge.turtle` (prefixed names only where every parser takes them), JSON-LD
compacted with our context (:mod:`attgraph.knowledge.jsonld`).

``dumps.json`` is the catalogue: each dump's format, media type, size, SHA-256 and statements, and the digest
of the data they were made from. The service serves the dumps of the data it serves
(:func:`read_catalog`), and ``void.ttl`` announces each one (``void:dataDump``, a ``dcat:Distribution``).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from attgraph.knowledge.formats import Format, graph_format
from attgraph.knowledge.graph import KnowledgeGraph, internal_query
from attgraph.knowledge.inferred import INFERRED_FILE, inputs_digest, write_inferred
from attgraph.knowledge.jsonld import compact_dataset
from attgraph.knowledge.namespaces import BASE, MEDIA_TYPES, dump_iri
from attgraph.knowledge.turtle import write_trig, write_turtle

__all__ = ["CATALOG", "DATASET_IRI", "DUMPS", "BuildReport", "Dump", "DumpCatalog", "build", "canonical_quads",
           "distribution_params", "dump_bytes", "read_catalog", "void_description", "write_inferences"]

DATASET_IRI = BASE + "dataset"
#: The catalogue of the dumps, beside them.
CATALOG = "dumps.json"

#: The dump files ``build`` writes, by format name: the dataset's formats first, then the merged graph's.
DUMPS: dict[str, str] = {
    "nquads": "attgraph.nq",
    "trig": "attgraph.trig",
    "jsonld": "attgraph.jsonld",
    "turtle": "attgraph.ttl",
    "ntriples": "attgraph.nt",
}
_TITLES = {"nquads": "N-Quads", "trig": "TriG", "jsonld": "JSON-LD", "turtle": "Turtle", "ntriples": "N-Triples"}


@dataclass(frozen=True)
class Dump:
    """One dump file as the catalogue lists it."""

    name: str
    format: str
    media_type: str
    bytes: int
    sha256: str
    statements: int


@dataclass(frozen=True)
class DumpCatalog:
    """The dumps of one build and the digest of the data they hold (:attr:`KnowledgeGraph.digest`)."""

    data: str
    dumps: tuple[Dump, ...]

    def get(self, name: str) -> Dump | None:
        """The dump of that file name."""
        return next((dump for dump in self.dumps if dump.name == name), None)

    def to_json(self) -> str:
        """The catalogue as ``dumps.json`` holds it."""
        return json.dumps({"data": self.data, "dumps": [asdict(d) for d in self.dumps]}, indent=2) + "\n"


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote."""

    out_dir: Path
    files: dict[str, int]
    triples: int
    catalog: DumpCatalog


def canonical_quads(graph: KnowledgeGraph) -> list[ox.Quad]:
    """Every quad of the store, blank nodes canonicalized, sorted by their N-Quads text."""
    dataset = ox.Dataset(graph.store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def dump_bytes(fmt: Format, quads: list[ox.Quad], triples: list[ox.Triple]) -> bytes:
    """One dump: the quads in a dataset format, the (merged) triples in a graph format."""
    if fmt.name == "turtle":
        return write_turtle(triples)
    if fmt.name == "trig":
        return write_trig(quads)
    if fmt.name == "jsonld":
        return (json.dumps(compact_dataset(quads), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    assert isinstance(fmt.engine, ox.RdfFormat)
    return bytes(ox.serialize(quads if fmt.engine.supports_datasets else triples, format=fmt.engine) or b"")


def distribution_params(dump: Dump, download: str) -> dict[str, str]:
    """The parameters of ``void_dumps.rq`` for one dump downloaded from ``download``."""
    distribution = f"{DATASET_IRI}/distribution/{dump.format}"
    return {"dataset": DATASET_IRI, "distribution": distribution, "checksum": f"{distribution}/sha256",
            "download": download, "media": str(MEDIA_TYPES[dump.media_type]),
            "title": f"attgraph, {_TITLES.get(dump.format, dump.format)} dump", "bytes": str(dump.bytes),
            "sha256": dump.sha256}


def void_description(graph: KnowledgeGraph, catalog: DumpCatalog | None = None) -> list[ox.Triple]:
    """The VoID/DCAT description of the dataset: counts per class and property and, with ``catalog``, each
    dump at its persistent IRI (``https://w3id.org/attgraph/dumps/…``); sorted."""
    result = graph.run(internal_query("void"), {"dataset": DATASET_IRI}).triples()
    for dump in catalog.dumps if catalog else ():
        result += graph.run(internal_query("void_dumps"), distribution_params(dump, str(dump_iri(dump.name)))).triples()
    return sorted(set(result), key=str)


def _write(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (beside it, then renamed: a reader never sees half a file)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def build(graph: KnowledgeGraph, out_dir: Path) -> BuildReport:
    """Write the dumps, ``dumps.json`` and ``void.ttl`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    quads = canonical_quads(graph)
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    written: dict[str, int] = {}
    dumps = []
    for name, filename in DUMPS.items():
        fmt = graph_format(name)
        assert isinstance(fmt.engine, ox.RdfFormat)
        data = dump_bytes(fmt, quads, triples)
        _write(out_dir / filename, data)
        written[filename] = len(data)
        dumps.append(Dump(filename, name, fmt.media_type, len(data), hashlib.sha256(data).hexdigest(),
                          len(quads) if fmt.engine.supports_datasets else len(triples)))
    catalog = DumpCatalog(graph.digest, tuple(dumps))
    void = write_turtle(void_description(graph, catalog))
    _write(out_dir / "void.ttl", void)
    written["void.ttl"] = len(void)
    text = catalog.to_json().encode("utf-8")
    _write(out_dir / CATALOG, text)  # last: a catalogue names only dumps that are there
    written[CATALOG] = len(text)
    return BuildReport(out_dir, written, len(quads), catalog)


def read_catalog(folder: Path, data: str | None = None) -> DumpCatalog | None:
    """The catalogue of the dumps in ``folder`` when every dump it names is there with its size (and, with
    ``data``, when it was made from the data of that digest); ``None`` otherwise."""
    try:
        raw = json.loads((folder / CATALOG).read_text(encoding="utf-8"))
        catalog = DumpCatalog(str(raw["data"]), tuple(Dump(**item) for item in raw["dumps"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data is not None and catalog.data != data:
        return None
    for dump in catalog.dumps:
        try:
            if (folder / dump.name).stat().st_size != dump.bytes:
                return None
        except OSError:
            return None
    return catalog


def write_inferences(graph: KnowledgeGraph, inferred: list[ox.Triple], out_dir: Path) -> str:
    """Write ``inferred.ttl`` (stamped with the digest of the loaded files) and say what was written."""
    size = write_inferred(inferred, out_dir / INFERRED_FILE, inputs_digest(graph.files))
    return f"{INFERRED_FILE}  {size} bytes ({len(inferred)} inferred statements)"
