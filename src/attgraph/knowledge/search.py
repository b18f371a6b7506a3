"""Search over the graph's labels and texts, in Chinese and English: an SQLite FTS5 index (see
:mod:`attgraph.knowledge.fulltext`) built from the graph through the package's own queries (``search_*.rq``).

One document per resource, its texts in columns weighted by what they are (names before summaries before
the text of the sources). A query is cut into terms (a run of Han characters, a word, a symbol such as
``CSP11.WGETI``, a day in any form of :mod:`attgraph.knowledge.dates`); a span of terms that is one of a
resource's labels or alternative labels also matches the resource's other names (``中介`` finds
"brokering", ``WGETI`` the Chinese name of the working group). Resources with every term come first, then
those with most; bm25 ranks within, times the resource's weight (people and named things above their
appointments and intervals, ``search_resources.rq``). A hit on a resource curated from the sources also
brings in the units it was derived from, below it. Each hit carries its class, its labels and a snippet with
the matches marked; results come a page at a time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from . import fulltext
from .dates import find_dates
from .fulltext import Snippet, any_of, phrase
from .graph import KnowledgeGraph, internal_query
from .namespaces import PREFIXES, compact

__all__ = ["Hit", "Page", "SearchIndex", "local_key"]

#: How much a unit brought in by a resource derived from it counts, against the resource's own score (units
#: brought in come after every resource the text itself matched).
_VIA = 0.5
#: Rows matching only some terms count by the share they match, squared; below half they are left out.
_LEAST_SHARE = 0.5
#: The most hits ranked for one query (pages go no further).
MAX_RANKED = 1000
_SNIPPET_TOKENS = 24


def local_key(iri: str) -> str:
    """What follows the longest project namespace in ``iri`` (``body:WGETI`` → ``WGETI``), else the IRI."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default="")
    return iri[len(best):] or iri


@dataclass
class Hit:
    """One result: the resource, its labels and class, where it sits, a snippet and its score."""

    resource: str
    score: float
    field: str
    snippet: Snippet
    label: str = ""
    label_zh: str = ""
    type: str | None = None
    type_label: str = ""
    type_label_zh: str = ""
    source: str | None = None
    number: str | None = None
    via: list[str] = dataclass_field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """One page of hits, and how many there are in all."""

    hits: list[Hit]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class _Group:
    """One term of a query, with the FTS5 alternatives that match it."""

    text: str
    match: str
    literal: str = ""


def _terms(text: str) -> tuple[list[str], list[_Group]]:
    """The words and Han runs of ``text`` (its days taken out first, as groups of their own)."""
    days, rest, at = [], [], 0
    for mention in find_dates(text):
        rest.append(text[at:mention.start])
        token = f'dates : "{mention.token}"'
        days.append(_Group(text[mention.start:mention.end], any_of([token, *map(phrase, mention.forms())])))
        at = mention.end
    rest.append(text[at:])
    words: list[str] = []
    for chunk in " ".join(rest).split():
        for piece in _split_han(chunk):
            if fulltext.tokens(piece):
                words.append(piece)
    return words, days


def _split_han(chunk: str) -> list[str]:
    """A chunk without spaces as its runs of Han characters and the runs between them."""
    pieces: list[str] = []
    for char in chunk:
        if pieces and fulltext.is_han(char) == fulltext.is_han(pieces[-1][-1]):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


class SearchIndex:
    """The search index of one graph, in an in-memory SQLite database.

    Built in one process, it can be handed to others as bytes (:meth:`image`, :meth:`from_image`): the
    service builds it once before its processes fork, and each opens its own copy.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.Lock()

    # -- building ----------------------------------------------------------------------------------

    @classmethod
    def from_graph(cls, graph: KnowledgeGraph) -> SearchIndex:
        """Build the index with the package's queries over ``graph``."""

        def rows(name: str) -> list[dict[str, str]]:
            return graph.run(internal_query(name)).values()

        db = fulltext.connect()
        ids: dict[str, int] = {}
        types: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        type_labels: dict[str, tuple[str, str]] = {}
        for row in rows("search_types"):
            types[row["resource"]][row["type"]].add(row["class"])
            type_labels[row["type"]] = (row["typeEn"], row["typeZh"])
        for number, row in enumerate(rows("search_resources"), start=1):
            iri = row["resource"]
            ids[iri] = number
            shown = _most_specific(types.get(iri, {}), type_labels)
            en, zh = type_labels.get(shown, ("", "")) if shown else ("", "")
            en = en or (compact(shown) if shown else "")
            db.execute("INSERT INTO resource VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (number, iri, local_key(iri), row["labelEn"], row["labelZh"], shown, en, zh,
                        row["source"] or None, row["number"] or None, float(row["weight"] or 1)))
            classes = {c for found in types.get(iri, {}).values() for c in found}
            db.executemany("INSERT INTO type VALUES (?, ?)", [(number, c) for c in sorted(classes)])
        texts: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        names: dict[int, dict[str, bool]] = defaultdict(dict)
        aliased: set[int] = set()
        for row in rows("search_index"):
            number = ids[row["resource"]]
            texts[number][row["column"]].append(row["text"])
            if row["whole"] == "true":
                names[number][row["text"]] = names[number].get(row["text"], False) or row["synonym"] == "true"
            if row["column"] == "alias" and row["synonym"] == "true":
                aliased.add(number)
        for row in rows("search_dates"):
            for mention in find_dates(row["day"]) if row["resource"] in ids else []:
                texts[ids[row["resource"]]]["dates"] += [mention.token, "m" + mention.token[1:7]]
        for iri, number in ids.items():
            texts[number]["key"].append(local_key(iri))
            names[number].setdefault(local_key(iri), False)
            db.execute("INSERT INTO doc(rowid, name, alias, summary, text, key, dates) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (number, *fulltext.columns_of(texts[number])))
        db.executemany("INSERT INTO names(label, owner, size, ring) VALUES (?, ?, ?, ?)",
                       [(fulltext.prepare(name), number, len(fulltext.tokens(name)), int(ring and number in aliased))
                        for number, found in sorted(names.items()) for name, ring in found.items()])
        db.executemany("INSERT OR IGNORE INTO derived VALUES (?, ?)",
                       [(ids[r["resource"]], ids[r["unit"]]) for r in rows("search_derived")
                        if r["resource"] in ids and r["unit"] in ids])
        db.execute("INSERT INTO doc(doc) VALUES ('optimize')")
        db.commit()
        return cls(db)

    def image(self) -> bytes:
        """The whole database, as bytes (for :meth:`from_image` in another process)."""
        with self._lock:
            return self._db.serialize()

    @classmethod
    def from_image(cls, image: bytes) -> SearchIndex:
        """An index opened from :meth:`image`'s bytes: a copy of its own."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.deserialize(image)
        return cls(db)

    def __len__(self) -> int:
        with self._lock:
            count: int = self._db.execute("SELECT COUNT(*) FROM resource").fetchone()[0]
            return count

    # -- asking --------------------------------------------------------------------------------------

    def search(self, text: str, limit: int = 20, offset: int = 0, classes: Sequence[str] = (),
               complete: bool = False) -> Page:
        """The hits for ``text``, best first, ``limit`` of them from ``offset``; only resources of one of
        ``classes`` when given; ``complete``: the last word may be the start of a word (as one types)."""
        words, days = _terms(text)
        with self._lock:
            groups = self._groups(words, complete) + days
            if not groups:
                return Page(self._all_of(classes, limit, offset) if classes else [], self._count(classes)
                            if classes else 0, offset, limit)
            named = self._name_shares(groups[:len(groups) - len(days)], sum(len(fulltext.tokens(w)) for w in words))
            ranked = self._rank(groups, classes, named)
            page = ranked[offset:offset + limit]
            hits = self._hits(page, groups)
        return Page(hits, len(ranked), offset, limit)

    def resolve_key(self, key: str, classes: Sequence[str] = ()) -> list[str]:
        """The resources whose IRI ends in ``key`` after their namespace (``WGETI`` → ``body:WGETI``), of one
        of ``classes`` when given; case does not matter when only one resource has the key."""
        with self._lock:
            found = [r for r, in self._db.execute(
                "SELECT iri FROM resource WHERE key = ? COLLATE NOCASE" + self._class_filter(classes, "id")
                + " ORDER BY iri", (key, *classes))]
        exact = [iri for iri in found if local_key(iri) == key]
        return exact or found

    def labels(self, iris: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """The English label, Chinese label and class label of each of ``iris`` the index holds."""
        wanted = list(dict.fromkeys(iris))
        with self._lock:
            return {iri: (en or "", zh or "", cls_en or "") for iri, en, zh, cls_en in self._db.execute(
                f"SELECT iri, en, zh, class_en FROM resource WHERE iri IN ({','.join('?' * len(wanted))})",
                wanted)}

    # -- the steps -------------------------------------------------------------------------------------

    @staticmethod
    def _class_filter(classes: Sequence[str], column: str) -> str:
        if not classes:
            return ""
        return f" AND {column} IN (SELECT id FROM type WHERE class IN ({','.join('?' * len(classes))}))"

    def _groups(self, words: list[str], complete: bool) -> list[_Group]:
        """The words as groups: each a phrase, a span that names a resource with its other names too."""
        groups: list[_Group] = []
        at = 0
        while at < len(words):
            for end in range(len(words), at, -1):
                names = self._ring(words[at:end]) if end - at < 8 else []
                if names or end == at + 1:
                    span = " ".join(words[at:end])
                    last = complete and end == len(words)
                    literal = phrase(span, prefix=last)
                    groups.append(_Group(span, any_of([literal, *(phrase(n) for n in names)]), literal))
                    at = end
                    break
        return groups

    def _ring(self, words: list[str]) -> list[str]:
        """The names of every resource one of whose synonyms is exactly ``words`` (folded and stemmed as the
        index is)."""
        size = sum(len(fulltext.tokens(w)) for w in words)
        owners = [r for r, in self._db.execute(
            "SELECT DISTINCT owner FROM names WHERE names MATCH ? AND size = ? AND ring = 1",
            ("label : ^" + phrase(" ".join(words)), size))]
        if not owners:
            return []
        return [n for n, in self._db.execute(
            f"SELECT label FROM names WHERE ring = 1 AND owner IN ({','.join('?' * len(owners))}) ORDER BY rowid",
            owners)]

    def _name_shares(self, groups: list[_Group], size: int) -> dict[int, float]:
        """For each resource with a name holding every group as typed (not its synonyms), the largest share of
        a name's tokens the query makes up (1: the query is one of its names)."""
        if not groups:
            return {}
        shares: dict[int, float] = {}
        for owner, length in self._db.execute("SELECT owner, size FROM names WHERE names MATCH ?",
                                              (" AND ".join(g.literal for g in groups),)):
            shares[owner] = max(shares.get(owner, 0.0), min(1.0, size / max(1, length)))
        return shares

    def _rank(self, groups: list[_Group], classes: Sequence[str], named: dict[int, float],
              ) -> list[tuple[int, float, list[int]]]:
        """Every matching resource, best first, then the units they bring in, as ``(id, score, via)``. A
        resource ``named`` what was asked for counts more, the more of the name the query is: up to double."""
        weights = ", ".join(str(w) for w in fulltext.WEIGHTS)
        scores: dict[int, float] = {}
        anywhere = " OR ".join(g.match for g in groups)
        for number, rank, prior in self._db.execute(
                f"SELECT doc.rowid, bm25(doc, {weights}), resource.prior FROM doc JOIN resource ON "
                f"resource.id = doc.rowid WHERE doc MATCH ?", (anywhere,)):
            scores[number] = -rank * prior
        if len(groups) > 1:
            share: dict[int, int] = defaultdict(int)
            for group in groups:
                for number, in self._db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (group.match,)):
                    share[number] += 1
            for number in list(scores):
                part = share[number] / len(groups)
                if part < _LEAST_SHARE:
                    del scores[number]
                else:
                    scores[number] *= part * part
        for number, name_share in named.items():
            if number in scores:
                scores[number] *= 1 + name_share
        via: dict[int, list[int]] = defaultdict(list)
        brought: dict[int, float] = {}
        for number, unit in self._db.execute(
                f"SELECT id, unit FROM derived WHERE id IN ({','.join(map(str, scores))}) ORDER BY id, unit"):
            via[unit].append(number)
            if unit not in scores:
                brought[unit] = max(brought.get(unit, 0.0), scores[number] * _VIA)
        scores.update(brought)
        if classes:
            allowed = {n for n, in self._db.execute(
                f"SELECT id FROM type WHERE class IN ({','.join('?' * len(classes))})", list(classes))}
            scores = {n: s for n, s in scores.items() if n in allowed}
        iri = dict(self._db.execute(f"SELECT id, iri FROM resource WHERE id IN ({','.join(map(str, scores))})"))
        ranked = sorted(scores.items(), key=lambda item: (item[0] in brought, -item[1], iri[item[0]]))[:MAX_RANKED]
        return [(n, s, via.get(n, [])) for n, s in ranked]

    def _hits(self, page: list[tuple[int, float, list[int]]], groups: list[_Group]) -> list[Hit]:
        """The hits of one page, with their snippets."""
        if not page:
            return []
        ids = [n for n, _, _ in page]
        marks = ", ".join(f"snippet(doc, {i}, '{fulltext.OPEN}', '{fulltext.CLOSE}', '{fulltext.ELLIPSIS}', "
                          f"{_SNIPPET_TOKENS})" for i in range(4))
        anywhere = " OR ".join(g.match for g in groups)
        snippets: dict[int, tuple[str, Snippet]] = {}
        for number, *raw in self._db.execute(
                f"SELECT rowid, {marks} FROM doc WHERE doc MATCH ? AND rowid IN ({','.join(map(str, ids))})",
                (anywhere,)):
            for column, text in zip(fulltext.COLUMNS, raw, strict=False):
                if fulltext.OPEN in text:
                    snippets[number] = (column, fulltext.marked(text))
                    break
        stored = {n: (text or name) for n, name, text in self._db.execute(
            f"SELECT rowid, name, text FROM doc WHERE rowid IN ({','.join(map(str, ids))})")}
        rows = {r[0]: r for r in self._db.execute(
            f"SELECT id, iri, en, zh, class, class_en, class_zh, source, number FROM resource WHERE id IN "
            f"({','.join(map(str, ids))})")}
        iris = {r[0]: r[1] for r in rows.values()}
        hits = []
        for number, score, via in page:
            _, iri, en, zh, cls, cls_en, cls_zh, source, printed = rows[number]
            column, snippet = snippets.get(number, ("text" if via else "name", fulltext.cut(stored[number])))
            hits.append(Hit(iri, score, column, snippet, en or "", zh or "", cls, cls_en or "", cls_zh or "",
                            source, printed, sorted(iris.get(v) or self._iri(v) for v in via)))
        return hits

    def _iri(self, number: int) -> str:
        found: str = self._db.execute("SELECT iri FROM resource WHERE id = ?", (number,)).fetchone()[0]
        return found

    def _all_of(self, classes: Sequence[str], limit: int, offset: int) -> list[Hit]:
        """Without text: the resources of ``classes``, by label."""
        rows = self._db.execute(
            "SELECT id, iri, en, zh, class, class_en, class_zh, source, number FROM resource WHERE 1"
            + self._class_filter(classes, "id") + " ORDER BY COALESCE(en, zh, iri), iri LIMIT ? OFFSET ?",
            (*classes, limit, offset))
        return [Hit(iri, 0.0, "name", Snippet(en or zh or ""), en or "", zh or "", cls, cls_en or "",
                    cls_zh or "", source, printed) for _, iri, en, zh, cls, cls_en, cls_zh, source, printed in rows]

    def _count(self, classes: Sequence[str]) -> int:
        count: int = self._db.execute("SELECT COUNT(*) FROM resource WHERE 1" + self._class_filter(classes, "id"),
                                      tuple(classes)).fetchone()[0]
        return count


def _most_specific(types: dict[str, set[str]], labels: dict[str, tuple[str, str]]) -> str | None:
    """Of a resource's labelled types, one that is no superclass of another (the first by IRI); a type without
    a label when none has one."""
    labelled = sorted(t for t in types if any(labels.get(t, ("", ""))))
    lowest = [t for t in labelled if not any(t in types[other] for other in labelled if other != t)]
    chosen = lowest or labelled or sorted(types)
    return chosen[0] if chosen else None
