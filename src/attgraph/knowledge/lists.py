"""The list pages' definitions: one ``.rq`` file per list in ``sparql/lists/``, its header saying how to show it.

Each query returns ``?item`` with its English and Chinese ``?label`` and ``?labelZh``, and one variable per column;
an IRI column ``?x`` comes with its English label as ``?xLabel``. An item may come in several rows (a person who
held posts in two bodies): the rows are merged, each column keeping every value. The header says:

* ``title``, ``title-zh``, ``description``;
* ``columns``: the columns shown, in order;
* ``facets``: the columns a reader may filter on (a year facet is a column the query computes);
* ``sort``: the column the list is sorted on first (the label when none is given).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .namedqueries import parse_header

__all__ = ["LISTS_DIR", "ListDefinition", "load_lists"]

LISTS_DIR = Path(__file__).resolve().parent / "sparql" / "lists"


@dataclass(frozen=True)
class ListDefinition:
    """One list page: its name (the file stem), titles, description, columns, facets, first sort and query."""

    name: str
    title: str
    title_zh: str
    description: str
    columns: tuple[str, ...]
    facets: tuple[str, ...]
    sort: str
    sparql: str


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@cache
def load_lists(folder: Path = LISTS_DIR) -> dict[str, ListDefinition]:
    """Every list of ``folder``, by name, in the order of their files' names."""
    found: dict[str, ListDefinition] = {}
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        fields, _ = parse_header(text, path.name)
        if "title" not in fields:
            raise ValueError(f"{path.name}: the header has no title")
        columns, facets = _names(fields.get("columns", "")), _names(fields.get("facets", ""))
        found[path.stem] = ListDefinition(path.stem, fields["title"], fields.get("title-zh", ""),
                                          fields.get("description", ""), columns, facets,
                                          fields.get("sort", "label"), text)
    return found
