"""ASGI middleware: the headers every response carries, and HEAD answered like GET.

Every response gets a strict Content-Security-Policy, ``X-Content-Type-Options: nosniff`` and friends:
pages use only the service's own stylesheet and script (no inline script, no CDN), so the policy can
forbid everything else.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "HeadAsGet", "SecurityHeaders", "secured"]

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: The headers every response carries, as ASGI header pairs.
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


def secured(send: Send) -> Send:
    """``send``, adding :data:`SECURITY_HEADERS` to the start of the response (replacing any set before)."""

    async def with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
            message["headers"] = headers + SECURITY_HEADERS
        await send(message)

    return with_headers


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response (replacing any set before)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, secured(send))


class HeadAsGet:
    """Route ``HEAD`` like ``GET``; the server leaves the body out of the response to a HEAD request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, send)
