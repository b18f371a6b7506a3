"""Source units and the references found in them, as RDF.

Every unit becomes a resource ``source:{key}/{path}`` typed with the class of its kind; every
reference found in a unit's text becomes a direct link on the unit (``att:citesProvision``,
``att:mentionsSession`` …) and an ``att:ReferenceOccurrence`` (``…/{path}#ref-{start}``) that says
where the reference was found, so extracted links can be told from curated ones. No blank nodes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from attgraph.knowledge.namespaces import ATT, PREFIXES, PROV, RDF, RDFS, XSD, document_iri, provision_iri, source_iri

from .unit import Unit

__all__ = [
    "DIRECT_LINKS",
    "KIND_CLASSES",
    "ReferenceLike",
    "SymbolPartsLike",
    "add_references",
    "occurrence_iri",
    "symbol_iri",
    "target_node",
    "unit_labels",
    "units_graph",
]

#: The ontology class of each kind of unit.
KIND_CLASSES: dict[str, URIRef] = {
    "title": ATT.TitleBlock,
    "heading": ATT.Heading,
    "paragraph": ATT.NumberedParagraph,
    "subitem": ATT.SubItem,
    "annex": ATT.AnnexUnit,
    "appendix": ATT.AppendixUnit,
    "step": ATT.StepUnit,
    "bullet": ATT.BulletPoint,
    "question": ATT.QuestionUnit,
    "table": ATT.TableUnit,
    "row": ATT.TableRow,
    "footnote": ATT.Footnote,
    "endnote": ATT.Endnote,
    "text": ATT.SourceUnit,
}

#: The property linking a unit directly to what a reference of each kind points at.
DIRECT_LINKS: dict[str, URIRef] = {
    "provision": ATT.citesProvision,
    "symbol": ATT.mentionsDocument,
    "session": ATT.mentionsSession,
    "body": ATT.mentionsBody,
    "date": ATT.mentionsDate,
    "date-range": ATT.mentionsDate,
}

_SESSION = Namespace(PREFIXES["session"])
_BODY = Namespace(PREFIXES["body"])


class ReferenceLike(Protocol):
    """What :func:`add_references` needs of a reference (``attgraph.ingest.references.Reference``)."""

    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def targets(self) -> tuple[str, ...]: ...


class SymbolPartsLike(Protocol):
    """What :func:`add_references` needs of a parsed symbol (``references.SymbolParts``)."""

    @property
    def printed(self) -> str: ...
    @property
    def canonical(self) -> str: ...
    @property
    def anomalies(self) -> tuple[str, ...]: ...
    @property
    def session(self) -> str | None: ...
    @property
    def body(self) -> str | None: ...
    @property
    def year(self) -> int | str | None: ...
    @property
    def author(self) -> str | None: ...
    @property
    def serial(self) -> int | str | None: ...
    @property
    def doc_type(self) -> str | None: ...


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------

_SEGMENT_LABELS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^title$"), "title block", "标题块"),
    (re.compile(r"^toc$"), "table of contents", "目录"),
    (re.compile(r"^p(\d+)$"), "¶{0}", "第{0}段"),
    (re.compile(r"^annex-(\w+)$"), "Annex {0}", "附件{0}"),
    (re.compile(r"^annex$"), "Annex", "附件"),
    (re.compile(r"^appendix-(\d+)$"), "Appendix {0}", "附录{0}"),
    (re.compile(r"^step-(\d+)$"), "Step {0}", "第{0}步"),
    (re.compile(r"^h(\d+)$"), "heading {0}", "标题{0}"),
    (re.compile(r"^t(\d+)$"), "text {0}", "文字{0}"),
    (re.compile(r"^b(\d+)$"), "bullet {0}", "要点{0}"),
    (re.compile(r"^q(\d+)$"), "question {0}", "问题{0}"),
    (re.compile(r"^url-(\d+)$"), "URL {0}", "网址{0}"),
    (re.compile(r"^fn-(\d+)$"), "footnote {0}", "脚注{0}"),
    (re.compile(r"^endnote-(\d+)$"), "endnote {0}", "尾注{0}"),
    (re.compile(r"^table-(\d+)$"), "Table {0}", "表{0}"),
    (re.compile(r"^row-(\d+)$"), "row {0}", "第{0}行"),
    (re.compile(r"^(\d+)$"), "item ({0})", "第{0}项"),
    (re.compile(r"^([a-z]+)$"), "item ({0})", "({0})项"),
)


def _segment_label(segment: str, parent: str | None, kind: str, last: bool) -> tuple[str, str]:
    if last and kind == "question" and segment.isdigit():
        return f"question {segment}", f"问题{segment}"
    if parent is not None and parent.rsplit("/", 1)[-1] == "toc" and segment.isdigit():
        return f"entry {segment}", f"条目{segment}"
    for pattern, english, chinese in _SEGMENT_LABELS:
        match = pattern.match(segment)
        if match:
            return english.format(*match.groups()), chinese.format(*match.groups())
    return segment, segment


def unit_labels(unit: Unit) -> tuple[str, str]:
    """A unit's labels in English and Chinese: ``("wgeti-csp11-report ¶12", "第12段")``.

    The English label starts with the document key; both name every level of the path
    (``"… Annex 1, Step 3, question 2"`` / ``"附件1，第3步，问题2"``).
    """
    segments = unit.path.split("/")
    english: list[str] = []
    chinese: list[str] = []
    for index, segment in enumerate(segments):
        parent = "/".join(segments[:index]) or None
        en, zh = _segment_label(segment, parent, unit.kind, index == len(segments) - 1)
        english.append(en)
        chinese.append(zh)
    return f"{unit.source_key} {', '.join(english)}", "，".join(chinese)


# ---------------------------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------------------------


def units_graph(units: Sequence[Unit], graph: Graph | None = None) -> Graph:
    """Add the units of one document to ``graph`` (a new graph if None) and return it.

    Each unit: its class, ``att:inSource``, ``att:parentUnit`` and ``att:partOf`` (the source
    document for top-level units), ``att:number``, ``att:position`` (1-based among its siblings, as
    the ontology defines it), ``att:lineNumber``, ``att:text`` (@zh, omitted when empty),
    ``att:callsNote``, ``rdfs:label`` in English and Chinese, and who made it
    (``prov:wasGeneratedBy`` and ``att:extractedBy`` ``att:segmenter``).
    """
    graph = Graph() if graph is None else graph
    siblings: Counter[str | None] = Counter()
    for unit in units:
        subject = source_iri(unit.source_key, unit.path)
        document = source_iri(unit.source_key)
        siblings[unit.parent] += 1
        graph.add((subject, RDF.type, KIND_CLASSES[unit.kind]))
        graph.add((subject, ATT.inSource, document))
        if unit.parent is None:
            graph.add((subject, ATT.partOf, document))
        else:
            parent = source_iri(unit.source_key, unit.parent)
            graph.add((subject, ATT.parentUnit, parent))
            graph.add((subject, ATT.partOf, parent))
        if unit.number is not None:
            graph.add((subject, ATT.number, Literal(unit.number)))
        graph.add((subject, ATT.position, Literal(siblings[unit.parent])))
        graph.add((subject, ATT.lineNumber, Literal(unit.line)))
        # Every unit has its text, even an empty one: a note whose body the conversion lost (the 2021
        # letter prints "1" with nothing after it) says so by an empty text rather than by silence.
        graph.add((subject, ATT.text, Literal(unit.text or "", lang="zh")))
        for note in unit.notes:
            graph.add((subject, ATT.callsNote, source_iri(unit.source_key, note)))
        english, chinese = unit_labels(unit)
        graph.add((subject, RDFS.label, Literal(english, lang="en")))
        graph.add((subject, RDFS.label, Literal(chinese, lang="zh")))
        graph.add((subject, PROV.wasGeneratedBy, ATT.segmenter))
        graph.add((subject, ATT.extractedBy, ATT.segmenter))
    return graph


# ---------------------------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------------------------


def target_node(kind: str, target: str) -> Node:
    """The node a reference target stands for: an IRI (provision, document, session, body) or a date.

    ``target_node("provision", "7.4")`` → ``provision:7.4``; ``("provision", "7")`` → ``article:7``;
    ``("symbol", "ATT/CSP11/…")`` → the document IRI; ``("session", "CSP11")``;
    ``("body", "WGETI")``; ``("date", "2026-03-16")`` → ``"2026-03-16"^^xsd:date``.
    """
    if kind == "provision":
        return provision_iri(target)
    if kind == "symbol":
        return document_iri(target)
    if kind == "session":
        return _SESSION[target]
    if kind == "body":
        return _BODY[target]
    if kind in ("date", "date-range"):
        return Literal(target, datatype=XSD.date)
    raise ValueError(f"unknown reference kind {kind!r}")


def occurrence_iri(unit_iri: URIRef, start: int, suffix: str = "") -> URIRef:
    """The IRI of a reference occurrence: the unit's IRI with ``#ref-{start}`` (and a suffix)."""
    return URIRef(f"{unit_iri}#ref-{start}{suffix}")


def symbol_iri(document: URIRef) -> URIRef:
    """The IRI of the parsed form (``att:Symbol``) of a document's symbol: ``{document}#symbol``."""
    return URIRef(f"{document}#symbol")


def _add_document(graph: Graph, parts: SymbolPartsLike, known_bodies: frozenset[str] | None) -> None:
    document = document_iri(parts.canonical)
    symbol = symbol_iri(document)
    graph.add((document, RDF.type, ATT.Document))
    graph.add((document, ATT.symbol, Literal(parts.printed)))
    graph.add((document, ATT.isExtracted, Literal(True)))
    if parts.anomalies:
        # A misprinted symbol (WGET, 024 …) names its document but cannot be parsed into parts that
        # agree with one another; the curated document (with both readings as a discrepancy) does that.
        return
    graph.add((document, ATT.hasSymbol, symbol))
    graph.add((symbol, RDF.type, ATT.Symbol))
    graph.add((symbol, ATT.isExtracted, Literal(True)))
    if parts.session:
        graph.add((symbol, ATT.symbolSession, _SESSION[parts.session]))
    if parts.body and (known_bodies is None or parts.body in known_bodies):
        graph.add((symbol, ATT.symbolBody, _BODY[parts.body]))
    if parts.year is not None and len(str(parts.year)) == 4 and str(parts.year).isdigit():
        graph.add((symbol, ATT.symbolYear, Literal(int(parts.year))))
    if parts.author:
        graph.add((symbol, ATT.symbolAuthor, Literal(parts.author)))
    if parts.serial is not None:
        graph.add((symbol, ATT.symbolSerial, Literal(str(parts.serial))))
    if parts.doc_type:
        graph.add((symbol, ATT.symbolType, Literal(parts.doc_type)))


def add_references(graph: Graph, unit: Unit, references: Sequence[ReferenceLike],
                   parse_symbol: Callable[[str], SymbolPartsLike],
                   known_bodies: frozenset[str] | None = None) -> int:
    """Write the references found in one unit's text; return how many occurrences were written.

    For each reference: the direct link on the unit for every target, an occurrence resource with
    the matched text, offsets and targets (``att:isExtracted true``, made by
    ``att:referenceExtractor``), and for a symbol the document it names with its parsed symbol.
    A symbol's body code becomes ``att:symbolBody`` only when it is in ``known_bodies`` (when given):
    misprinted codes (``WGET``, ``WTR``) stay visible in ``att:symbol`` but name no body.
    """
    subject = source_iri(unit.source_key, unit.path)
    starts = Counter(reference.start for reference in references)
    seen: set[URIRef] = set()
    for reference in references:
        suffix = f"-{reference.kind}" if starts[reference.start] > 1 else ""
        occurrence = occurrence_iri(subject, reference.start, suffix)
        index = 1
        while occurrence in seen:
            index += 1
            occurrence = occurrence_iri(subject, reference.start, f"{suffix}-{index}")
        seen.add(occurrence)
        graph.add((occurrence, RDF.type, ATT.ReferenceOccurrence))
        graph.add((occurrence, ATT.occurrenceIn, subject))
        graph.add((occurrence, ATT.matchedText, Literal(reference.text)))
        graph.add((occurrence, ATT.startOffset, Literal(reference.start)))
        graph.add((occurrence, ATT.endOffset, Literal(reference.end)))
        graph.add((occurrence, ATT.isExtracted, Literal(True)))
        graph.add((occurrence, PROV.wasGeneratedBy, ATT.referenceExtractor))
        graph.add((occurrence, ATT.extractedBy, ATT.referenceExtractor))
        link = DIRECT_LINKS[reference.kind]
        for target in reference.targets:
            node = target_node(reference.kind, target)
            graph.add((subject, link, node))
            if isinstance(node, URIRef):
                graph.add((occurrence, ATT.occurrenceTarget, node))
            else:
                graph.add((occurrence, ATT.mentionsDate, node))
        if reference.kind == "symbol":
            _add_document(graph, parse_symbol(reference.text), known_bodies)
    return len(references)
