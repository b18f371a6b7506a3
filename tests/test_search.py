"""Search (SQLite FTS5) over a fixture project: Chinese by the phrase of its characters, English stemmed,
accents and case folded, synonyms from alternative labels, dates in every form, people before the records
about them, snippets with their matches, pages, classes, keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from attgraph.knowledge.fulltext import Snippet
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.search import SearchIndex, local_key
from attgraph.settings import PROJECT_ROOT, Settings

from .conftest import FIXTURES

ID = "https://w3id.org/attgraph/id/"
UNIT = ID + "source/doc/"
CONCEPT = ID + "concept/overriding-risk"
BROKERING = ID + "concept/brokering"
PERSON = ID + "person/stela-petrovic"
APPOINTMENT = ID + "appointment/test-facilitator-stela-petrovic"
TOPIC = ID + "topic/special-discussion"
ATT = "https://w3id.org/attgraph/ontology#"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    root = tmp_path_factory.mktemp("search")
    (root / "data").mkdir()
    (root / "ontology").mkdir()
    (root / "data" / "search.ttl").write_bytes((FIXTURES / "search.ttl").read_bytes())
    (root / "ontology" / "attgraph.ttl").write_bytes((PROJECT_ROOT / "ontology" / "attgraph.ttl").read_bytes())
    return SearchIndex.from_graph(KnowledgeGraph.load(Settings(root=root)))


def found(index: SearchIndex, text: str, **options: object) -> list[str]:
    return [h.resource for h in index.search(text, **options).hits]  # type: ignore[arg-type]


def test_chinese_phrase_finds_concept_and_passage(index: SearchIndex) -> None:
    hits = index.search("高于一切的风险").hits
    assert [h.resource for h in hits] == [CONCEPT, UNIT + "p1"]
    assert (hits[1].source, hits[1].number, hits[1].field) == (ID + "source/doc", "1", "text")
    assert hits[1].snippet == Snippet("缔约国在评估是否存在高于一切的风险时，应考虑所有相…", ((10, 17),))


def test_english_label_leads_to_chinese_passage(index: SearchIndex) -> None:
    """The passage has no English; it comes in through the concept derived from it, after it."""
    hits = index.search("overriding risk").hits
    assert [(h.resource, h.via) for h in hits] == [(CONCEPT, []), (UNIT + "p1", [CONCEPT])]
    assert hits[1].snippet == Snippet("缔约国在评估是否存在高于一切的风险时，应考虑所有相关信息。")


def test_chinese_needs_no_spaces(index: SearchIndex) -> None:
    """风险评估 is one run of Han characters: found inside p3, and p1 (风险 … 评估 apart) is not enough."""
    assert found(index, "风险评估") == [UNIT + "p3"]


def test_accents_and_case_fold(index: SearchIndex) -> None:
    """PETROVIĆ is found by Petrovic, petrovic and PETROVIC; the person comes before the records about them."""
    expected = [PERSON, APPOINTMENT, APPOINTMENT + "-interval", UNIT + "p4"]
    for text in ("Petrovic", "petrovic", "PETROVIC", "PETROVIĆ", "ｐｅｔｒｏｖｉｃ"):
        assert found(index, text) == expected, text


def test_plurals_and_stems(index: SearchIndex) -> None:
    """brokers, brokering and broker are one stem."""
    assert found(index, "brokers") == [BROKERING, UNIT + "p5"]
    assert found(index, "broker") == [BROKERING, UNIT + "p5"]


def test_synonyms_from_alternative_labels(index: SearchIndex) -> None:
    """"ad hoc discussion" is the topic's alternative label: it finds the topic, and the passage that says
    特别讨论 (its Chinese label); 中介, the concept's alternative label, finds the English passage on brokers."""
    assert found(index, "ad hoc discussion") == [TOPIC, UNIT + "p4"]
    assert found(index, "ad hoc discussions") == [TOPIC, UNIT + "p4"]
    assert found(index, "中介") == [BROKERING, UNIT + "p5"]
    assert found(index, "特别讨论") == [TOPIC, UNIT + "p4"]


@pytest.mark.parametrize("text", ["2025 年 12 月 4 日", "2025年12月4日", "2025-12-04", "4 December 2025",
                                  "December 4, 2025"])
def test_days_in_every_form(index: SearchIndex, text: str) -> None:
    """The sources write 2025 年 12 月 4 日 with spaces; every form of the day finds it, the date marked."""
    hits = index.search(text).hits
    assert [h.resource for h in hits] == [UNIT + "p4"]
    snippet = hits[0].snippet
    assert [snippet.text[s:e] for s, e in snippet.marks] == ["2025 年 12 月 4 日"]


def test_a_month_finds_its_days(index: SearchIndex) -> None:
    assert found(index, "2025 年 12 月") == [UNIT + "p4"]
    assert found(index, "December 2025") == [UNIT + "p4"]
    assert found(index, "2025-11-04") == []


def test_hits_carry_their_class_and_labels(index: SearchIndex) -> None:
    hit = index.search("Petrovic").hits[0]
    assert (hit.type, hit.type_label, hit.type_label_zh) == (ATT + "Person", "person", "人员")
    assert (hit.label, hit.label_zh) == ("Stela PETROVIĆ", "Stela PETROVIĆ")
    assert index.search("Petrovic").hits[2].type_label == "time:Interval"  # no label: the class's short name


def test_snippets_are_cut_at_word_boundaries_with_the_match_marked(index: SearchIndex) -> None:
    """24 words of p5 around the match, ending on a whole word and an ellipsis."""
    snippet = index.search("registers").hits[0].snippet
    assert snippet == Snippet("Brokers and other intermediaries are listed in the registers kept by many national "
                              "authorities, which the working group reviewed one by one over several…", ((51, 60),))
    assert snippet.parts()[:3] == [("Brokers and other intermediaries are listed in the ", False),
                                   ("registers", True), (" kept by many national authorities, which the working "
                                                         "group reviewed one by one over several…", False)]


def test_a_phrase_is_marked_once(index: SearchIndex) -> None:
    hit = index.search("ad hoc discussion").hits[1]
    assert [hit.snippet.text[s:e] for s, e in hit.snippet.marks] == ["特别讨论"]


def test_pages(index: SearchIndex) -> None:
    whole = index.search("Petrovic", limit=10)
    assert whole.total == 4
    pages = [index.search("Petrovic", limit=2, offset=offset) for offset in (0, 2, 4)]
    assert [[h.resource for h in p.hits] for p in pages] == [
        [h.resource for h in whole.hits[:2]], [h.resource for h in whole.hits[2:]], []]
    assert {p.total for p in pages} == {4}


def test_classes_and_completion(index: SearchIndex) -> None:
    """The picker's question: what starts with what was typed, of one class; nothing typed: all of it."""
    assert found(index, "Pet", complete=True, classes=[ATT + "Person"]) == [PERSON]
    assert found(index, "Pet", classes=[ATT + "Person"]) == []
    assert found(index, "Petrovic", classes=[ATT + "Appointment"]) == [APPOINTMENT]
    assert found(index, "", complete=True, classes=[ATT + "Concept"]) == [BROKERING, CONCEPT]
    assert index.search("", classes=[ATT + "Concept"]).total == 2


def test_keys(index: SearchIndex) -> None:
    assert local_key(PERSON) == "stela-petrovic"
    assert index.resolve_key("stela-petrovic") == [PERSON]
    assert index.resolve_key("STELA-PETROVIC", [ATT + "Person"]) == [PERSON]
    assert index.resolve_key("stela-petrovic", [ATT + "Concept"]) == []
    assert index.resolve_key("doc/p1") == [UNIT + "p1"]  # the key is what follows source:
    assert index.resolve_key("nothing") == []


def test_labels(index: SearchIndex) -> None:
    assert index.labels([PERSON, ID + "nothing"]) == {PERSON: ("Stela PETROVIĆ", "Stela PETROVIĆ", "person")}


@pytest.mark.parametrize("text", ['"', '""', "NEAR(a b)", "*", "x:y", "-", "AND", "OR OR", "^", "(((", "a\x00b",
                                  "name : risk", "\ue000risk\ue001", "🙂"])
def test_the_engine_syntax_is_never_exposed(index: SearchIndex, text: str) -> None:
    """Whatever is typed is quoted: FTS5's operators are words like any other, and nothing raises."""
    page = index.search(text)
    assert page.total == len(page.hits)


def test_no_match_and_empty_query(index: SearchIndex) -> None:
    assert index.search("brokeringly unheard-of").hits == []
    assert index.search("   ").hits == []


def test_an_index_opened_from_its_image_answers_alike(index: SearchIndex) -> None:
    copy = SearchIndex.from_image(index.image())
    assert len(copy) == len(index)
    for text in ("Petrovic", "高于一切的风险", "2025-12-04"):
        assert copy.search(text) == index.search(text)


def test_a_project_without_texts(make_project: Callable[..., Path]) -> None:
    graph = KnowledgeGraph.load(Settings(root=make_project({"data/empty.ttl": "# nothing\n"})))
    empty = SearchIndex.from_graph(graph)
    assert len(empty) == 0
    assert empty.search("anything").hits == []
