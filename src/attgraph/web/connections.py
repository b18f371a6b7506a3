"""Connection hygiene: what uvicorn does not bound, bounded in a thin layer over its HTTP protocol.

uvicorn times out only an idle keep-alive connection after a response. A connection that sends nothing, its
headers one line at a time, or its body a byte a second stays open for good, and enough of them exhaust the
process's descriptors. :func:`guarded_protocol` makes a subclass of uvicorn's httptools protocol (the one the
service runs) that adds, per connection:

* an idle timeout before the first byte of a request (uvicorn's own applies between requests);
* a deadline for the request line and headers, from their first byte (``408``);
* a minimum rate for the body, after a grace period, counted only while the service is reading it (``408``);
* a deadline for a response the client does not read (the connection is dropped);
* caps on the URL (``414``) and on the headers (``431``) while they are parsed;
* a cap on connections per client address and in all, in each service process (``503`` with ``Retry-After``,
  then closed).

Every answer this layer writes itself, and uvicorn's answer to a request it cannot parse, has the service's
one error shape (:func:`attgraph.errors.error_body`) and its security headers. Refusals are logged at most once
every ten seconds, with counts, so an attack does not flood the log. The figures behind the defaults are in
``docs/service.md``.
"""

from __future__ import annotations

import json
import logging
import time
from asyncio import Transport
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from attgraph.errors import AttgraphError, error_body

from .middleware import SECURITY_HEADERS

__all__ = ["Limits", "guarded_protocol"]

_log = logging.getLogger("attgraph.web")
#: Seconds a refused connection is kept, half-closed, for its client to read the answer; and how many at most.
_LINGER = 0.5
_MAX_LINGERING = 256
_REASONS = {400: b"Bad Request", 408: b"Request Timeout", 414: b"URI Too Long",
            431: b"Request Header Fields Too Large", 503: b"Service Unavailable"}


@dataclass(frozen=True)
class Limits:
    """The bounds of one connection, and of a service process's connections."""

    #: Seconds a connection may stay silent before the first byte of a request.
    idle_timeout: float = 5.0
    #: Seconds from the first byte of a request to the end of its headers.
    header_timeout: float = 10.0
    #: Bytes per second a body must arrive at, on average, once ``body_grace`` seconds have passed.
    min_body_rate: int = 4096
    body_grace: float = 5.0
    #: Seconds a response may wait for the client to read it.
    send_timeout: float = 30.0
    max_url_bytes: int = 100_000
    max_header_bytes: int = 32_768
    #: Connections of one client address, and connections in all, in one service process.
    max_client_connections: int = 64
    max_connections: int = 2048


class _Refused(Exception):
    """Raised inside a parser callback once a limit has answered the request: stops the parser."""


class _Table:
    """The open connections of one service process, by client address, and the refusals not yet logged."""

    def __init__(self) -> None:
        self.by_client: Counter[str] = Counter()
        self.total = 0
        self.refused: Counter[str] = Counter()
        self.lingering = 0
        self._logged = 0.0

    def refuse(self, why: str) -> None:
        self.refused[why] += 1
        now = time.monotonic()
        if now - self._logged >= 10.0:
            self._logged = now
            summary = ", ".join(f"{count} {reason}" for reason, count in sorted(self.refused.items()))
            _log.warning("connections refused or closed in the last 10 s: %s", summary)
            self.refused.clear()


def _response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> bytes:
    """A whole HTTP/1.1 response in the service's error shape, closing the connection."""
    body = json.dumps(error_body(AttgraphError(message, details, code=code, status=status))).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), *SECURITY_HEADERS]
    if status == 503:
        headers.append((b"retry-after", b"1"))
    head = b"HTTP/1.1 %d %s\r\n" % (status, _REASONS.get(status, b"Error"))
    return head + b"".join(name + b": " + value + b"\r\n" for name, value in headers) + b"\r\n" + body


def guarded_protocol(limits: Limits) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with ``limits`` (pass it as ``uvicorn.Config(http=…)``); the connection
    table is shared by every connection of the process that uses the class."""
    table = _Table()

    class GuardedHttp(HttpToolsProtocol):
        """One connection, bounded (see :mod:`attgraph.web.connections`)."""

        _counted: str | None = None
        _refused = False
        _timer: Any = None
        _send_timer: Any = None
        _url_bytes = 0
        _header_bytes = 0
        _body_bytes = 0
        _body_started = 0.0
        _in_body = False

        # -- opening and closing ---------------------------------------------------------------------

        def connection_made(self, transport: Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            client = self.client[0] if self.client else "?"
            if table.total >= limits.max_connections:
                self._refuse(503, "too_many_connections", "the service holds as many connections as it can; "
                             "try again shortly", "at the connection cap")
                return
            if table.by_client[client] >= limits.max_client_connections:
                self._refuse(503, "too_many_connections", f"this address holds {limits.max_client_connections} "
                             "connections already; close some, or try again shortly", "over a client's cap",
                             {"limit": limits.max_client_connections})
                return
            table.by_client[client] += 1
            table.total += 1
            self._counted = client
            self.timeout_keep_alive_task = self.loop.call_later(limits.idle_timeout, self._silent)

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_timer()
            if self._send_timer is not None:
                self._send_timer.cancel()
                self._send_timer = None
            if self._counted is not None:
                table.by_client[self._counted] -= 1
                if table.by_client[self._counted] <= 0:
                    del table.by_client[self._counted]
                table.total -= 1
                self._counted = None
            super().connection_lost(exc)

        def _refuse(self, status: int, code: str, message: str, why: str,
                    details: dict[str, Any] | None = None) -> None:
            """Answer with the error and close. The connection is half-closed first and kept a moment, reading
            nothing, so that the client reads the answer before the close (closing with unread input would
            reset the connection and lose it); never more than a few hundred at once."""
            if self._refused:  # answered already (a limit stopped the parser, which then reports an error)
                return
            table.refuse(why)
            self._stop_timer()
            if self.transport.is_closing():
                return
            self.transport.write(_response(status, code, message, details))
            if table.lingering >= _MAX_LINGERING or not self.transport.can_write_eof():
                self.transport.close()
                return
            self._refused = True
            table.lingering += 1
            self.transport.write_eof()
            self.loop.call_later(_LINGER, self._linger_done)

        def _linger_done(self) -> None:
            table.lingering -= 1
            if not self.transport.is_closing():
                self.transport.close()

        def _silent(self) -> None:
            table.refuse("idle before a request")
            if not self.transport.is_closing():
                self.transport.close()

        def _stop_timer(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        # -- the request line and headers -----------------------------------------------------------

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._url_bytes = self._header_bytes = 0
            self._stop_timer()
            self._timer = self.loop.call_later(limits.header_timeout, self._headers_late)

        def _headers_late(self) -> None:
            self._timer = None
            self._refuse(408, "request_timeout", f"the request's headers did not arrive within "
                         f"{limits.header_timeout:g} s", "headers too slow", {"limit": limits.header_timeout})

        def on_url(self, url: bytes) -> None:
            self._url_bytes += len(url)
            if self._url_bytes > limits.max_url_bytes:
                self._refuse(414, "uri_too_long", f"the URL is longer than {limits.max_url_bytes} bytes; send a "
                             "long query by POST", "URL too long", {"limit": limits.max_url_bytes})
                raise _Refused
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._header_bytes += len(name) + len(value) + 4
            if self._header_bytes > limits.max_header_bytes:
                self._refuse(431, "headers_too_large", f"the request's headers are larger than "
                             f"{limits.max_header_bytes} bytes", "headers too large",
                             {"limit": limits.max_header_bytes})
                raise _Refused
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._stop_timer()
            super().on_headers_complete()
            self._in_body, self._body_bytes, self._body_started = True, 0, time.monotonic()
            self._timer = self.loop.call_later(limits.body_grace, self._check_rate)

        # -- the body -------------------------------------------------------------------------------

        def on_body(self, body: bytes) -> None:
            self._body_bytes += len(body)
            super().on_body(body)

        def on_message_complete(self) -> None:
            self._in_body = False
            self._stop_timer()
            super().on_message_complete()

        def _check_rate(self) -> None:
            self._timer = None
            if not self._in_body or self.transport.is_closing():
                return
            if self.flow is not None and self.flow.read_paused:  # the service is not reading: not the client's fault
                self._body_started = time.monotonic() - limits.body_grace
                self._body_bytes = int(limits.min_body_rate * limits.body_grace)
            elapsed = time.monotonic() - self._body_started
            if self._body_bytes < limits.min_body_rate * elapsed:
                self._refuse(408, "request_timeout", f"the request's body arrives slower than "
                             f"{limits.min_body_rate} bytes a second", "body too slow",
                             {"min_rate": limits.min_body_rate})
                if self.cycle is not None:
                    self.cycle.disconnected = True
                    self.cycle.message_event.set()
                return
            self._timer = self.loop.call_later(1.0, self._check_rate)

        # -- the response ---------------------------------------------------------------------------

        def pause_writing(self) -> None:
            super().pause_writing()
            if self._send_timer is None:
                self._send_timer = self.loop.call_later(limits.send_timeout, self._unread)

        def resume_writing(self) -> None:
            super().resume_writing()
            if self._send_timer is not None:
                self._send_timer.cancel()
                self._send_timer = None

        def _unread(self) -> None:
            self._send_timer = None
            table.refuse("response not read")
            self.transport.abort()

        # -- what the parser cannot read ------------------------------------------------------------

        def data_received(self, data: bytes) -> None:
            """uvicorn's, but every request the parser refuses (or that a limit stopped, :class:`_Refused`)
            gets the one error shape, and nothing is logged per request; upgrades are not served."""
            if self._refused:  # answered already: what else arrives is dropped
                return
            self._unset_keepalive_if_required()
            try:
                self.parser.feed_data(data)
            except (httptools.HttpParserError, httptools.HttpParserUpgrade):
                self.send_400_response("")

        def send_400_response(self, msg: str) -> None:
            self._refuse(400, "bad_request", "the request is not valid HTTP/1.1", "not HTTP")

    return GuardedHttp
