"""Single-resource lookups sent by ``GET /sparql``, answered with as little machinery as the answer needs.

The busiest request a service like this gets is "everything about one resource". When the query string holds
only ``query`` (and perhaps ``format``) and the query has the lookup shape of :mod:`attgraph.engine.lookups`, this
lane answers it without building the framework's request and response objects: the query string is parsed
(once: the endpoint reuses it if the lane steps aside), the format negotiated, the lookup answered in this
process by the executor (:meth:`attgraph.engine.executor.LocalExecutor.lookup`) and the response written with the
same headers as :func:`~attgraph.web.responses.result_response` gives every query answer.

What passes the lookup shape also passes the guard: the shape has no room for an update keyword, ``SERVICE``
or ``FROM``, and nests at most :data:`~attgraph.engine.lookups.DEEPEST` deep (the lane steps aside when the nesting
limit is lower, and checks the size limit itself). Anything the lane cannot answer whole (another
parameter, a format that cannot be had, an error from the engine, lookups no longer taken here) it leaves to
the endpoint, which answers it, or reports the error, as it does every request.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import Scope, Send

from attgraph.engine.executor import LocalExecutor
from attgraph.engine.lookups import DEEPEST, lookup_end
from attgraph.engine.requests import Answer
from attgraph.errors import AttgraphError
from attgraph.knowledge.formats import RESULT_FORMATS

from .bodies import scope_fields
from .context import Context
from .middleware import SECURITY_HEADERS
from .negotiation import choose
from .responses import result_headers, serialize

__all__ = ["LookupLane"]

_ALLOWED = frozenset({"query", "format"})


class LookupLane:
    """Answers ``GET /sparql`` lookups for ``ctx``; :meth:`__call__` says whether it did. Its responses carry
    the security headers of :mod:`attgraph.web.middleware` like every other."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _lookup(self) -> Callable[[str, int, int], Answer | None] | None:
        """The executor's :meth:`~attgraph.engine.executor.LocalExecutor.lookup` if it takes lookups now, else
        ``None`` (a remote executor, lookups no longer taken here, the service not started)."""
        try:
            executor = self.ctx.gateway.executor
        except AttgraphError:
            return None
        if not isinstance(executor, LocalExecutor) or executor.lookups is None or not executor.lookups.open:
            return None
        return executor.lookup

    async def __call__(self, scope: Scope, send: Send) -> bool:
        if scope["method"] != "GET":
            return False
        lookup = self._lookup()
        if lookup is None:
            return False
        try:
            fields = scope_fields(scope)
        except AttgraphError:
            return False
        names = fields.names()
        if "query" not in names or not names <= _ALLOWED:
            return False
        queries = fields.getlist("query")
        settings = self.ctx.settings
        if len(queries) != 1 or settings.max_nesting < DEEPEST or \
                len(queries[0].encode("utf-8", errors="surrogatepass")) > settings.max_query_bytes:
            return False
        text = queries[0]
        end = lookup_end(text)
        if end is None:
            return False
        accept = next((value.decode("latin-1") for key, value in scope["headers"] if key == b"accept"), None)
        try:
            fmt = choose(RESULT_FORMATS, accept, fields.getlist("format"))
            answer = lookup(text, end, settings.max_rows)
            if answer is None:
                return False
            body = serialize(answer.result, fmt)
        except AttgraphError:
            return False
        await send({"type": "http.response.start", "status": 200,
                    "headers": result_headers(answer, fmt, settings.max_rows, len(body)) + SECURITY_HEADERS})
        await send({"type": "http.response.body", "body": body})
        return True
