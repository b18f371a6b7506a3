"""Settings: where the project's files are and how the service behaves. Read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
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
    "memory_budget_mb": "ATTGRAPH_MEMORY_BUDGET_MB",
    "worker_private_mb": "ATTGRAPH_WORKER_PRIVATE_MB",
    "lookups_mb": "ATTGRAPH_LOOKUPS_MB",
    "remote_max_bytes": "ATTGRAPH_REMOTE_MAX_BYTES",
    "min_body_rate": "ATTGRAPH_MIN_BODY_RATE",
    "client_share": "ATTGRAPH_CLIENT_SHARE",
    "cache_mb": "ATTGRAPH_CACHE_MB",
    "cache_max_age": "ATTGRAPH_CACHE_MAX_AGE",
    "reserved_workers": "ATTGRAPH_RESERVED_WORKERS",
    "max_connections": "ATTGRAPH_MAX_CONNECTIONS",
    "max_client_connections": "ATTGRAPH_MAX_CLIENT_CONNECTIONS",
}
#: Settings in seconds (or other fractions) read by :meth:`Settings.from_env`, by field name.
_FLOAT_VARIABLES = {
    "query_timeout": "ATTGRAPH_QUERY_TIMEOUT",
    "validation_timeout": "ATTGRAPH_VALIDATION_TIMEOUT",
    "idle_timeout": "ATTGRAPH_IDLE_TIMEOUT",
    "header_timeout": "ATTGRAPH_HEADER_TIMEOUT",
    "send_timeout": "ATTGRAPH_SEND_TIMEOUT",
    "cache_timeouts": "ATTGRAPH_CACHE_TIMEOUTS",
}


@dataclass(frozen=True)
class Settings:
    """Every setting, with its environment variable. Each is documented in the README."""

    #: ``ATTGRAPH_ROOT``: the folder holding ``ontology/``, ``data/``, ``shapes/``, ``queries/``.
    root: Path = PROJECT_ROOT
    #: ``ATTGRAPH_PUBLIC_URL``: the base URL the service is reached at (its self-description, VoID, OpenAPI,
    #: download links). Unset, ``attgraph serve`` derives it from the host and port it listens on
    #: (:meth:`served_at`).
    public_url: str = "http://127.0.0.1:8000"
    #: Whether ``ATTGRAPH_PUBLIC_URL`` was given (then it is used as it is, whatever the host and port).
    public_url_given: bool = False
    #: ``ATTGRAPH_TRUSTED_PROXIES``: addresses or networks (CIDR), comma-separated, of proxies whose
    #: ``X-Forwarded-For``, ``-Proto``, ``-Host`` and ``-Prefix`` headers are believed; from any other peer they
    #: are ignored. Empty: believed from nobody.
    trusted_proxies: tuple[str, ...] = ()
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
    #: ``ATTGRAPH_CLIENT_SHARE``: query workers of a service process one client address may hold at once (0: a
    #: third of them, at least two).
    client_share: int = 0
    #: ``ATTGRAPH_RESERVED_WORKERS``: query workers of a service process kept for clients whose queries have been
    #: quick (0: a third of them, at least one; always fewer than all).
    reserved_workers: int = 0
    #: ``ATTGRAPH_MAX_BODY_BYTES``: the largest request body (queries, forms, uploads), counted while read.
    max_body_bytes: int = 4 * 1024 * 1024
    #: ``ATTGRAPH_MAX_UPLOAD_TRIPLES``: the most triples an uploaded file to validate may hold.
    max_upload_triples: int = 100_000
    #: ``ATTGRAPH_WORKER_MEMORY_MB``: the memory (MiB) each query worker and validation may claim beyond what it
    #: held when it started (its address-space limit is that plus this); 0: the memory budget shared out over
    #: everything that may run at once, at most 2048 (see :mod:`attgraph.engine.budget`).
    worker_memory_mb: int = 0
    #: ``ATTGRAPH_MEMORY_BUDGET_MB``: what the query workers and validations of the whole tree may claim in all
    #: (MiB); 0: half the machine's memory.
    memory_budget_mb: int = 0
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
    #: ``ATTGRAPH_IDLE_TIMEOUT``: seconds a connection may stay silent before a request, and between requests.
    idle_timeout: float = 5.0
    #: ``ATTGRAPH_HEADER_TIMEOUT``: seconds from a request's first byte to the end of its headers (408 after).
    header_timeout: float = 10.0
    #: ``ATTGRAPH_MIN_BODY_RATE``: bytes a second a request body must average after its first 5 s (408 below).
    min_body_rate: int = 4096
    #: ``ATTGRAPH_SEND_TIMEOUT``: seconds a response may wait for the client to read it before the connection
    #: is dropped.
    send_timeout: float = 30.0
    #: ``ATTGRAPH_MAX_CONNECTIONS``: open connections a service process holds at most (503 beyond).
    max_connections: int = 2048
    #: ``ATTGRAPH_MAX_CLIENT_CONNECTIONS``: open connections of one client address in a service process.
    max_client_connections: int = 64
    #: ``ATTGRAPH_CACHE_MB``: whole answers each service process keeps, in MiB (0: no cache, no ``ETag``).
    cache_mb: int = 64
    #: ``ATTGRAPH_CACHE_MAX_AGE``: seconds an answer may be given again from a cache (``Cache-Control: max-age``).
    cache_max_age: int = 600
    #: ``ATTGRAPH_CACHE_TIMEOUTS``: seconds a query stopped at its deadline is answered again at once with its 503.
    cache_timeouts: float = 60.0
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

    def served_at(self, host: str, port: int) -> Settings:
        """These settings for a service listening on ``host:port``: the public URL is ``http://host:port``
        unless ``ATTGRAPH_PUBLIC_URL`` was given (a wildcard host, which names no one address, is described
        as ``localhost``; set ``ATTGRAPH_PUBLIC_URL`` for the name clients use)."""
        if self.public_url_given:
            return self
        name = "localhost" if host in ("", "0.0.0.0", "::") else host
        shown = f"[{name}]" if ":" in name else name
        return replace(self, public_url=f"http://{shown}:{port}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``ATTGRAPH_*`` variables, then explicit overrides."""
        env = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        if "ATTGRAPH_ROOT" in env:
            values["root"] = Path(env["ATTGRAPH_ROOT"])
        if env.get("ATTGRAPH_PUBLIC_URL"):
            values["public_url"] = env["ATTGRAPH_PUBLIC_URL"].rstrip("/")
            values["public_url_given"] = True
        if env.get("ATTGRAPH_TRUSTED_PROXIES"):
            values["trusted_proxies"] = tuple(p.strip() for p in env["ATTGRAPH_TRUSTED_PROXIES"].split(",")
                                              if p.strip())
        if "ATTGRAPH_MAX_QUERY_BYTES" in env:
            values["max_query_bytes"] = int(env["ATTGRAPH_MAX_QUERY_BYTES"])
        if "ATTGRAPH_MAX_ROWS" in env:
            values["max_rows"] = int(env["ATTGRAPH_MAX_ROWS"])
        if env.get("ATTGRAPH_STORE_PATH"):
            values["store_path"] = Path(env["ATTGRAPH_STORE_PATH"])
        if env.get("ATTGRAPH_STORE"):
            values["store_url"] = env["ATTGRAPH_STORE"]
        for name, variable in _INT_VARIABLES.items():
            if variable in env:
                values[name] = int(env[variable])
        for name, variable in _FLOAT_VARIABLES.items():
            if variable in env:
                values[name] = float(env[variable])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
