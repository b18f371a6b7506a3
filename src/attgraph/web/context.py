"""What every route needs, in one object per application: the graph, the settings, the gateway that runs
queries, the templates and the labels of the vocabulary.

The gateway (and its worker processes) exists between the application's start-up and shut-down; routes
reach everything through :func:`context`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from attgraph import __version__
from attgraph.build.dumps import read_catalog
from attgraph.engine.budget import MemoryPlan, memory_plan
from attgraph.engine.executor import LocalExecutor
from attgraph.engine.forkserver import ForkServer
from attgraph.engine.gateway import Gateway
from attgraph.engine.requests import Answer, Executor
from attgraph.errors import AttgraphError
from attgraph.knowledge.graph import KnowledgeGraph, internal_query
from attgraph.knowledge.namespaces import PREFIXES
from attgraph.knowledge.results import QueryResult, Term
from attgraph.knowledge.search import SearchIndex
from attgraph.settings import Settings

from .description import Descriptions, Dumps, describe_service
from .render import Link, link, make_templates, render

__all__ = ["Context", "Vocabulary", "context"]

#: No row cap: the service's own whole-store queries.
_WHOLE = 1 << 40


@dataclass
class Vocabulary:
    """Labels (English, Chinese) of classes and properties, and each class's superclasses."""

    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    ancestors: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: KnowledgeGraph) -> Vocabulary:
        """Read the vocabulary from the loaded ontology."""
        vocabulary = cls()
        for row in graph.run(internal_query("term_labels")).values():
            vocabulary.labels[row["term"]] = (row["termEn"], row["termZh"])
            if row["ancestor"]:
                vocabulary.ancestors.setdefault(row["term"], {row["term"]}).add(row["ancestor"])
        return vocabulary

    def is_a(self, types: list[str], cls: str) -> bool:
        """Whether any of ``types`` is ``cls`` or a subclass of it."""
        return any(cls == t or cls in self.ancestors.get(t, ()) for t in types)


class Context:
    """One application's graph, settings, gateway, templates and vocabulary."""

    def __init__(self, graph: KnowledgeGraph, settings: Settings, executor: Executor | None = None,
                 forks: ForkServer | None = None) -> None:
        self.graph = graph
        self.settings = settings
        self.templates: Environment = make_templates()
        self.vocabulary = Vocabulary.from_graph(graph)
        #: Statements held, counted once: counting walks the whole store, which also writes to its pages
        #: (reference counts), and a forked process would then hold a copy of every page it wrote.
        self.statements = len(graph.store)
        self.base_path = urlsplit(settings.public_url).path.rstrip("/")
        self._descriptions: dict[str, Descriptions] = {}
        #: The dumps of the data served, opened here, before the service processes fork (none in remote mode,
        #: or when ``dist/`` holds the dumps of other data).
        self.dumps = Dumps(read_catalog(settings.dist_dir, graph.digest), settings.dist_dir)
        self._graph_sizes: dict[str, int] | None = None
        self._once = asyncio.Lock()
        self._executor = executor
        self._forks = forks
        self._gateway: Gateway | None = None
        #: What each query worker and validation may claim (raises at once when the settings do not fit).
        self.memory: MemoryPlan = memory_plan(settings)
        #: The search index, built here, before the service processes fork (building it reads the whole
        #: store, and a process that read it after the fork would make its own copy of the store's pages);
        #: each process opens its own copy of the database from these bytes on its first search.
        self._search_image = SearchIndex.from_graph(graph).image()
        self._search_index: SearchIndex | None = None
        self._search_lock = threading.Lock()

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the query workers (or the given executor) and open the gateway."""
        executor = self._executor or LocalExecutor(self.graph.store, workers=self.settings.workers,
                                                   memory_mb=self.memory.allowance_mb,
                                                   source=self.graph.source, forks=self._forks,
                                                   private_mb=self.settings.worker_private_mb,
                                                   lookups_mb=self.settings.lookups_mb)
        executor.start()
        self._gateway = Gateway(executor, self.settings, [str(g) for g in self.graph.graph_names()])

    def stop(self) -> None:
        """Stop the workers."""
        if self._gateway is not None:
            self._gateway.executor.close()
            self._gateway = None

    @property
    def gateway(self) -> Gateway:
        """The gateway; only while the application runs."""
        if self._gateway is None:
            raise AttgraphError("the query service is not running", code="not_running", status=503)
        return self._gateway

    # -- computed on first use, by the query workers (they scan the whole store) -------------------

    async def _internal_result(self, name: str, params: dict[str, str]) -> QueryResult:
        return (await self.run_internal(name, params, max_rows=_WHOLE)).result

    async def descriptions(self, base: str | None = None) -> Descriptions:
        """The service and dataset descriptions for a service reached at ``base`` (by default the public URL),
        computed once for each, on first use (a few bases at most: the public URL, or what trusted proxies
        say)."""
        base = base or self.settings.public_url
        async with self._once:
            if base not in self._descriptions:
                if len(self._descriptions) >= 16:
                    self._descriptions.pop(next(iter(self._descriptions)))
                self._descriptions[base] = await describe_service(self._internal_result, base, self.dumps.catalog)
            return self._descriptions[base]

    async def graph_sizes(self) -> dict[str, int]:
        """Statements per named graph (computed once, on first use)."""
        async with self._once:
            if self._graph_sizes is None:
                rows = (await self._internal_result("graph_counts", {})).values()
                self._graph_sizes = {row["graph"]: int(row["count"]) for row in rows}
            return self._graph_sizes

    @property
    def search_index(self) -> SearchIndex:
        """This process's copy of the search index (opened on first use; a search runs in a thread)."""
        with self._search_lock:
            if self._search_index is None:
                self._search_index = SearchIndex.from_image(self._search_image)
            return self._search_index

    # -- helpers for routes ----------------------------------------------------------------------

    async def run_internal(self, name: str, params: Mapping[str, str], max_rows: int | None = None) -> Answer:
        """Run one of the package's own queries (``src/attgraph/knowledge/sparql/NAME.rq``) through the gateway."""
        query = internal_query(name)
        return await self.gateway.run(query.sparql, query.bindings(params), max_rows=max_rows)

    async def rows(self, name: str, params: Mapping[str, str], max_rows: int | None = None,
                   ) -> list[dict[str, Term]]:
        """The rows of an internal SELECT query."""
        return (await self.run_internal(name, params, max_rows)).result.rows()

    def link(self, iri: str, en: str = "", zh: str = "") -> Link:
        """A link to ``iri`` with the given labels, or the vocabulary's labels for a term."""
        if not en and not zh and iri in self.vocabulary.labels:
            en, zh = self.vocabulary.labels[iri]
        return link(iri, self.base_path, en, zh)

    def page(self, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        """An HTML page from ``template``; every page gets the nav, the version and the prefixes."""
        common = {"base": self.base_path, "version": __version__, "path": request.url.path,
                  "prefixes": PREFIXES}
        return HTMLResponse(render(self.templates, template, {**common, **values}), status_code=status)


def context(request: Request) -> Context:
    """The :class:`Context` of the application serving ``request``."""
    found: Context = request.app.state.context
    return found
