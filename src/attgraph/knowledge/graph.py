"""The knowledge graph: the one object that owns the data and answers questions about it.

``KnowledgeGraph.load()`` reads ``ontology/`` and ``data/`` with rdflib into a Dataset (one named graph per
file), then fills an in-memory pyoxigraph store from it. Every query runs on that store; rdflib stays the
loader, the model for validation and the serializer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from attgraph.errors import QueryError
from attgraph.settings import Settings

from . import namedqueries
from .inferred import INFERRED_FILE, INFERRED_GRAPH, inputs_digest, read_inferred
from .loader import LoadedFile, bind_prefixes, discover, load_files
from .namedqueries import NamedQuery
from .namespaces import PREFIXES, prefixes_for
from .results import QueryResult, from_engine
from .syntax import explain

__all__ = ["Counts", "KnowledgeGraph", "internal_query"]

_SPARQL_DIR = Path(__file__).resolve().parent / "sparql"


@cache
def internal_query(name: str) -> NamedQuery:
    """One of the package's own queries (``src/attgraph/knowledge/sparql/{name}.rq``)."""
    return namedqueries.load_query(_SPARQL_DIR / f"{name}.rq")


@dataclass(frozen=True)
class Counts:
    """Sizes of the graph: triples in all, per named graph, resources per class, triples per property."""

    triples: int
    graphs: dict[str, int]
    classes: dict[str, int]
    properties: dict[str, int]


def _to_store(files: Iterable[LoadedFile]) -> ox.Store:
    """An in-memory engine store holding each file's triples in the file's named graph."""
    store = ox.Store()
    for item in files:
        data = item.graph.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(item.graph_name)))
    return store


def _to_dataset(store: ox.Store) -> Dataset:
    """An rdflib Dataset holding the store's quads, each in its named graph."""
    dataset = Dataset()
    bind_prefixes(dataset)
    for name in sorted(store.named_graphs(), key=str):
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        dataset.graph(URIRef(name.value)).parse(data=bytes(data or b""), format="nt")
    return dataset


class KnowledgeGraph:
    """The loaded graph with its query engine."""

    def __init__(self, dataset: Dataset | None, files: list[LoadedFile], settings: Settings,
                 store: ox.Store | None = None, graphs: Sequence[URIRef] | None = None) -> None:
        """A graph loaded by rdflib (``dataset``, ``files``), or opened from a prebuilt engine ``store``
        (``dataset=None``, ``files=[]``, ``graphs`` its named graphs in load order; see :mod:`attgraph.build.prebuilt`).
        """
        self._dataset = dataset
        self.files = files
        self.settings = settings
        self.store = store if store is not None else _to_store(files)
        self._graphs = list(graphs) if graphs is not None else [item.graph_name for item in files]
        #: Where the store's statements can be read back without parsing Turtle (a prebuilt store's N-Quads
        #: file or on-disk folder; set by :mod:`attgraph.build.prebuilt`). Query workers open an on-disk folder
        #: themselves; an in-memory store they share by being forked.
        self.source: Path | None = None
        #: What identifies the data (see :attr:`digest`); set by whoever opens a prebuilt or remote store.
        self.data_digest: str | None = None

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset (for a graph opened from a prebuilt store: read from the store on first use)."""
        if self._dataset is None:
            self._dataset = _to_dataset(self.store)
        return self._dataset

    @classmethod
    def load(cls, settings: Settings | None = None, extra: Iterable[Path] = ()) -> KnowledgeGraph:
        """Load the project's Turtle (``ontology/``, ``data/``) plus any ``extra`` files, all or nothing."""
        settings = settings or Settings.from_env()
        paths = discover(settings.root, settings.folders) + sorted(extra)
        dataset, files = load_files(paths, settings.root)
        graph = cls(dataset, files, settings)
        graph.attach_inferred()
        return graph

    def attach_inferred(self, triples: Iterable[ox.Triple] | None = None) -> int:
        """Put materialised inferences into the store as the named graph ``…/graph/inferred`` (replacing any).

        Without ``triples``, reads ``dist/inferred.ttl`` (written by ``attgraph build``) when it was made
        from exactly the loaded files (see :mod:`attgraph.knowledge.inferred`). Returns how many were attached.
        The rdflib ``dataset`` and :meth:`union` stay the asserted statements.
        """
        if triples is None:
            path = self.settings.dist_dir / INFERRED_FILE
            found = read_inferred(path, inputs_digest(self.files)) if self.files and path.is_file() else None
            if found is None:
                return 0
            triples = found
        name = ox.NamedNode(str(INFERRED_GRAPH))
        if self.store.contains_named_graph(name):
            self.store.remove_graph(name)
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
        self.store.extend(quads)
        if INFERRED_GRAPH not in self._graphs:
            self._graphs.append(INFERRED_GRAPH)
        return len(quads)

    # -- queries ---------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
              ) -> QueryResult:
        """Evaluate SPARQL over the union of all graphs; ``bindings`` are substituted by the engine."""
        try:
            result = self.store.query(
                sparql,
                use_default_graph_as_union=True,
                prefixes=prefixes_for(sparql),
                substitutions=dict(bindings) if bindings else None,
            )
            return from_engine(result)
        except SyntaxError as error:
            raise explain(sparql, str(error), PREFIXES) from None
        except RuntimeError as error:
            raise QueryError(f"the query could not be evaluated: {error}", {"reason": str(error)}) from None

    @cached_property
    def catalog(self) -> dict[str, NamedQuery]:
        """The named queries of ``queries/``."""
        folder = self.settings.queries_dir
        return namedqueries.load_catalog(folder) if folder.is_dir() else {}

    def run(self, query: NamedQuery | str, params: Mapping[str, str] | None = None) -> QueryResult:
        """Run a named query (by name or object) with raw parameter values, typed and bound."""
        named = namedqueries.get(self.catalog, query) if isinstance(query, str) else query
        return self.query(named.sparql, named.bindings(params or {}))

    def describe(self, iri: str) -> QueryResult:
        """The triples about ``iri``, the inverse links to it and the labels of its neighbours."""
        return self.run(internal_query("describe"), {"resource": iri})

    def exists(self, iri: str) -> bool:
        """Whether ``iri`` is the subject of any triple."""
        return any(True for _ in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, None))

    # -- sizes -----------------------------------------------------------------------------------

    def counts(self) -> Counts:
        """Triples per graph, resources per class and triples per property."""

        def table(name: str, key: str) -> dict[str, int]:
            rows = self.run(internal_query(name)).values()
            return {row[key]: int(row["count"]) for row in rows}

        return Counts(
            triples=len(self.store),
            graphs=table("graph_counts", "graph"),
            classes=table("class_counts", "class"),
            properties=table("property_counts", "property"),
        )

    @property
    def digest(self) -> str:
        """A SHA-256 that changes whenever the data do: given by whoever opened the store (a prebuilt store's
        manifest), else computed from the loaded files' paths and bytes."""
        if self.data_digest is None:
            if self.files:
                self.data_digest = inputs_digest(self.files)
            else:
                names = "\n".join(sorted(str(g) for g in self._graphs))
                self.data_digest = hashlib.sha256(f"{names}\n{len(self.store)}".encode()).hexdigest()
        return self.data_digest

    def asserted(self) -> ox.Store:
        """The statements as asserted (every named graph but the inferred one), in the default graph of a new
        engine store: what validation and reasoning check."""
        inferred = ox.NamedNode(str(INFERRED_GRAPH))
        store = ox.Store()
        store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self.store if q.graph_name != inferred)
        return store

    def union(self) -> Graph:
        """All triples of all graphs in one rdflib Graph (for validation and serialization)."""
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        for s, p, o, _ in self.dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph

    def graph_names(self) -> list[URIRef]:
        """The named graphs, one per loaded file, in load order."""
        return list(self._graphs)
