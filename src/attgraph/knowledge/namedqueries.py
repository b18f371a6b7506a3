"""Named queries: ``.rq`` files with a header, and their typed parameters.

A header is the leading block of ``#`` comment lines::

    # title: Chairs of a body over time
    # description: Who held the chair of ?body, with the interval of each appointment.
    #   A description may run on over indented lines.
    # keywords: posts, chairs
    # param: body iri att:Body = body:WGETI -- the body whose chairs to list
    # param: on date -- a day on which the post was held

Parameters are SPARQL variables of the same name. Their values are bound through the engine's
substitution mechanism, never pasted into the query text. An ``iri`` parameter may name the class its value
must be of (``att:Body``; several as ``att:Article|att:Provision``): the service then offers a picker of the
resources of that class and refuses a resource of another. A ``date`` is written ``2025-06-01`` or in any form
:func:`attgraph.knowledge.dates.parse_day` reads (``2025 年 6 月 1 日``, ``1 June 2025``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from attgraph.errors import NotFound, ParameterError

from .dates import parse_day
from .namespaces import PREFIXES, XSD

__all__ = ["PARAMETER_TYPES", "NamedQuery", "Parameter", "expand", "load_catalog", "load_query", "parse_header",
           "result_form"]

#: Parameter types and the XSD datatype each value is bound as (``None``: an IRI).
PARAMETER_TYPES: dict[str, str | None] = {
    "iri": None,
    "string": str(XSD.string),
    "date": str(XSD.date),
    "integer": str(XSD.integer),
    "decimal": str(XSD.decimal),
    "boolean": str(XSD.boolean),
}

_CLASS = r"(?:[A-Za-z][\w-]*:[\w.-]*|<[^<>\s]+>)"
_PARAM = re.compile(
    rf"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\w+)(?:\s+(?P<classes>{_CLASS}(?:\|{_CLASS})*))?"
    r"(?:\s*=\s*(?P<default>\S+))?(?:\s+--\s*(?P<doc>.*))?\s*$"
)


@dataclass(frozen=True)
class Parameter:
    """A declared parameter: its name (the SPARQL variable), type, default, description and, for an IRI, the
    classes its value may be of (full IRIs; empty: any)."""

    name: str
    type: str
    default: str | None = None
    description: str = ""
    classes: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        """A parameter without a default must be given."""
        return self.default is None

    def convert(self, raw: str) -> ox.NamedNode | ox.Literal:
        """Check ``raw`` against the type and turn it into the engine term bound for the variable."""
        value = raw.strip()
        try:
            if self.type == "iri":
                return ox.NamedNode(expand(value))
            if self.type == "date":
                value = parse_day(value) or value
                dt.date.fromisoformat(value)
            elif self.type == "integer":
                int(value)
            elif self.type == "decimal":
                Decimal(value)
            elif self.type == "boolean" and value not in ("true", "false"):
                raise ValueError(value)
        except (ValueError, InvalidOperation) as error:
            raise ParameterError(
                f"parameter {self.name!r} must be of type {self.type}, got {raw!r}",
                {"parameter": self.name, "type": self.type, "value": raw},
            ) from error
        datatype = PARAMETER_TYPES[self.type]
        assert datatype is not None
        return ox.Literal(value, datatype=ox.NamedNode(datatype))


def expand(value: str) -> str:
    """Expand ``prefix:local`` with the project prefixes; accept absolute http(s) and urn IRIs, bare or in
    angle brackets. Raises ``ValueError`` for anything else."""
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if value.startswith(("http://", "https://", "urn:")):
        if any(ch in value for ch in '<>" {}|\\^`'):
            raise ValueError(value)
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    raise ValueError(value)


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file: its name (the file stem), header fields and SPARQL text."""

    name: str
    title: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = ()
    keywords: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def bindings(self, given: Mapping[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Validate ``given`` raw values against the declared parameters and return the substitutions."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ParameterError(
                f"query {self.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"it takes: {', '.join(known) or 'none'}",
                {"query": self.name, "unknown": unknown},
            )
        out: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
        for param in self.parameters:
            raw = given.get(param.name, param.default)
            if raw is None:
                raise ParameterError(f"query {self.name!r} needs parameter {param.name!r} ({param.type})",
                                     {"query": self.name, "parameter": param.name})
            out[ox.Variable(param.name)] = param.convert(raw)
        return out


@functools.lru_cache(maxsize=512)
def result_form(sparql: str) -> tuple[str, tuple[str, ...]]:
    """The kind of a query's result (``select``, ``ask`` or ``graph``) and, for a SELECT, its variables in order:
    read off the engine's answer over an empty store, so they are exactly what a run returns."""
    outcome = ox.Store().query(sparql)
    if isinstance(outcome, ox.QuerySolutions):
        return "select", tuple(v.value for v in outcome.variables)
    if isinstance(outcome, ox.QueryBoolean):
        return "ask", ()
    return "graph", ()


def parse_header(text: str, name: str) -> tuple[dict[str, str], list[Parameter]]:
    """Read the ``# key: value`` header of a query. Raises ``ValueError`` naming the bad line."""
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    last: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("   ") and last is not None and last != "param":
            fields[last] += " " + body.strip()
            continue
        key, sep, value = body.strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "param":
            match = _PARAM.match(value)
            if not match or match["type"] not in PARAMETER_TYPES or (match["classes"] and match["type"] != "iri"):
                raise ValueError(f"{name}:{number}: bad parameter declaration {value!r}")
            try:
                classes = tuple(expand(c) for c in match["classes"].split("|")) if match["classes"] else ()
            except ValueError:
                raise ValueError(f"{name}:{number}: unknown prefix in the class of {value!r}") from None
            params.append(Parameter(match["name"], match["type"], match["default"], (match["doc"] or "").strip(),
                                    classes))
        else:
            fields[key] = value
        last = key
    return fields, params


def load_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file into a :class:`NamedQuery`."""
    text = path.read_text(encoding="utf-8")
    fields, params = parse_header(text, path.name)
    if "title" not in fields:
        raise ValueError(f"{path.name}: the header has no title")
    keywords = tuple(k.strip() for k in fields.get("keywords", "").split(",") if k.strip())
    return NamedQuery(path.stem, fields["title"], fields.get("description", ""), text, tuple(params),
                      keywords, path)


def load_catalog(folder: Path) -> dict[str, NamedQuery]:
    """Every ``*.rq`` in ``folder``, by name, sorted."""
    return {q.name: q for q in (load_query(p) for p in sorted(folder.glob("*.rq")))}


def get(catalog: Mapping[str, NamedQuery], name: str) -> NamedQuery:
    """A query from a catalogue, or :class:`NotFound` listing what there is."""
    try:
        return catalog[name]
    except KeyError:
        raise NotFound(f"no named query {name!r}", {"query": name, "available": sorted(catalog)}) from None
