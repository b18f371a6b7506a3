"""attgraph: a knowledge graph of the Arms Trade Treaty."""

from __future__ import annotations

__version__ = "0.1.0"
