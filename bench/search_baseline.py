"""The baseline of ``bench/search.py``: the hand-written search index attgraph had before SQLite FTS5 replaced
it (``src/attgraph/knowledge/search.py`` at commit dc0c543), kept unchanged but for its imports so that the
benchmark can print precision before and after on the same graph.

Its own description: Chinese has no spaces between words, so matching is by substring and character bigrams,
never by splitting on spaces. A query is split into terms (runs of Han characters, runs of Latin letters and
digits); a document field scores by how much of the query it contains, exact phrase first. Hits on a curated
resource (a concept, a guidance document …) also bring in the source passages it was derived from, so an
English query such as "overriding risk" leads to the Chinese paragraphs about it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namedqueries import load_query
from attgraph.knowledge.namespaces import PROV

_INDEX_QUERY = Path(__file__).resolve().parent / "search_baseline.rq"

__all__ = ["Hit", "SearchIndex", "normalise"]

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TERMS = re.compile(rf"[{_HAN}]+|[0-9A-Za-z\u00c0-\u024f]+(?:[.'’-][0-9A-Za-z\u00c0-\u024f]+)*")
_FIELD_WEIGHT = {"label": 3.0, "altLabel": 2.5, "title": 2.5, "text": 1.5, "summary": 1.0, "definition": 1.0}


def normalise(text: str) -> str:
    """Fold width and case (full-width Latin, NFKC) so that ＡＴＴ and att match."""
    return unicodedata.normalize("NFKC", text).casefold()


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text}


@dataclass(frozen=True)
class Entry:
    """One searchable text of one resource."""

    resource: str
    field: str
    text: str
    folded: str
    source: str | None
    number: str | None
    label: str | None


@dataclass
class Hit:
    """One result: the resource, where it sits, a snippet and its score."""

    resource: str
    score: float
    field: str
    snippet: str
    source: str | None = None
    number: str | None = None
    label: str | None = None
    via: list[str] = dataclass_field(default_factory=list)


def _score(query: str, terms: list[str], entry: Entry) -> float:
    text = entry.folded
    if not text:
        return 0.0
    weight = _FIELD_WEIGHT.get(entry.field, 1.0)
    if query in text:
        exact = 1.0 if text == query else 0.8
        return weight * (2.0 + exact)
    covered = 0.0
    for term in terms:
        if term in text:
            covered += 1.0
        elif len(term) > 2 and re.fullmatch(f"[{_HAN}]+", term):
            grams = _bigrams(term)
            covered += 0.8 * sum(g in text for g in grams) / len(grams)
    if not terms or covered / len(terms) < 0.6:
        return 0.0
    return weight * covered / len(terms)


def _snippet(entry: Entry, query: str, terms: list[str], width: int = 60) -> str:
    text = entry.text.replace("\n", " ")
    anchor = next((entry.folded.find(t) for t in [query, *terms] if t and t in entry.folded), 0)
    start = max(0, anchor - width // 3)
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


class SearchIndex:
    """Every searchable text of a graph, held in memory."""

    def __init__(self, entries: list[Entry], derived_from: dict[str, list[str]]) -> None:
        self.entries = entries
        self.derived_from = derived_from
        self._by_resource: dict[str, list[Entry]] = {}
        for entry in entries:
            self._by_resource.setdefault(entry.resource, []).append(entry)

    @classmethod
    def from_graph(cls, graph: KnowledgeGraph) -> SearchIndex:
        """Build the index with the engine (one query for texts, one pattern scan for provenance)."""
        entries = [
            Entry(row["resource"], row["field"], row["text"], normalise(row["text"]),
                  row["source"] or None, row["number"] or None, row["unitLabel"] or None)
            for row in graph.run(load_query(_INDEX_QUERY)).values()
        ]
        derived: dict[str, list[str]] = {}
        import pyoxigraph as ox

        for quad in graph.store.quads_for_pattern(None, ox.NamedNode(str(PROV.wasDerivedFrom)), None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                derived.setdefault(quad.subject.value, []).append(quad.object.value)
        return cls(entries, {k: sorted(set(v)) for k, v in derived.items()})

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """The best ``limit`` hits for ``text``, best first; ties by IRI so results are stable."""
        query = normalise(text).strip()
        terms = [normalise(t) for t in _TERMS.findall(text)]
        if not query:
            return []
        best: dict[str, Hit] = {}
        for entry in self.entries:
            score = _score(query, terms, entry)
            if score <= 0:
                continue
            hit = best.get(entry.resource)
            if hit is None or score > hit.score:
                best[entry.resource] = Hit(entry.resource, score, entry.field, _snippet(entry, query, terms),
                                           entry.source, entry.number, entry.label)
        for resource, hit in list(best.items()):
            for unit in self.derived_from.get(resource, []):
                texts = [e for e in self._by_resource.get(unit, []) if e.field == "text"]
                if not texts:
                    continue
                passage = best.get(unit)
                score = hit.score * 0.9
                if passage is None:
                    entry = texts[0]
                    best[unit] = Hit(unit, score, "text", _snippet(entry, query, terms), entry.source,
                                     entry.number, entry.label, [resource])
                elif resource not in passage.via:
                    passage.via.append(resource)
                    passage.score = max(passage.score, score)
        ranked = sorted(best.values(), key=lambda h: (-h.score, h.resource))
        return ranked[:limit]
