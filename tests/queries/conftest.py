"""Fixtures for the coverage tests of the curated areas; each test module names its area in
``AREA_CLASSES``, ``FILE_CLASSES`` and ``AREA_FILES``."""

from __future__ import annotations

import pytest

from attgraph.knowledge.graph import KnowledgeGraph

from .coverage import by_class, derivations


@pytest.fixture(scope="module")
def classes(request: pytest.FixtureRequest, graph: KnowledgeGraph) -> dict[str, set[str]]:
    """Resources per checked class, for the test module's ``AREA_CLASSES``, ``FILE_CLASSES``, ``AREA_FILES``."""
    module = request.module
    return by_class(graph, module.AREA_CLASSES, module.FILE_CLASSES, module.AREA_FILES)


@pytest.fixture(scope="module")
def resources(classes: dict[str, set[str]]) -> list[str]:
    """Every resource under the coverage rule, sorted."""
    return sorted(set().union(*classes.values()))


@pytest.fixture(name="derivations", scope="module")
def derivations_fixture(graph: KnowledgeGraph) -> dict[str, dict[str, str]]:
    """resource → {source → "unit" | "exists" | "missing"}."""
    return derivations(graph)
