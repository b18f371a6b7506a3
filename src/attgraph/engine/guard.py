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
from collections.abc import Generator, Iterator, Mapping
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
#: The scanner for the stretch of a name a prefixed name was just looked for in, where only these kinds can start
#: (the characters of such a stretch are letters, digits, ``_``, ``-`` and ``.``; see :func:`_scan`).
_TOKEN_IN_NAME = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS
                                     if kind in ("word", "number", "char")), re.DOTALL)
#: The longest stretch a prefixed name's prefix could take from a letter (possessive: it never backtracks).
#: The kinds the scanner tries after a prefixed name: where one of them matched at a letter, a prefixed name was
#: looked for there and failed.
_AFTER_PNAME = frozenset({"word", "number", "op", "char"})
_NAME_RUN = re.compile(r"[^\W\d_][\w-]*+(?:\.+[\w-]++)*+")
_OPAQUE = re.compile("|".join(p for k, p in _KINDS if k in ("comment", "string", "iri")), re.DOTALL)
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
    """The tokens of ``text``, whitespace and comments left out, in time linear in its length (see
    :func:`_scan`)."""
    for kind, value, start in _scan(text):
        yield Token(kind, value, start)


def _scan(text: str) -> Iterator[tuple[str, str, int]]:
    """The tokens of ``text`` as ``(kind, text, start)``, whitespace and comments left out.

    A scanner trying every kind of token at every position is quadratic on a long name without a colon
    (``a-a-a-…``): at each of its letters the prefixed-name pattern reads on to the name's end before it
    fails. Once it has failed from a letter, no prefixed name can start anywhere before the end of that stretch
    (the colon it needs would have to follow the stretch, and then the name from the first letter would have
    matched), so the stretch is read on by the scanner that does not look for one: the same tokens, each
    character read a bounded number of times."""
    position, size = 0, len(text)
    while position < size:
        resume = size
        for match in _TOKEN.finditer(text, position):
            kind = match.lastgroup or "char"
            start = match.start()
            if kind != "space" and kind != "comment":
                yield kind, match.group(), start
            if kind in _AFTER_PNAME and text[start].isalpha():
                run = _NAME_RUN.match(text, start)
                blind = run.end() if run is not None else 0
                if blind > match.end():
                    resume = yield from _blind(text, match.end(), blind)
                    break
        position = resume


def _blind(text: str, position: int, blind: int) -> Generator[tuple[str, str, int], None, int]:
    """The tokens from ``position`` that start before ``blind``, scanned without prefixed names; returns where
    the next token starts (at or after ``blind``), or the text's length.

    No other kind of token can start there: a blank node needs ``_:``, and the stretch is never followed by a
    colon; strings, IRIs, variables, language tags, comments and operators start with characters a name does
    not hold. A number may run on past the stretch (``1e+5``), as it would in the full scanner."""
    for match in _TOKEN_IN_NAME.finditer(text, position):
        start = match.start()
        if start >= blind:
            return start
        kind = match.lastgroup or "char"
        if kind != "space" and kind != "comment":
            yield kind, match.group(), start
    return len(text)


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
    if "!" in rest or "-" in rest or "+" in rest:
        return None  # runs of unary operators are counted token by token (collapsing names is not linear)
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", rest):
        depth = depth + 1 if char in _OPENERS else max(0, depth - 1)
        if depth > deepest:
            deepest = depth
            if deepest > max_depth:
                return None
    return Inspection(form, (), (), deepest)


def _tokenized(text: str, max_depth: int, prefixes: Mapping[str, str] | None) -> Inspection:
    """The inspection token by token (see :func:`inspect`). The tokens are read as they come, so a refusal
    costs only the text up to where it is found; what ``PREFIX``, ``BASE`` and ``FROM`` need of the tokens
    after them is collected as those tokens arrive (``waiting``)."""
    known = prefixes or {}
    base: str | None = None
    form: str | None = None
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    depth = deepest = run = 0
    waiting: list[object] | None = None  # [keyword, its start, the tokens after it so far]
    for kind, value, start in _scan(text):
        if waiting is not None:
            known, base, waiting = _after_keyword(waiting, (kind, value, start), known, base,
                                                  default_graphs, named_graphs)
        if kind == "char":
            if value in _OPENERS:
                depth, run = depth + 1, 0
            elif value in _CLOSERS:
                depth, run = max(0, depth - 1), 0
            elif value in _UNARY:
                run += 1
            else:
                run = 0
            if depth + run > deepest:
                deepest = depth + run
                if deepest > max_depth:
                    raise _refuse("query_too_deep", f"the query nests brackets or operators more than {max_depth} "
                                  f"deep (at character {start + 1}); the limit is {max_depth}",
                                  limit=max_depth, position=start + 1)
            continue
        run = 0
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
        elif (word in ("PREFIX", "BASE") and form is None) or word == "FROM":
            if waiting is not None:  # a keyword right after another: the earlier one ends here
                known, base, waiting = _after_keyword(waiting, None, known, base, default_graphs, named_graphs)
            waiting = [word, start, []]
    if waiting is not None:
        known, base, waiting = _after_keyword(waiting, None, known, base, default_graphs, named_graphs)
    return Inspection(form, tuple(default_graphs), tuple(named_graphs), deepest)


def _after_keyword(waiting: list[object], token: tuple[str, str, int] | None, known: Mapping[str, str],
                   base: str | None, default_graphs: list[str], named_graphs: list[str],
                   ) -> tuple[Mapping[str, str], str | None, list[object] | None]:
    """Give the keyword in ``waiting`` the next ``token`` (``None``: there is no next one); once it has the
    tokens it needs, act on it (declare a prefix, set the base, record or refuse a ``FROM`` graph) and return
    ``None`` for ``waiting``."""
    word, start, after = waiting
    assert isinstance(word, str) and isinstance(start, int) and isinstance(after, list)
    if token is not None:
        after.append(token)
    ended = token is None
    if word == "PREFIX":
        if len(after) < 2 and not ended:
            return known, base, waiting
        if len(after) == 2 and after[0][0] == "pname" and after[1][0] == "iri" and after[0][1].endswith(":"):
            known = {**known, after[0][1][:-1]: _unescape(after[1][1][1:-1])}
        return known, base, None
    if word == "BASE":
        if after and after[0][0] == "iri":
            base = _unescape(after[0][1][1:-1])
        return known, base, None
    named = bool(after) and after[0][1].upper() == "NAMED"
    if named and len(after) < 2 and not ended:
        return known, base, waiting
    target = (after[1] if len(after) > 1 else None) if named else (after[0] if after else None)
    iri = _resolve(Token(*target) if target is not None else None, known, base)
    if iri is None:
        raise _refuse("unknown_graph", f"the FROM clause at character {start + 1} does not name a "
                      "graph this service can read", position=start + 1)
    (named_graphs if named else default_graphs).append(iri)
    return known, base, None


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
