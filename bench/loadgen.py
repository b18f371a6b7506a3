"""A small HTTP/1.1 load generator for loopback servers: keep-alive connections, bounded in count and time.

``python bench/loadgen.py --port 8000 --paths FILE --concurrency 16 --seconds 5 --max-requests 50000``
sends ``GET`` requests for the paths in FILE (one a line, used in turn; ``--header`` adds a header line, ``--ok``
names the statuses that count as answered) from ``concurrency`` connections,
each waiting for its answer before it sends the next, and prints one JSON object: requests answered,
errors, seconds, requests answered 200 per second (``rps``; ``all_rps`` counts every answer) and latency
percentiles (of every answer). It refuses any host that is not a loopback
address. Written on raw asyncio streams (no HTTP library) so that the client costs the shared CPU little.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import percentile

__all__ = ["Result", "main", "run"]

_ACCEPT = b"application/sparql-results+json, application/n-triples;q=0.9"


@dataclass
class Result:
    """What a run measured (latencies in seconds)."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    ok: frozenset[int] = frozenset({200})

    def summary(self) -> dict[str, object]:
        """The figures as JSON-ready values (latencies in milliseconds)."""
        count = len(self.latencies)
        answered = sum(n for status, n in self.statuses.items() if status in self.ok)
        return {
            "requests": count,
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "seconds": round(self.seconds, 3),
            "rps": round(answered / self.seconds, 1) if self.seconds else 0.0,
            "all_rps": round(count / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(percentile(self.latencies, 0.50) * 1000, 3),
            "p95_ms": round(percentile(self.latencies, 0.95) * 1000, 3),
            "p99_ms": round(percentile(self.latencies, 0.99) * 1000, 3),
            "max_ms": round(max(self.latencies, default=float("nan")) * 1000, 3),
        }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the server keeps the connection open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length: int | None = None
    chunked = False
    keep = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            keep = False
    if status in (204, 304) or status < 200:  # no body, whatever the headers say
        return status, keep
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        keep = False
    return status, keep


async def _client(host: str, port: int, paths: list[bytes], state: dict[str, int], stop_at: float,
                  limit: int, result: Result, warm_until: float, extra: bytes = b"",
                  ok: frozenset[int] = frozenset({200})) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    host_header = f"{host}:{port}".encode()
    while True:
        index = state["next"]
        if index >= limit or time.perf_counter() >= stop_at:
            break
        state["next"] = index + 1
        if writer is None or reader is None:
            reader, writer = await asyncio.open_connection(host, port)
        path = paths[index % len(paths)]
        request = (b"GET " + path + b" HTTP/1.1\r\nHost: " + host_header + b"\r\nAccept: " + _ACCEPT + b"\r\n"
                   + extra + b"\r\n")
        started = time.perf_counter()
        try:
            writer.write(request)
            status, keep = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            result.errors += 1
            writer.close()
            reader = writer = None
            continue
        elapsed = time.perf_counter() - started
        if started >= warm_until:
            result.latencies.append(elapsed)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status not in ok:
                result.errors += 1
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def run(host: str, port: int, paths: list[str], concurrency: int, seconds: float, max_requests: int,
              warmup: float = 0.0, headers: list[str] | None = None, ok: frozenset[int] = frozenset({200}),
              ) -> Result:
    """Send requests for ``paths`` from ``concurrency`` connections for at most ``seconds`` (after
    ``warmup`` seconds not counted) and at most ``max_requests`` requests."""
    if not ipaddress.ip_address(host).is_loopback:
        raise SystemExit(f"refusing to load {host}: only loopback addresses are allowed")
    encoded = [p.encode("ascii") for p in paths]
    extra = b"".join(h.encode("latin-1") + b"\r\n" for h in headers or [])
    result = Result(ok=ok)
    started = time.perf_counter()
    warm_until = started + warmup
    stop_at = warm_until + seconds
    state = {"next": 0}
    await asyncio.gather(*(_client(host, port, encoded, state, stop_at, max_requests, result, warm_until, extra, ok)
                           for _ in range(concurrency)))
    result.seconds = time.perf_counter() - max(started, min(warm_until, time.perf_counter()))
    return result


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print the summary as JSON."""
    parser = argparse.ArgumentParser(description="loopback HTTP load generator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths", type=Path, required=True, help="a file with one request path per line")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=0.5)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--header", action="append", default=[], help="a header line to send (repeatable)")
    parser.add_argument("--ok", type=int, action="append", help="a status counted as answered (default 200)")
    args = parser.parse_args(argv)
    paths = [line for line in args.paths.read_text(encoding="ascii").splitlines() if line]
    result = asyncio.run(run(args.host, args.port, paths, args.concurrency, min(args.seconds, 120.0),
                             min(args.max_requests, 1_000_000), args.warmup, args.header,
                             frozenset(args.ok or [200])))
    print(json.dumps(result.summary()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
