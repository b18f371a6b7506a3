"""The knowledge graph and its vocabulary: the one object that owns the data and answers questions about it.

Holds the IRIs and prefixes (``namespaces``), reading the project's Turtle (``loader``), the named queries
(``namedqueries``), results and their formats (``results``, ``formats``), the inferred statements on disk
(``inferred``), the graph object itself (``graph``, with the package's own queries in ``sparql/``), the
text search over it (``search``), the list pages' definitions (``lists``), and queries that do not parse
explained in plain words (``syntax``).
Nothing here checks, builds, isolates or serves: those layers use this one.

May import: base.
Imported by: ingest, checks, build, engine, web, cli.
"""
