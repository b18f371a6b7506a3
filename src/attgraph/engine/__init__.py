"""Evaluating what the public sends, safely: the lexical guard (``guard``) and the gateway every query passes
(``gateway``: dataset, concurrency, deadline, row cap), the executor interface (``requests``), the local pool of
query workers (``executor``, ``supervisor``, ``pool``, ``worker``) forked by the fork server (``forkserver``),
lookups answered in the service process (``lookups``), validations in a sandboxed process (``validation_job``), and
remote mode over another SPARQL server (``remote``, ``remote_graph``, ``http``, ``push``).

May import: base, knowledge, checks, build.
Imported by: web, cli.
"""
