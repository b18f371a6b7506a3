"""The public URL of a request: where the client reached the service.

It is ``ATTGRAPH_PUBLIC_URL`` when that is set, else the URL ``attgraph serve`` derived from its host and port
(:meth:`attgraph.settings.Settings.served_at`). Behind a reverse proxy that serves several names or a path
prefix, the proxy can say what the client asked for with ``X-Forwarded-Proto``, ``X-Forwarded-Host`` and
``X-Forwarded-Prefix``, but any client can write those headers: they are believed only from the addresses of
``ATTGRAPH_TRUSTED_PROXIES`` (and never when ``ATTGRAPH_PUBLIC_URL`` is set).

Answers that name the public URL (the service and dataset descriptions, the OpenAPI document) then depend on
those headers: they say so with ``Vary`` and are not kept by the answer cache (:func:`url_headers`).
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from starlette.requests import Request

from attgraph.settings import Settings

__all__ = ["FORWARDED_HEADERS", "public_url", "trusted", "url_headers"]

#: The headers a trusted proxy may send, lower case.
FORWARDED_HEADERS = ("x-forwarded-proto", "x-forwarded-host", "x-forwarded-prefix")
_HOST = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")
_PREFIX = re.compile(r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*/?")


@lru_cache(maxsize=64)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted(settings: Settings, peer: str | None) -> bool:
    """Whether ``peer`` (an address) is one of the trusted proxies."""
    if not settings.trusted_proxies or not peer:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in _networks(settings.trusted_proxies))


def _first(value: str | None) -> str:
    """The first entry of a header a chain of proxies may have appended to."""
    return (value or "").split(",", 1)[0].strip()


def public_url(request: Request, settings: Settings) -> str:
    """The base URL of the service as the client of ``request`` reached it (no trailing slash)."""
    if settings.public_url_given or not trusted(settings, request.client.host if request.client else None):
        return settings.public_url
    proto = _first(request.headers.get("x-forwarded-proto")).lower()
    host = _first(request.headers.get("x-forwarded-host"))
    prefix = _first(request.headers.get("x-forwarded-prefix"))
    if not (proto or host or prefix):
        return settings.public_url
    base = settings.public_url.split("://", 1)
    scheme = proto if proto in ("http", "https") else base[0]
    authority = host if host and _HOST.fullmatch(host) else base[1].split("/", 1)[0]
    path = prefix.rstrip("/") if prefix and _PREFIX.fullmatch(prefix) else ""
    return f"{scheme}://{authority}{path}"


def url_headers(settings: Settings) -> dict[str, str]:
    """The headers of an answer that names the public URL: with trusted proxies, it varies with their headers
    and is not kept by caches that cannot tell them apart (the answer cache keys on ``Accept`` alone)."""
    if not settings.trusted_proxies or settings.public_url_given:
        return {"Vary": "Accept"}
    return {"Vary": "Accept, X-Forwarded-Proto, X-Forwarded-Host, X-Forwarded-Prefix", "Cache-Control": "no-cache"}
