"""The ontology page: every class, property and individual of ``ontology/``, documented from its own
labels and comments, with domains, ranges, inverses and the standard terms each one aligns to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from attgraph.knowledge.graph import KnowledgeGraph, internal_query
from attgraph.knowledge.namespaces import ATT, OWL

from .render import Link, link

__all__ = ["OntologyView", "TermView", "ontology_view"]

_KINDS = (
    (str(OWL.Class), "Classes", "类"),
    (str(OWL.ObjectProperty), "Object properties", "对象属性"),
    (str(OWL.DatatypeProperty), "Datatype properties", "数据属性"),
    (str(OWL.AnnotationProperty), "Annotation properties", "注释属性"),
    (str(OWL.NamedIndividual), "Individuals", "个体"),
)


@dataclass
class TermView:
    """One term: its anchor (the fragment of its IRI), labels, comments and relations."""

    anchor: str
    link: Link
    comment_en: str
    comment_zh: str
    domains: list[Link] = field(default_factory=list)
    ranges: list[Link] = field(default_factory=list)
    broader: list[Link] = field(default_factory=list)
    aligns: list[Link] = field(default_factory=list)
    inverses: list[Link] = field(default_factory=list)
    types: list[Link] = field(default_factory=list)


@dataclass
class OntologyView:
    """The terms grouped by kind, in a fixed order: (English title, Chinese title, terms)."""

    groups: list[tuple[str, str, list[TermView]]]

    @property
    def count(self) -> int:
        """How many terms are documented."""
        return sum(len(terms) for _, _, terms in self.groups)


def ontology_view(graph: KnowledgeGraph, base_path: str = "") -> OntologyView:
    """Read the ontology's terms (once, at start-up) into an :class:`OntologyView`."""
    rows = graph.run(internal_query("ontology_terms")).values()
    labels = {r["term"]: (r["labelEn"], r["labelZh"]) for r in rows}

    def links(text: str, own: bool | None = None) -> list[Link]:
        out = []
        for iri in text.split():
            if own is not None and iri.startswith(str(ATT)) != own:
                continue
            en, zh = labels.get(iri, ("", ""))
            out.append(link(iri, base_path, en, zh))
        return out

    groups: list[tuple[str, str, list[TermView]]] = []
    for kind, title_en, title_zh in _KINDS:
        terms = [
            TermView(r["term"][len(str(ATT)):], link(r["term"], base_path, r["labelEn"], r["labelZh"]),
                     r["commentEn"], r["commentZh"], links(r["domains"]), links(r["ranges"]),
                     links(r["supers"], own=True), links(r["supers"] + " " + r["equivalents"], own=False),
                     links(r["inverses"]), links(r["types"]))
            for r in rows if r["kind"] == kind
        ]
        if terms:
            groups.append((title_en, title_zh, terms))
    return OntologyView(groups)
