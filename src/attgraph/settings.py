"""Settings: where the project's files are and how the service behaves. Read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PROJECT_ROOT", "Settings"]

#: The repository root: ``src/attgraph/settings.py`` → three levels up.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


#: Integer settings read by :meth:`Settings.from_env`, by field name.
_INT_VARIABLES = {
    "processes": "ATTGRAPH_PROCESSES",
    "workers": "ATTGRAPH_WORKERS",
    "max_pending": "ATTGRAPH_MAX_PENDING",
    "max_nesting": "ATTGRAPH_MAX_NESTING",
    "max_body_bytes": "ATTGRAPH_MAX_BODY_BYTES",
    "max_upload_triples": "ATTGRAPH_MAX_UPLOAD_TRIPLES",
    "worker_memory_mb": "ATTGRAPH_WORKER_MEMORY_MB",
    "worker_private_mb": "ATTGRAPH_WORKER_PRIVATE_MB",
    "lookups_mb": "ATTGRAPH_LOOKUPS_MB",
    "remote_max_bytes": "ATTGRAPH_REMOTE_MAX_BYTES",
}


@dataclass(frozen=True)
class Settings:
    """Every setting, with its environment variable. Each is documented in the README."""

    #: ``ATTGRAPH_ROOT``: the folder holding ``ontology/``, ``data/``, ``shapes/``, ``queries/``.
    root: Path = PROJECT_ROOT
    #: ``ATTGRAPH_PUBLIC_URL``: the base URL the service is reached at (for the service description).
    public_url: str = "http://127.0.0.1:8000"
    #: ``ATTGRAPH_QUERY_TIMEOUT``: seconds a query may run.
    query_timeout: float = 10.0
    #: ``ATTGRAPH_MAX_QUERY_BYTES``: the largest query text accepted.
    max_query_bytes: int = 32 * 1024
    #: ``ATTGRAPH_MAX_ROWS``: the most result rows or triples returned.
    max_rows: int = 10_000
    #: ``ATTGRAPH_PROCESSES``: service processes of ``attgraph serve`` (each answers HTTP requests); by default
    #: one per CPU, at most 4.
    processes: int = field(default_factory=lambda: max(1, min(4, os.cpu_count() or 1)))
    #: ``ATTGRAPH_WORKERS``: query worker processes of each service process (forked, they share the store's
    #: memory; at most this many queries of one service process run at once).
    workers: int = 6
    #: ``ATTGRAPH_MAX_PENDING``: queries that may wait for a free worker; beyond that the service answers 503.
    max_pending: int = 32
    #: ``ATTGRAPH_MAX_NESTING``: the deepest nesting of brackets (and runs of unary operators) in a query.
    max_nesting: int = 100
    #: ``ATTGRAPH_MAX_BODY_BYTES``: the largest request body (queries, forms, uploads), counted while read.
    max_body_bytes: int = 4 * 1024 * 1024
    #: ``ATTGRAPH_MAX_UPLOAD_TRIPLES``: the most triples an uploaded file to validate may hold.
    max_upload_triples: int = 100_000
    #: ``ATTGRAPH_WORKER_MEMORY_MB``: the address-space limit of each query worker, in MiB.
    worker_memory_mb: int = 2048
    #: ``ATTGRAPH_WORKER_PRIVATE_MB``: a query worker shares the store's memory with the process it was forked
    #: from; one whose queries have made more than this many MiB its own is replaced by a fresh fork after
    #: two seconds idle (0: never).
    worker_private_mb: int = 4
    #: ``ATTGRAPH_LOOKUPS_MB``: single-resource lookups (one triple pattern with its subject fixed), whose cost
    #: their shape bounds, are answered by the service process itself instead of a query worker, until they have
    #: made this many MiB of the in-memory store's pages its own; then they go to the workers too (0: always).
    lookups_mb: int = 32
    #: ``ATTGRAPH_VALIDATION_TIMEOUT``: seconds the validation of one upload may run.
    validation_timeout: float = 60.0
    #: ``ATTGRAPH_STORE_PATH``: keep the prebuilt store on disk in this folder (RocksDB, opened read-only)
    #: instead of in memory; for data that no longer fits in memory.
    store_path: Path | None = None
    #: ``ATTGRAPH_STORE``: the SPARQL 1.1 Protocol query URL of an existing store to answer queries from
    #: (remote mode) instead of a store of our own.
    store_url: str | None = None
    #: ``ATTGRAPH_REMOTE_MAX_BYTES``: in remote mode, the largest response accepted from the store.
    remote_max_bytes: int = 64 * 1024 * 1024
    folders: tuple[str, ...] = field(default=("ontology", "data"))

    @property
    def queries_dir(self) -> Path:
        """The folder of named queries."""
        return self.root / "queries"

    @property
    def shapes_dir(self) -> Path:
        """The folder of SHACL shapes."""
        return self.root / "shapes"

    @property
    def dist_dir(self) -> Path:
        """Where ``attgraph build`` writes its dumps."""
        return self.root / "dist"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``ATTGRAPH_*`` variables, then explicit overrides."""
        env = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        if "ATTGRAPH_ROOT" in env:
            values["root"] = Path(env["ATTGRAPH_ROOT"])
        if "ATTGRAPH_PUBLIC_URL" in env:
            values["public_url"] = env["ATTGRAPH_PUBLIC_URL"].rstrip("/")
        if "ATTGRAPH_QUERY_TIMEOUT" in env:
            values["query_timeout"] = float(env["ATTGRAPH_QUERY_TIMEOUT"])
        if "ATTGRAPH_MAX_QUERY_BYTES" in env:
            values["max_query_bytes"] = int(env["ATTGRAPH_MAX_QUERY_BYTES"])
        if "ATTGRAPH_VALIDATION_TIMEOUT" in env:
            values["validation_timeout"] = float(env["ATTGRAPH_VALIDATION_TIMEOUT"])
        if "ATTGRAPH_MAX_ROWS" in env:
            values["max_rows"] = int(env["ATTGRAPH_MAX_ROWS"])
        if env.get("ATTGRAPH_STORE_PATH"):
            values["store_path"] = Path(env["ATTGRAPH_STORE_PATH"])
        if env.get("ATTGRAPH_STORE"):
            values["store_url"] = env["ATTGRAPH_STORE"]
        for name, variable in _INT_VARIABLES.items():
            if variable in env:
                values[name] = int(env[variable])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
