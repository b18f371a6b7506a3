"""HTML rendering: the Jinja2 environment (autoescaped), links from IRIs, cells of result tables.

Links are made only for IRIs of our own namespace (to the local path that serves them) and for http(s)
IRIs; anything else (``urn:``, ``javascript:``, ``data:`` …) is shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from attgraph.knowledge.namespaces import BASE, ID, ONTOLOGY_IRI, compact
from attgraph.knowledge.results import QueryResult, Term

__all__ = ["Cell", "Link", "ResultTable", "link", "local_path", "make_templates", "render", "result_table", "safe_href",
           "term_cell"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
_LOCAL_ROOTS = (str(ID), str(ONTOLOGY_IRI), BASE + "graph/", BASE + "dataset")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def local_path(iri: str, base_path: str = "") -> str | None:
    """The path on this service that serves ``iri``, or ``None`` when the IRI is not ours."""
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE):]
    if not iri.startswith(_LOCAL_ROOTS):
        return None
    path, hash_sign, fragment = rest.partition("#")
    encoded = quote(path, safe=_PATH_SAFE)
    return f"{base_path}/{encoded}" + (f"#{quote(fragment, safe=_PATH_SAFE)}" if hash_sign else "")


def safe_href(iri: str, base_path: str = "") -> str | None:
    """Where a link to ``iri`` should point: our page for our IRIs, the IRI for http(s), else nothing."""
    local = local_path(iri, base_path)
    if local is not None:
        return local
    if iri.startswith(("http://", "https://")) and not any(ch in iri for ch in "\"<> \n\r\t"):
        return iri
    return None


@dataclass(frozen=True)
class Link:
    """A resource to show: its IRI, where it links to, its short form and English and Chinese labels."""

    iri: str
    href: str | None
    short: str
    en: str = ""
    zh: str = ""

    @property
    def text(self) -> str:
        """The text to show: the labels when known, else the short form of the IRI."""
        if self.en and self.zh and self.en != self.zh:
            return f"{self.en} · {self.zh}"
        return self.en or self.zh or self.short


def link(iri: str, base_path: str = "", en: str = "", zh: str = "") -> Link:
    """A :class:`Link` for ``iri``."""
    return Link(iri, safe_href(iri, base_path), compact(iri), en, zh)


@dataclass(frozen=True)
class Cell:
    """One cell of a result table: the text, a link, and a note (language tag or short datatype)."""

    text: str
    href: str | None = None
    note: str = ""
    kind: str = "literal"


def term_cell(term: Term | None, base_path: str = "") -> Cell:
    """How a result term is shown in a table."""
    if term is None:
        return Cell("", kind="unbound")
    if isinstance(term, ox.NamedNode):
        return Cell(compact(term.value), safe_href(term.value, base_path), "", "iri")
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}", kind="bnode")
    if isinstance(term, ox.Literal):
        if term.language:
            return Cell(term.value, note=f"@{term.language}")
        datatype = term.datatype.value
        note = "" if datatype.endswith("#string") else compact(datatype)
        return Cell(term.value, note=note)
    return Cell(str(term), kind="triple")


def make_templates() -> Environment:
    """The template environment: autoescape on for every template, undefined names are errors."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    return environment


def render(templates: Environment, name: str, values: dict[str, Any]) -> str:
    """Render one template."""
    return templates.get_template(name).render(**values)


@dataclass(frozen=True)
class ResultTable:
    """A result as a table for a page: column names, rows of cells, the answer of an ASK."""

    kind: str
    variables: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    boolean: bool | None
    truncated: bool


def result_table(result: QueryResult, truncated: bool, base_path: str = "") -> ResultTable:
    """``result`` laid out as a table (a graph as subject, predicate, object rows)."""
    if result.kind == "ask":
        return ResultTable("ask", (), (), result.boolean, False)
    if result.kind == "graph":
        rows = tuple(tuple(term_cell(t, base_path) for t in (triple.subject, triple.predicate, triple.object))
                     for triple in result.triples())
        return ResultTable("graph", ("subject", "predicate", "object"), rows, None, truncated)
    table = tuple(tuple(term_cell(row.get(v), base_path) for v in result.variables) for row in result.rows())
    return ResultTable("select", result.variables, table, None, truncated)
