"""Every IRI and prefix the project uses, in one place.

The IRI scheme is documented in ``docs/iri-scheme.md``. Nothing else in the package
writes an IRI string: it imports the namespaces and helpers from here.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

__all__ = [
    "ATT",
    "BASE",
    "CITO",
    "DCAT",
    "DCTERMS",
    "ELI",
    "FABIO",
    "FOAF",
    "GRAPH",
    "ID",
    "MEDIA_TYPES",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SD",
    "SDO",
    "SH",
    "SKOS",
    "TIME",
    "VOID",
    "XSD",
    "article_iri",
    "compact",
    "document_iri",
    "dump_iri",
    "graph_iri",
    "prefixes_for",
    "provision_iri",
    "source_iri",
]

BASE = "https://w3id.org/attgraph/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ATT = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
#: IANA's register of media types: DCAT's ``dcat:mediaType`` names a type by its IRI there.
MEDIA_TYPES = Namespace("https://www.iana.org/assignments/media-types/")
#: schema.org by its http IRI, the form most RDF data uses (rdflib's SDO is https).
SDO = Namespace("http://schema.org/")

#: Prefixes bound in every serialization and preloaded in the query editor.
PREFIXES: dict[str, str] = {
    "att": str(ATT),
    "treaty": str(ID) + "treaty/",
    "article": str(ID) + "article/",
    "provision": str(ID) + "provision/",
    "body": str(ID) + "body/",
    "session": str(ID) + "session/",
    "cycle": str(ID) + "cycle/",
    "document": str(ID) + "document/",
    "source": str(ID) + "source/",
    "person": str(ID) + "person/",
    "state": str(ID) + "state/",
    "organisation": str(ID) + "organisation/",
    "post": str(ID) + "post/",
    "appointment": str(ID) + "appointment/",
    "meeting": str(ID) + "meeting/",
    "concept": str(ID) + "concept/",
    "recommendation": str(ID) + "recommendation/",
    "decision": str(ID) + "decision/",
    "discrepancy": str(ID) + "discrepancy/",
    "finding": str(ID) + "finding/",
    "framework": str(ID) + "framework/",
    "topic": str(ID) + "topic/",
    "contribution": str(ID) + "contribution/",
    "agenda": str(ID) + "agenda-item/",
    "rule": str(ID) + "rule/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "time": str(TIME),
    "schema": str(SDO),
    "foaf": str(FOAF),
    "eli": str(ELI),
    "fabio": str(FABIO),
    "cito": str(CITO),
    "void": str(VOID),
    "dcat": str(DCAT),
    "sh": str(SH),
    "spdx": "http://spdx.org/rdf/terms#",
}


def article_iri(number: int | str) -> URIRef:
    """The IRI of an article of the treaty: ``article_iri(7)``."""
    return URIRef(f"{PREFIXES['article']}{number}")


def provision_iri(key: str) -> URIRef:
    """The IRI of a provision below article level, by dotted key: ``provision_iri("7.1.b.ii")``.

    A bare article number gives the article's IRI, so callers can resolve any reference uniformly.
    """
    if key.isdigit():
        return article_iri(key)
    return URIRef(f"{PREFIXES['provision']}{key}")


def document_iri(symbol_or_slug: str) -> URIRef:
    """The IRI of a document, keyed by its ATT symbol as printed (slashes kept) or a slug."""
    return URIRef(f"{PREFIXES['document']}{symbol_or_slug}")


def source_iri(key: str, unit_path: str | None = None) -> URIRef:
    """The IRI of a source document (``unit_path=None``) or of one of its units."""
    base = f"{PREFIXES['source']}{key}"
    return URIRef(base if unit_path is None else f"{base}/{unit_path}")


def dump_iri(filename: str) -> URIRef:
    """The persistent download IRI of one dump of the dataset (the service serves it at ``/dumps/{filename}``)."""
    return URIRef(f"{BASE}dumps/{filename}")


def graph_iri(relative_path: str) -> URIRef:
    """The named graph that holds the triples of one loaded file, by repository-relative path."""
    return URIRef(f"{GRAPH}{relative_path}")


#: The characters of a prefix name (a little wider than SPARQL's PN_PREFIX, which only makes the set larger).
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


def prefixes_for(text: str, prefixes: Mapping[str, str] = PREFIXES) -> dict[str, str]:
    """The entries of ``prefixes`` whose names occur right before a colon in ``text`` (every one the query
    could use, maybe a few more). Handing the engine only these saves it about a microsecond per prefix on
    every query. Found by walking back from each colon: a regular expression that tries every position took
    four times as long. The walk goes back no further than the longest prefix name (and one more character),
    so a query of long names costs no more than one of short ones: time linear in the text."""
    found: dict[str, str] = {}
    longest = max(map(len, prefixes), default=0)
    colon = text.find(":")
    while colon != -1:
        limit = max(0, colon - longest - 1)
        start = colon
        while start > limit and text[start - 1] in _NAME_CHARS:
            start -= 1
        name = text[start:colon]
        whole = not (start == limit and start and text[start - 1] in _NAME_CHARS)  # else longer than any prefix
        if whole and name in prefixes:
            found[name] = prefixes[name]
        elif "." in name or "-" in name:  # ``?o.rdf:type``, ``?a-xsd:integer(…)``: the name after the operator
            for index, char in enumerate(name):
                if char in ".-" and name[index + 1:] in prefixes:
                    found[name[index + 1:]] = prefixes[name[index + 1:]]
        colon = text.find(":", colon + 1)
    return found


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI under one of the project prefixes (the longest wins), else the IRI."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace):]
            if local and "/" not in local and "#" not in local:
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri
