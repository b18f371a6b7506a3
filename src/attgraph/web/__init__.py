"""The HTTP service: the application (``app``) with a router per thing it serves (SPARQL, named queries,
resources, search, validation, list pages, pages), content negotiation (``negotiation``), the error shape on the wire,
pages and their drawings (``render``, ``views``, ``svg``), and the process tree of ``attgraph serve``
(``server``).

May import: base, knowledge, checks, build, engine.
Imported by: cli.
"""
