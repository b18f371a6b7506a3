"""The prebuilt store: the engine's copy of the data, written once by ``attgraph build`` and opened by ``serve``.

Parsing Turtle with rdflib is slow (about 25 s and 570 MB for 200 thousand statements), so the service does
not do it on every start. ``attgraph build`` writes the loaded graph in the engine's own terms, with a
manifest that records every input file (its size and modification time) as they were when the build read
them. ``attgraph serve`` opens it only if every input is still exactly as recorded, and otherwise builds
it again; a build that fails to load raises, so nothing stale or half-loaded is ever served.

Two kinds, chosen by ``ATTGRAPH_STORE_PATH`` (or ``attgraph build --store-dir``):

* **in memory** (the default): ``dist/store/attgraph.nq`` and ``dist/store/manifest.json``; opening reads the
  N-Quads into an in-memory pyoxigraph store (about 0.6 s for 200 thousand statements);
* **on disk**: a RocksDB folder with ``manifest.json`` inside; opening is instant and read-only, the
  operating system's page cache is shared by every process that opens it, and memory stays low, but queries
  that scan run 3–4× slower. For data that no longer fits in memory.

The layout, for the default ``dist/``::

    dist/store/manifest.json     what was built from what (format, version, inputs, statements, graphs)
    dist/store/attgraph.nq       the statements (in-memory kind)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
from rdflib import URIRef

from attgraph import __version__
from attgraph.errors import LoadError
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.loader import discover
from attgraph.settings import Settings

from .dumps import DumpCatalog, build, read_catalog

__all__ = [
    "FORMAT",
    "MANIFEST",
    "InputStamp",
    "Prebuilt",
    "StoreManifest",
    "build_store",
    "ensure_dumps",
    "input_paths",
    "load_graph",
    "open_graph",
    "open_prebuilt",
    "read_manifest",
    "stamp_inputs",
    "store_dir",
    "write_store",
]

#: The version of the layout; a manifest of another version is stale.
FORMAT = 1
#: The manifest's file name, inside the store folder.
MANIFEST = "manifest.json"
_NQUADS = "attgraph.nq"

Kind = Literal["memory", "disk"]


@dataclass(frozen=True)
class InputStamp:
    """One input file as the build saw it: its path relative to the root, size and modification time."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class StoreManifest:
    """What a prebuilt store holds and what it was built from."""

    kind: Kind
    statements: int
    graphs: tuple[str, ...]
    inputs: tuple[InputStamp, ...]
    format: int = FORMAT
    version: str = __version__
    built: float = field(default_factory=time.time)

    def digest(self) -> str:
        """A SHA-256 of what the store was built from (every input's path, size and modification time), its
        statements, graphs, layout and version: it changes whenever the data may have."""
        identity = {**asdict(self), "built": None}
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()

    def to_json(self) -> str:
        """The manifest as JSON text."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> StoreManifest:
        """Read a manifest; raises ``ValueError`` (or ``KeyError``/``TypeError``) if it is malformed."""
        raw = json.loads(text)
        return cls(kind=raw["kind"], statements=int(raw["statements"]), graphs=tuple(raw["graphs"]),
                   inputs=tuple(InputStamp(**item) for item in raw["inputs"]), format=int(raw["format"]),
                   version=str(raw["version"]), built=float(raw["built"]))


@dataclass(frozen=True)
class Prebuilt:
    """Where a prebuilt store lives and how to open it (an in-memory store is read from the N-Quads; an
    on-disk one opened read-only, and shared by every process that opens it)."""

    folder: Path
    manifest: StoreManifest

    @property
    def source(self) -> Path:
        """Where the statements are: the N-Quads file (in-memory kind) or the store folder (on disk, which each
        query worker opens read-only for itself)."""
        return self.folder if self.manifest.kind == "disk" else self.folder / _NQUADS

    def open(self) -> ox.Store:
        """The store, checked to hold as many statements as the manifest says. Raises :class:`LoadError`."""
        try:
            if self.manifest.kind == "disk":
                store = ox.Store.read_only(str(self.folder))
            else:
                store = ox.Store()
                # Our own dump, checked when it was built: the lenient parser is about twice as fast.
                store.load(path=self.folder / _NQUADS, format=ox.RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError) as error:
            raise LoadError(f"{self.folder}: the prebuilt store cannot be opened: {error}",
                            {"file": str(self.folder)}) from error
        if len(store) != self.manifest.statements:
            raise LoadError(f"{self.folder}: the prebuilt store holds {len(store)} statements, its manifest says "
                            f"{self.manifest.statements}", {"file": str(self.folder)})
        return store


def store_dir(settings: Settings) -> Path:
    """The folder of the prebuilt store: ``ATTGRAPH_STORE_PATH`` if set, else ``dist/store``."""
    return settings.store_path if settings.store_path is not None else settings.dist_dir / "store"


def _kind(settings: Settings) -> Kind:
    return "disk" if settings.store_path is not None else "memory"


def input_paths(settings: Settings) -> list[Path]:
    """The files a build reads (the same discovery as :meth:`KnowledgeGraph.load`)."""
    return discover(settings.root, settings.folders)


def stamp_inputs(paths: list[Path], root: Path) -> tuple[InputStamp, ...]:
    """The size and modification time of each input, sorted by path."""
    stamps = []
    for path in paths:
        info = path.stat()
        try:
            relative = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            relative = str(path.resolve())
        stamps.append(InputStamp(relative, info.st_size, info.st_mtime_ns))
    return tuple(sorted(stamps, key=lambda stamp: stamp.path))


def read_manifest(folder: Path) -> StoreManifest | None:
    """The manifest in ``folder``, or ``None`` if there is none or it cannot be read."""
    try:
        return StoreManifest.from_json((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_store(graph: KnowledgeGraph, folder: Path, inputs: tuple[InputStamp, ...], kind: Kind = "memory",
                ) -> Prebuilt:
    """Write ``graph``'s store into ``folder`` (replaced whole: written beside it, then renamed into place).

    ``inputs`` are the stamps taken *before* the graph was loaded (:func:`stamp_inputs`), so a file edited
    while the build ran makes the store stale rather than wrongly fresh.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        if kind == "disk":
            target = ox.Store(str(work / "db"))
            target.bulk_extend(graph.store)
            target.flush()
            target.optimize()
            count = len(target)
            del target
            staged = work / "db"
        else:
            staged = work / "store"
            staged.mkdir()
            _write_sorted(graph.store, staged / _NQUADS)
            count = len(graph.store)
        manifest = StoreManifest(kind=kind, statements=count, graphs=tuple(str(g) for g in graph.graph_names()),
                                 inputs=inputs)
        (staged / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        old = work / "old"
        if folder.exists():
            os.replace(folder, old)
        os.replace(staged, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Prebuilt(folder, manifest)


def _write_sorted(store: ox.Store, path: Path) -> None:
    """The store's statements as N-Quads, one per line, sorted (so by subject): the same data always gives
    the same file. (The order statements are loaded in also decides where the in-memory store puts them. At
    200 thousand statements, with the orders taking turns and CPU time measured, sorted by subject, by
    predicate or left in the generator's order ran the benchmark's queries within ±10% of each other: no
    order is the faster one.)"""
    data = store.dump(format=ox.RdfFormat.N_QUADS) or b""
    lines = bytes(data).splitlines(keepends=True)
    del data
    lines.sort()
    with path.open("wb") as handle:
        handle.writelines(lines)


def open_prebuilt(settings: Settings) -> Prebuilt | None:
    """The prebuilt store for ``settings`` if it is fresh: same kind, format and version, and every input
    file exactly as the build saw it (none added, removed or touched). ``None`` if it must be rebuilt."""
    folder = store_dir(settings)
    manifest = read_manifest(folder)
    if manifest is None or manifest.format != FORMAT or manifest.version != __version__:
        return None
    if manifest.kind != _kind(settings):
        return None
    try:
        current = stamp_inputs(input_paths(settings), settings.root)
    except OSError:
        return None
    if current != manifest.inputs:
        return None
    return Prebuilt(folder, manifest)


def open_graph(prebuilt: Prebuilt, settings: Settings) -> KnowledgeGraph:
    """A :class:`KnowledgeGraph` over the prebuilt store (no rdflib parsing; the rdflib model is made on
    first use of ``graph.dataset``)."""
    store = prebuilt.open()
    graph = KnowledgeGraph(None, [], settings, store=store, graphs=[URIRef(g) for g in prebuilt.manifest.graphs])
    graph.source = prebuilt.source
    graph.data_digest = prebuilt.manifest.digest()
    return graph


def load_graph(settings: Settings, *, rebuild: bool = True) -> tuple[KnowledgeGraph, Prebuilt]:
    """The graph to serve: opened from the prebuilt store if it is fresh, else loaded from the Turtle (all or
    nothing: a file that fails to load raises :class:`LoadError`), written as the prebuilt store, and
    opened from there (so the rdflib copy of the data is not kept). With ``rebuild``, the dumps in ``dist/``
    are made the dumps of this data too (:func:`ensure_dumps`)."""
    prebuilt = open_prebuilt(settings)
    if prebuilt is None:
        if not rebuild:
            raise LoadError(f"{store_dir(settings)}: no fresh prebuilt store; run `attgraph build`",
                            {"file": str(store_dir(settings))})
        prebuilt = build_store(settings)
    try:
        graph = open_graph(prebuilt, settings)
    except LoadError:
        if not rebuild:
            raise
        prebuilt = build_store(settings)
        graph = open_graph(prebuilt, settings)
    if rebuild:
        ensure_dumps(graph, settings)
    return graph, prebuilt


def ensure_dumps(graph: KnowledgeGraph, settings: Settings) -> DumpCatalog:
    """The dumps of ``graph`` in ``dist/`` (:mod:`attgraph.build.dumps`): those there when they were made from
    the same data, else written now. The service serves these."""
    found = read_catalog(settings.dist_dir, graph.digest)
    return found if found is not None else build(graph, settings.dist_dir).catalog


def build_store(settings: Settings, graph: KnowledgeGraph | None = None,
                inputs: tuple[InputStamp, ...] | None = None) -> Prebuilt:
    """Load the Turtle (unless ``graph`` is given, with the ``inputs`` stamped before it was loaded) and
    write the prebuilt store of the kind ``settings`` ask for.

    This is ``serve``'s fallback when the store is stale: it loads all or nothing and attaches the inferences
    of ``dist/inferred.ttl`` if they were made from exactly these files, but it does not run the build's
    checks (SHACL, reasoning); ``attgraph build`` does, and ``make serve`` runs it first.
    """
    if graph is None:
        inputs = stamp_inputs(input_paths(settings), settings.root)
        graph = KnowledgeGraph.load(settings)
        graph.attach_inferred()
    elif inputs is None:
        inputs = stamp_inputs([item.path for item in graph.files], settings.root)
    return write_store(graph, store_dir(settings), inputs, _kind(settings))
