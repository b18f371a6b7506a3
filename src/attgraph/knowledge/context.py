"""Making the published JSON-LD context (``context.jsonld``, see :mod:`attgraph.knowledge.jsonld`) from the ontology.

The context is a file of the package, so that every writer of JSON-LD has it without loading the ontology, and
it is published as it is at ``/context.jsonld``. ``tests/test_jsonld.py`` fails when it no longer matches the
ontology; then write it again::

    python -m attgraph.knowledge.context > src/attgraph/knowledge/context.jsonld
"""

from __future__ import annotations

import json
import sys
from typing import Any

from .graph import KnowledgeGraph, internal_query
from .jsonld import Terms
from .namespaces import PREFIXES

__all__ = ["context_document", "context_text", "main"]


def context_document(graph: KnowledgeGraph) -> dict[str, Any]:
    """``{"@context": {…}}``: every prefix, then a term (the property's prefixed name) for each property of
    the ontology that takes IRIs, a datatype or a language map (``jsonld_terms.rq``)."""
    table = Terms(dict(PREFIXES))
    context: dict[str, Any] = dict(PREFIXES)
    for row in graph.run(internal_query("jsonld_terms")).values():
        key, prefix = table.compact(row["property"])
        if prefix is None:
            continue
        if row["kind"] == "id":
            definition = {"@id": key, "@type": "@id"}
        elif row["kind"] == "language":
            definition = {"@id": key, "@container": "@language"}
        else:
            datatype, known = table.compact(row["datatype"])
            if known is None:
                continue
            definition = {"@id": key, "@type": datatype}
        context.setdefault(key, definition)
    return {"@context": context}


def context_text(graph: KnowledgeGraph) -> str:
    """The context document as the file holds it."""
    return json.dumps(context_document(graph), indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    """Print the context made from the project's ontology (the ontology alone is loaded)."""
    from attgraph.settings import Settings

    graph = KnowledgeGraph.load(Settings.from_env(folders=("ontology",)))
    sys.stdout.write(context_text(graph))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
