"""The benchmark: ``python bench/run.py --scale 10`` (or ``make bench``).

Generates ATT-shaped data at the scale asked (``bench/generate.py``, in a temporary folder), then measures,
side by side in the same run:

* **in process**: pyoxigraph's in-memory store, attgraph's graph over its prebuilt store (in memory and on
  disk) and rdflib's own evaluator: load time, memory, per-query p50/p95 of the query mix;
* **over HTTP** on loopback: the raw Oxigraph server (in memory), attgraph embedded (``attgraph serve``, one
  and two service processes), attgraph in front of a remote Oxigraph server (``serve --store``, data loaded
  by ``attgraph push``) and, to price the safety, the same store served with every guard off
  (``bench/bare.py``): load time, cold start, memory, per-query p50/p95, lookups per second at concurrency 1
  and 16, and lookup latency while four aggregations run.

Figures are also given as ratios against the raw Oxigraph server (HTTP) or pyoxigraph (in process). Load
generators (``bench/loadgen.py``) only talk to 127.0.0.1 and stop after a bounded time and count. With
``--write`` the tables go into ``bench/README.md`` with the machine and the date.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import QUERIES, Memory, lookup_resources, percentile, tree_memory  # noqa: E402
from generate import generate  # noqa: E402

from attgraph.engine.remote import bind_values  # noqa: E402
from attgraph.knowledge.namedqueries import load_catalog  # noqa: E402

PYTHON = sys.executable
OXIGRAPH = str(Path(PYTHON).with_name("oxigraph")) if Path(PYTHON).with_name("oxigraph").exists() \
    else shutil.which("oxigraph") or "oxigraph"
ATTGRAPH = [PYTHON, "-m", "attgraph.cli"]
_MARK_START = "<!-- bench:start -->"
_MARK_END = "<!-- bench:end -->"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A server process this run started (in its own process group), and where it answers."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    endpoint: str
    started: float
    log: Path

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def memory(self) -> Memory:
        """The memory of the server and its children."""
        return tree_memory(self.process.pid)

    def stop(self) -> None:
        """Stop the process group this run started."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _spawn(name: str, command: list[str], port: int, endpoint: str, env: dict[str, str] | None = None,
           cwd: Path | None = None) -> Server:
    log = Path(tempfile.gettempdir()) / f"attgraph-bench-{name}.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, **(env or {})}, cwd=cwd)
    return Server(name, process, port, endpoint, time.perf_counter(), log)


def _wait_ready(server: Server, path: str, timeout: float = 300.0) -> float:
    """Poll ``path`` until it answers 200; the seconds since the server was spawned."""
    deadline = time.monotonic() + timeout
    with httpx.Client(trust_env=False) as client:
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited with {server.process.returncode}: "
                                   f"{server.log.read_text(errors='replace')[-2000:]}")
            try:
                if client.get(server.base + path, timeout=5).status_code == 200:
                    return time.perf_counter() - server.started
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{server.name} did not answer within {timeout} s")
            time.sleep(0.01)


def _settle(server: Server, mix: Mix, timeout: float = 120.0) -> None:
    """Wait until 20 lookups in a row are answered in under 50 ms each (every worker process is up)."""
    deadline = time.monotonic() + timeout
    fast = 0
    with httpx.Client(trust_env=False) as client:
        while fast < 20 and time.monotonic() < deadline:
            started = time.perf_counter()
            response = client.get(f"{server.base}{server.endpoint}", params={"query": mix.lookups[fast]})
            fast = fast + 1 if response.status_code == 200 and time.perf_counter() - started < 0.05 else 0


# -- the query mix --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mix:
    """Each query of the mix as the text sent over the protocol (parameters bound), and the lookups."""

    texts: dict[str, str]
    lookups: list[str]


def make_mix(data: Path) -> Mix:
    """The queries of ``bench/queries`` with their default parameters bound, and 200 lookups."""
    catalog = load_catalog(QUERIES)
    texts: dict[str, str] = {}
    for name, query in catalog.items():
        texts[name] = bind_values(query.sparql, {v.value: t for v, t in query.bindings({}).items()})
    lookup = catalog["lookup"]
    lookups = [bind_values(lookup.sparql, {v.value: t for v, t in lookup.bindings({"resource": iri}).items()})
               for iri in lookup_resources(data, 200)]
    return Mix(texts, lookups)


def _paths(endpoint: str, texts: list[str], folder: Path, name: str) -> Path:
    path = folder / f"{name}.paths"
    path.write_text("".join(f"{endpoint}?query={quote(t, safe='')}\n" for t in texts), encoding="ascii")
    return path


def loadgen(port: int, paths: Path, concurrency: int, seconds: float, max_requests: int = 200_000,
            warmup: float = 0.3) -> dict[str, Any]:
    """Run ``bench/loadgen.py`` against ``port`` and return its summary."""
    output = subprocess.run([PYTHON, str(BENCH / "loadgen.py"), "--port", str(port), "--paths", str(paths),
                             "--concurrency", str(concurrency), "--seconds", str(seconds), "--warmup", str(warmup),
                             "--max-requests", str(max_requests)], capture_output=True, check=True, text=True)
    summary: dict[str, Any] = json.loads(output.stdout)
    return summary


@contextlib.contextmanager
def background_load(port: int, paths: Path, concurrency: int, seconds: float) -> Iterator[None]:
    """Keep ``concurrency`` clients busy with ``paths`` while the block runs."""
    process = subprocess.Popen([PYTHON, str(BENCH / "loadgen.py"), "--port", str(port), "--paths", str(paths),
                                "--concurrency", str(concurrency), "--seconds", str(seconds), "--warmup", "0"],
                               stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(0.5)
        yield
    finally:
        process.terminate()
        process.wait()


@dataclass
class HttpResult:
    """What was measured of one system over HTTP."""

    name: str
    server: Server
    load_s: float | None = None
    cold_start_s: float | None = None
    memory_start: Memory | None = None
    memory: Memory | None = None
    memory_rest: Memory | None = None
    queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    rps: dict[int, dict[str, Any]] = field(default_factory=dict)
    busy: dict[str, Any] | None = None


def _best(current: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    return new if current is None or new["rps"] > current["rps"] else current


def latencies(systems: list[HttpResult], mix: Mix, seconds: float, most: int = 200) -> None:
    """p50/p95 of each query of the mix with one client, the systems taking turns request by request (in
    alternating order), so that a slower or busier moment of the machine weighs on all of them alike."""
    connections = {system.name: http.client.HTTPConnection("127.0.0.1", system.server.port, timeout=120)
                   for system in systems}

    def ask(system: HttpResult, text: str) -> float:
        connection = connections[system.name]
        started = time.perf_counter()
        connection.request("GET", f"{system.server.endpoint}?query={quote(text, safe='')}")
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{system.name} answered {response.status}")
        return elapsed

    try:
        for name, text in mix.texts.items():
            texts = mix.lookups if name == "lookup" else [text]
            samples: dict[str, list[float]] = {system.name: [] for system in systems}
            for system in systems:  # warm up
                ask(system, texts[0])
            deadline = time.monotonic() + seconds * len(systems)
            turn = 0
            while turn < most and time.monotonic() < deadline:
                for system in systems if turn % 2 == 0 else systems[::-1]:
                    samples[system.name].append(ask(system, texts[turn % len(texts)]))
                turn += 1
            for system in systems:
                times = samples[system.name]
                system.queries[name] = {"p50_ms": percentile(times, 0.5) * 1000,
                                        "p95_ms": percentile(times, 0.95) * 1000, "requests": len(times)}
    finally:
        for connection in connections.values():
            connection.close()


def measure_http(systems: list[HttpResult], mix: Mix, folder: Path, args: argparse.Namespace, *,
                 per_query: list[HttpResult], busy: list[HttpResult]) -> None:
    """Measure ``systems`` taking turns, so that load from elsewhere on the machine weighs on all alike.

    Per-query latency with one client (``per_query``, see :func:`latencies`), then lookups per second at
    concurrency 1 and 16, the best of two runs each, then lookup latency at concurrency 4 while 4 clients run
    aggregations (``busy``), then memory right after the load and again ``REST_SECONDS`` later.
    """
    if per_query:
        latencies(per_query, mix, args.query_seconds)
    for concurrency in (1, 16):
        for _ in range(2):
            for system in systems:
                lookups = _paths(system.server.endpoint, mix.lookups, folder, f"{system.server.name}-lookup")
                system.rps[concurrency] = _best(system.rps.get(concurrency),
                                                loadgen(system.server.port, lookups, concurrency, args.seconds))
    for system in busy:
        server = system.server
        lookups = _paths(server.endpoint, mix.lookups, folder, f"{server.name}-lookup")
        aggregation = _paths(server.endpoint, [mix.texts["aggregation"]], folder, f"{server.name}-agg")
        with background_load(server.port, aggregation, 4, args.seconds + 5):
            system.busy = loadgen(server.port, lookups, 4, args.seconds, warmup=0.5)
    for system in systems:
        system.memory = system.server.memory()
    time.sleep(REST_SECONDS)
    for system in systems:
        system.memory_rest = system.server.memory()


#: How long after the last load the memory "at rest" is read: query workers that grew under load are replaced
#: once idle for 2 s (``attgraph.engine.executor``).
REST_SECONDS = 3.0


# -- the systems ---------------------------------------------------------------------------------------

def start_raw_oxigraph(data: Path) -> HttpResult:
    """The Oxigraph server, in memory, every graph in the default graph; data POSTed as N-Quads."""
    port = _free_port()
    server = _spawn("oxigraph", [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                    port, "/query")
    _wait_ready(server, "/query?query=ASK%7B%7D")
    started = time.perf_counter()
    with httpx.Client(trust_env=False, timeout=600) as client, (data / "attgraph.nq").open("rb") as body:
        client.post(f"{server.base}/store", content=body,
                    headers={"content-type": "application/n-quads"}).raise_for_status()
    return HttpResult("raw Oxigraph server", server, load_s=time.perf_counter() - started)


#: The name of the row of ``attgraph serve`` with every query, lookups too, in a worker.
IN_WORKERS = "attgraph embedded, lookups in workers too"


def start_attgraph(data: Path, mix: Mix, processes: int | None = None, in_workers: bool = False) -> HttpResult:
    """``attgraph serve`` over the prebuilt store (fresh, so it opens without parsing Turtle), with its default
    settings, or with ``processes`` service processes, or (``in_workers``) with every single-resource lookup
    sent to a query worker like any other query (``ATTGRAPH_LOOKUPS_MB=0``)."""
    port = _free_port()
    command = [*ATTGRAPH, "--root", str(data), "serve", "--port", str(port)]
    if processes is not None:
        command += ["--processes", str(processes)]
    label = "attgraph-workers" if in_workers else "attgraph" if processes is None else f"attgraph-p{processes}"
    # The answer cache off: these figures are the evaluation path's (the 200 lookups repeat); bench/cache.py
    # measures the cache.
    env = {"ATTGRAPH_CACHE_MB": "0", **({"ATTGRAPH_LOOKUPS_MB": "0"} if in_workers else {})}
    server = _spawn(label, command, port, "/sparql", env=env)
    ready = _wait_ready(server, f"/sparql?query={quote(mix.lookups[0], safe='')}")
    _settle(server, mix)
    start_memory = server.memory()
    name = IN_WORKERS if in_workers else "attgraph embedded" + (
        f", {processes} service process{'es' if processes > 1 else ''}" if processes is not None else "")
    return HttpResult(name, server, cold_start_s=ready, memory_start=start_memory)


def start_remote_store() -> Server:
    """A fresh, empty Oxigraph server for remote mode."""
    port = _free_port()
    store = _spawn("store", [OXIGRAPH, "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "30"], port,
                   "/query")
    _wait_ready(store, "/query?query=ASK%7B%7D")
    return store


def start_attgraph_remote(data: Path, mix: Mix, store: Server) -> HttpResult:
    """``attgraph push`` into ``store``, then ``attgraph serve --store`` in front of it."""
    started = time.perf_counter()
    subprocess.run([*ATTGRAPH, "--root", str(data), "push", f"{store.base}/store"], check=True, capture_output=True)
    load = time.perf_counter() - started
    port = _free_port()
    server = _spawn("attgraph-remote", [*ATTGRAPH, "--root", str(data), "serve", "--port", str(port),
                                        "--store", f"{store.base}/query"], port, "/sparql",
                    env={"ATTGRAPH_CACHE_MB": "0"})
    ready = _wait_ready(server, f"/sparql?query={quote(mix.lookups[0], safe='')}")
    _settle(server, mix)
    return HttpResult("attgraph → remote Oxigraph", server, load_s=load, cold_start_s=ready)


def start_bare(data: Path, mix: Mix) -> HttpResult:
    """The same store, served the same way with every safety rule off (``bench/bare.py``), with as many
    processes as ``attgraph serve`` runs by default, so that the difference is the safety alone."""
    from attgraph.settings import Settings

    port = _free_port()
    processes = Settings().processes
    server = _spawn("bare", [PYTHON, str(BENCH / "bare.py"), str(data), "--port", str(port), "--processes",
                             str(processes)], port, "/sparql")
    ready = _wait_ready(server, f"/sparql?query={quote(mix.lookups[0], safe='')}")
    _settle(server, mix)
    return HttpResult(f"safety off (bench/bare.py, {processes} processes)", server, cold_start_s=ready)


def run_http(data: Path, mix: Mix, folder: Path, args: argparse.Namespace) -> tuple[list[HttpResult], Memory]:
    """Phase 1: raw Oxigraph, attgraph embedded, attgraph remote and safety-off side by side. Phase 2:
    attgraph with one service process (to show how it scales), beside the raw Oxigraph server again."""
    servers: list[Server] = []
    try:
        print("HTTP: starting attgraph embedded (cold start) …", file=sys.stderr)
        embedded = start_attgraph(data, mix)
        servers.append(embedded.server)
        print("HTTP: starting the raw Oxigraph server …", file=sys.stderr)
        raw = start_raw_oxigraph(data)
        servers.append(raw.server)
        print("HTTP: starting attgraph in front of a remote Oxigraph server …", file=sys.stderr)
        store = start_remote_store()
        servers.append(store)
        remote = start_attgraph_remote(data, mix, store)
        servers.append(remote.server)
        print("HTTP: starting the safety-off server …", file=sys.stderr)
        off = start_bare(data, mix)
        servers.append(off.server)
        print("HTTP: starting attgraph with lookups in workers too …", file=sys.stderr)
        in_workers = start_attgraph(data, mix, in_workers=True)
        servers.append(in_workers.server)
        print("HTTP: measuring …", file=sys.stderr)
        measure_http([raw, embedded, in_workers, remote, off], mix, folder, args, per_query=[raw, embedded, remote],
                     busy=[raw, embedded])
        store_memory = store.memory()
    finally:
        for server in servers:
            server.stop()
    servers = []
    try:
        print("HTTP: attgraph with one service process …", file=sys.stderr)
        one = start_attgraph(data, mix, processes=1)
        servers.append(one.server)
        raw_again = start_raw_oxigraph(data)
        servers.append(raw_again.server)
        measure_http([raw_again, one], mix, folder, args, per_query=[], busy=[])
        for concurrency in (1, 16):  # as a ratio to the raw server of its own phase
            one.rps[concurrency]["vs_raw"] = one.rps[concurrency]["rps"] / raw_again.rps[concurrency]["rps"]
    finally:
        for server in servers:
            server.stop()
    return [raw, embedded, in_workers, one, remote, off], store_memory


def in_process(data: Path, systems: list[str], timed_together: list[list[str]]) -> dict[str, dict[str, Any]]:
    """Load and memory of each system (a process each), then query timings (``timed_together``: the
    systems that take turns in one process)."""
    found: dict[str, dict[str, Any]] = {}
    for system in systems:
        print(f"in process: loading {system} …", file=sys.stderr)
        output = subprocess.run([PYTHON, str(BENCH / "inprocess.py"), "load", system, str(data)],
                                capture_output=True, check=True, text=True)
        found[system] = json.loads(output.stdout)
    for group in timed_together:
        print(f"in process: timing {', '.join(group)} …", file=sys.stderr)
        output = subprocess.run([PYTHON, str(BENCH / "inprocess.py"), "queries", str(data), *group],
                                capture_output=True, check=True, text=True)
        for system, queries in json.loads(output.stdout).items():
            found[system]["queries"] = queries
    return found


def prebuild(data: Path, *, disk: bool, from_nquads: bool) -> dict[str, Any]:
    """Write a prebuilt store for ``data`` (``bench/prebuild.py``) and return its timing."""
    command = [PYTHON, str(BENCH / "prebuild.py"), str(data)] + (["--disk"] if disk else []) + \
        (["--from-nquads"] if from_nquads else [])
    output = subprocess.run(command, capture_output=True, check=True, text=True)
    found: dict[str, Any] = json.loads(output.stdout)
    return found


# -- tables ----------------------------------------------------------------------------------------------

def _ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base > 0 else "–"


def _machine() -> str:
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.rstrip()
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}\n"
            f"- `nproc`: {os.cpu_count()}; load average at the start: {' '.join(load)}\n"
            f"- Python {platform.python_version()}, pyoxigraph {_version('pyoxigraph')}, "
            f"oxigraph server {_version('oxigraph')}, rdflib {_version('rdflib')}\n"
            f"- `free -h`:\n\n```\n{free}\n```\n")


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def render(scale: int, statements: int, machine: str, builds: dict[str, dict[str, Any]],
           engines: dict[str, dict[str, Any]], http: list[HttpResult], store_memory: Memory | None) -> str:
    """The tables, as Markdown."""
    lines = [f"### Scale ×{scale}: {statements:,} statements", "", machine]
    lines += ["#### Building the prebuilt store (`attgraph build`, once)", "",
              "| how | seconds | peak memory MB |", "|---|---:|---:|"]
    for name, info in builds.items():
        lines.append(f"| {name} | {info['seconds']:.2f} | {info['peak_mb']:.0f} |")
    lines += ["", "#### In process: load, memory, per-query p50 / p95 (ms)", ""]
    order = [s for s in ("oxigraph", "attgraph", "attgraph-disk", "rdflib") if s in engines]
    titles = {"oxigraph": "pyoxigraph (memory)", "attgraph": "attgraph (prebuilt, memory)",
              "attgraph-disk": "attgraph (prebuilt, on disk)", "rdflib": "rdflib"}
    base = engines.get("oxigraph")
    lines.append("| | " + " | ".join(titles[s] for s in order) + " |")
    lines.append("|---|" + "---:|" * len(order))
    lines.append("| load s | " + " | ".join(f"{engines[s]['load_s']:.2f}" for s in order) + " |")
    lines.append("| memory (RSS) MB | " + " | ".join(f"{engines[s]['rss_mb']:.0f}" for s in order) + " |")
    names = list(engines[order[0]]["queries"]) if order else []
    totals = dict.fromkeys(order, 0.0)
    for name in names:
        cells = []
        for system in order:
            times = engines[system]["queries"][name]["times"]
            p50, p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
            totals[system] += p50
            cell = f"{_ms(p50)} / {_ms(p95)}"
            if base and system != "oxigraph":
                cell += f" ({_ratio(p50, percentile(base['queries'][name]['times'], 0.5) * 1000)})"
            cells.append(cell)
        sizes = {engines[s]["queries"][name]["size"] for s in order}
        flag = "" if len(sizes) == 1 else " ⚠ answers differ: " + ", ".join(
            f"{s} {engines[s]['queries'][name]['size']}" for s in order)
        lines.append(f"| {name} ({sizes.pop() if len(sizes) == 1 else '?'} rows){flag} | " + " | ".join(cells) + " |")
    lines.append("| **mix, sum of p50** | " + " | ".join(f"{_ms(totals[s])}" for s in order) + " |")
    if "rdflib" in engines and "attgraph" in engines:
        lines += ["", "attgraph against rdflib, per query (p50): " + ", ".join(
            f"{name} {percentile(engines['rdflib']['queries'][name]['times'], 0.5) / percentile(engines['attgraph']['queries'][name]['times'], 0.5):.0f}× faster"  # noqa: E501
            for name in names) + "."]
    lines += ["", "#### Over HTTP (loopback)", ""]
    raw = next((h for h in http if h.name.startswith("raw")), None)
    lines.append("| | load s | cold start s | memory MB, PSS: at start / after the load / at rest | lookups/s c=1 | "
                 "lookups/s c=16 | lookup p50 / p99 ms c=16 | non-200 c=16 | lookup p99 ms, 4 aggregations running |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for h in http:
        memory = (" / ".join(f"{m.pss_mb:.0f}" if m else "–" for m in (h.memory_start, h.memory, h.memory_rest))
                  + f" ({h.memory.processes} proc)") if h.memory else "–"
        c1, c16 = h.rps.get(1, {}), h.rps.get(16, {})
        rps1, rps16 = (f"{c.get('rps', 0):.0f} ({c['vs_raw'] if 'vs_raw' in c else c['rps'] / raw.rps[n]['rps']:.2f}×)"
                       if raw and c else "–" for n, c in ((1, c1), (16, c16)))
        busy = f"{h.busy['p99_ms']:.1f}" if h.busy else "–"
        lines.append(f"| {h.name} | {f'{h.load_s:.2f}' if h.load_s is not None else '–'} | "
                     f"{f'{h.cold_start_s:.2f}' if h.cold_start_s is not None else '–'} | {memory} | {rps1} | "
                     f"{rps16} | {_ms(c16.get('p50_ms', 0))} / {_ms(c16.get('p99_ms', 0))} | "
                     f"{sum(v for k, v in c16.get('statuses', {}).items() if k != '200')} | {busy} |")
    if store_memory is not None:
        lines.append(f"\nThe remote Oxigraph server behind `attgraph → remote Oxigraph` used "
                     f"{store_memory.rss_mb:.0f} MB (RSS).")
    with_queries = [h for h in http if h.queries]
    if with_queries and raw:
        lines += ["", "Per query over HTTP, one client, the systems taking turns request by request, p50 / p95 ms "
                  "(ratio of p50 to the raw Oxigraph server):", "",
                  "| query | " + " | ".join(h.name for h in with_queries) + " |",
                  "|---|" + "---:|" * len(with_queries)]
        for name in raw.queries:
            cells = []
            for h in with_queries:
                q = h.queries[name]
                cell = f"{_ms(q['p50_ms'])} / {_ms(q['p95_ms'])}"
                if h is not raw:
                    cell += f" ({_ratio(q['p50_ms'], raw.queries[name]['p50_ms'])})"
                cells.append(cell)
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _p50(engine: dict[str, Any], name: str) -> float:
    return percentile(engine["queries"][name]["times"], 0.5) * 1000


def targets(scale: int, engines: dict[str, dict[str, Any]], http: list[HttpResult]) -> str:
    """The brief's targets for this scale, each with what was measured and whether it was met."""
    rows: list[tuple[str, str, bool | None]] = []
    by_name = {h.name: h for h in http}
    raw, embedded = by_name.get("raw Oxigraph server"), by_name.get("attgraph embedded")
    off = next((h for h in http if h.name.startswith("safety off")), None)
    ours, base, rdf = engines.get("attgraph"), engines.get("oxigraph"), engines.get("rdflib")
    if scale == 10:
        for name in ("aggregation", "join"):
            if ours and base:
                ratio = _p50(ours, name) / _p50(base, name)
                rows.append((f"{name} p50 in process ≤ 1.0× pyoxigraph", f"{ratio:.2f}×", ratio <= 1.0))
            if raw and embedded and name in raw.queries:
                ratio = embedded.queries[name]["p50_ms"] / raw.queries[name]["p50_ms"]
                rows.append((f"{name} p50 over HTTP ≤ 1.0× raw Oxigraph server", f"{ratio:.2f}×", ratio <= 1.0))
            if ours and rdf:
                speed = _p50(rdf, name) / _p50(ours, name)
                rows.append((f"{name} ≥ 30× faster than rdflib", f"{speed:.0f}×", speed >= 30))
        if embedded:
            rps = embedded.rps[16]["rps"]
            rows.append(("lookups ≥ 2,000 req/s at c=16, safety on", f"{rps:.0f} req/s", rps >= 2000))
            p99 = embedded.rps[16]["p99_ms"]
            rows.append(("lookup p99 ≤ 25 ms at c=16", f"{p99:.1f} ms", p99 <= 25))
            if off:
                cost = 1 - embedded.rps[16]["rps"] / off.rps[16]["rps"]
                rows.append(("safety costs ≤ 20% of lookups/s at c=16", f"{cost:.0%}", cost <= 0.20))
                workers = by_name.get(IN_WORKERS)
                if workers:
                    cost = 1 - workers.rps[16]["rps"] / off.rps[16]["rps"]
                    rows.append(("  … with lookups in workers too (for reference)", f"{cost:.0%}", None))
            if embedded.busy:
                rows.append(("lookup p99 ≤ 50 ms with 4 aggregations running", f"{embedded.busy['p99_ms']:.1f} ms",
                             embedded.busy["p99_ms"] <= 50))
            if embedded.cold_start_s is not None:
                rows.append(("cold start to first answer ≤ 1.5 s", f"{embedded.cold_start_s:.2f} s",
                             embedded.cold_start_s <= 1.5))
            for label, memory in (("at start", embedded.memory_start), ("right after the load", embedded.memory),
                                  (f"at rest, {REST_SECONDS:g} s after the load", embedded.memory_rest)):
                if memory:
                    rows.append((f"memory ≤ 250 MB (the whole process tree, PSS), {label}", f"{memory.pss_mb:.0f} MB",
                                 memory.pss_mb <= 250))
    if scale == 100 and ours:
        rows.append(("load ≤ 10 s (prebuilt store, in memory)", f"{ours['load_s']:.1f} s", ours["load_s"] <= 10))
        if "attgraph-disk" in engines:
            disk = engines["attgraph-disk"]
            rows.append(("  … on disk", f"{disk['load_s']:.2f} s", disk["load_s"] <= 10))
        total = sum(_p50(ours, name) for name in ours["queries"]) / 1000
        rows.append(("query mix in process ≤ 3 s in total (sum of p50)", f"{total:.2f} s", total <= 3))
        if "attgraph-disk" in engines:
            disk_total = sum(_p50(engines["attgraph-disk"], n) for n in ours["queries"]) / 1000
            rows.append(("  … on disk", f"{disk_total:.2f} s", disk_total <= 3))
        rows.append(("memory ≤ 1 GB (in process, prebuilt in memory)", f"{ours['rss_mb']:.0f} MB",
                     ours["rss_mb"] <= 1024))
        if embedded:
            for label, memory in (("at start", embedded.memory_start), ("right after the load", embedded.memory),
                                  (f"at rest, {REST_SECONDS:g} s after the load", embedded.memory_rest)):
                if memory:
                    rows.append((f"  … the service's whole process tree (PSS), {label}", f"{memory.pss_mb:.0f} MB",
                                 memory.pss_mb <= 1024))
        if embedded and embedded.cold_start_s is not None:
            rows.append(("  service cold start (for reference)", f"{embedded.cold_start_s:.1f} s", None))
    if not rows:
        return ""
    lines = ["", f"#### Targets at ×{scale}", "", "| target | measured | met |", "|---|---:|:---:|"]
    lines += [f"| {what} | {value} | {'–' if ok is None else ('yes' if ok else '**no**')} |"
              for what, value, ok in rows]
    return "\n".join(lines) + "\n"


def write_readme(scale: int, text: str) -> None:
    """Put ``text`` into ``bench/README.md`` as the block for ``scale``, replacing the block of an earlier run
    at that scale; the blocks stay in order of scale, after everything else in the file."""
    readme = BENCH / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.exists() else ""
    pattern = re.compile(r"<!-- bench:x(\d+):start -->\n(.*?)<!-- bench:x\1:end -->\n*", re.DOTALL)
    blocks = {int(m[1]): m[2] for m in pattern.finditer(current)}
    blocks[scale] = text
    head = pattern.sub("", current).rstrip("\n")
    body = "\n\n".join(f"<!-- bench:x{n}:start -->\n{blocks[n]}<!-- bench:x{n}:end -->" for n in sorted(blocks))
    readme.write_text(f"{head}\n\n{body}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark at one scale and print the tables."""
    parser = argparse.ArgumentParser(description="attgraph benchmark")
    parser.add_argument("--scale", type=int, default=10, help="1, 10 or 100 (≈ 20k, 200k, 2M statements)")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each throughput run")
    parser.add_argument("--query-seconds", type=float, default=2.0, help="time given to each query over HTTP")
    parser.add_argument("--data", type=Path, help="folder for the generated data (default: a temporary one)")
    parser.add_argument("--rdflib", action="store_true", help="include rdflib at ×100 (minutes, gigabytes)")
    parser.add_argument("--skip-http", action="store_true", help="only the in-process measurements")
    parser.add_argument("--write", action="store_true", help="write the tables into bench/README.md")
    args = parser.parse_args(argv)
    args.seconds = min(args.seconds, 30.0)
    args.query_seconds = min(args.query_seconds, 10.0)
    machine = _machine()
    own = args.data is None
    data = Path(tempfile.mkdtemp(prefix="attgraph-bench-")) / "data" if own else args.data
    folder = Path(tempfile.mkdtemp(prefix="attgraph-bench-paths-"))
    try:
        print(f"generating ×{args.scale} into {data} …", file=sys.stderr)
        made = generate(args.scale, data)
        mix = make_mix(data)
        big = args.scale >= 100
        builds: dict[str, dict[str, Any]] = {}
        print("building the prebuilt stores …", file=sys.stderr)
        if not big:
            builds["from Turtle (rdflib), in-memory kind"] = prebuild(data, disk=False, from_nquads=False)
        else:
            builds["from N-Quads (×100: rdflib skipped), in-memory kind"] = prebuild(data, disk=False,
                                                                                      from_nquads=True)
        builds["from N-Quads, on-disk kind"] = prebuild(data, disk=True, from_nquads=True)
        with_rdflib = not big or args.rdflib
        engines = in_process(data, ["oxigraph", "attgraph", "attgraph-disk"] + (["rdflib"] if with_rdflib else []),
                             [["oxigraph", "attgraph", "attgraph-disk"]] + ([["rdflib"]] if with_rdflib else []))
        http: list[HttpResult] = []
        store_memory: Memory | None = None
        if not args.skip_http:
            http, store_memory = run_http(data, mix, folder, args)
        text = render(args.scale, made.statements, machine, builds, engines, http, store_memory)
        text += targets(args.scale, engines, http)
        text += f"\nLoad average at the end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}.\n"
        print(text)
        if args.write:
            write_readme(args.scale, text)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if own:
            shutil.rmtree(data.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
