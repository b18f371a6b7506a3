"""The full-text engine under search: SQLite's FTS5 (Python's standard library), and the text as it is handed
to it.

One tokenizer serves both languages: ``porter unicode61 remove_diacritics 2`` folds case and accents
(``PETROVIĆ`` = ``petrovic``) and stems English (``brokers`` = ``brokering`` = ``broker``). Chinese has no
spaces between words, so every Han (or kana) character is set apart by a zero-width space before the text
reaches the tokenizer: each character is one token, and a Chinese term is searched as the phrase of its
characters, which matches it wherever it stands, with or without the spaces the sources put around digits
(``2025 年 12 月 4 日`` = ``2025年12月4日``). Measured against the trigram tokenizer (``bench/search.py``),
this finds the one- and two-character words trigrams cannot (``中介``, ``转用``) and ranks with bm25 over
the same index as English. Full-width letters and digits are folded to ASCII on the way in.

Every term a user types is quoted before it reaches ``MATCH`` (:func:`phrase`): FTS5's query syntax is
never exposed. Snippets come from FTS5's ``snippet()``, cut at token boundaries (a word, or one Chinese
character), with the matches between two private-use marks that :func:`marked` turns into offsets.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["CLOSE", "COLUMNS", "ELLIPSIS", "OPEN", "TOKENIZE", "WEIGHTS", "Snippet", "any_of", "columns_of",
           "connect", "cut", "is_han", "marked", "phrase", "prepare", "tokens"]

#: The indexed columns, in the order of their bm25 weights.
COLUMNS = ("name", "alias", "summary", "text", "key", "dates")
#: What a match in each column is worth (bm25 weights): a name counts most, the text of a source least.
WEIGHTS = (10.0, 8.0, 3.0, 2.0, 2.0, 6.0)
TOKENIZE = "porter unicode61 remove_diacritics 2"
OPEN, CLOSE, ELLIPSIS = "\ue000", "\ue001", "…"
_SPLIT = "\u200b"
_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"([{_HAN}])")
_HAN_RUN = re.compile(f"[{_HAN}]+")
_TOKEN = re.compile(r"[^\W_]+")
_WIDE = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_UNSAFE = dict.fromkeys(map(ord, OPEN + CLOSE + _SPLIT))


def prepare(text: str) -> str:
    """``text`` as the tokenizer is given it: full-width letters and digits folded, each Han character set
    apart by zero-width spaces, the snippet marks removed."""
    return _HAN_CHAR.sub(rf"{_SPLIT}\1{_SPLIT}", text.translate(_UNSAFE).translate(_WIDE))


def tokens(text: str) -> list[str]:
    """The tokens the tokenizer sees in ``text`` before folding and stemming (one per Han character)."""
    return _TOKEN.findall(prepare(text))


def phrase(text: str, prefix: bool = False) -> str:
    """``text`` as one quoted FTS5 phrase (its tokens in order), ``prefix`` for the last token as a prefix;
    empty when ``text`` has no tokens."""
    found = tokens(text)
    if not found:
        return ""
    return '"' + " ".join(found).replace('"', '""') + '"' + ("*" if prefix else "")


def is_han(text: str) -> bool:
    """Whether ``text`` is a run of Han characters."""
    return bool(_HAN_RUN.fullmatch(text))


def connect() -> sqlite3.Connection:
    """A new in-memory database with the index's tables."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.executescript(f"""
        CREATE TABLE resource(id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, key TEXT, en TEXT, zh TEXT,
                              class TEXT, class_en TEXT, class_zh TEXT, source TEXT, number TEXT,
                              prior REAL NOT NULL);
        CREATE INDEX resource_key ON resource(key COLLATE NOCASE);
        CREATE TABLE type(id INTEGER NOT NULL, class TEXT NOT NULL, PRIMARY KEY (class, id)) WITHOUT ROWID;
        CREATE TABLE derived(id INTEGER NOT NULL, unit INTEGER NOT NULL, PRIMARY KEY (id, unit)) WITHOUT ROWID;
        CREATE VIRTUAL TABLE doc USING fts5({", ".join(COLUMNS)}, tokenize="{TOKENIZE}");
        CREATE VIRTUAL TABLE names USING fts5(label, owner UNINDEXED, size UNINDEXED, ring UNINDEXED,
                                           tokenize="{TOKENIZE}");
    """)
    return db


def columns_of(values: Mapping[str, Iterable[str]]) -> list[str]:
    """The column values of one document: each column's texts, prepared, one per line."""
    return ["\n".join(prepare(v) for v in dict.fromkeys(values.get(c, ()))) for c in COLUMNS]


@dataclass(frozen=True)
class Snippet:
    """A passage of a text: what to show and the ``(start, end)`` offsets of the matches in it."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def parts(self) -> list[tuple[str, bool]]:
        """The text in pieces, each with whether it is a match (for a template to escape and mark up)."""
        pieces, at = [], 0
        for start, end in self.marks:
            if start > at:
                pieces.append((self.text[at:start], False))
            pieces.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            pieces.append((self.text[at:], False))
        return pieces


def marked(raw: str) -> Snippet:
    """A snippet from ``snippet()``'s output: the zero-width spaces gone, the marks turned into offsets, the
    lines of a multi-valued column joined by `` · ``, the ends trimmed."""
    body = raw.replace(_SPLIT, "").replace("\n", " · ")
    lead = len(body) - len(body.lstrip())
    text: list[str] = []
    marks: list[tuple[int, int]] = []
    start: int | None = None
    for char in body[lead:].rstrip():
        if char == OPEN:
            start = len(text)
        elif char == CLOSE:
            if start is not None and len(text) > start:
                if marks and not "".join(text[marks[-1][1]:start]).strip():
                    start = marks.pop()[0]  # the words of one phrase, marked one by one: one mark
                marks.append((start, len(text)))
            start = None
        else:
            text.append(char)
    return Snippet("".join(text), tuple(marks))


def cut(text: str, width: int = 80) -> Snippet:
    """The start of a stored column as a snippet without matches: at most ``width`` characters, cut after a
    whole word or Chinese character."""
    plain = text.replace(_SPLIT, "").replace("\n", " · ").strip()
    if len(plain) <= width:
        return Snippet(plain)
    end = width
    while end > width // 2 and plain[end].isalnum() and not is_han(plain[end]) and plain[end - 1].isalnum():
        end -= 1
    return Snippet(plain[:end].rstrip() + ELLIPSIS)


def any_of(alternatives: Sequence[str]) -> str:
    """FTS5 alternatives, ``(a OR b)``; the empty ones left out."""
    kept = [a for a in dict.fromkeys(alternatives) if a]
    return kept[0] if len(kept) == 1 else "(" + " OR ".join(kept) + ")" if kept else ""
