"""The inferred statements on disk: ``dist/inferred.ttl``, stamped with a digest of the files they were made
from, so that a graph loaded from other files never takes inferences that are not its own.

The reasoner (:mod:`attgraph.checks.reasoning`) makes them and ``attgraph build`` writes them here;
:meth:`attgraph.knowledge.graph.KnowledgeGraph.attach_inferred` reads them back into the named graph
:data:`INFERRED_GRAPH` when the digest still matches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from .loader import LoadedFile
from .namespaces import GRAPH, PREFIXES
from .turtle import write_turtle

__all__ = ["INFERRED_FILE", "INFERRED_GRAPH", "inputs_digest", "read_inferred", "write_inferred"]

#: The file ``attgraph build`` writes the inferences to, in its output folder.
INFERRED_FILE = "inferred.ttl"
#: The named graph the inferences live in.
INFERRED_GRAPH = GRAPH["inferred"]

_DIGEST_LINE = "# inputs: sha256 "


def inputs_digest(files: Iterable[LoadedFile]) -> str:
    """A SHA-256 over the loaded files (their repository paths and bytes), to tell stale inferences."""
    digest = hashlib.sha256()
    for item in sorted(files, key=lambda f: f.relative):
        digest.update(item.relative.encode("utf-8") + b"\0")
        digest.update(item.path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_inferred(triples: Sequence[ox.Triple], path: Path, digest: str) -> int:
    """Write the inferences as sorted Turtle with the inputs' digest in the header; returns the bytes."""
    body = write_turtle(triples, PREFIXES)
    header = ("# Inferences materialised by `attgraph build` (HermiT and the rules of attgraph/checks/rules): "
              "do not edit.\n"
              f"{_DIGEST_LINE}{digest}\n\n")
    data = header.encode("utf-8") + (body or b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)


def read_inferred(path: Path, digest: str) -> list[ox.Triple] | None:
    """The inferences of ``path`` when it was made from inputs with ``digest``; None when absent or stale."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    first_lines = data[:400].decode("utf-8", errors="replace").splitlines()
    if f"{_DIGEST_LINE}{digest}" not in first_lines:
        return None
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
