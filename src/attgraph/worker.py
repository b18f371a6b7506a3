"""A query worker process: ``python -m attgraph.worker DUMP MEMORY_MB PARENT_PID``.

It cuts itself off the network (a new network namespace, where the kernel allows it), caps its address
space (``RLIMIT_AS``), asks to be killed when its parent dies, bulk-loads the N-Quads dump the parent wrote,
then answers queries read from stdin, one at a time, on stdout. It imports nothing but the standard library
and pyoxigraph, so it starts in a fraction of a second.

Frames, both ways: a 4-byte big-endian header length, a 4-byte payload length, a JSON header, the payload.
The first frame a worker sends is ``{"ready": true, "isolated": bool}``.

A request header: ``query``, ``prefixes``, ``substitutions`` (variable → term as in SPARQL-JSON),
``default_graph`` and ``named_graphs`` (lists of IRIs, or null), ``union`` (bool), ``max_rows``.
A reply header: ``{"ok": true, "kind", "variables", "truncated"}`` with the result as payload (SPARQL-JSON
for SELECT and ASK, N-Triples for graphs), or ``{"ok": false, "error": "syntax"|"evaluation", "message"}``.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import struct
import sys
from typing import Any, BinaryIO

__all__ = ["isolate", "main", "read_frame", "write_frame"]

_HEADER = struct.Struct(">II")
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_PR_SET_PDEATHSIG = 1
_SIGKILL = 9
# Written out: a worker imports only the standard library and pyoxigraph (not rdflib via namespaces).
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def write_frame(stream: BinaryIO, header: dict[str, Any], payload: bytes = b"") -> None:
    """Write one frame and flush."""
    encoded = json.dumps(header, ensure_ascii=False).encode("utf-8")
    stream.write(_HEADER.pack(len(encoded), len(payload)) + encoded + payload)
    stream.flush()


def read_frame(stream: BinaryIO) -> tuple[dict[str, Any], bytes] | None:
    """Read one frame; ``None`` at end of input."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    header_size, payload_size = _HEADER.unpack(head)
    header = json.loads(stream.read(header_size).decode("utf-8"))
    return header, stream.read(payload_size)


def isolate(memory_mb: int, parent: int) -> bool:
    """Die with the parent, leave the network (if allowed), cap memory. True when the network is cut."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)
    isolated = bool(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0 or libc.unshare(_CLONE_NEWNET) == 0)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return isolated


def _term_json(term: Any) -> dict[str, Any]:
    """A term in the SPARQL 1.1 Query Results JSON shape (triple terms as in SPARQL 1.2)."""
    import pyoxigraph as ox

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


def _term(data: dict[str, Any]) -> Any:
    import pyoxigraph as ox

    if data["type"] == "uri":
        return ox.NamedNode(data["value"])
    if "xml:lang" in data:
        return ox.Literal(data["value"], language=data["xml:lang"])
    if "datatype" in data:
        return ox.Literal(data["value"], datatype=ox.NamedNode(data["datatype"]))
    return ox.Literal(data["value"])


def _answer(store: Any, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    import pyoxigraph as ox

    options: dict[str, Any] = {"prefixes": request.get("prefixes") or None}
    if request.get("substitutions"):
        options["substitutions"] = {ox.Variable(k): _term(v) for k, v in request["substitutions"].items()}
    if request.get("default_graph") is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graph"]]
    if request.get("named_graphs") is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    if request.get("union"):
        options["use_default_graph_as_union"] = True
    cap = int(request["max_rows"])
    try:
        result = store.query(request["query"], **options)
        if isinstance(result, ox.QueryBoolean):
            payload = json.dumps({"head": {}, "boolean": bool(result)}).encode()
            return {"ok": True, "kind": "ask", "variables": [], "truncated": False}, payload
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
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
            payload = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                                 ensure_ascii=False).encode("utf-8")
            return {"ok": True, "kind": "select", "variables": names, "truncated": truncated}, payload
        triples: list[Any] = []
        truncated = False
        for triple in result:
            if len(triples) == cap:
                truncated = True
                break
            triples.append(triple)
        payload = bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        return {"ok": True, "kind": "graph", "variables": [], "truncated": truncated}, payload
    except SyntaxError as error:
        return {"ok": False, "error": "syntax", "message": str(error)}, b""
    except (RuntimeError, OSError, ValueError, TypeError) as error:
        return {"ok": False, "error": "evaluation", "message": str(error)}, b""
    except MemoryError:
        return {"ok": False, "error": "memory", "message": "out of memory"}, b""


def main(argv: list[str] | None = None) -> int:
    """Load the dump named in ``argv`` and serve queries on stdin/stdout until stdin closes."""
    dump, memory_mb, parent = (argv or sys.argv[1:])[:3]
    isolated = isolate(int(memory_mb), int(parent))
    import pyoxigraph as ox

    if os.path.isdir(dump):  # a prebuilt on-disk store (attgraph.store): opened read-only, shared by all
        store = ox.Store.read_only(dump)
    else:  # our own N-Quads (a dump or the prebuilt store), already checked: the lenient parser is 2× faster
        store = ox.Store()
        store.load(path=dump, format=ox.RdfFormat.N_QUADS, lenient=True)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    write_frame(stdout, {"ready": True, "isolated": isolated})
    while True:
        frame = read_frame(stdin)
        if frame is None:
            return 0
        header, payload = _answer(store, frame[0])
        write_frame(stdout, header, payload)


if __name__ == "__main__":
    raise SystemExit(main())
