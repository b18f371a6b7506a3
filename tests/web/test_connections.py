"""Connection hygiene, tried as an attacker would, on a real service: silent, slow and oversized requests,
connection floods, bodies abandoned halfway, guard bombs and the attack that once drained the worker pool.
Every answer the HTTP layer writes itself has the one error shape and the security headers."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from attgraph.web.middleware import SECURITY_HEADERS

from ..conftest import output_of
from .conftest import LIMITS, Server, make_fixture_project, serving

ENV = {**LIMITS, "ATTGRAPH_PROCESSES": "1", "ATTGRAPH_WORKERS": "3", "ATTGRAPH_IDLE_TIMEOUT": "1",
       "ATTGRAPH_HEADER_TIMEOUT": "1.5", "ATTGRAPH_MIN_BODY_RATE": "2000", "ATTGRAPH_MAX_CLIENT_CONNECTIONS": "8",
       "ATTGRAPH_MAX_CONNECTIONS": "40", "ATTGRAPH_QUERY_TIMEOUT": "6", "ATTGRAPH_MAX_QUERY_BYTES": "32768",
       "ATTGRAPH_WORKER_MEMORY_MB": "256"}
CRASH = "SELECT (" + "+".join(["1"] * 10_000) + " AS ?x) {}"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(make_fixture_project(tmp_path_factory.mktemp("guarded")), ENV) as running:
        yield running


def _port(server: Server) -> int:
    return int(server.base.rsplit(":", 1)[1])


def _raw(server: Server, data: bytes, local: str = "127.0.0.1", wait: float = 10.0) -> tuple[float, bytes]:
    """Send ``data`` on a new connection and read until the server closes it: seconds taken, bytes read."""
    with socket.create_connection(("127.0.0.1", _port(server)), source_address=(local, 0)) as sock:
        sock.settimeout(wait)
        started = time.monotonic()
        if data:
            sock.sendall(data)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            received += b"<still open>"
        return time.monotonic() - started, received


def _error(response: bytes) -> tuple[int, dict[str, object], dict[str, str]]:
    """The status, the JSON body and the headers of a raw response."""
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), json.loads(body), {k.lower(): v for k, v in headers.items()}


def _secured(headers: dict[str, str]) -> bool:
    return all(headers.get(name.decode()) == value.decode() for name, value in SECURITY_HEADERS)


def test_a_silent_connection_is_closed_after_the_idle_timeout(guarded: Server) -> None:
    seconds, received = _raw(guarded, b"")
    assert received == b"" and 0.9 <= seconds < 3


def test_headers_that_do_not_arrive_get_a_408_in_the_error_shape(guarded: Server) -> None:
    seconds, received = _raw(guarded, b"GET / HTTP/1.1\r\nHost: x\r\n")
    status, body, headers = _error(received)
    assert (status, body) == (408, {"error": {"code": "request_timeout", "status": 408, "details": {"limit": 1.5},
                                              "message": "the request's headers did not arrive within 1.5 s"}})
    assert _secured(headers) and headers["connection"] == "close" and 1.4 <= seconds < 4


def test_headers_sent_a_line_at_a_time_do_not_keep_the_connection(guarded: Server) -> None:
    with socket.create_connection(("127.0.0.1", _port(guarded))) as sock:
        sock.settimeout(5)
        started = time.monotonic()
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        received = b""
        for number in range(10):
            try:
                sock.sendall(f"X-Slow-{number}: 1\r\n".encode())
            except OSError:
                break
            time.sleep(0.5)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except OSError:
            pass
    assert _error(received)[0] == 408 and time.monotonic() - started < 6


def test_a_body_slower_than_the_minimum_rate_gets_a_408(guarded: Server) -> None:
    with socket.create_connection(("127.0.0.1", _port(guarded))) as sock:
        sock.settimeout(12)
        sock.sendall(b"POST /api/validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
                     b"Content-Length: 60000\r\n\r\n")
        started = time.monotonic()
        received = b""
        while not received and time.monotonic() - started < 12:
            try:
                sock.sendall(b"#")
                sock.settimeout(1)
                received = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
        status, body, _ = _error(received)
    assert (status, body["error"]["code"]) == (408, "request_timeout")  # type: ignore[index]
    assert 5 <= time.monotonic() - started < 9


def test_a_url_over_the_limit_is_a_414_and_a_header_over_it_a_431(guarded: Server) -> None:
    _, received = _raw(guarded, b"GET /sparql?query=" + b"a" * 102_400 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    status, body, headers = _error(received)
    assert (status, body["error"]["code"], _secured(headers)) == (414, "uri_too_long", True)  # type: ignore[index]
    _, received = _raw(guarded, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 40_000 + b"\r\n\r\n")
    assert _error(received)[:2] == (431, {"error": {
        "code": "headers_too_large", "status": 431, "details": {"limit": 32768},
        "message": "the request's headers are larger than 32768 bytes"}})
    # Answered once: the parser's complaint after the limit stopped it is not answered again (a write after
    # the half-close raised, and a traceback per request was logged: an attacker could flood the log).
    time.sleep(0.5)
    assert "Traceback" not in output_of(guarded.process)


def test_what_is_not_http_gets_the_error_shape_too(guarded: Server) -> None:
    _, received = _raw(guarded, b"BREW / coffee\r\n\r\n")
    status, body, headers = _error(received)
    assert (status, body) == (400, {"error": {"code": "bad_request", "status": 400, "details": {},
                                              "message": "the request is not valid HTTP/1.1"}})
    assert _secured(headers)


def test_one_address_cannot_hold_more_connections_than_its_share(guarded: Server) -> None:
    held = [socket.create_connection(("127.0.0.1", _port(guarded)), source_address=("127.0.0.9", 0))
            for _ in range(8)]
    try:
        for sock in held:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.2)
        _, received = _raw(guarded, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n", local="127.0.0.9")
        status, body, headers = _error(received)
        assert (status, body["error"]["code"], headers["retry-after"]) == (503, "too_many_connections", "1")  # type: ignore[index]
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.10"))
        assert other.get(f"{guarded.base}/health").status_code == 200  # another address is not held back
    finally:
        for sock in held:
            sock.close()


def test_an_upload_is_stopped_at_the_triple_cap_while_it_is_parsed(guarded: Server) -> None:
    data = b"@prefix : <http://x/> .\n:s :p " + b",".join([b":o"] * 20_000) + b" .\n"
    response = httpx.post(f"{guarded.base}/api/validate", content=data, headers={"Content-Type": "text/turtle"},
                          timeout=30)
    assert (response.status_code, response.json()["error"]["message"]) == (
        413, "request body holds more than 50 triples; an upload may hold at most 50")


def test_json_ld_nested_too_deep_is_a_400(guarded: Server) -> None:
    deep = b'{"@id": "http://x/a", "http://x/p": ' + b"[" * 3300 + b"1" + b"]" * 3300 + b"}"
    response = httpx.post(f"{guarded.base}/api/validate", content=deep,
                          headers={"Content-Type": "application/ld+json"}, timeout=30)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_upload")
    assert "nests more deeply than a parser may follow" in response.json()["error"]["message"]


def test_a_resource_key_that_is_no_iri_is_a_404(guarded: Server) -> None:
    response = httpx.get(f"{guarded.base}/id/%3Cscript%3E", headers={"Accept": "text/turtle"})
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


def test_four_guard_bombs_are_answered_and_health_answers_while_they_run(guarded: Server) -> None:
    bomb = "ASK {} " + "a-" * (16 * 1024 - 8)
    with ThreadPoolExecutor(max_workers=5) as pool:
        bombs = [pool.submit(httpx.post, f"{guarded.base}/sparql", content=bomb.encode(), timeout=30,
                             headers={"Content-Type": "application/sparql-query"}) for _ in range(4)]
        health = httpx.get(f"{guarded.base}/health", timeout=30)
        codes = sorted(future.result().json()["error"]["code"] for future in bombs)
    assert health.status_code == 200
    assert codes == ["query_syntax"] * 4  # through the guard (linear), refused by the engine's parser


def test_the_drain_attack_leaves_the_pool_whole_and_health_truthful(guarded: Server) -> None:
    """Held connections beside queries that crash their workers, again and again: the pool is replenished
    after each crash, /health counts exactly the live workers, and ``ASK {}`` is answered afterwards."""
    held = []
    for number in range(30):  # 5 addresses × 6: one address could not hold that many
        try:
            sock = socket.create_connection(("127.0.0.1", _port(guarded)),
                                            source_address=(f"127.0.4.{number % 5 + 1}", 0))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            held.append(sock)
        except OSError:
            pass
    truthful = []
    try:
        for _ in range(12):
            crashed = httpx.post(f"{guarded.base}/sparql", content=CRASH.encode(), timeout=30,
                                 headers={"Content-Type": "application/sparql-query"})
            assert crashed.json()["error"]["code"] in ("query_aborted", "service_busy")
            queries = guarded.health()["queries"]
            assert isinstance(queries, dict)
            truthful.append(queries["alive"] == len(guarded.workers()) - _dying(guarded))
            time.sleep(0.3)
    finally:
        for sock in held:
            sock.close()
    assert all(truthful)
    deadline = time.monotonic() + 10
    while guarded.health()["queries"]["alive"] != 3:  # type: ignore[index]
        assert time.monotonic() < deadline
        time.sleep(0.1)
    response = httpx.get(f"{guarded.base}/sparql", params={"query": "ASK {}"})
    assert (response.status_code, response.json()) == (200, {"head": {}, "boolean": True})


def _dying(server: Server) -> int:
    """Worker processes that have been killed and not yet gone (a moment after a crash)."""
    return sum(1 for pid in server.workers() if Path(f"/proc/{pid}/status").exists()
               and "State:\tZ" in Path(f"/proc/{pid}/status").read_text())


def test_a_client_that_goes_away_mid_body_is_one_line_in_the_log(guarded: Server) -> None:
    with socket.create_connection(("127.0.0.1", _port(guarded))) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 1000\r\n\r\nASK {")
        time.sleep(0.3)
    time.sleep(0.5)
    assert guarded.answers()


def test_more_memory_hungry_queries_than_fit_leave_the_service_answering(guarded: Server) -> None:
    """Eight queries that double a string until they run out of memory, from eight addresses at once, on three
    workers: each is stopped at its allowance, the tree never holds more than the slots' allowances beyond what
    it held before, and a well-behaved client is answered throughout."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from common import tree_memory
    from soak import DOUBLING

    health = guarded.health()
    memory = health["memory"]
    assert isinstance(memory, dict)
    before = tree_memory(guarded.pid).pss_mb
    peak = before
    codes: list[str] = []
    good = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.20"), timeout=30)
    assert good.get(f"{guarded.base}/sparql", params={"query": "ASK {}"}).status_code == 200
    with ThreadPoolExecutor(max_workers=8) as pool:
        hogs = [pool.submit(httpx.Client(transport=httpx.HTTPTransport(local_address=f"127.0.5.{n}"),
                                         timeout=30).post, f"{guarded.base}/sparql", content=DOUBLING.encode(),
                            headers={"Content-Type": "application/sparql-query"}) for n in range(1, 9)]
        while not all(h.done() for h in hogs):
            peak = max(peak, tree_memory(guarded.pid).pss_mb)
            assert good.get(f"{guarded.base}/sparql", params={"query": "ASK {}"}).status_code == 200
        codes = sorted(h.result().json()["error"]["code"] for h in hogs)
    assert set(codes) <= {"query_aborted", "query_timeout", "service_busy"} and "query_aborted" in codes
    assert peak - before <= memory["committed_mb"]
