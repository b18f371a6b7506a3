"""A query worker: a process forked from the fork server (:mod:`attgraph.engine.forkserver`) that answers queries
on one socket, one at a time, over the store it inherited.

Before its first query a worker asks to be killed when the fork server dies, leaves the network (a network
namespace of its own, where the kernel allows it), caps its address space (``RLIMIT_AS``) and names itself
``attgraph-query`` (as ``ps`` shows it). The in-memory store is not copied: the worker reads the pages of
the process it was forked from. An on-disk store is opened afresh, read-only.

Frames, both ways: a 4-byte big-endian header length, a 4-byte payload length, a JSON header, the payload.
The first frame a worker sends is ``{"ready": true, "isolated": bool}``.

A request header: ``query``, ``prefixes`` (left out for the service's own,
:data:`~attgraph.knowledge.namespaces.PREFIXES`), ``substitutions`` (variable → term as in SPARQL-JSON),
``default_graph`` and ``named_graphs`` (lists of IRIs, or null), ``union`` (bool), ``max_rows``.
A reply header: ``{"ok": true, "kind", "variables", "truncated", "took", "private"}`` with the result as
payload (SPARQL-JSON for SELECT and ASK, N-Triples for graphs), or ``{"ok": false, "error": "syntax"|
"evaluation"|"memory", "message", "took", "private"}``; ``took`` is the seconds spent evaluating and
serializing, ``private`` see :func:`serve`. Results are written by the engine's own serializers; the row
cap is applied without reading the rows in Python unless the result is large (see :func:`answer`).
"""

from __future__ import annotations

import ctypes
import faulthandler
import json
import os
import resource
import socket
import struct
import time
from typing import IO, Any, cast

import pyoxigraph as ox

from attgraph.knowledge.namespaces import PREFIXES, XSD, prefixes_for

__all__ = ["HEADER", "address_space", "answer", "cap_memory", "evaluate", "isolate", "name_process", "pack_frame",
           "serve"]

HEADER = struct.Struct(">II")
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15
_SIGKILL = 9
_XSD_STRING = str(XSD.string)
#: A SPARQL-JSON binding takes at least 3 bytes (``{}`` and a comma): a payload shorter than
#: ``3 × max_rows`` cannot hold more than ``max_rows`` rows.
_MIN_ROW_BYTES = 3
#: Results whose serialization grows past ``max_rows × _BUDGET_PER_ROW`` bytes are read row by row instead.
_BUDGET_PER_ROW = 1024


def pack_frame(header: dict[str, Any], payload: bytes = b"") -> bytes:
    """One frame, ready to send."""
    encoded = json.dumps(header, ensure_ascii=False).encode("utf-8")
    return HEADER.pack(len(encoded), len(payload)) + encoded + payload


def _receive_exactly(sock: socket.socket, size: int) -> bytes | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        count = sock.recv_into(view[got:])
        if count == 0:
            return None
        got += count
    return bytes(buffer)


def _read_frame(sock: socket.socket) -> dict[str, Any] | None:
    head = _receive_exactly(sock, HEADER.size)
    if head is None:
        return None
    header_size, payload_size = HEADER.unpack(head)
    body = _receive_exactly(sock, header_size + payload_size)
    if body is None:
        return None
    found: dict[str, Any] = json.loads(body[:header_size].decode("utf-8"))
    return found


def name_process(name: str) -> None:
    """Set the name ``ps`` and ``/proc/PID/comm`` show (at most 15 bytes)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)


def address_space() -> int:
    """The bytes of address space this process holds now."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def isolate(memory_mb: int | None, parent: int) -> bool:
    """Die with the parent, leave the network (if allowed), cap memory at what the process holds now plus
    ``memory_mb`` MiB (``None``: not yet, see :func:`cap_memory`). True when the network is cut.

    Leaving the network with a user namespace only works in a single-threaded process, which a freshly
    forked worker is."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)
    isolated = bool(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0 or libc.unshare(_CLONE_NEWNET) == 0)
    if memory_mb is not None:
        cap_memory(memory_mb)
    return isolated


def cap_memory(memory_mb: int) -> None:
    """Cap the address space at what the process holds now plus ``memory_mb`` MiB (its allowance)."""
    limit = address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _term_json(term: Any) -> dict[str, Any]:
    """A term in the SPARQL 1.1 Query Results JSON shape (triple terms as in SPARQL 1.2)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                        "predicate": _term_json(term.predicate),
                                        "object": _term_json(term.object)}}


def _term(data: dict[str, Any]) -> ox.NamedNode | ox.Literal:
    if data["type"] == "uri":
        return ox.NamedNode(data["value"])
    if "xml:lang" in data:
        return ox.Literal(data["value"], language=data["xml:lang"])
    if "datatype" in data:
        return ox.Literal(data["value"], datatype=ox.NamedNode(data["datatype"]))
    return ox.Literal(data["value"])


class _Overflow(Exception):
    """The serialization grew past its budget."""


class _Buffer:
    """A binary sink for the engine's serializers: keeps what it is given, up to ``budget`` bytes, and counts
    line ends (one per triple in N-Triples) when asked to stop after ``max_lines``."""

    def __init__(self, budget: int, max_lines: int | None = None) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.budget = budget
        self.max_lines = max_lines
        self.lines = 0

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.size += len(chunk)
        if self.max_lines is not None:
            self.lines += chunk.count(b"\n")
            if self.lines > self.max_lines:
                raise _Overflow
        if self.size > self.budget:
            raise _Overflow
        return len(chunk)

    def flush(self) -> None:
        return None

    def value(self) -> bytes:
        return b"".join(self.parts)


def _options(request: dict[str, Any]) -> dict[str, Any]:
    given = request.get("prefixes", PREFIXES)
    options: dict[str, Any] = {"prefixes": prefixes_for(request["query"], given) if given else None}
    if request.get("substitutions"):
        options["substitutions"] = {ox.Variable(k): _term(v) for k, v in request["substitutions"].items()}
    if request.get("default_graph") is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graph"]]
    if request.get("named_graphs") is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    if request.get("union"):
        options["use_default_graph_as_union"] = True
    return options


def _select(store: ox.Store, text: str, options: dict[str, Any], result: ox.QuerySolutions, cap: int,
            bounded: bool) -> tuple[dict[str, Any], bytes]:
    """A SELECT result as SPARQL-JSON, at most ``cap`` rows.

    The engine serializes the whole result into a buffer with a budget (or, when the query itself is
    ``bounded``, straight into bytes). A payload shorter than ``3 × cap`` bytes cannot hold more rows than the
    cap, nor can one whose :func:`_most_rows` is within it; any other is parsed to count its rows (and cut if
    needed). A result that outgrows the budget is evaluated again and read row by row, stopping after the cap."""
    names = [v.value for v in result.variables]
    if bounded:
        payload = bytes(result.serialize(format=ox.QueryResultsFormat.JSON) or b"")
    else:
        sink = _Buffer(max(1 << 20, cap * _BUDGET_PER_ROW))
        try:
            result.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.JSON)
        except _Overflow:
            return _select_rows(store.query(text, **options), names, cap)  # type: ignore[arg-type]
        payload = sink.value()
    truncated = False
    if len(payload) > _MIN_ROW_BYTES * cap and _most_rows(payload) > cap:
        parsed = json.loads(payload)
        bindings = parsed["results"]["bindings"]
        if len(bindings) > cap:
            truncated = True
            parsed["results"]["bindings"] = bindings[:cap]
            payload = json.dumps(parsed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"ok": True, "kind": "select", "variables": names, "truncated": truncated}, payload


def _most_rows(payload: bytes) -> int:
    """An upper bound of the rows of a compact SPARQL-JSON result, counted on the bytes.

    Every row after the first starts either as ``},{"`` (the end of the row before, then a variable name) or
    is the empty row ``{}``. A JSON string can hold these characters too, which only makes the bound larger."""
    return payload.count(b'},{"') + payload.count(b"{}") + 1


def _select_rows(result: ox.QuerySolutions, names: list[str], cap: int) -> tuple[dict[str, Any], bytes]:
    bindings: list[dict[str, Any]] = []
    truncated = False
    for solution in result:
        if len(bindings) == cap:
            truncated = True
            break
        row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = _term_json(value)
        bindings.append(row)
    payload = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False,
                         separators=(",", ":")).encode("utf-8")
    return {"ok": True, "kind": "select", "variables": names, "truncated": truncated}, payload


def _graph(result: ox.QueryTriples, cap: int) -> tuple[dict[str, Any], bytes]:
    """A CONSTRUCT or DESCRIBE result as N-Triples (one triple per line), at most ``cap`` triples."""
    sink = _Buffer(1 << 62, max_lines=cap)
    truncated = False
    try:
        result.serialize(cast(IO[bytes], sink), format=ox.RdfFormat.N_TRIPLES)
    except _Overflow:
        truncated = True
    payload = sink.value()
    if truncated:
        end = -1
        for _ in range(cap):
            end = payload.index(b"\n", end + 1)
        payload = payload[:end + 1]
    return {"ok": True, "kind": "graph", "variables": [], "truncated": truncated}, payload


def answer(store: ox.Store, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Evaluate one request on ``store``: the reply header and its payload."""
    return evaluate(store, request["query"], _options(request), int(request["max_rows"]))


def evaluate(store: ox.Store, text: str, options: dict[str, Any], cap: int, bounded: bool = False,
             ) -> tuple[dict[str, Any], bytes]:
    """Evaluate ``text`` with the engine's ``options``, at most ``cap`` rows or triples: the reply header and
    its payload. ``bounded`` says the query's own ``LIMIT`` already bounds its result (see
    :mod:`attgraph.engine.lookups`), so it needs no serialization budget."""
    try:
        result = store.query(text, **options)
        if isinstance(result, ox.QueryBoolean):
            payload = b'{"head":{},"boolean":true}' if result else b'{"head":{},"boolean":false}'
            return {"ok": True, "kind": "ask", "variables": [], "truncated": False}, payload
        if isinstance(result, ox.QuerySolutions):
            return _select(store, text, options, result, cap, bounded)
        return _graph(result, cap)
    except SyntaxError as error:
        return {"ok": False, "error": "syntax", "message": str(error)}, b""
    except (RuntimeError, OSError, ValueError, TypeError) as error:
        return {"ok": False, "error": "evaluation", "message": str(error)}, b""
    except MemoryError:
        return {"ok": False, "error": "memory", "message": "out of memory"}, b""


def _silence() -> None:
    """Send this process's standard error to ``/dev/null`` (the engine prints a whole backtrace when it runs
    out of memory, and an attacker can make it do so again and again)."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


def _page_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def serve(sock: socket.socket, store: ox.Store | None, disk: str | None, memory_mb: int, parent: int) -> None:
    """The life of a worker: isolate, open the store if it is on disk, say it is ready, then answer frames
    read from ``sock`` until the other end closes it. Never returns.

    Reading the in-memory store writes to some of its pages (reference counts), and a page written in a
    forked process becomes that process's own copy. Each such first write is a minor page fault, so every
    reply header also says how many bytes of memory the worker has made its own since it was ready
    (``"private"``): the pool uses it to replace workers that have grown (:mod:`attgraph.engine.executor`)."""
    try:
        faulthandler.disable()  # an engine abort (out of memory) ends the worker quietly
        _silence()  # and writes nothing: the pool reports each lost worker in one line of its own
        name_process("attgraph-query")
        isolated = isolate(None, parent)
        if disk is not None:
            store = ox.Store.read_only(disk)
        cap_memory(memory_mb)  # after opening an on-disk store: its mapped files are shared, not the worker's own
        assert store is not None
        page = resource.getpagesize()
        sock.sendall(pack_frame({"ready": True, "isolated": isolated}))
        start = _page_faults()
        while True:
            request = _read_frame(sock)
            if request is None:
                break
            began = time.perf_counter()
            header, payload = answer(store, request)
            header["took"] = time.perf_counter() - began
            header["private"] = (_page_faults() - start) * page
            sock.sendall(pack_frame(header, payload))
    except BaseException:  # a worker never unwinds into the code it was forked from
        pass
    os._exit(0)
