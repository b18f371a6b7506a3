"""OWL reasoning: HermiT (through owlready2) checks the graph, SPARQL rules materialise what queries need.

Two steps, each measured (``ReasoningReport.seconds``):

1. **Check** — the ontology and the data are converted with rdflib to N-Triples, loaded into a fresh
   owlready2 ``World`` and handed to HermiT (``sync_reasoner_hermit``, dates ignored because ``xsd:date`` is
   outside the OWL 2 datatype map). HermiT says whether the whole is consistent and which classes are
   unsatisfiable, and classifies the class hierarchy; the subclass and type statements it adds are kept.
   HermiT needs Java: without ``java`` on the PATH, :class:`ReasonerUnavailable` is raised (exit code 2).
2. **Materialise** — the rules of ``src/attgraph/checks/rules/*.rq`` (CONSTRUCT queries: class and property
   hierarchy, inverses, transitivity, domains and ranges) run on pyoxigraph over the data, HermiT's
   additions and their own output until nothing new appears. Only statements not already asserted and
   free of blank nodes are kept: they are the named graph ``…/graph/inferred``.

Where HermiT finds the graph inconsistent, ``rules/disjoint.rq`` names the resources that sit in two
disjoint classes, so the report can say which resource is at fault.

``attgraph build`` writes the inferences to ``dist/inferred.ttl`` with a digest of the files they were
made from (:mod:`attgraph.knowledge.inferred`); :meth:`attgraph.knowledge.graph.KnowledgeGraph.load` adds them
to its store when the digest still matches.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph

from attgraph.errors import AttgraphError
from attgraph.knowledge.namespaces import OWL, PREFIXES, RDF, RDFS

if TYPE_CHECKING:
    from attgraph.knowledge.graph import KnowledgeGraph

__all__ = [
    "Clash",
    "ReasonerUnavailable",
    "ReasoningReport",
    "find_java",
    "materialise",
    "reason",
    "reason_project",
]

_RULES_DIR = Path(__file__).resolve().parent / "rules"
_RULES = ("subclass", "subproperty", "inverse", "transitive", "domain", "range")
_MAX_ROUNDS = 30
#: The base IRI owlready2 gives the converted graph (never fetched; only names the ontology in the World).
_WORLD_ONTOLOGY = "http://attgraph.invalid/reasoning.nt"


class ReasonerUnavailable(AttgraphError):
    """The OWL reasoner cannot run here (no Java)."""

    code = "reasoner_unavailable"
    status = 503


@dataclass(frozen=True)
class Clash:
    """A resource that belongs to two disjoint classes."""

    resource: str
    first: str
    second: str


@dataclass(frozen=True)
class ReasoningReport:
    """What reasoning found: consistency, unsatisfiable classes, clashes and the new statements."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    clashes: tuple[Clash, ...]
    inferred: tuple[ox.Triple, ...]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Consistent and no class unsatisfiable."""
        return self.consistent and not self.unsatisfiable

    def problems(self) -> list[str]:
        """Each problem in plain words (empty when :attr:`ok`)."""
        lines: list[str] = []
        if not self.consistent:
            lines.append("the ontology and data are logically inconsistent (HermiT)")
            lines.extend(f"{_curie(c.resource)} is both {_curie(c.first)} and {_curie(c.second)}, "
                         "which are disjoint classes" for c in self.clashes)
        lines.extend(f"class {_curie(iri)} is unsatisfiable: nothing can belong to it"
                     for iri in self.unsatisfiable)
        return lines


def _curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


# -- Java and HermiT -----------------------------------------------------------------------------


def find_java() -> str:
    """The Java executable owlready2 will run HermiT with; :class:`ReasonerUnavailable` when there is none."""
    import owlready2

    java = str(owlready2.JAVA_EXE)
    found = java if os.path.isabs(java) and os.access(java, os.X_OK) else shutil.which(java)
    if not found:
        raise ReasonerUnavailable(
            "the OWL reasoner (HermiT) needs Java, and no 'java' was found on the PATH; install a Java "
            "runtime (Debian: apt-get install default-jre-headless, or `make system-deps`)",
            {"java": java},
        )
    return found


@dataclass(frozen=True)
class _HermitOutcome:
    consistent: bool
    unsatisfiable: tuple[str, ...]
    additions: tuple[ox.Triple, ...]


def _run_hermit(ntriples: bytes) -> _HermitOutcome:
    import owlready2

    find_java()
    world = owlready2.World()
    world.get_ontology(_WORLD_ONTOLOGY).load(fileobj=io.BytesIO(ntriples), format="ntriples")
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                       ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return _HermitOutcome(False, (), ())
    except owlready2.OwlReadyJavaError as error:
        raise AttgraphError(f"the OWL reasoner failed: {str(error).strip().splitlines()[-1]}",
                            {"reason": str(error)}) from error
    unsatisfiable = tuple(sorted(str(c.iri) for c in world.inconsistent_classes()
                                 if str(c.iri) != str(OWL.Nothing)))
    additions: list[ox.Triple] = []
    inferred = world.get_ontology("http://inferrences/")
    for s, p, o in inferred.get_triples():
        if not (isinstance(s, int) and isinstance(o, int) and s > 0 and o > 0):
            continue
        predicate = world._unabbreviate(p)
        if predicate not in (str(RDFS.subClassOf), str(RDF.type)):
            continue
        subject, value = world._unabbreviate(s), world._unabbreviate(o)
        if value == str(OWL.Ontology):
            continue
        additions.append(ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), ox.NamedNode(value)))
    return _HermitOutcome(True, unsatisfiable, tuple(additions))


# -- materialising -------------------------------------------------------------------------------


def _rule(name: str) -> str:
    return (_RULES_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def materialise(store: ox.Store, extra: Iterable[ox.Triple] = ()) -> list[ox.Triple]:
    """The statements the rules derive from ``store`` (its default graph) plus ``extra``, sorted.

    ``store`` is not changed. Asserted statements and statements with blank nodes are left out.
    """
    asserted = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    work = ox.Store()
    work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in asserted)
    found: set[ox.Triple] = {t for t in extra if t not in asserted}
    work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in found)
    rules = [_rule(name) for name in _RULES]
    for _ in range(_MAX_ROUNDS):
        new: set[ox.Triple] = set()
        for rule in rules:
            result = work.query(rule, prefixes=PREFIXES)
            assert isinstance(result, ox.QueryTriples)
            for triple in result:
                if triple not in asserted and triple not in found:
                    new.add(triple)
        if not new:
            break
        found |= new
        work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in new)
    return sorted((t for t in found if not _has_blank(t)), key=str)


def _clashes(store: ox.Store, inferred: Sequence[ox.Triple]) -> tuple[Clash, ...]:
    work = ox.Store()
    work.extend(store)
    work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in inferred)
    result = work.query(_rule("disjoint"), prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    return tuple(Clash(str(row["resource"].value), str(row["first"].value), str(row["second"].value))
                 for row in result)


def reason(data: Graph | ox.Store) -> ReasoningReport:
    """Check ``data`` (ontology and data together; an rdflib Graph or a store's default graph) with HermiT
    and materialise its inferences."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    if isinstance(data, ox.Store):
        store = data
        ntriples = bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b"")
    else:
        ntriples = data.serialize(format="nt", encoding="utf-8")
        store = ox.Store()
        store.bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES)
    seconds["convert"] = time.perf_counter() - start

    start = time.perf_counter()
    outcome = _run_hermit(ntriples)
    seconds["hermit"] = time.perf_counter() - start

    start = time.perf_counter()
    inferred = materialise(store, outcome.additions)
    seconds["materialise"] = time.perf_counter() - start

    clashes: tuple[Clash, ...] = ()
    if not outcome.consistent:
        clashes = _clashes(store, inferred)
    return ReasoningReport(outcome.consistent, outcome.unsatisfiable, clashes, tuple(inferred), seconds)


def reason_project(graph: KnowledgeGraph) -> ReasoningReport:
    """Reason over the project's own graph (ontology and data as asserted)."""
    return reason(graph.asserted())
