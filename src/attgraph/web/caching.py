"""Answering repeated requests without evaluating them: the data change only when the graph is rebuilt.

Every answer that depends only on the data (query results, named queries, resource pages and their RDF,
descriptions, search) carries a strong ``ETag`` derived from the build's digest and the request: the method,
the path, the query string, the ``Accept`` header and, for ``POST /sparql``, the body. It is known before
anything is evaluated, so a request whose ``If-None-Match`` names it is answered ``304`` at once. Answers also
carry ``Cache-Control: public, max-age=…, stale-while-revalidate=…`` and ``Vary: Accept``, so that any standard
HTTP cache in front of the service (nginx ``proxy_cache``, Varnish: see ``docs/deployment.md``) can keep them.

Each service process also keeps whole answers (status, headers, body; a result cut at the row cap with its
headers) in a cache bounded in bytes (``ATTGRAPH_CACHE_MB``), least recently used first out, keyed like the
``ETag``. A query stopped at its deadline is remembered for ``ATTGRAPH_CACHE_TIMEOUTS`` seconds and answered at
once with the same ``503``: a repeated runaway query then costs nothing. (A query that only waited too long for
a worker is not remembered: that says nothing about the query.)

Not cached: ``/health``, static files (they have their own), uploads to validate, and anything but ``200``,
``404`` and a remembered deadline. ``If-None-Match`` on ``POST`` is not answered ``304`` (HTTP allows that only
for ``GET`` and ``HEAD``), but the answer comes from the cache all the same.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.types import Message, Receive, Scope, Send

from .middleware import SECURITY_HEADERS

__all__ = ["Cache", "CachedAnswer", "caching"]

_CACHEABLE_STATUS = frozenset({200, 404})
_NOT_CACHED = ("/health", "/static/", "/validate", "/api/validate")
_DROPPED = frozenset({b"server-timing", b"etag", b"cache-control", b"date"})
_STALE = 60


@dataclass(frozen=True)
class CachedAnswer:
    """A whole answer as it was sent, until when it may be given again (monotonic), and the bytes it holds."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    until: float
    size: int = 0


class Cache:
    """The answers of one service process, at most ``max_bytes`` in all (least recently used go first)."""

    def __init__(self, digest: str, max_bytes: int, max_age: int, timeouts: float) -> None:
        self.digest = digest
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.timeouts = timeouts
        self.cache_control = f"public, max-age={max_age}, stale-while-revalidate={_STALE}".encode()
        self._base = hashlib.blake2b(digest.encode(), digest_size=20)
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = self.not_modified = self.stored = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def key(self, scope: Scope, body: bytes = b"") -> str:
        """The ``ETag`` value (quoted) of the answer to the request of ``scope`` (and ``body``)."""
        accept = b""
        content_type = b""
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value
            elif name == b"content-type":
                content_type = value
        method = b"GET" if scope["method"] in ("GET", "HEAD") else scope["method"].encode()
        path = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string", b"")
        digest = self._base.copy()
        digest.update(b"%d %d %d %d %d %d\n" % (len(method), len(path), len(query), len(accept), len(content_type),
                                                len(body)))
        digest.update(method + path + query + accept + content_type + body)
        return f'"{digest.hexdigest()}"'

    def get(self, key: str) -> CachedAnswer | None:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        if found.until < time.monotonic():
            self._drop(key)
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found

    def put(self, key: str, answer: CachedAnswer) -> None:
        if answer.size > self.max_bytes // 8:  # one answer never takes more than an eighth of the cache
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = answer
        self.bytes += answer.size
        self.stored += 1
        while self.bytes > self.max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        gone = self._entries.pop(key)
        self.bytes -= gone.size

    def status(self) -> dict[str, int]:
        """Entries, bytes held and the limit, hits, misses, 304s, answers stored since start."""
        return {"entries": len(self._entries), "bytes": self.bytes, "limit_bytes": self.max_bytes,
                "hits": self.hits, "misses": self.misses, "not_modified": self.not_modified,
                "stored": self.stored}


def _cacheable(scope: Scope) -> bool:
    if scope["type"] != "http":
        return False
    path: str = scope["path"]
    if path.startswith(_NOT_CACHED):
        return False
    return scope["method"] in ("GET", "HEAD") or (scope["method"] == "POST" and path == "/sparql")


def _matches(scope: Scope, key: str) -> bool:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            tags = {tag.strip() for tag in value.decode("latin-1").split(",")}
            return key in tags or "*" in tags
    return False


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _read_all(receive: Receive, size: int) -> bytes:
    """The body (``size`` bytes declared, and the HTTP parser holds the client to it)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _remembered_deadline(status: int, body: bytes) -> bool:
    """Whether an answer says the query itself ran to its deadline (not that it waited for a worker)."""
    if status != 503 or len(body) > 4096:
        return False
    try:
        error = json.loads(body)["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(error.get("code") == "query_timeout" and "limit" in error.get("details", {}))


async def _send_cached(send: Send, scope: Scope, answer: CachedAnswer, key: str, cache: Cache) -> None:
    headers = [*answer.headers, (b"server-timing", b'cache;desc="hit"')]
    if answer.status != 503:
        headers += [(b"etag", key.encode()), (b"cache-control", cache.cache_control)]
    else:
        headers.append((b"cache-control", b"no-store"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else answer.body})


def caching(cache: Cache, app: Callable[[Scope, Receive, Send], Awaitable[None]], max_body: int,
            ) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """``app`` behind ``cache`` (see the module docstring)."""

    async def cached(scope: Scope, receive: Receive, send: Send) -> None:
        if not cache.enabled or not _cacheable(scope):
            await app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST":
            declared = _declared_length(scope)
            if declared is None or declared > max_body:  # the endpoint refuses it, with its own error
                await app(scope, receive, send)
                return
            body = await _read_all(receive, declared)
            receive = _replay(body)
        key = cache.key(scope, body)
        if scope["method"] != "POST" and _matches(scope, key):
            cache.not_modified += 1
            await send({"type": "http.response.start", "status": 304, "headers": [
                (b"etag", key.encode()), (b"cache-control", cache.cache_control), (b"vary", b"Accept"),
                *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": b""})
            return
        found = cache.get(key)
        if found is not None:
            await _send_cached(send, scope, found, key, cache)
            return
        start: dict[str, object] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                names = {name for name, _ in headers}
                start.update(status=status, headers=headers, own=b"cache-control" in names)
                if status in _CACHEABLE_STATUS and b"cache-control" not in names:
                    headers = [*headers, (b"etag", key.encode()), (b"cache-control", cache.cache_control)]
                    if b"vary" not in names:
                        headers.append((b"vary", b"Accept"))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    _keep(key, start, b"".join(chunks))
            await send(message)

        await app(scope, receive, capture)

    def _keep(key: str, start: dict[str, object], body: bytes) -> None:
        status = start.get("status")
        headers = start.get("headers")
        if not isinstance(status, int) or not isinstance(headers, list):
            return
        if status in _CACHEABLE_STATUS and not start.get("own"):
            lifetime = float(cache.max_age)
        elif _remembered_deadline(status, body):
            lifetime = cache.timeouts
        else:
            return
        kept = tuple((k, v) for k, v in headers if k not in _LEFT_OUT)
        size = len(body) + sum(len(k) + len(v) for k, v in kept) + 64
        cache.put(key, CachedAnswer(status, kept, body, time.monotonic() + lifetime, size))

    return cached


#: Headers not kept with an answer: made afresh for each response (or added again, the security headers).
_LEFT_OUT = _DROPPED | frozenset(name for name, _ in SECURITY_HEADERS)
