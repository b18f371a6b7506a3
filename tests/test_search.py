"""Search over labels and source text: Chinese by substring and bigrams, English by terms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.search import SearchIndex, normalise
from attgraph.settings import Settings

from .conftest import FIXTURES

UNIT = "https://w3id.org/attgraph/id/source/doc/"
CONCEPT = "https://w3id.org/attgraph/id/concept/overriding-risk"


@pytest.fixture
def index(make_project: Callable[..., Path]) -> SearchIndex:
    graph = KnowledgeGraph.load(Settings(root=make_project({"data/search.ttl": FIXTURES / "search.ttl"})))
    return SearchIndex.from_graph(graph)


def test_chinese_phrase_finds_concept_and_passage(index: SearchIndex) -> None:
    hits = index.search("高于一切的风险")
    assert [h.resource for h in hits] == [CONCEPT, UNIT + "p1"]
    assert hits[1].number == "1"
    assert hits[1].source == "https://w3id.org/attgraph/id/source/doc"
    assert hits[1].snippet == "缔约国在评估是否存在高于一切的风险时，应考虑所有相关信息。"


def test_english_label_leads_to_chinese_passage(index: SearchIndex) -> None:
    hits = index.search("overriding risk")
    assert [(h.resource, h.via) for h in hits] == [(CONCEPT, []), (UNIT + "p1", [CONCEPT])]


def test_chinese_needs_no_spaces(index: SearchIndex) -> None:
    """风险评估 is one run of Han characters: found inside p3, and p1 (风险 … 评估 apart) is not enough."""
    hits = index.search("风险评估")
    assert [h.resource for h in hits] == [UNIT + "p3"]


def test_no_match_and_empty_query(index: SearchIndex) -> None:
    assert index.search("brokering") == []
    assert index.search("   ") == []


def test_full_width_and_case_fold() -> None:
    assert normalise("ＡＴＴ Overriding") == "att overriding"
