"""Reading the source documents into the graph (``attgraph ingest``).

``segment`` cuts a document into units, ``references`` finds references to provisions, documents,
sessions, bodies and dates in their text, ``units_rdf`` turns both into RDF and ``pipeline`` runs it
all and writes ``data/extracted/<key>.ttl``. The path scheme of units is in ``docs/source-units.md``.
"""
