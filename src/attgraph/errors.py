"""The exceptions attgraph raises, and the one error shape clients see.

The tree::

    AttgraphError                 base of everything the package raises on purpose
    ├── LoadError                 a data file could not be read or parsed (names file, line, term)
    ├── QueryError                a query could not run
    │   ├── QuerySyntaxError      the SPARQL does not parse (message and position)
    │   ├── QueryRefused          the query is not allowed here (update, SERVICE, limits …)
    │   ├── QueryTimeout          the query ran past its deadline
    │   └── QueryAborted          the query's worker died (memory limit, engine crash) and was replaced
    ├── ServiceBusy               every query worker is busy and the waiting line is full (503, Retry-After)
    ├── PayloadTooLarge           a request body over the size limit
    ├── ParameterError            a named-query parameter is missing, unknown or of the wrong type
    ├── NotFound                  no such resource, named query or file
    ├── FormatError               a format that cannot be read or written
    └── ValidationFailed          our own data does not conform (the build gate)

Every error turns into the same JSON body through :func:`error_body`.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AttgraphError",
    "FormatError",
    "LoadError",
    "NotFound",
    "ParameterError",
    "PayloadTooLarge",
    "QueryAborted",
    "QueryError",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "ServiceBusy",
    "ValidationFailed",
    "error_body",
]


class AttgraphError(Exception):
    """Base class. ``message`` is for people; ``details`` holds machine-readable context.

    ``code`` (a short stable name of the kind of error) and ``status`` (the HTTP status the service answers
    with) come from the class; an instance may override them.
    """

    code: str = "error"
    status: int = 500

    def __init__(self, message: str, details: dict[str, Any] | None = None, *,
                 code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class LoadError(AttgraphError):
    """A file could not be loaded. ``details`` has ``file`` and, when the parser says, ``line``."""

    code = "load_error"
    status = 500


class QueryError(AttgraphError):
    """A query could not be evaluated."""

    code = "query_error"
    status = 400


class QuerySyntaxError(QueryError):
    """The query text is not valid SPARQL."""

    code = "query_syntax"
    status = 400


class QueryRefused(QueryError):
    """The query is valid but not allowed on this service."""

    code = "query_refused"
    status = 400


class QueryTimeout(QueryError):
    """The query did not finish before its deadline."""

    code = "query_timeout"
    status = 503


class QueryAborted(QueryError):
    """The process running the query died (it hit the memory limit or crashed the engine)."""

    code = "query_aborted"
    status = 503


class ServiceBusy(AttgraphError):
    """Too many queries at once; ``details["retry_after"]`` says in how many seconds to try again."""

    code = "service_busy"
    status = 503


class PayloadTooLarge(AttgraphError):
    """A request body is larger than the service accepts."""

    code = "payload_too_large"
    status = 413


class ParameterError(AttgraphError):
    """A named-query parameter is missing, unknown or malformed."""

    code = "bad_parameter"
    status = 400


class NotFound(AttgraphError):
    """The thing asked for does not exist."""

    code = "not_found"
    status = 404


class FormatError(AttgraphError):
    """The requested or supplied format is unknown or not acceptable."""

    code = "bad_format"
    status = 406


class ValidationFailed(AttgraphError):
    """Our own data does not conform to the shapes or is logically inconsistent."""

    code = "validation_failed"
    status = 500


def error_body(error: AttgraphError) -> dict[str, Any]:
    """The single JSON error shape: ``{"error": {"code", "message", "details"}}``."""
    return {"error": {"code": error.code, "status": error.status, "message": error.message,
                      "details": error.details}}
