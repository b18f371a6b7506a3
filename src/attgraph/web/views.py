"""What a resource page shows, assembled from the rows of the page queries in ``src/attgraph/knowledge/sparql/``.

A page has the resource's labels in English and Chinese, its types, every property with its values (IRIs
as labelled links), the inverse links (what points at it), the source units it was derived from with their
Chinese text, and pictures: a neighbourhood diagram on every page, a timeline of posts on a body's page, a
flow of steps on a framework's page. An article's page also gathers everything linked to the article or
to one of its provisions, in sections.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from markupsafe import Markup

from attgraph.knowledge.namespaces import ATT, PROV, RDF, RDFS, SKOS, compact
from attgraph.knowledge.results import Term

from . import svg
from .context import Context
from .render import Link

__all__ = ["ARTICLE_SECTIONS", "Picture", "PropertyGroup", "ResourceView", "Section", "Value", "resource_view"]

_LABELS = (str(RDFS.label), str(SKOS.prefLabel))
_TYPE = str(RDF.type)
_DERIVED = str(PROV.wasDerivedFrom)
#: What a page says first, when the resource has it: a definition, a unit's text, a summary (in that order).
_LEAD = (str(SKOS.definition), str(ATT.text), str(ATT.summary))
#: The sections of an article page, in order; an item goes to the first class it belongs to.
ARTICLE_SECTIONS = tuple(str(ATT[name]) for name in (
    "Provision", "Framework", "Step", "GuidanceElement", "GuidanceDocument", "Concept", "Recommendation",
    "Decision", "SurveyFinding", "Discrepancy", "Meeting", "Contribution", "SourceUnit", "Document"))
_SECTION_LIMIT = 300


@dataclass
class Value:
    """One value of a property: a link (IRI) or a literal with its note; a source unit's text and number."""

    link: Link | None
    text: str = ""
    note: str = ""
    unit_text: str = ""
    unit_number: str = ""
    unit_source: Link | None = None
    anchor: str = ""


@dataclass
class PropertyGroup:
    """A property and its values."""

    property: Link
    values: list[Value] = field(default_factory=list)


@dataclass
class Section:
    """One section of an article page: a class and the items of that class linked to the article."""

    category: Link
    items: list[Value] = field(default_factory=list)
    more: int = 0


@dataclass
class Picture:
    """A picture drawn on the server."""

    title: str
    svg: Markup
    lead: bool = False
    #: The same as rows of text, for screens too narrow for the picture: (row, bar, what it spans) as links.
    listing: tuple[tuple[Link, Link, str], ...] = ()


@dataclass
class ResourceView:
    """Everything a resource page shows."""

    resource: Link
    en: list[str]
    zh: list[str]
    types: list[Link]
    properties: list[PropertyGroup]
    inverse: list[PropertyGroup]
    sources: list[Value]
    sections: list[Section]
    pictures: list[Picture]
    inverse_truncated: bool = False
    #: The point first: the definition, text or summary of the resource, each with its language note.
    lead: list[Value] = field(default_factory=list)
    #: For a person: each post held, as (post, body, cycle, begin, end, note on the bounds).
    posts: list[tuple[Link, Link, Link, str, str, str]] = field(default_factory=list)


def _text(row: dict[str, Term], name: str) -> str:
    term = row.get(name)
    if term is None:
        return ""
    return str(term) if isinstance(term, ox.Triple) else str(term.value)


def _note(term: ox.Literal) -> str:
    if term.language:
        return f"@{term.language}"
    datatype = term.datatype.value
    return "" if datatype.endswith("#string") else compact(datatype)


def _value(ctx: Context, row: dict[str, Term], name: str, prefix: str, resource: str = "") -> Value:
    term = row[name]
    if isinstance(term, ox.NamedNode):
        source = _text(row, f"{prefix}Source")
        anchor = term.value[len(resource) + 1:] if resource and term.value.startswith(resource + "#") else ""
        return Value(ctx.link(term.value, _text(row, f"{prefix}En"), _text(row, f"{prefix}Zh")),
                     unit_text=_text(row, f"{prefix}Text"), unit_number=_text(row, f"{prefix}Number"),
                     unit_source=ctx.link(source) if source else None, anchor=anchor)
    if isinstance(term, ox.Literal):
        return Value(None, term.value, _note(term))
    return Value(None, f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term))


def _groups(ctx: Context, rows: Iterable[dict[str, Term]], name: str, prefix: str, resource: str = "",
            ) -> list[PropertyGroup]:
    groups: dict[str, PropertyGroup] = {}
    for row in rows:
        prop = _text(row, "property")
        group = groups.setdefault(prop, PropertyGroup(ctx.link(prop)))
        group.values.append(_value(ctx, row, name, prefix, resource))
    return list(groups.values())


async def resource_view(ctx: Context, iri: str) -> ResourceView:
    """Run the page queries for ``iri`` and assemble its page."""
    outgoing = await ctx.rows("resource_outgoing", {"resource": iri})
    incoming_answer = await ctx.run_internal("resource_incoming", {"resource": iri}, max_rows=2000)
    incoming = incoming_answer.result.rows()
    en = [_text(r, "value") for r in outgoing if _text(r, "property") in _LABELS
          and isinstance(r["value"], ox.Literal) and (r["value"].language or "").startswith("en")]
    zh = [_text(r, "value") for r in outgoing if _text(r, "property") in _LABELS
          and isinstance(r["value"], ox.Literal) and (r["value"].language or "").startswith("zh")]
    types = [_text(r, "value") for r in outgoing if _text(r, "property") == _TYPE]
    resource = ctx.link(iri, en[0] if en else "", zh[0] if zh else "")
    properties = _groups(ctx, outgoing, "value", "value")
    inverse = _groups(ctx, incoming, "subject", "subject", iri)
    sources = [v for g in properties if g.property.iri == _DERIVED for v in g.values if v.unit_text]
    view = ResourceView(resource, en, zh, [ctx.link(t) for t in types], properties, inverse, sources, [], [],
                        incoming_answer.truncated)
    view.lead = [value for prop in _LEAD for group in properties if group.property.iri == prop
                 for value in group.values if not value.link]
    view.pictures.append(_neighbourhood(resource, properties, inverse))
    if ctx.vocabulary.is_a(types, str(ATT.Person)):
        view.posts = await _posts(ctx, iri)
    if ctx.vocabulary.is_a(types, str(ATT.Article)):
        view.sections = await _article_sections(ctx, iri)
    if ctx.vocabulary.is_a(types, str(ATT.Body)):
        picture = await _timeline(ctx, iri, resource)
        if picture:
            view.pictures.insert(0, picture)
    if ctx.vocabulary.is_a(types, str(ATT.Framework)):
        picture = await _flow(ctx, iri, resource)
        if picture:
            view.pictures.insert(0, picture)
    return view


def _neighbourhood(resource: Link, properties: list[PropertyGroup], inverse: list[PropertyGroup]) -> Picture:
    edges: list[svg.Edge] = []
    for group, outgoing in [(g, True) for g in properties if g.property.iri != _TYPE] + [(g, False) for g in inverse]:
        for value in group.values:
            if value.link is not None and not any(e.neighbour == value.link.text for e in edges):
                edges.append(svg.Edge(group.property.en or group.property.short, value.link.text,
                                      value.link.href, outgoing))
    title = f"Neighbourhood of {resource.text}"
    return Picture(title, Markup(svg.neighbourhood(title, resource.text, edges)))


async def _article_sections(ctx: Context, iri: str) -> list[Section]:
    rows = await ctx.rows("article_related", {"article": iri})
    categories: dict[str, set[str]] = {}
    best: dict[str, dict[str, Term]] = {}
    for row in rows:
        item = _text(row, "item")
        if item == iri:
            continue
        categories.setdefault(item, set()).add(_text(row, "category"))
        best.setdefault(item, row)
    sections = {c: Section(ctx.link(c)) for c in ARTICLE_SECTIONS}
    for item, found in categories.items():
        category = next((c for c in ARTICLE_SECTIONS if c in found), None)
        if category is None:
            continue
        section = sections[category]
        if len(section.items) >= _SECTION_LIMIT:
            section.more += 1
            continue
        row = best[item]
        section.items.append(_value(ctx, row, "item", "item"))
    return [s for s in sections.values() if s.items]


async def _posts(ctx: Context, iri: str) -> list[tuple[Link, Link, Link, str, str, str]]:
    """The posts a person held, from the named query ``posts-of-person``, in the order of their cycles."""
    query = ctx.graph.catalog.get("posts-of-person")
    if query is None:
        return []
    rows = (await ctx.gateway.run(query.sparql, query.bindings({"person": iri}))).result.rows()
    names = {_text(r, "thing"): (_text(r, "thingEn"), _text(r, "thingZh"))
             for r in await ctx.rows("person_posts_labels", {"person": iri})}

    def named(key: str) -> Link:
        found = _text(row, key)
        return ctx.link(found, *names.get(found, ("", "")))

    posts = []
    for row in rows:
        derived = [side for side in ("begin", "end") if _text(row, f"{side}From") == "cycle"]
        note = f"the {' and '.join(derived)} from the cycle (rule:cycle-boundary)" if derived else ""
        posts.append((named("post"), named("body"), named("cycle"), _text(row, "begin"), _text(row, "end"), note))
    return posts


def _runs(ordinals: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs in sorted ``ordinals``: [4, 5, 7] → [(4, 5), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(ordinals)):
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


async def _timeline(ctx: Context, iri: str, resource: Link) -> Picture | None:
    rows = await ctx.rows("body_timeline", {"body": iri})
    held: dict[tuple[str, str], list[int]] = {}
    names: dict[str, str] = {}
    for row in rows:
        post, holder = _text(row, "post"), _text(row, "holder")
        held.setdefault((post, holder), []).append(int(_text(row, "ordinal")))
        names[post] = _text(row, "postEn") or _text(row, "postZh") or compact(post)
        names[holder] = _text(row, "holderEn") or compact(holder)
    bars = [svg.Bar(names[post], names[holder], first, last, ctx.link(holder).href, ctx.link(post).href)
            for (post, holder), ordinals in held.items() for first, last in _runs(ordinals)]
    if not bars:
        return None
    title = f"Posts of {resource.text} by CSP cycle"
    listing = tuple((ctx.link(post, names[post]), ctx.link(holder, names[holder]),
                     f"CSP{first}" if first == last else f"CSP{first}–CSP{last}")
                    for (post, holder), ordinals in held.items() for first, last in _runs(ordinals))
    return Picture(title, Markup(svg.timeline(title, bars)), lead=True, listing=listing)


async def _flow(ctx: Context, iri: str, resource: Link) -> Picture | None:
    rows = await ctx.rows("framework_steps", {"framework": iri})
    steps = {_text(r, "step"): r for r in rows}
    if not steps:
        return None
    order: list[str] = []
    current = next((_text(r, "first") for r in rows if _text(r, "first")), "")
    while current in steps and current not in order:
        order.append(current)
        current = _text(steps[current], "next")
    order += [s for s in steps if s not in order]
    boxes = [svg.Step(_text(steps[s], "number") or str(i), _text(steps[s], "stepEn"), _text(steps[s], "stepZh"),
                      ctx.link(s).href) for i, s in enumerate(order, start=1)]
    title = f"Steps of {resource.text}"
    return Picture(title, Markup(svg.flow(title, boxes)), lead=True)
