"""Validating uploaded RDF against our shapes: the ``/validate`` page and the ``/api/validate`` API.

Data comes as a file or pasted text (a multipart or urlencoded form, fields ``file``, ``data``, ``format`` and
``alone``) or, for the API, as the raw body with its RDF media type as ``Content-Type`` (``?alone=1`` in the
query string). It is checked with our whole graph beside it, unless ``alone`` asks for our ontology only. Each
validation runs in a process of its own (:mod:`attgraph.engine.validation_job`) that has no network, a memory
cap and a deadline (``ATTGRAPH_VALIDATION_TIMEOUT``); at most ``max(1, workers // 2)`` run at once. The report
comes back as a page (which keeps the text and offers the report for download), JSON in the one shape of
:func:`attgraph.checks.report.report_json`, or the SHACL report graph in Turtle.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

from attgraph.engine.admission import CLIENT
from attgraph.engine.budget import validations_per_process
from attgraph.errors import AttgraphError, FormatError, QueryTimeout, ServiceBusy
from attgraph.knowledge.formats import GRAPH_FORMATS, Format, by_extension, graph_format

from .bodies import media_type, parse_fields, query_fields, read_body, read_multipart
from .context import Context
from .errors import UnsupportedMediaType
from .negotiation import choose_view

__all__ = ["REPORT_FORMATS", "Upload", "validate_router"]

_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"
#: The JSON report (its engine field is unused: the report is not RDF).
_JSON = Format("json", ("application/json",), "json", GRAPH_FORMATS[0].engine)
#: The formats of a report besides its page: JSON and the SHACL report graph in Turtle.
REPORT_FORMATS: tuple[Format, ...] = (_JSON, graph_format("turtle"))
_YES = frozenset({"1", "true", "on", "yes"})
#: The validations one client may run at once in a service process.
PER_CLIENT = 1
#: The most text the page gives back in its form after a check.
_KEPT_TEXT = 1 << 20


@dataclass(frozen=True)
class Upload:
    """What to validate: the bytes, the format to read them in, the name errors use, and whether to check it
    with our ontology alone rather than with our whole graph."""

    data: bytes
    format: Format
    name: str
    alone: bool = False

    @property
    def text(self) -> str:
        """The data as text for the form to show again ('' when it is not UTF-8 or too long)."""
        if len(self.data) > _KEPT_TEXT:
            return ""
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            return ""


def _upload_format(name: str | None, filename: str | None) -> Format:
    try:
        if name:
            return graph_format(name)
        if filename:
            return by_extension(filename)
        return graph_format("turtle")
    except FormatError as error:
        raise FormatError(error.message, error.details, status=415) from None


async def read_upload(request: Request, limit: int) -> Upload:
    """The data to validate from a form (file or ``data`` field) or a raw RDF body."""
    media = media_type(request)
    body = await read_body(request, limit)
    alone = (query_fields(request).get("alone") or "").lower() in _YES
    if media == _MULTIPART:
        form = await read_multipart(request, body, max_part_size=limit)
        file = form.get("file")
        text = form.get("data")
        chosen = form.get("format")
        fmt_name = chosen if isinstance(chosen, str) and chosen else None
        flag = form.get("alone")
        alone = alone or (isinstance(flag, str) and flag.lower() in _YES)
        if isinstance(file, UploadFile) and file.filename:
            data = await file.read()
            return Upload(data, _upload_format(fmt_name, file.filename), os.path.basename(file.filename), alone)
        if isinstance(text, str) and text.strip():
            return Upload(text.encode("utf-8"), _upload_format(fmt_name, None), "pasted data", alone)
        raise AttgraphError("nothing to validate: choose a file or paste some RDF", code="upload_missing",
                            status=400)
    if media == _FORM:
        form_fields = parse_fields(body, "form body")
        text = form_fields.get("data") or ""
        alone = alone or (form_fields.get("alone") or "").lower() in _YES
        if not text.strip():
            raise AttgraphError("nothing to validate: paste some RDF in the data field", code="upload_missing",
                                status=400)
        return Upload(text.encode("utf-8"), _upload_format(form_fields.get("format"), None), "pasted data", alone)
    for fmt in GRAPH_FORMATS:
        if media in fmt.media_types:
            if not body.strip():
                raise AttgraphError("nothing to validate: the body is empty", code="upload_missing", status=400)
            return Upload(body, fmt, "request body", alone)
    accepted = [_MULTIPART, _FORM, *(f.media_type for f in GRAPH_FORMATS)]
    raise UnsupportedMediaType(f"cannot validate a body of type {media or 'untyped'}; send one of: "
                               + ", ".join(accepted), {"content_type": media or None, "accepted": accepted})


class Validator:
    """Runs validation jobs under a concurrency cap and a deadline. One client (an address, as the query
    admission tells them apart) holds at most :data:`PER_CLIENT` of the slots, so that one client looping
    uploads cannot keep everyone else from validating."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.capacity = validations_per_process(ctx.settings.workers)
        self.running = 0
        self.by_client: dict[str, int] = {}

    async def run(self, upload: Upload) -> dict[str, Any]:
        """The job's outcome: ``{"report": …, "turtle": …}``; raises the job's error."""
        settings = self.ctx.settings
        client = CLIENT.get()
        retry = max(1, math.ceil(settings.validation_timeout / 4))
        if self.running >= self.capacity:
            raise ServiceBusy(f"too many validations at once (at most {self.capacity}); try again in {retry} s",
                              {"retry_after": retry, "limit": self.capacity})
        if self.by_client.get(client, 0) >= PER_CLIENT:
            raise ServiceBusy(f"this address is validating already (at most {PER_CLIENT} at once); try again in "
                              f"{retry} s", {"retry_after": retry, "share": PER_CLIENT})
        self.running += 1
        self.by_client[client] = self.by_client.get(client, 0) + 1
        command = [sys.executable, "-m", "attgraph.engine.validation_job", str(settings.root), upload.format.name,
                   upload.name, str(settings.max_upload_triples), str(self.ctx.memory.allowance_mb),
                   str(os.getpid()), "ontology" if upload.alone else "graph"]
        try:
            process = await anyio.open_process(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL)
            try:
                with anyio.fail_after(settings.validation_timeout):
                    assert process.stdin is not None and process.stdout is not None
                    await process.stdin.send(upload.data)
                    await process.stdin.aclose()
                    chunks = [chunk async for chunk in process.stdout]
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
                raise QueryTimeout(f"the validation was stopped at its deadline ({settings.validation_timeout:g} s)",
                                   {"limit": settings.validation_timeout}, code="validation_timeout") from None
        finally:
            self.running -= 1
            self.by_client[client] -= 1
            if not self.by_client[client]:
                del self.by_client[client]
        try:
            outcome: dict[str, Any] = json.loads(b"".join(chunks))
        except ValueError:
            raise AttgraphError("the validation stopped before it finished (memory limit or crash)",
                                code="validation_aborted", status=503) from None
        if not outcome["ok"]:
            error = outcome["error"]
            raise AttgraphError(error["message"], error["details"], code=error["code"], status=error["status"])
        return outcome


def validate_router(ctx: Context) -> APIRouter:
    """``/validate`` (page, form posts) and ``/api/validate``."""
    router = APIRouter()
    validator = Validator(ctx)
    formats = list(GRAPH_FORMATS)

    def show(request: Request, outcome: dict[str, Any] | None, upload: Upload | None,
             error: AttgraphError | None = None) -> Response:
        downloads = {}
        if outcome is not None:
            downloads = {
                "json": "data:application/json;charset=utf-8," + quote(json.dumps(
                    outcome["report"], indent=2, ensure_ascii=False)),
                "turtle": "data:text/turtle;charset=utf-8," + quote(outcome["turtle"]),
            }
        return ctx.page(request, "validate.html", error.status if error else 200, formats=formats,
                        outcome=outcome["report"] if outcome else None, error=error, upload=upload,
                        chosen=upload.format.name if upload else "turtle", downloads=downloads)

    @router.get("/validate", summary="The validation page", response_class=Response)
    async def page(request: Request) -> Response:
        return show(request, None, None)

    @router.post("/validate", summary="Validate a form's upload and show the report", response_class=Response)
    async def validate_form(request: Request) -> Response:
        upload: Upload | None = None
        try:
            upload = await read_upload(request, ctx.settings.max_body_bytes)
            outcome = await validator.run(upload)
        except AttgraphError as error:
            return show(request, None, upload, error)
        return show(request, outcome, upload)

    @router.post("/api/validate", summary="Validate RDF against the shapes: JSON or Turtle report",
                 response_class=Response)
    async def validate_api(request: Request) -> Response:
        fmt = choose_view(REPORT_FORMATS, request.headers.get("accept"), query_fields(request).get("format"))
        upload = await read_upload(request, ctx.settings.max_body_bytes)
        outcome = await validator.run(upload)
        if fmt is None:
            return show(request, outcome, upload)
        if fmt is _JSON:
            return JSONResponse(outcome["report"], headers={"Vary": "Accept"})
        return Response(outcome["turtle"].encode("utf-8"), media_type=fmt.media_type, headers={"Vary": "Accept"})

    return router
