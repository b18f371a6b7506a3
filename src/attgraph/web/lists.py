"""Browsing without knowing IRIs: ``/list/`` names the lists, ``/list/{name}`` shows one (people, States, bodies,
sessions, meetings, documents, recommendations, decisions, concepts, guidance …), sortable on any column,
filtered by facets and cut into pages; as a page, or as JSON for ``Accept: application/json``.

The lists are defined by the queries of :mod:`attgraph.knowledge.lists`. A list query's rows are merged into one
entry per item; a facet filter keeps the entries that have one of the values chosen for it (values of one facet
are alternatives, facets add up), and each facet counts its values over the entries the other facets keep, as
faceted browsers do. The query string names facets by column (``?session=session:CSP11&status=att:adopted``),
``sort`` (a column, or ``label``), ``order`` (``asc`` or ``desc``) and ``page``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from attgraph.errors import NotFound, ParameterError
from attgraph.knowledge.lists import ListDefinition, load_lists
from attgraph.knowledge.namespaces import compact

from .bodies import query_fields
from .context import Context

__all__ = ["PAGE_SIZE", "Entry", "lists_router", "merge"]

#: Entries on one page of a list.
PAGE_SIZE = 50
_NUMBER = re.compile(r"(\d+)")


@dataclass
class Entry:
    """One item of a list: its IRI, labels, and for each column its values as ``(key, text, iri)``, where the
    key is what a facet filter names (a CURIE, or the literal's text) and ``iri`` the IRI (or ``None``)."""

    item: str
    label: str = ""
    label_zh: str = ""
    values: dict[str, list[tuple[str, str, str | None]]] = field(default_factory=dict)


def _text(term: object) -> str:
    return term.value if isinstance(term, (ox.Literal, ox.NamedNode)) else ""


def merge(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[Entry]:
    """One entry per ``?item`` of ``rows``, each column with its distinct values in the order met."""
    entries: dict[str, Entry] = {}
    for row in rows:
        item = row.get("item")
        if not isinstance(item, ox.NamedNode):
            continue
        entry = entries.setdefault(item.value, Entry(item.value))
        entry.label = entry.label or _text(row.get("label"))
        entry.label_zh = entry.label_zh or _text(row.get("labelZh"))
        for column in columns:
            value = row.get(column)
            if value is None:
                continue
            found: tuple[str, str, str | None]
            if isinstance(value, ox.NamedNode):
                found = (compact(value.value), _text(row.get(f"{column}Label")) or compact(value.value), value.value)
            else:
                found = (_text(value), _text(value), None)
            kept = entry.values.setdefault(column, [])
            if found[0] not in {key for key, _, _ in kept}:
                kept.append(found)
    return list(entries.values())


def _keeps(entry: Entry, chosen: dict[str, set[str]], leave_out: str | None = None) -> bool:
    return all(any(key in wanted for key, _, _ in entry.values.get(column, []))
               for column, wanted in chosen.items() if column != leave_out)


def _natural(text: str) -> tuple[object, ...]:
    return tuple(int(part) if part.isdigit() else part.lower() for part in _NUMBER.split(text))


def _sort_key(entry: Entry, column: str) -> tuple[object, ...]:
    if column == "label":
        return (0, _natural(entry.label or entry.item))
    values = entry.values.get(column)
    return (0, _natural(values[0][1]), _natural(entry.label)) if values else (1, (), _natural(entry.label))


@dataclass(frozen=True)
class View:
    """What the request asks of a list: chosen facet values, sort column, order and page."""

    chosen: dict[str, set[str]]
    sort: str
    descending: bool
    page: int

    def href(self, base: str, **changes: Any) -> str:
        """The URL of this view with ``changes`` (``chosen``, ``sort``, ``descending``, ``page``)."""
        chosen = changes.get("chosen", self.chosen)
        pairs = [(column, value) for column in sorted(chosen) for value in sorted(chosen[column])]
        sort, descending = changes.get("sort", self.sort), changes.get("descending", self.descending)
        page = changes.get("page", self.page)
        pairs += [("sort", sort)] + ([("order", "desc")] if descending else []) + ([("page", str(page))]
                                                                                   if page > 1 else [])
        return f"{base}?{urlencode(pairs)}"

    def toggled(self, column: str, key: str) -> dict[str, set[str]]:
        chosen = {c: set(v) for c, v in self.chosen.items()}
        values = chosen.setdefault(column, set())
        values.symmetric_difference_update({key})
        return {c: v for c, v in chosen.items() if v}


def _view(request: Request, definition: ListDefinition) -> View:
    fields = query_fields(request)
    allowed = {"sort", "order", "page", *definition.facets}
    unknown = sorted(fields.names() - allowed)
    if unknown:
        raise ParameterError(f"the list {definition.name} takes no parameter {unknown[0]!r}; it takes: "
                             + ", ".join(sorted(allowed)), {"list": definition.name, "unknown": unknown})
    sort = fields.get("sort") or definition.sort
    if sort != "label" and sort not in definition.columns:
        raise ParameterError(f"the list {definition.name} cannot be sorted on {sort!r}; use label or one of: "
                             + ", ".join(definition.columns), {"list": definition.name, "sort": sort})
    order = fields.get("order") or "asc"
    if order not in ("asc", "desc"):
        raise ParameterError(f"order must be asc or desc, got {order!r}", {"order": order})
    page_text = fields.get("page") or "1"
    if not page_text.isdigit() or int(page_text) < 1:
        raise ParameterError(f"page must be a whole number from 1, got {page_text!r}", {"page": page_text})
    chosen = {column: set(fields.getlist(column)) for column in definition.facets if fields.getlist(column)}
    return View(chosen, sort, order == "desc", int(page_text))


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


def lists_router(ctx: Context) -> APIRouter:
    """``/list/`` and ``/list/{name}``."""
    router = APIRouter()

    async def entries_of(definition: ListDefinition) -> list[Entry]:
        rows = (await ctx.gateway.run(definition.sparql, max_rows=1_000_000)).result.rows()
        return merge(rows, tuple(dict.fromkeys((*definition.columns, *definition.facets))))

    @router.get("/list/", summary="The lists of resources, to browse without knowing IRIs", response_class=Response)
    async def index(request: Request) -> Response:
        lists = load_lists()
        counts = {name: len(await entries_of(definition)) for name, definition in lists.items()}
        if _wants_json(request):
            return JSONResponse([{"name": d.name, "title": d.title, "titleZh": d.title_zh, "count": counts[d.name],
                                  "url": f"{ctx.base_path}/list/{d.name}"} for d in lists.values()])
        return ctx.page(request, "lists.html", lists=list(lists.values()), counts=counts)

    @router.get("/list/{name}", summary="One list: sortable, faceted and paginated (page or JSON)",
                response_class=Response)
    async def one(request: Request, name: str) -> Response:
        definition = load_lists().get(name)
        if definition is None:
            raise NotFound(f"no list {name!r}", {"list": name, "available": sorted(load_lists())})
        view = _view(request, definition)
        everything = await entries_of(definition)
        kept = [entry for entry in everything if _keeps(entry, view.chosen)]
        kept.sort(key=lambda entry: _sort_key(entry, view.sort), reverse=view.descending)
        if view.descending:  # entries without a value stay last either way
            kept.sort(key=lambda entry: view.sort != "label" and not entry.values.get(view.sort))
        pages = max(1, math.ceil(len(kept) / PAGE_SIZE))
        shown = kept[(view.page - 1) * PAGE_SIZE: view.page * PAGE_SIZE]
        facets = {}
        for column in definition.facets:
            counted: dict[str, list[Any]] = {}
            for entry in everything:
                if _keeps(entry, view.chosen, leave_out=column):
                    for key, text, iri in entry.values.get(column, []):
                        counted.setdefault(key, [key, text, iri, 0])[3] += 1
            facets[column] = sorted(counted.values(), key=lambda v: (-v[3], _natural(v[1])))
        base = f"{ctx.base_path}/list/{name}"
        if _wants_json(request):
            return JSONResponse({
                "list": name, "title": definition.title, "total": len(kept), "page": view.page, "pages": pages,
                "items": [{"iri": e.item, "label": e.label or None, "labelZh": e.label_zh or None,
                           "page": ctx.link(e.item).href,
                           **{c: [{"value": key, "label": text} for key, text, _ in e.values.get(c, [])]
                              for c in definition.columns}} for e in shown],
                "facets": {c: [{"value": key, "label": text, "count": n, "selected": key in view.chosen.get(c, ())}
                               for key, text, _, n in values] for c, values in facets.items()},
            })
        return ctx.page(request, "list.html", definition=definition, view=view, here=base,
                        entries=shown, total=len(kept), everything=len(everything), pages=pages, facets=facets,
                        link=ctx.link)

    return router
