"""``attgraph build``: the gate that our own data must pass (``gate``: SHACL and OWL), the dumps and the dataset
description written to ``dist/`` (``dumps``), and the prebuilt store the service opens (``prebuilt``).

May import: base, knowledge, checks.
Imported by: engine, web, cli.
"""
