"""Checking RDF, ours and our users': SHACL validation with pySHACL (``validation``) and what it found, for
people (``findings``, rendered by ``report``), OWL reasoning with HermiT and the materialising rules of
``rules/`` (``reasoning``), reading users' files without ever fetching anything (``rdfinput``, with where each
statement is written: ``locations``), and checking them with our graph, findings located and ours apart
(``userfiles``).

May import: base, knowledge.
Imported by: build, engine, web, cli.
"""
