"""What an executor is given and gives back: one small interface, :class:`Executor`, for every place a
query can be evaluated (the local worker pool, a remote store).

Every served query reaches an executor as a :class:`QueryRequest` (text, bound values, dataset, deadline,
row cap) and comes back as an :class:`Answer` (a complete :class:`~attgraph.knowledge.results.QueryResult`).
The safety rules (lexical guard, graph checks, concurrency cap, limits) live in front of this interface, in
:mod:`attgraph.engine.gateway`; an executor only has to honour the deadline and the row cap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyoxigraph as ox

from attgraph.errors import QuerySyntaxError
from attgraph.knowledge.results import QueryResult

__all__ = ["UNION", "Answer", "DatasetSpec", "Executor", "QueryRequest", "syntax_error"]

_POSITION = re.compile(r"error at (\d+):(\d+)")


@dataclass(frozen=True)
class DatasetSpec:
    """The dataset a query runs over.

    ``default_graphs=None`` means the union of every graph; ``named_graphs=None`` means every named graph.
    ``from_query`` says the query's own ``FROM``/``FROM NAMED`` clauses define the dataset.
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    from_query: bool = False


#: The service's default dataset: the union of every graph.
UNION = DatasetSpec()


@dataclass(frozen=True)
class QueryRequest:
    """One query to evaluate, already checked: the text, values bound by the engine, the dataset, the
    deadline (a :func:`time.monotonic` instant) and the most rows or triples to return."""

    text: str
    deadline: float
    max_rows: int
    substitutions: Mapping[str, ox.NamedNode | ox.Literal] = field(default_factory=dict)
    dataset: DatasetSpec = DatasetSpec()
    prefixes: Mapping[str, str] = field(default_factory=dict)
    #: The time the query was given in all (seconds), for messages; 0 when unknown.
    timeout: float = 0.0


@dataclass(frozen=True)
class Answer:
    """A complete result, whether the row cap cut it, how long it took in all and how long the engine took
    (seconds; ``engine`` is 0 when the executor cannot tell)."""

    result: QueryResult
    truncated: bool
    elapsed: float
    engine: float = 0.0


class Executor(Protocol):
    """Evaluates checked queries before their deadline."""

    def start(self) -> None:
        """Get ready to answer (spawn workers, open connections)."""

    async def evaluate(self, request: QueryRequest) -> Answer:
        """Evaluate ``request``; raise :class:`QueryTimeout` at the deadline, :class:`QuerySyntaxError` or
        :class:`QueryError` for a bad query, :class:`QueryAborted` if evaluation died."""

    def here(self, request: QueryRequest) -> Answer | None:
        """The answer to ``request`` at once, without taking a worker, when its shape bounds its cost (a
        single-resource lookup); ``None`` for everything else."""

    def close(self) -> None:
        """Stop everything started by :meth:`start`."""

    def status(self) -> dict[str, Any]:
        """Numbers for ``/health``."""


def syntax_error(message: str, text: str | None = None, prefixes: Mapping[str, str] | None = None,
                 shift: int = 0) -> QuerySyntaxError:
    """The error for an engine parse message such as ``error at 1:12: expected …``: with the query ``text``,
    explained in plain words with an excerpt (:func:`attgraph.knowledge.syntax.explain`; ``prefixes`` are those the
    service declares, ``shift`` the lines of ours the engine read before the text); else with line and column."""
    if text is not None:
        from attgraph.knowledge.syntax import explain

        return explain(text, message, prefixes, shift)
    details: dict[str, object] = {"reason": message}
    match = _POSITION.search(message)
    if match:
        details.update(line=int(match[1]), column=int(match[2]))
    return QuerySyntaxError(f"the query does not parse: {message}", details)
