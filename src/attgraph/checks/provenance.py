"""Statement-level provenance, checked: does every claim of the curated graph say where it is stated, in which
words, and how we know it; and is every quote really the words of its unit?

A *claim* is a triple of a curated file (``data/curated/``) or of the treaty (``data/treaty.ttl``) other than
a type, a label or a resource's own ``prov:wasDerivedFrom`` (:file:`knowledge/sparql/claims.rq`). A claim is
*covered* when an :class:`att:Statement` reifies it with a basis, or when its property (or its named graph)
has an ``att:defaultBasis`` (``att:summary`` is our own words: ``att:editorial``). A quote is *verified* when
it is a substring of the ``att:text`` of the unit its statement is derived from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from attgraph.knowledge.graph import KnowledgeGraph, internal_query
from attgraph.knowledge.namespaces import ATT, compact

__all__ = ["Claim", "ProvenanceReport", "QuoteProblem", "check_provenance"]

_STATED = str(ATT.stated)


@dataclass(frozen=True)
class Claim:
    """One claim: the file's named graph and the triple, as the engine's terms."""

    graph: str
    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    object: ox.NamedNode | ox.BlankNode | ox.Literal

    def text(self) -> str:
        """The claim as one line of Turtle-like text, prefixed names where we have them."""
        def show(term: object) -> str:
            if isinstance(term, ox.NamedNode):
                return compact(term.value)
            return str(term)
        return f"{show(self.subject)} {show(self.predicate)} {show(self.object)}"


@dataclass(frozen=True)
class QuoteProblem:
    """A statement whose quote is missing or is not the words of its unit."""

    statement: str
    claim: str
    unit: str
    quote: str
    problem: str


@dataclass
class ProvenanceReport:
    """Claims in all, how each is known, and what is wrong."""

    claims: int = 0
    #: Claims by how they are known: a basis's local name, or ``missing``.
    by_basis: Counter[str] = field(default_factory=Counter)
    #: Claims covered by a statement of their own (not a property's or graph's default).
    with_statement: int = 0
    #: Claims with at least one verified quote.
    with_quote: int = 0
    quotes: int = 0
    verified: int = 0
    by_file: dict[str, Counter[str]] = field(default_factory=dict)
    missing: list[Claim] = field(default_factory=list)
    problems: list[QuoteProblem] = field(default_factory=list)
    #: Statements that reify a triple the graph does not hold.
    dangling: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every claim known, every quote verified, no statement of a triple the graph does not hold."""
        return not self.missing and not self.problems and not self.dangling


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value(term: object) -> str:
    """The IRI or lexical form of a term (``""`` for none)."""
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else ("" if term is None else str(term))


def _show(term: object) -> str:
    return compact(term.value) if isinstance(term, ox.NamedNode) else str(term)


def check_provenance(graph: KnowledgeGraph) -> ProvenanceReport:
    """Check every claim of ``graph`` (see the module docstring)."""
    report = ProvenanceReport()
    defaults = {_value(row["term"]): _value(row["basis"])
                for row in graph.run(internal_query("default_bases")).rows() if row.get("term") is not None}
    stated: dict[tuple[object, object, object], set[str]] = {}
    quoted: set[tuple[object, object, object]] = set()
    for row in graph.run(internal_query("statements")).rows():
        key = (row.get("s"), row.get("p"), row.get("o"))
        node = str(row["st"])
        if row.get("basis") is not None:
            stated.setdefault(key, set()).add(_value(row["basis"]))
        quote, unit, text = row.get("quote"), row.get("unit"), row.get("text")
        shown = " ".join(_show(term) for term in key)
        if quote is not None:
            report.quotes += 1
            if text is None:
                report.problems.append(QuoteProblem(node, shown, _show(unit) if unit is not None else "",
                                                    _value(quote),
                                                    "its unit has no text (prov:wasDerivedFrom a source unit)"))
            elif _value(quote) not in _value(text):
                report.problems.append(QuoteProblem(node, shown, _show(unit), _value(quote),
                                                    "not a substring of the unit's att:text"))
            else:
                report.verified += 1
                quoted.add(key)
        elif _value(row.get("basis")) == _STATED and isinstance(unit, ox.NamedNode) and text is not None:
            report.problems.append(QuoteProblem(node, shown, _show(unit), "",
                                                "stated by a source unit, but no att:quote"))
    held = set()
    for row in graph.run(internal_query("claims")).rows():
        subject, predicate, value = row["s"], row["p"], row["o"]
        assert isinstance(subject, ox.NamedNode | ox.BlankNode) and isinstance(predicate, ox.NamedNode)
        assert isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal)
        claim = Claim(_value(row["g"]), subject, predicate, value)
        key = (claim.subject, claim.predicate, claim.object)
        held.add(key)
        report.claims += 1
        bases = stated.get(key)
        if bases:
            report.with_statement += 1
            basis = _STATED if _STATED in bases else sorted(bases)[0]
        else:
            basis = defaults.get(claim.predicate.value) or defaults.get(claim.graph) or "missing"
        name = _local(basis)
        report.by_basis[name] += 1
        report.by_file.setdefault(claim.graph.rsplit("/graph/", 1)[-1], Counter())[name] += 1
        if key in quoted:
            report.with_quote += 1
        if basis == "missing":
            report.missing.append(claim)
    report.dangling = sorted(" ".join(_show(term) for term in key) for key in stated
                             if key not in held and not _held_elsewhere(graph, key))
    return report


def _held_elsewhere(graph: KnowledgeGraph, key: tuple[object, object, object]) -> bool:
    """Whether the graph holds the triple at all (a statement may reify a triple of an uncurated graph)."""
    subject, predicate, value = key
    if not isinstance(subject, ox.NamedNode | ox.BlankNode) or not isinstance(predicate, ox.NamedNode):
        return False
    if not isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal):
        return False
    return any(True for _ in graph.store.quads_for_pattern(subject, predicate, value, None))
