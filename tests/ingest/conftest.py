"""Fixtures for the ingest tests: the five real source documents, segmented once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from attgraph.ingest.pipeline import SourceFile, read_sources
from attgraph.ingest.segment import Unit, segment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sources() -> dict[str, SourceFile]:
    """The source documents of ``data/curated/sources.ttl``, by key."""
    return {source.key: source for source in read_sources(ROOT)}


@pytest.fixture(scope="session")
def texts(sources: dict[str, SourceFile]) -> dict[str, str]:
    """The raw text of each source document, by key."""
    return {key: (ROOT / source.file).read_text(encoding="utf-8") for key, source in sources.items()}


@pytest.fixture(scope="session")
def segmented(texts: dict[str, str]) -> dict[str, list[Unit]]:
    """The units of each source document, by key."""
    return {key: segment(text, key) for key, text in texts.items()}


@pytest.fixture(scope="session")
def units(segmented: dict[str, list[Unit]]) -> dict[str, dict[str, Unit]]:
    """The units of each source document by key, then by path."""
    return {key: {unit.path: unit for unit in found} for key, found in segmented.items()}
