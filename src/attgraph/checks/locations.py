"""Where in a user's file each statement is written: line and column, for the report to point at.

The parsers that read uploads (pyoxigraph's) give no position per statement, so the text is read a second
time here, after pyoxigraph has accepted it. For Turtle, TriG, N-Triples and N-Quads :func:`read_positions`
walks the grammar and gives every statement with the position of its subject, predicate and object; it then
checks that its statements are exactly pyoxigraph's (blank nodes aside: the two sets must be isomorphic, which
RDFC-1.0 canonical forms decide). Only then are its statements used, so that a finding on a blank node points
at the right ``[ … ]``; if the two ever disagree, the file is validated as pyoxigraph read it and findings are
located by searching the text, as they always are for JSON-LD and RDF/XML (:class:`TextSearch`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import pyoxigraph as ox

from attgraph.knowledge.formats import Format

__all__ = ["Located", "Position", "Positions", "TextSearch", "excerpt", "read_positions"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\n]+|\#[^\r\n]*)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<dt>\^\^)
  | (?P<bnode>_:[^\s.;,()\[\]{}<>"']*[^\s.;,()\[\]{}<>"'.])
  | (?P<number>[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+))
  | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:(?:[\w:%-]|\\[^\s]|\.(?=[\w:%\\-]))*))
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[.;,\[\]()\{\}])
""", re.VERBOSE)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_LOCAL_ESCAPE = re.compile(r"\\(.)")

Subject = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Position:
    """A place in the text: line and column, both from 1 (columns count characters)."""

    line: int
    column: int


@dataclass(frozen=True)
class Located:
    """One statement as written: the quad and where its subject, predicate and object stand."""

    quad: ox.Quad
    subject: Position
    predicate: Position
    object: Position


@dataclass
class Positions:
    """Every statement of a file with its position, and ways to find the first mention of a term."""

    statements: list[Located] = field(default_factory=list)

    def triples(self) -> list[ox.Triple]:
        """The statements as triples (graph names dropped)."""
        return [ox.Triple(s.quad.subject, s.quad.predicate, s.quad.object) for s in self.statements]

    def find(self, subject: Term | None, predicate: ox.NamedNode | None, obj: Term | None,
             ) -> Located | None:
        """The first statement matching the pattern (``None`` is any term)."""
        for located in self.statements:
            quad = located.quad
            if (subject is None or quad.subject == subject) and (predicate is None or quad.predicate == predicate) \
                    and (obj is None or quad.object == obj):
                return located
        return None

    def mention(self, term: Term) -> Position | None:
        """Where ``term`` is first written: as a subject first, else as an object."""
        found = self.find(term, None, None)
        if found is not None:
            return found.subject
        found = self.find(None, None, term)
        return found.object if found is not None else None


class _Reader:
    """The statements of a Turtle-family text that a parser has already accepted."""

    def __init__(self, text: str, base: str | None, quads: bool) -> None:
        self.tokens = list(_tokens(text))
        self.at = 0
        self.base = base
        self.prefixes: dict[str, str] = {}
        self.labels: dict[str, ox.BlankNode] = {}
        self.out = Positions()
        self.graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph = ox.DefaultGraph()
        self.quads = quads

    # -- tokens ----------------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> tuple[str, str, Position]:
        index = self.at + ahead
        return self.tokens[index] if index < len(self.tokens) else ("end", "", Position(0, 0))

    def take(self) -> tuple[str, str, Position]:
        token = self.peek()
        self.at += 1
        return token

    def expect(self, value: str) -> None:
        _, text, where = self.take()
        if text != value:
            raise ValueError(f"expected {value!r} at {where}, found {text!r}")

    # -- terms -----------------------------------------------------------------------------------

    def iri(self, text: str) -> ox.NamedNode:
        value = _unescape(text[1:-1])
        return ox.NamedNode(urljoin(self.base, value) if self.base and ":" not in value.split("/", 1)[0] else value)

    def pname(self, text: str) -> ox.NamedNode:
        prefix, _, local = text.partition(":")
        return ox.NamedNode(self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local))

    def blank(self, text: str) -> ox.BlankNode:
        return self.labels.setdefault(text, ox.BlankNode())

    def literal(self, kind: str, text: str) -> ox.Literal:
        body = text[3:-3] if kind == "long" else text[1:-1]
        value = _unescape(body)
        nxt_kind, nxt, _ = self.peek()
        if nxt_kind == "lang":
            self.take()
            return ox.Literal(value, language=nxt[1:].lower())
        if nxt_kind == "dt":
            self.take()
            dt_kind, dt_text, _ = self.take()
            return ox.Literal(value, datatype=self.iri(dt_text) if dt_kind == "iri" else self.pname(dt_text))
        return ox.Literal(value)

    def term(self) -> tuple[Term, Position]:
        kind, text, where = self.take()
        if kind == "iri":
            return self.iri(text), where
        if kind == "pname":
            return self.pname(text), where
        if kind == "bnode":
            return self.blank(text), where
        if kind in ("string", "long"):
            return self.literal(kind, text), where
        if kind == "number":
            datatype = "double" if "e" in text.lower() else "decimal" if "." in text else "integer"
            return ox.Literal(text, datatype=ox.NamedNode(_XSD + datatype)), where
        if kind == "word" and text in ("true", "false"):
            return ox.Literal(text, datatype=ox.NamedNode(_XSD + "boolean")), where
        if text == "[":
            node = ox.BlankNode()
            if self.peek()[1] != "]":
                self.predicate_objects(node, where)
            self.expect("]")
            return node, where
        if text == "(":
            return self.collection(where)
        raise ValueError(f"unexpected {text!r} at {where}")

    def collection(self, where: Position) -> tuple[Term, Position]:
        items: list[tuple[Term, Position]] = []
        while self.peek()[1] != ")":
            items.append(self.term())
        self.take()
        if not items:
            return ox.NamedNode(_RDF + "nil"), where
        nodes = [ox.BlankNode() for _ in items]
        for index, (item, place) in enumerate(items):
            self.emit(nodes[index], ox.NamedNode(_RDF + "first"), item, where, place, place)
            rest: Term = nodes[index + 1] if index + 1 < len(nodes) else ox.NamedNode(_RDF + "nil")
            self.emit(nodes[index], ox.NamedNode(_RDF + "rest"), rest, where, place, place)
        return nodes[0], where

    # -- statements ------------------------------------------------------------------------------

    def emit(self, subject: Term, predicate: Term, obj: Term, s: Position, p: Position, o: Position) -> None:
        assert isinstance(subject, ox.NamedNode | ox.BlankNode) and isinstance(predicate, ox.NamedNode)
        self.out.statements.append(Located(ox.Quad(subject, predicate, obj, self.graph), s, p, o))

    def predicate_objects(self, subject: Term, where: Position) -> None:
        while True:
            kind, text, place = self.peek()
            if kind == "word" and text == "a":
                self.take()
                predicate: Term = ox.NamedNode(_RDF + "type")
            else:
                predicate, place = self.term()
            while True:
                obj, spot = self.term()
                self.emit(subject, predicate, obj, where, place, spot)
                if self.peek()[1] != ",":
                    break
                self.take()
            while self.peek()[1] == ";":
                self.take()
            if self.peek()[1] in (".", "]", "}", "") or self.peek()[0] == "end":
                return

    def directive(self) -> bool:
        kind, text, _ = self.peek()
        lowered = text.lower()
        if lowered in ("@prefix", "prefix") or (kind == "lang" and lowered == "@prefix"):
            self.take()
            name = self.take()[1]
            self.prefixes[name[:-1]] = self.iri(self.take()[1]).value
        elif lowered in ("@base", "base"):
            self.take()
            self.base = self.iri(self.take()[1]).value
        else:
            return False
        if text.startswith("@"):
            self.expect(".")
        return True

    def statement(self) -> None:
        if self.directive():
            return
        kind, text, where = self.peek()
        if kind == "word" and text.upper() == "GRAPH":
            self.take()
            label, _ = self.term()
            self.graph_block(label)
            return
        if text == "{":
            self.graph_block(None)
            return
        subject, where = self.term()
        if self.peek()[1] == "{":
            self.graph_block(subject)
            return
        if self.quads and self.peek()[0] != "punct":
            self.nquad(subject, where)
            return
        if self.peek()[1] != ".":
            self.predicate_objects(subject, where)
        self.expect(".")

    def nquad(self, subject: Term, where: Position) -> None:
        predicate, place = self.term()
        obj, spot = self.term()
        if self.peek()[1] != ".":
            label, _ = self.term()
            assert isinstance(label, ox.NamedNode | ox.BlankNode)
            self.graph = label
        self.emit(subject, predicate, obj, where, place, spot)
        self.graph = ox.DefaultGraph()
        self.expect(".")

    def graph_block(self, label: Term | None) -> None:
        self.expect("{")
        assert label is None or isinstance(label, ox.NamedNode | ox.BlankNode)
        self.graph = label if label is not None else ox.DefaultGraph()
        while self.peek()[1] != "}":
            subject, where = self.term()
            if self.peek()[1] not in (".", "}"):
                self.predicate_objects(subject, where)
            if self.peek()[1] == ".":
                self.take()
        self.take()
        self.graph = ox.DefaultGraph()

    def read(self) -> Positions:
        while self.peek()[0] != "end":
            self.statement()
        return self.out


def _tokens(text: str) -> Iterator[tuple[str, str, Position]]:
    line, line_start, at = 1, 0, 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.lastgroup is None:
            raise ValueError(f"cannot read {text[at:at + 20]!r} at line {line}")
        kind, value = match.lastgroup, match.group()
        if kind != "ws":
            yield kind, value, Position(line, at - line_start + 1)
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = at + value.rfind("\n") + 1
        at = match.end()


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ECHAR.get(code, code)

    return _ESCAPE.sub(one, text) if "\\" in text else text


def _canonical(quads: list[ox.Quad]) -> list[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in dataset)


def read_positions(text: str, fmt: Format, parsed: list[ox.Quad], base: str | None = None) -> Positions | None:
    """The statements of ``text`` with their positions, when ``fmt`` is of the Turtle family and they are exactly
    the statements pyoxigraph ``parsed`` (up to blank node names); ``None`` otherwise."""
    if fmt.engine not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return None
    try:
        positions = _Reader(text, base, fmt.engine == ox.RdfFormat.N_QUADS).read()
    except (ValueError, KeyError, IndexError, AssertionError, TypeError):
        return None
    mine = [located.quad for located in positions.statements]
    if len(set(mine)) != len(set(parsed)) or _canonical(mine) != _canonical(parsed):
        return None
    return positions


class TextSearch:
    """Finding terms in a text by their spelling: the full IRI, or a prefixed name with the prefixes the text
    declares (Turtle ``@prefix``, JSON-LD contexts, XML namespaces)."""

    _DECLARATIONS = (
        re.compile(r"@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I),
        re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=\s*[\"']([^\"']*)[\"']"),
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.prefixes: dict[str, str] = {}
        for pattern in self._DECLARATIONS:
            for match in pattern.finditer(text):
                self.prefixes.setdefault(match.group(1) or "", match.group(2))
        self._json_prefixes()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def _json_prefixes(self) -> None:
        try:
            document = json.loads(self.text)
        except ValueError:
            return
        stack = [document]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                context = node.get("@context")
                if isinstance(context, dict):
                    for key, value in context.items():
                        if isinstance(value, str) and not key.startswith("@"):
                            self.prefixes.setdefault(key, value)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)

    def spellings(self, iri: str) -> list[str]:
        """The ways ``iri`` may be written in the text, the full IRI first."""
        found = [iri]
        for prefix, namespace in self.prefixes.items():
            if namespace and iri.startswith(namespace) and len(iri) > len(namespace):
                found.append(f"{prefix}:{iri[len(namespace):]}")
        return found

    def position(self, offset: int) -> Position:
        line = max(i for i, start in enumerate(self._line_starts) if start <= offset)
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def find(self, iri: str, start: int = 0) -> int | None:
        """The offset of the first spelling of ``iri`` at or after ``start`` (as a whole token)."""
        best: int | None = None
        for spelling in self.spellings(iri):
            pattern = re.compile(r"(?<![\w:/#.-])" + re.escape(spelling) + r"(?![\w/#-]|\.[\w])")
            match = pattern.search(self.text, start)
            if match is not None and (best is None or match.start() < best):
                best = match.start()
        return best


def excerpt(text: str, line: int, limit: int = 200) -> str:
    """Line ``line`` of ``text`` (from 1), without its line break, cut to ``limit`` characters."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].rstrip()
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"
