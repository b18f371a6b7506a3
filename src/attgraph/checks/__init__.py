"""Checking RDF, ours and our users': SHACL validation with pySHACL (``validation``) and what it found, for
people (``findings``, rendered by ``report``), OWL reasoning with HermiT and the materialising rules of
``rules/`` (``reasoning``), and reading users' files without ever fetching anything (``rdfinput``).

May import: base, knowledge.
Imported by: build, engine, web, cli.
"""
