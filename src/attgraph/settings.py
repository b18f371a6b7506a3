"""Settings: where the project's files are and how the service behaves. Read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PROJECT_ROOT", "Settings"]

#: The repository root: ``src/attgraph/settings.py`` → three levels up.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
        if "ATTGRAPH_MAX_ROWS" in env:
            values["max_rows"] = int(env["ATTGRAPH_MAX_ROWS"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
