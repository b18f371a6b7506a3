"""Validating RDF against the SHACL shapes of ``shapes/`` with pySHACL.

Non-conformance is data, not an exception: :func:`validate` returns a
:class:`~attgraph.checks.findings.ValidationReport` (see :mod:`attgraph.checks.findings`). The CLI maps it to
exit codes (0 conforms, 1 does not); anything that stops validation from running raises
:class:`~attgraph.errors.AttgraphError` (exit 2).

The data graph handed to pySHACL is a pyoxigraph store (its SPARQL engine makes the SPARQL-based
constraints fast); ``owl:imports`` are never followed (``do_owl_imports=False``), nothing is inferred
(``inference="none"``) and SHACL-AF is on for the whole-graph checks that use SPARQL targets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from pyshacl.graph_abstraction import OxigraphDataGraph
from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
from rdflib import Graph, URIRef

from attgraph.errors import AttgraphError, LoadError
from attgraph.knowledge.loader import bind_prefixes, discover, load_files
from attgraph.knowledge.namespaces import PREFIXES, RDF, SH

from .findings import ValidationReport, report_results

if TYPE_CHECKING:
    from attgraph.knowledge.graph import KnowledgeGraph
    from attgraph.settings import Settings

    from .rdfinput import UserInput

__all__ = ["data_for_files", "load_shapes", "ontology_store", "shape_names", "validate", "validate_project"]


# -- shapes --------------------------------------------------------------------------------------


def load_shapes(folder: Path) -> Graph:
    """Every ``*.ttl`` of ``folder`` in one graph. Raises :class:`LoadError` naming a file that fails."""
    if not folder.is_dir():
        raise LoadError(f"{folder}: no shapes folder", {"folder": str(folder)})
    paths = sorted(folder.glob("*.ttl"))
    _, files = load_files(paths, folder)
    shapes = Graph()
    bind_prefixes(shapes)
    for item in files:
        for prefix, namespace in item.graph.namespaces():
            if prefix not in PREFIXES:
                shapes.bind(prefix, namespace, override=False)
        for triple in item.graph:
            shapes.add(triple)
    return shapes


def shape_names(shapes: Graph) -> list[URIRef]:
    """The named (IRI) shapes of a shapes graph, node and property shapes, sorted."""
    named = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)}
    return sorted(s for s in named if isinstance(s, URIRef))


# -- running -------------------------------------------------------------------------------------


def _memoize_sparql_checks() -> None:
    """Check each SPARQL constraint's text once, not once per focus node.

    pySHACL re-runs its well-formedness regexes on the query text for every focus node; on long queries
    they backtrack quadratically (seconds for the whole graph). The check depends only on the text and on
    which variables may be pre-bound, so its (successful) outcome is remembered per key.
    """
    original = SPARQLQueryHelper.check_invalid_sparql
    if getattr(original, "_attgraph_memoized", False):
        return
    passed: set[tuple[str, bool, tuple[str, ...]]] = set()

    def check(self: SPARQLQueryHelper, sparql_text: str, valuenode: object = None,
              extravars: Iterable[str] | None = None) -> bool:
        key = (sparql_text, valuenode is None, tuple(sorted(extravars or ())))
        if key not in passed:
            original(self, sparql_text, valuenode, extravars)  # type: ignore[no-untyped-call]
            passed.add(key)
        return True

    check._attgraph_memoized = True  # type: ignore[attr-defined]
    SPARQLQueryHelper.check_invalid_sparql = check  # type: ignore[method-assign]


class _StoreGraph(OxigraphDataGraph):
    """pySHACL's view of a pyoxigraph store whose size is counted once.

    pySHACL asks a data graph for its truth value (``datagraph or shapes_graph``) each time it makes a
    result, and the engine answers by counting every triple; the store never changes during validation.
    """

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self._size = len(store)

    def __len__(self, context: object = None) -> int:
        return self._size

    def __bool__(self) -> bool:
        return True



def validate(data: Graph | ox.Store, shapes: Graph) -> ValidationReport:
    """Validate ``data`` (which should hold the ontology, for subclass targets) against ``shapes``.

    ``data`` is an rdflib Graph or a pyoxigraph store (its default graph); a store is used as it is.
    """
    _memoize_sparql_checks()
    if isinstance(data, ox.Store):
        store = data
    else:
        store = ox.Store()
        store.bulk_load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    try:
        conforms, report_graph, _ = pyshacl_validate(
            _StoreGraph(store),
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            inplace=True,
            allow_warnings=True,
            allow_infos=True,
            do_owl_imports=False,
        )
    except Exception as error:  # pySHACL raises bare exceptions for broken shapes or engines
        raise AttgraphError(f"validation could not run: {error}", {"reason": str(error)}) from error
    if not isinstance(report_graph, Graph):
        raise AttgraphError(f"validation could not run: {report_graph}", {"reason": str(report_graph)})
    bind_prefixes(report_graph)
    results = report_results(report_graph, shapes, store)
    return ValidationReport(bool(conforms), results, report_graph)


def validate_project(graph: KnowledgeGraph) -> ValidationReport:
    """Validate the project's own graph (ontology and data, without inferences) against its shapes."""
    return validate(graph.asserted(), load_shapes(graph.settings.shapes_dir))


def data_for_files(inputs: Sequence[UserInput], settings: Settings, *,
                   graph: KnowledgeGraph | None = None) -> Graph:
    """The graph to validate user files in: the files merged, with our whole graph when ``graph`` is given,
    else with our ontology alone (so that subclass targets work)."""
    data = Graph()
    bind_prefixes(data)
    for item in inputs:
        for triple in item.graph:
            data.add(triple)
    if graph is not None:
        from .rdfinput import to_rdflib

        for triple in to_rdflib(graph.asserted()):
            data.add(triple)
        return data
    _, ontology_files = load_files(discover(settings.root, ("ontology",)), settings.root)
    for loaded in ontology_files:
        for triple in loaded.graph:
            data.add(triple)
    return data


def ontology_store(settings: Settings) -> ox.Store:
    """Our ontology alone in the default graph of a new engine store (to check a user's file with it only)."""
    _, ontology_files = load_files(discover(settings.root, ("ontology",)), settings.root)
    store = ox.Store()
    for loaded in ontology_files:
        store.bulk_load(loaded.graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store
