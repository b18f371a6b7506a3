"""The soak suite: every attack on the service at once, beside well-behaved clients, on loopback.

    python bench/soak.py                  # 60 s against a service of its own (attgraph serve, defaults)
    python bench/soak.py --seconds 20     # shorter (the test suite runs a bounded version: tests/web/test_soak.py)

For ``--seconds`` it runs, from their own loopback addresses (127.0.0.0/8 is all loopback):

* ``held``: connections that send half a request line and nothing more, reopened as they are closed;
* ``crash``: a query of 10,000 additions that crashes its worker, every 0.3 s;
* ``deadline``: 32 clients, each looping a query that runs to its deadline;
* ``guard``: four clients looping 32 KB queries that were quadratic for the lexical guard (``a-a-a-…``);
* ``memory``: four clients looping a query that doubles a string until it runs out of memory;
* ``slow headers``: connections sending one header line every 2 s;
* ``slow body``: uploads sending their body a byte a second;
* ``uploads``: a 1,000,000-triple Turtle upload and JSON-LD nested 3,300 deep, to /api/validate;
* ``validations``: four clients looping a small valid upload that links to the graph, so that each is checked
  with the whole graph (the costliest validation a stranger can ask for without being refused);
* ``odd``: 100 KB URLs, ``/id/%3Cscript%3E``, requests abandoned halfway through their body, garbage;

and a well-behaved client (its own address, which has sent quick queries before) asking ``ASK {}``,
``/id/article/9``, a single-resource lookup and the home page in turn. It prints, per attack, what the attacker
got; per well-behaved request, p50/p99 and errors; the workers alive and the tree's memory (PSS) over time; and
whether the invariants held: no well-behaved request failed, the pool was back to strength after the attack,
``ASK {}`` answered 200, the tree's memory stayed within its budget. Exit code 1 when one did not.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import percentile, process_tree, tree_memory  # noqa: E402

GOOD = "127.0.0.2"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CRASH = "SELECT (" + "+".join(["1"] * 10_000) + " AS ?x) {}"
GUARD_BOMB = "ASK {} " + "a-" * (16 * 1024 - 8)
#: A string doubled 28 times: 4 GiB, more than any query may claim; stopped at the worker's allowance.
DOUBLING = ("SELECT (STRLEN(?v28) AS ?length) WHERE { BIND(\"0123456789abcdef\" AS ?v0) "
            + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(28)) + " }")
LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/attgraph/id/article/9> ?p ?o }"
WELL_BEHAVED = {
    "ASK {}": ("GET", "/sparql?query=" + quote("ASK {}"), b""),
    "/id/article/9": ("GET", "/id/article/9", b""),
    "lookup": ("GET", "/sparql?query=" + quote(LOOKUP), b""),
    "home page": ("GET", "/", b""),
}


@dataclass
class Outcome:
    """What one kind of client got: status codes (or what went wrong) and latencies."""

    statuses: Counter[str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)

    def add(self, status: str, seconds: float) -> None:
        self.statuses[status] += 1
        self.seconds.append(seconds)


async def exchange(port: int, local: str, method: str, path: str, body: bytes = b"",
                   headers: dict[str, str] | None = None, timeout: float = 15.0) -> tuple[str, float]:
    """One HTTP/1.1 request from ``local``; the status (or ``closed``/``timeout``/``refused``) and the seconds."""
    started = time.monotonic()
    writer = None
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, local_addr=(local, 0)), timeout)
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
                f"Content-Length: {len(body)}"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), timeout)
        rest = await asyncio.wait_for(reader.read(), timeout)
        status = line.split()[1].decode() if len(line.split()) > 1 else "closed"
        if status >= "400" and b'"code":' in rest:  # the error's code: what the service said
            status += " " + rest.split(b'"code":', 1)[1].split(b'"')[1].decode(errors="replace")
    except TimeoutError:
        status = "timeout"
    except (ConnectionError, OSError):
        status = "refused"
    finally:
        if writer is not None:
            writer.close()
    return status, time.monotonic() - started


class Soak:
    """One run against the service on ``port`` until ``stop`` (monotonic)."""

    def __init__(self, port: int, seconds: float) -> None:
        self.port = port
        self.stop = time.monotonic() + seconds
        self.attacks: dict[str, Outcome] = defaultdict(Outcome)
        self.good: dict[str, Outcome] = defaultdict(Outcome)
        self.timeline: list[tuple[float, int, int, float]] = []  # (t, alive, wanted, tree PSS MiB)
        self.held_open = 0

    def running(self) -> bool:
        return time.monotonic() < self.stop

    async def loop(self, name: str, local: str, method: str, path: str, body: bytes = b"",
                   headers: dict[str, str] | None = None, pause: float = 0.0) -> None:
        while self.running():
            status, seconds = await exchange(self.port, local, method, path, body, headers)
            self.attacks[name].add(status, seconds)
            await asyncio.sleep(pause)

    async def held(self, local: str, count: int) -> None:
        async def one() -> None:
            while self.running():
                try:
                    reader, writer = await asyncio.open_connection("127.0.0.1", self.port, local_addr=(local, 0))
                except OSError:
                    self.attacks["held"].add("refused", 0.0)
                    await asyncio.sleep(0.5)
                    continue
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
                self.held_open += 1
                started = time.monotonic()
                try:
                    data = await asyncio.wait_for(reader.read(), max(0.1, self.stop - time.monotonic()))
                    self.attacks["held"].add(data.split(b" ", 2)[1].decode() if data.count(b" ") else "closed",
                                             time.monotonic() - started)
                except (TimeoutError, OSError):
                    pass
                finally:
                    self.held_open -= 1
                    writer.close()
        await asyncio.gather(*(one() for _ in range(count)))

    async def slow_headers(self, local: str) -> None:
        while self.running():
            started = time.monotonic()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port, local_addr=(local, 0))
                writer.write(b"GET /health HTTP/1.1\r\n")
                status = "open"
                for number in range(60):
                    if not self.running():
                        break
                    writer.write(f"X-Slow-{number}: 1\r\n".encode())
                    await writer.drain()
                    try:
                        line = await asyncio.wait_for(reader.readline(), 2.0)
                    except TimeoutError:
                        continue
                    status = line.split()[1].decode() if len(line.split()) > 1 else "closed"
                    break
                writer.close()
            except OSError:
                status = "refused"
            self.attacks["slow headers"].add(status, time.monotonic() - started)

    async def slow_body(self, local: str) -> None:
        while self.running():
            started = time.monotonic()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port, local_addr=(local, 0))
                writer.write(b"POST /api/validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
                             b"Content-Length: 100000\r\n\r\n")
                status = "open"
                while self.running():
                    writer.write(b"#")
                    await writer.drain()
                    try:
                        line = await asyncio.wait_for(reader.readline(), 1.0)
                    except TimeoutError:
                        continue
                    status = line.split()[1].decode() if len(line.split()) > 1 else "closed"
                    break
                writer.close()
            except OSError:
                status = "refused"
            self.attacks["slow body"].add(status, time.monotonic() - started)

    async def abandoned(self, local: str) -> None:
        while self.running():
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port, local_addr=(local, 0))
                writer.write(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                             b"Content-Length: 1000\r\n\r\nASK {")
                await writer.drain()
                await asyncio.sleep(0.05)
                writer.close()
                self.attacks["odd"].add("abandoned", 0.0)
            except OSError:
                self.attacks["odd"].add("refused", 0.0)
            await asyncio.sleep(0.2)

    async def warm_up(self) -> None:
        """The well-behaved client's first, quick requests, before any attack: it is a known client."""
        for method, path, body in WELL_BEHAVED.values():
            await exchange(self.port, GOOD, method, path, body)

    async def well_behaved(self) -> None:
        while self.running():
            for name, (method, path, body) in WELL_BEHAVED.items():
                status, seconds = await exchange(self.port, GOOD, method, path, body)
                self.good[name].add(status, seconds)
            await asyncio.sleep(0.05)

    async def watch(self, pid: int) -> None:
        started = time.monotonic()
        while self.running():
            alive, wanted = await health(self.port)
            self.timeline.append((time.monotonic() - started, alive, wanted, tree_memory(pid).pss_mb))
            await asyncio.sleep(1.0)

    async def observe(self, pid: int) -> None:
        """The well-behaved client and the watch, on their own (run in a process of their own, so that the
        attackers' work on the client side does not count in the well-behaved client's figures)."""
        await self.warm_up()
        await asyncio.gather(self.well_behaved(), self.watch(pid))

    async def attack(self) -> None:
        """Every attack at once, until the run ends."""
        uploads = _uploads()
        deep = b'{"@id": "http://x/a", "http://x/p": ' + b"[" * 3300 + b"1" + b"]" * 3300 + b"}"
        attacks = [
            self.held("127.0.1.1", 200),
            self.loop("crash", "127.0.1.2", "POST", "/sparql", CRASH.encode(),
                      {"Content-Type": "application/sparql-query"}, pause=0.3),
            *(self.loop("deadline", f"127.0.2.{n}", "POST", "/sparql", CROSS.encode(),
                        {"Content-Type": "application/sparql-query"}) for n in range(1, 33)),
            *(self.loop("guard", "127.0.1.3", "POST", "/sparql", GUARD_BOMB.encode(),
                        {"Content-Type": "application/sparql-query"}) for _ in range(4)),
            *(self.loop("memory", f"127.0.3.{n}", "POST", "/sparql", DOUBLING.encode(),
                        {"Content-Type": "application/sparql-query"}) for n in range(1, 5)),
            *(self.slow_headers("127.0.1.4") for _ in range(10)),
            *(self.slow_body("127.0.1.5") for _ in range(10)),
            self.loop("uploads", "127.0.1.6", "POST", "/api/validate", uploads,
                      {"Content-Type": "text/turtle"}, pause=0.5),
            self.loop("uploads", "127.0.1.6", "POST", "/api/validate", deep,
                      {"Content-Type": "application/ld+json"}, pause=0.5),
            *(self.loop("validations", "127.0.1.9", "POST", "/api/validate", LINKED, {"Content-Type": "text/turtle"})
              for _ in range(4)),
            self.loop("odd", "127.0.1.7", "GET", "/sparql?query=" + "a" * 102_400, pause=0.2),
            self.loop("odd", "127.0.1.7", "GET", "/id/%3Cscript%3E", pause=0.2),
            self.loop("odd", "127.0.1.7", "BREW", "/ coffee", pause=0.2),
            self.abandoned("127.0.1.8"),
        ]
        await asyncio.gather(*attacks)


def _observe(port: int, seconds: float, pid: int,
             results: multiprocessing.Queue[tuple[dict[str, Outcome], list[tuple[float, int, int, float]]]],
             ) -> None:
    run = Soak(port, seconds)
    asyncio.run(run.observe(pid))
    results.put((dict(run.good), run.timeline))


#: A small file that links to our graph: checking it validates the whole graph beside it.
LINKED = (b"@prefix att: <https://w3id.org/attgraph/ontology#> .\n"
          b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
          b"<https://example.org/soak/note> a att:Recommendation ; rdfs:label \"soak\"@en , \"soak\"@zh ;\n"
          b"    att:addressedTo <https://w3id.org/attgraph/id/session/CSP12> ; att:status att:proposed .\n")


def _uploads() -> bytes:
    """A Turtle upload of 1,000,000 triples in under 4 MB (one subject, one predicate, an object list)."""
    return b"@prefix : <http://x/> .\n:s :p " + b",".join([b":o"] * 1_000_000) + b" .\n"


async def health(port: int) -> tuple[int, int]:
    """Workers alive and wanted, as one service process's /health says (0, 0 if it does not answer)."""
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, local_addr=(GOOD, 0)), 5)
        writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        queries = json.loads(data.split(b"\r\n\r\n", 1)[1])["queries"]
        return int(queries["alive"]), int(queries["workers"])
    except (OSError, TimeoutError, ValueError, KeyError, IndexError):
        return 0, 0


async def recovered(port: int, seconds: float = 20.0) -> tuple[bool, str]:
    """Whether, within ``seconds`` after the attack, every process's pool is whole (ten /health answers in a
    row say so) and ``ASK {}`` answers 200; and what ``ASK {}`` answered."""
    deadline = time.monotonic() + seconds
    whole = 0
    while time.monotonic() < deadline and whole < 10:
        alive, wanted = await health(port)
        whole = whole + 1 if wanted and alive == wanted else 0
        await asyncio.sleep(0.1)
    status, _ = await exchange(port, GOOD, "GET", "/sparql?query=" + quote("ASK {}"))
    return whole >= 10 and status == "200", status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``attgraph serve`` on ``port``, once it answers; its output goes to ``log``.

    To a file, never to a pipe that nobody reads: the service logs the attacks (a summary every ten
    seconds, uvicorn a line per malformed request), and once a pipe's 64 KiB are full every process of
    the tree blocks on its next line of log and stops answering."""
    with log.open("wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "attgraph.cli", "serve", "--host", "127.0.0.1",
                                    "--port", str(port)], env={**os.environ, **env}, cwd=ROOT,
                                   stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service did not start: {log.read_text(errors='replace')[-3000:]}")
        if asyncio.run(health(port))[1]:
            return process
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("the service did not answer within 180 s")


@dataclass(frozen=True)
class Report:
    """The figures of one run and whether the invariants held."""

    text: str
    good_failures: int
    recovered: bool
    ask_status: str
    memory_growth_mb: float
    budget_mb: float
    workers_min: int
    good_p99: dict[str, float]

    @property
    def ok(self) -> bool:
        return self.good_failures == 0 and self.recovered and self.memory_growth_mb <= self.budget_mb


def soak(seconds: float, env: dict[str, str] | None = None) -> Report:
    """Start a service with ``env``, run the soak for ``seconds``, stop the service; the report."""
    env = {"ATTGRAPH_MEMORY_BUDGET_MB": "4096", **(env or {})}
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="attgraph-soak-")) / "serve.log"
    process = start_server(port, env, log)
    try:
        settle = time.monotonic() + 5
        while time.monotonic() < settle:
            time.sleep(0.2)
        base_pss = tree_memory(process.pid).pss_mb
        run = Soak(port, seconds + 2)
        results: multiprocessing.Queue[tuple[dict[str, Outcome], list[tuple[float, int, int, float]]]] = \
            multiprocessing.get_context("fork").Queue()
        observer = multiprocessing.get_context("fork").Process(target=_observe, args=(port, seconds + 2,
                                                                                        process.pid, results))
        observer.start()
        time.sleep(2)  # the well-behaved client has been seen before the attack starts
        run.stop = time.monotonic() + seconds
        asyncio.run(run.attack())
        run.good, run.timeline = results.get(timeout=60)
        observer.join(10)
        back, ask = asyncio.run(recovered(port))
        peak = max((pss for *_, pss in run.timeline), default=base_pss)
        budget = float(env["ATTGRAPH_MEMORY_BUDGET_MB"])
        return _report(run, back, ask, peak - base_pss, budget, base_pss, len(process_tree(process.pid)), log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(log.parent, ignore_errors=True)


def _report(run: Soak, back: bool, ask: str, growth: float, budget: float, base: float, processes: int,
            log: Path) -> Report:
    lines = ["| attacker | requests | what it got | p50 s | p99 s |", "|---|---|---|---|---|"]
    for name, outcome in sorted(run.attacks.items()):
        got = ", ".join(f"{status} ×{count}" for status, count in outcome.statuses.most_common())
        lines.append(f"| {name} | {sum(outcome.statuses.values())} | {got} | {percentile(outcome.seconds, 0.5):.2f} | "
                     f"{percentile(outcome.seconds, 0.99):.2f} |")
    lines += ["", "| well-behaved request | requests | p50 ms | p99 ms | max ms | not 200 |",
              "|---|---|---|---|---|---|"]
    answers = []
    failures = 0
    p99: dict[str, float] = {}
    for name, outcome in run.good.items():
        bad = sum(count for status, count in outcome.statuses.items() if status != "200")
        failures += bad
        p99[name] = percentile(outcome.seconds, 0.99)
        lines.append(f"| {name} | {len(outcome.seconds)} | {1000 * percentile(outcome.seconds, 0.5):.0f} | "
                     f"{1000 * p99[name]:.0f} | {1000 * max(outcome.seconds, default=0):.0f} | {bad} |")
        answers += [f"{name}: {status} ×{count}" for status, count in outcome.statuses.items() if status != "200"]
    if answers:
        lines.append("well-behaved requests not answered 200: " + "; ".join(answers))
    alive = [a for _, a, w, _ in run.timeline if w]
    pss = [m for *_, m in run.timeline]
    wanted = max((w for _, _, w, _ in run.timeline), default=0)
    lines += ["", f"workers alive in the process asked, each second: min {min(alive, default=0)}, "
                  f"max {max(alive, default=0)} of {wanted}",
              f"tree memory (PSS): {base:.0f} MiB before, peak {max(pss, default=base):.0f} MiB "
              f"(+{growth:.0f}; budget {budget:.0f}), {processes} processes at the end",
              f"after the attack: pool whole and ASK {{}} answered {ask}: {'yes' if back else 'NO'}",
              f"invariants: well-behaved failures {failures}, recovered {back}, memory within budget "
              f"{growth <= budget}"]
    written = log.read_text(errors="replace").splitlines() if log.exists() else []
    lines.append(f"the service's log: {sum(len(line) + 1 for line in written) / 1024:.0f} KiB, {len(written)} lines")
    kinds = Counter(re.sub(r"\d+", "N", line)[:100] for line in written)
    lines += [f"    ×{count} {kind}" for kind, count in kinds.most_common(5)]
    if failures or not back:
        lines += ["its last lines:", *(f"    {line}" for line in written[-20:])]
    return Report("\n".join(lines), failures, back, ask, growth, budget, min(alive, default=0), p99)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    report = soak(args.seconds)
    print(report.text)
    target = all(value <= 1.0 for name, value in report.good_p99.items() if name in ("ASK {}", "/id/article/9"))
    met = target and not report.good_failures
    print(f"fairness target (ASK {{}} and /id/article/9 p99 ≤ 1 s, no 5xx): {'met' if met else 'NOT met'}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
