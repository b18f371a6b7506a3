"""Lexical checks on a query before any engine sees it.

The checks work on tokens (strings, IRIs, comments and prefixed names are skipped as wholes, so a keyword
inside a literal or an IRI never counts), and refuse:

* a query longer than the size limit (bytes of UTF-8);
* nesting deeper than the limit: brackets ``{ ( [`` and runs of unary operators ``! - +``, counted before
  parsing because the engine's recursive parser crashes its whole process on a few thousand levels;
* any SPARQL Update keyword (``INSERT``, ``DELETE``, ``LOAD``, ``DROP`` …): the service is read-only;
* ``SERVICE`` in any form (``SERVICE SILENT``, ``SERVICE ?endpoint``): the service never makes a request.

It also reads the dataset clauses (``FROM`` and ``FROM NAMED``), resolving prefixed names and relative
IRIs, so the caller can check they only name graphs we hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin

from attgraph.errors import QueryRefused

__all__ = ["UPDATE_KEYWORDS", "Inspection", "Token", "inspect", "tokens"]

#: Keywords that only occur in SPARQL Update.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                             "WITH", "USING"})
_FORMS = {"SELECT": "select", "CONSTRUCT": "construct", "DESCRIBE": "describe", "ASK": "ask"}
_OPENERS = "{(["
_CLOSERS = "})]"
_UNARY = "!-+"

_ESCAPED = r"\\[_~.!$&'()*+,;=/?#@%-]"
_LOCAL_CHAR = rf"(?:[\w:-]|%[0-9A-Fa-f]{{2}}|{_ESCAPED})"
#: The kinds of token, in the order the scanner tries them at each position.
_KINDS = (
    ("space", r"\s+"),
    ("comment", r"#[^\n\r]*"),
    ("string", r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
               r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\""),
    ("iri", r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"),
    ("var", r"[?$]\w+"),
    ("bnode", r"_:[\w-]+(?:\.+[\w-]+)*"),
    ("lang", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
    ("pname", rf"(?:[^\W\d_][\w-]*(?:\.+[\w-]+)*)?:(?:{_LOCAL_CHAR}(?:(?:{_LOCAL_CHAR}|\.)*{_LOCAL_CHAR})?)?"),
    ("word", r"[A-Za-z_]\w*"),
    ("number", r"\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"),
    ("op", r"\^\^|\|\||&&|!=|<=|>="),
    ("char", r"."),
)
_TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS), re.DOTALL)
_OPAQUE = re.compile("|".join(p for k, p in _KINDS if k in ("comment", "string", "iri")), re.DOTALL)
_ATOM = re.compile("|".join(p for k, p in _KINDS if k in ("var", "bnode", "lang", "pname", "word", "number", "op")))
_SPACE = re.compile(r"\s+")
_LETTERS = re.compile(r"[A-Za-z]+")
_NOT_BRACKETS = re.compile(r"[^{}()\[\]]+")
#: Words that send a query down the token-by-token path: every update keyword, SERVICE and FROM.
_STOP_WORDS = UPDATE_KEYWORDS | {"SERVICE", "FROM"}
_FORM_WORD = re.compile(r"(?<![A-Za-z0-9_])(SELECT|CONSTRUCT|DESCRIBE|ASK)(?![A-Za-z0-9_])", re.IGNORECASE)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Token(NamedTuple):
    """One lexical token: its kind (a group name of the scanner), its text and where it starts."""

    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class Inspection:
    """What the lexical pass learnt: the query form, its dataset clauses (absolute IRIs) and its depth."""

    form: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    depth: int = 0

    @property
    def has_dataset(self) -> bool:
        """Whether the query names its own dataset with ``FROM`` or ``FROM NAMED``."""
        return bool(self.default_graphs or self.named_graphs)


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text``, whitespace and comments left out."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "char"
        if kind != "space" and kind != "comment":
            yield Token(kind, match.group(), match.start())


def _unescape(text: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _refuse(code: str, message: str, **details: object) -> QueryRefused:
    return QueryRefused(message, dict(details), code=code)


def inspect(text: str, *, max_bytes: int, max_depth: int, prefixes: Mapping[str, str] | None = None,
            ) -> Inspection:
    """Check ``text`` and describe it, or raise :class:`QueryRefused` with one of the codes
    ``query_missing``, ``query_too_large`` (413), ``query_too_deep``, ``update_refused``, ``service_refused``.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        error = _refuse("query_too_large", f"the query is {size} bytes long; the limit is {max_bytes} bytes",
                        bytes=size, limit=max_bytes)
        error.status = 413
        raise error
    if not text.strip():
        raise _refuse("query_missing", "the query is empty")
    return _quick(text, max_depth) or _tokenized(text, max_depth, prefixes)


def _quick(text: str, max_depth: int) -> Inspection | None:
    """The same inspection without tokenizing in Python, for the common query; ``None`` whenever it cannot be
    sure (then :func:`_tokenized` decides, and writes the refusal).

    Without a backslash, a comment, string or IRI can only start where a token starts, so replacing them
    with a placeholder in one pass leaves the rest as the tokenizer sees it. A query with no update keyword,
    no ``SERVICE`` and no ``FROM`` anywhere in that rest (looked for loosely: every run of letters, inside
    names too) needs no further keyword check. Collapsing every other multi-character token to one character
    leaves brackets and operators in order, so the depth comes out exactly (without any ``! - +``, the
    brackets alone)."""
    if "\\" in text:
        return None
    rest = _OPAQUE.sub("\x00", text)
    words = {word.upper() for word in _LETTERS.findall(rest)}
    if not _STOP_WORDS.isdisjoint(words):
        return None
    form: str | None = None
    found = _FORM_WORD.search(rest) if not words.isdisjoint(_FORMS) else None
    if found is not None:
        before = rest[found.start() - 1] if found.start() else " "
        after = rest[found.end()] if found.end() < len(rest) else " "
        if before.isalnum() or before in "?$_:@.-%" or after.isalnum() or after in "_:.-%":
            return None
        form = _FORMS[found.group().upper()]
    depth = deepest = run = 0
    unary = "!" in rest or "-" in rest or "+" in rest
    for char in _SPACE.sub("", _ATOM.sub("\x01", rest)) if unary else _NOT_BRACKETS.sub("", rest):
        depth, run = _nesting(char, depth, run)
        deepest = max(deepest, depth + run)
    if deepest > max_depth:
        return None
    return Inspection(form, (), (), deepest)


def _nesting(char: str, depth: int, run: int) -> tuple[int, int]:
    """The bracket depth and the run of unary operators after one single-character token."""
    if char in _OPENERS:
        return depth + 1, 0
    if char in _CLOSERS:
        return max(0, depth - 1), 0
    if char in _UNARY:
        return depth, run + 1
    return depth, 0


def _tokenized(text: str, max_depth: int, prefixes: Mapping[str, str] | None) -> Inspection:
    """The inspection token by token (see :func:`inspect`)."""
    known = prefixes or {}
    base: str | None = None
    form: str | None = None
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    depth = deepest = run = 0
    stream = list(tokens(text))
    for index, (kind, value, start) in enumerate(stream):
        depth, run = _nesting(value, depth, run) if kind == "char" else (depth, 0)
        if depth + run > deepest:
            deepest = depth + run
            if deepest > max_depth:
                raise _refuse("query_too_deep", f"the query nests brackets or operators more than {max_depth} "
                              f"deep (at character {start + 1}); the limit is {max_depth}",
                              limit=max_depth, position=start + 1)
        if kind != "word":
            continue
        word = value.upper()
        if word in UPDATE_KEYWORDS:
            raise _refuse("update_refused", f"this service is read-only: SPARQL Update ({word}) is not accepted",
                          keyword=word, position=start + 1)
        if word == "SERVICE":
            raise _refuse("service_refused", "SERVICE is not allowed: this service never sends requests to "
                          "other endpoints", keyword=word, position=start + 1)
        if form is None and word in _FORMS:
            form = _FORMS[word]
        elif word == "PREFIX" and form is None:
            known = _declare(stream, index, known)
        elif word == "BASE" and form is None and index + 1 < len(stream) and stream[index + 1].kind == "iri":
            base = _unescape(stream[index + 1].text[1:-1])
        elif word == "FROM":
            named = index + 1 < len(stream) and stream[index + 1].text.upper() == "NAMED"
            target = stream[index + 2] if named and index + 2 < len(stream) else (
                stream[index + 1] if not named and index + 1 < len(stream) else None)
            iri = _resolve(target, known, base)
            if iri is None:
                raise _refuse("unknown_graph", f"the FROM clause at character {start + 1} does not name a "
                              "graph this service can read", position=start + 1)
            (named_graphs if named else default_graphs).append(iri)
    return Inspection(form, tuple(default_graphs), tuple(named_graphs), deepest)


def _declare(stream: list[Token], index: int, known: Mapping[str, str]) -> Mapping[str, str]:
    """``known`` with ``PREFIX p: <iri>`` (the tokens after ``PREFIX`` at ``index``) added, as a new mapping."""
    if index + 2 < len(stream) and stream[index + 1].kind == "pname" and stream[index + 2].kind == "iri":
        name = stream[index + 1].text
        if name.endswith(":"):
            return {**known, name[:-1]: _unescape(stream[index + 2].text[1:-1])}
    return known


def _resolve(token: Token | None, known: Mapping[str, str], base: str | None) -> str | None:
    """The absolute IRI a ``FROM`` target names, or ``None`` if it is not an IRI we can read."""
    if token is None:
        return None
    if token.kind == "iri":
        iri = _unescape(token.text[1:-1])
        return urljoin(base, iri) if base and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) else iri
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in known:
            return known[prefix] + re.sub(_ESCAPED, lambda m: m.group()[1:], local)
    return None
