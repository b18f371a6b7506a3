"""From the five source documents to ``data/extracted/*.ttl``: cutting a document into units (``segment``, with
``printed``, ``cleaning``, ``outline`` and the ``unit`` model), finding the references in their text
(``references``, ``provisions``, ``symbols``, ``names``, ``spans``, ``cjk``), writing both as RDF
(``units_rdf``, ``pipeline``) and scoring the extractor against the gold set (``quality``).

May import: base, knowledge.
Imported by: cli.
"""
