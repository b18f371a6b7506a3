"""A named query's parameters as people give them, made exact before the query runs.

An IRI parameter takes a page of this service (``http://127.0.0.1:8000/id/body/WGETI``), a full IRI, a
prefixed name (``body:WGETI``) or a bare key (``WGETI``, looked up among the resources of the parameter's
declared class). Whatever was given must name something in the graph, of the declared class when there is
one: otherwise the answer is a 400 in the one error shape (``unknown_resource``, ``ambiguous_key``,
``wrong_class``), never an empty result.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from attgraph.errors import ParameterError
from attgraph.knowledge.namedqueries import NamedQuery, Parameter, expand
from attgraph.knowledge.namespaces import BASE, compact

from .context import Context

__all__ = ["Picker", "pickers", "resolve"]

#: The paths of this service that are pages of resources (what follows them is the IRI's tail).
_PAGE_ROOTS = ("id/", "ontology")


def _from_page(value: str, origins: set[str], base_path: str) -> str | None:
    """The IRI a page URL of this service shows (``…/id/body/WGETI`` → ``https://w3id.org/attgraph/id/body/WGETI``),
    else ``None``."""
    if not value.startswith(("http://", "https://")):
        return None
    parts = urlsplit(value)
    if f"{parts.scheme}://{parts.netloc}" not in origins or not parts.path.startswith(base_path + "/"):
        return None
    rest = unquote(parts.path[len(base_path) + 1:])
    if not rest.startswith(_PAGE_ROOTS):
        return None
    return BASE + rest + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _what(ctx: Context, classes: tuple[str, ...] | list[str]) -> str:
    """Classes in words, by their English labels: ``a body or a forum``."""
    return " or ".join(_a(ctx.vocabulary.labels.get(c, ("", ""))[0] or compact(c)) for c in classes)


def _key(ctx: Context, param: Parameter, value: str) -> str:
    """The one resource whose key is ``value`` (of the parameter's classes when declared)."""
    found = ctx.search_index.resolve_key(value, param.classes)
    details = {"parameter": param.name, "value": value}
    if len(found) == 1:
        return found[0]
    if found:
        shown = [compact(iri) for iri in found[:10]]
        raise ParameterError(f"parameter {param.name!r}: the key {value!r} names {len(found)} resources: "
                             f"{', '.join(shown)}; give one of them", {**details, "candidates": shown},
                             code="ambiguous_key")
    kind = f" ({_what(ctx, param.classes)})" if param.classes else ""
    raise ParameterError(f"parameter {param.name!r}: no resource{kind} has the key {value!r}; give a prefixed "
                         f"name (body:WGETI), a full IRI or a page of this service, or pick one from the list",
                         details, code="unknown_resource")


def exact_iri(ctx: Context, param: Parameter, value: str, origins: set[str]) -> str:
    """``value`` as the full IRI it stands for (not yet checked against the graph)."""
    text = value.strip()
    page = _from_page(text, origins, ctx.base_path)
    if page is not None:
        return page
    try:
        return expand(text)
    except ValueError:
        pass
    if text and ":" not in text and not any(ch.isspace() for ch in text):
        return _key(ctx, param, text)
    return text  # the parameter's own check names the problem


async def _check(ctx: Context, param: Parameter, given: str, iri: str) -> None:
    """Raise unless ``iri`` names something in the graph, of the parameter's classes when declared."""
    rows = (await ctx.run_internal("parameter_resource", {"resource": iri})).result.values()
    details = {"parameter": param.name, "value": given, "iri": iri}
    if not rows or rows[0]["named"] != "true":
        raise ParameterError(f"parameter {param.name!r}: {compact(iri)} names nothing in the graph",
                             details, code="unknown_resource")
    classes = {row["class"] for row in rows if row["class"]}
    if param.classes and not classes & set(param.classes):
        kind = ctx.search_index.labels([iri]).get(iri, ("", "", ""))[2]
        shown = _a(kind) if kind else _what(ctx, sorted(classes)[:1]) if classes else "of no class"
        raise ParameterError(f"parameter {param.name!r}: {compact(iri)} is {shown}, not "
                             f"{_what(ctx, param.classes)}",
                             {**details, "classes": [compact(c) for c in param.classes]}, code="wrong_class")


async def resolve(ctx: Context, query: NamedQuery, values: dict[str, str], origins: set[str]) -> dict[str, str]:
    """``values`` with every IRI parameter's value made a full IRI and checked against the graph (the
    defaults too); other values as given. ``origins`` are the scheme and host this service is reached at."""
    exact = dict(values)
    for param in query.parameters:
        if param.type != "iri":
            continue
        given = values.get(param.name, param.default)
        if given is None:
            continue  # the query's own check says it is missing
        iri = exact_iri(ctx, param, given, origins)
        try:
            expand(iri)
        except ValueError:
            param.convert(given)  # raises the type error, naming the value as given
        await _check(ctx, param, given, iri)
        exact[param.name] = iri
    return exact


@dataclass(frozen=True)
class Picker:
    """What the form shows for one IRI parameter: the classes to pick from (prefixed) and the label of the
    value shown."""

    classes: str
    label: str


def pickers(ctx: Context, query: NamedQuery, shown: dict[str, str]) -> dict[str, Picker]:
    """A picker for each IRI parameter, with the label of its value when the index knows it."""
    iris: dict[str, str] = {}
    for param in query.parameters:
        if param.type == "iri" and shown.get(param.name):
            try:
                iris[param.name] = expand(shown[param.name])
            except ValueError:
                continue
    labels = ctx.search_index.labels(iris.values())
    found: dict[str, Picker] = {}
    for param in query.parameters:
        if param.type == "iri":
            en, zh, _ = labels.get(iris.get(param.name, ""), ("", "", ""))
            label = f"{en} · {zh}" if en and zh and en != zh else en or zh
            found[param.name] = Picker(" ".join(compact(c) for c in param.classes), label)
    return found
