"""``attgraph build``: the gate that our own data must pass (``gate``: SHACL and OWL), the dumps and the dataset
description written to ``dist/`` (``dumps``), the prebuilt store the service opens (``prebuilt``), and what
checking a user's files with our graph needs from it (``findings``).

May import: base, knowledge, checks.
Imported by: engine, web, cli.
"""
