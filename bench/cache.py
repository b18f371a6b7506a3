"""The load a public endpoint really gets, repeated requests: attgraph's answer cache, behind nginx too.

    python bench/cache.py                 # ×10, 4 s a run (make bench-cache)
    python bench/cache.py --scale 1 --seconds 2

In one run, on loopback, with the data of ``bench/generate.py`` at the scale asked:

* **attgraph** (``attgraph serve``, its defaults: the answer cache on);
* **attgraph behind nginx** (``proxy_cache``, the configuration of ``docs/deployment.md``; nginx from Debian,
  installed here when missing);
* **the raw Oxigraph server** (in memory, no cache of its own);
* **the safety-off baseline** (``bench/bare.py``: the same plumbing as attgraph with every rule off, no cache);
* **attgraph with the cache off** (``ATTGRAPH_CACHE_MB=0``), the "before" of the cold figures.

For the aggregation and the join of the query mix, at concurrency 1 and 16: *warm* (the same request again
and again, as page loads send) and *cold* (every request different: a comment numbered apart), in requests
per second; then ``304`` answers (``If-None-Match`` on a lookup) per second at concurrency 16 beside the
safety-off baseline's lookups; the cold p50 of every query of the mix with the cache on and off, taking
turns (on two servers of the same age: a fresh one with the cache on, not the one that took the warm load);
what a cache miss adds, timed in process; and the memory of attgraph's tree with its cache filled. It
prints the tables and the targets of the issue: warm aggregation and join at c=16 ≥ 10× the raw Oxigraph
server; 304s at c=16 ≥ 0.8× the baseline's lookups; cold no more than 5% slower than with the cache off.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import percentile, tree_memory  # noqa: E402
from generate import generate  # noqa: E402
from run import (  # noqa: E402
    ATTGRAPH,
    HttpResult,
    Mix,
    Server,
    _free_port,
    _settle,
    _spawn,
    _wait_ready,
    loadgen,
    make_mix,
    prebuild,
    start_bare,
    start_raw_oxigraph,
)

NGINX_CONF = """
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=attgraph:16m max_size=512m inactive=10m
                     use_temp_path=off;
    upstream attgraph {{ server 127.0.0.1:{upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://attgraph;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_cache attgraph;
            proxy_cache_key "$request_method$request_uri$http_accept";
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_background_update on;
            add_header X-Cache-Status $upstream_cache_status;
        }}
    }}
}}
"""


def ensure_nginx() -> str:
    """The nginx executable, installed from Debian's packages when missing (as root)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    print("installing nginx (Debian) …", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx-light"], check=True,
                   env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    return shutil.which("nginx") or "/usr/sbin/nginx"


def start_attgraph(data: Path, mix: Mix, name: str, env: dict[str, str]) -> HttpResult:
    port = _free_port()
    server = _spawn(name, [*ATTGRAPH, "--root", str(data), "serve", "--port", str(port)], port, "/sparql", env=env)
    _wait_ready(server, f"/sparql?query={quote(mix.lookups[0], safe='')}")
    _settle(server, mix)
    return HttpResult(name, server)


def start_nginx(upstream: HttpResult, folder: Path) -> HttpResult:
    nginx = ensure_nginx()
    port = _free_port()
    prefix = folder / "nginx"
    (prefix / "cache").mkdir(parents=True, exist_ok=True)
    for each in (folder.parent, folder, prefix, prefix / "cache"):  # nginx's workers run as another user
        each.chmod(0o777)
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=prefix, upstream=upstream.server.port, port=port), encoding="utf-8")
    server = _spawn("nginx", [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], port, "/sparql")
    _wait_ready(server, "/health")
    return HttpResult("attgraph behind nginx (proxy_cache)", server)


def paths(folder: Path, name: str, texts: list[str], endpoint: str = "/sparql") -> Path:
    path = folder / f"{name}.paths"
    path.write_text("".join(f"{endpoint}?query={quote(t, safe='')}\n" for t in texts), encoding="ascii")
    return path


def distinct(text: str, count: int) -> list[str]:
    """``count`` requests that evaluate the same and never repeat (a numbered comment each)."""
    return [f"{text}\n# cold {number}" for number in range(count)]


def etag_of(port: int, text: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", f"/sparql?query={quote(text, safe='')}",
                       headers={"Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("etag") or ""


def cold_latencies(systems: list[HttpResult], mix: Mix, most: int = 200) -> dict[str, dict[str, float]]:
    """p50 (ms) of every query of the mix with one client, every request distinct, the systems taking turns."""
    found: dict[str, dict[str, float]] = {system.name: {} for system in systems}
    connections = {s.name: http.client.HTTPConnection("127.0.0.1", s.server.port, timeout=120) for s in systems}
    counter = 0
    for name, text in mix.texts.items():
        samples: dict[str, list[float]] = {s.name: [] for s in systems}
        for turn in range(most):
            for system in systems if turn % 2 == 0 else systems[::-1]:
                counter += 1
                base = mix.lookups[turn % len(mix.lookups)] if name == "lookup" else text
                connection = connections[system.name]
                started = time.perf_counter()
                connection.request("GET", f"/sparql?query={quote(base + f'  # {counter}', safe='')}")
                connection.getresponse().read()
                samples[system.name].append(time.perf_counter() - started)
        for system in systems:
            found[system.name][name] = percentile(samples[system.name], 0.5) * 1000
    for connection in connections.values():
        connection.close()
    return found


def miss_cost(requests: int = 20_000, rounds: int = 3) -> tuple[float, float]:
    """What the answer cache adds to a request it cannot answer (every request distinct), in process: the
    microseconds per request of a trivial ASGI answer alone and behind :func:`attgraph.web.caching.caching`
    (key, lookup, capture, storing the answer), the best of ``rounds``. This is the "before"/"after" of the cold
    figures without the noise of two server processes."""
    from attgraph.web.caching import Cache, caching

    body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}' * 20

    async def answer(scope: dict[str, object], receive: object, send: object) -> None:
        await send({"type": "http.response.start", "status": 200,  # type: ignore[operator]
                    "headers": [(b"content-type", b"application/sparql-results+json")]})
        await send({"type": "http.response.body", "body": body})  # type: ignore[operator]

    async def ignore(message: object) -> None:
        return None

    async def nothing() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    def scopes() -> list[dict[str, object]]:
        return [{"type": "http", "method": "GET", "path": "/sparql", "raw_path": b"/sparql",
                 "query_string": b"query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D%20%23" + str(i).encode(),
                 "headers": [(b"host", b"127.0.0.1"), (b"accept", b"application/sparql-results+json")]}
                for i in range(requests)]

    async def timed(handler: object) -> float:
        items = scopes()
        started = time.perf_counter()
        for scope in items:
            await handler(scope, nothing, ignore)  # type: ignore[operator]
        return (time.perf_counter() - started) / requests * 1e6

    async def measure() -> tuple[float, float]:
        wrapped = caching(Cache("0" * 64, 64 << 20, 600, 60), answer, 65536)  # type: ignore[arg-type]
        alone = min([await timed(answer) for _ in range(rounds)])
        behind = min([await timed(wrapped) for _ in range(rounds)])
        return alone, behind

    return asyncio.run(measure())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="attgraph-cache-bench-"))
    data, folder = root / "data", root / "work"
    folder.mkdir()
    servers: list[Server] = []
    try:
        print(f"generating ×{args.scale} …", file=sys.stderr)
        generate(args.scale, data)
        prebuild(data, disk=False, from_nquads=args.scale >= 100)
        mix = make_mix(data)
        attgraph = start_attgraph(data, mix, "attgraph (cache on)", {})
        before = start_attgraph(data, mix, "attgraph, cache off", {"ATTGRAPH_CACHE_MB": "0"})
        raw = start_raw_oxigraph(data)
        bare = start_bare(data, mix)
        servers += [attgraph.server, before.server, raw.server, bare.server]
        behind = start_nginx(attgraph, folder)
        servers.append(behind.server)
        systems = [attgraph, behind, raw, bare]
        table: dict[tuple[str, str, str, int], float] = {}
        for query in ("aggregation", "join"):
            text = mix.texts[query]
            for system in systems:
                endpoint = system.server.endpoint
                warm = paths(folder, f"{query}-warm", [text], endpoint)
                cold = paths(folder, f"{query}-cold-{system.server.name}", distinct(text, 20_000), endpoint)
                for concurrency in (1, 16):
                    table[(system.name, query, "warm", concurrency)] = loadgen(
                        system.server.port, warm, concurrency, args.seconds)["rps"]
                    table[(system.name, query, "cold", concurrency)] = loadgen(
                        system.server.port, cold, concurrency, args.seconds, warmup=0.0)["rps"]
        lookup = mix.lookups[0]
        tag = etag_of(attgraph.server.port, lookup)
        conditional = paths(folder, "conditional", [lookup])
        runs = subprocess.run([sys.executable, str(BENCH / "loadgen.py"), "--port", str(attgraph.server.port),
                               "--paths", str(conditional), "--concurrency", "16", "--seconds", str(args.seconds),
                               "--header", f"If-None-Match: {tag}", "--ok", "304"],
                              capture_output=True, check=True, text=True)
        not_modified = json.loads(runs.stdout)
        bare_lookups = loadgen(bare.server.port, paths(folder, "lookups", mix.lookups, "/sparql"), 16, args.seconds)
        # The cold latencies compare two servers of the same age: the one that took the warm load above has
        # grown (workers retired and forked again, a full cache), so a fresh one with the cache on stands in.
        fresh = start_attgraph(data, mix, "attgraph (cache on)", {})
        servers.append(fresh.server)
        cold = cold_latencies([fresh, before], mix)
        cost = miss_cost()
        fill = paths(folder, "fill", distinct(mix.texts["join"], 3000))
        loadgen(attgraph.server.port, fill, 4, 60, max_requests=3000, warmup=0.0)
        time.sleep(3)
        memory = tree_memory(attgraph.server.process.pid)
        health = http.client.HTTPConnection("127.0.0.1", attgraph.server.port, timeout=30)
        health.request("GET", "/health")
        state = json.loads(health.getresponse().read())
        print(render(args.scale, systems, table, not_modified, bare_lookups, cold, memory.pss_mb, state, cost))
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0


def render(scale: int, systems: list[HttpResult], table: dict[tuple[str, str, str, int], float],
           not_modified: dict[str, object], bare_lookups: dict[str, object], cold: dict[str, dict[str, float]],
           pss: float, health: dict[str, object], cost: tuple[float, float]) -> str:
    lines = [f"### ×{scale}: requests per second, warm (the same request again) and cold (every one different)", "",
             "| system | aggregation warm c=1 | c=16 | cold c=1 | c=16 | join warm c=1 | c=16 | cold c=1 | c=16 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for system in systems:
        cells = [f"{table[(system.name, q, kind, c)]:.0f}" for q in ("aggregation", "join")
                 for kind in ("warm", "cold") for c in (1, 16)]
        lines.append(f"| {system.name} | " + " | ".join(cells) + " |")
    raw = next(s.name for s in systems if s.name.startswith("raw"))
    ours = systems[0].name
    ratios = {q: table[(ours, q, "warm", 16)] / table[(raw, q, "warm", 16)] for q in ("aggregation", "join")}
    nm_rps = float(not_modified["rps"])  # type: ignore[arg-type]
    bare_rps = float(bare_lookups["rps"])  # type: ignore[arg-type]
    lines += ["", f"304 answers at c=16: {nm_rps:.0f}/s; the safety-off baseline's lookups at c=16: {bare_rps:.0f}/s "
                  f"({nm_rps / bare_rps:.2f}×)", "",
              "| query (cold, c=1, p50 ms) | cache on | cache off | ratio |", "|---|---|---|---|"]
    on, off = cold["attgraph (cache on)"], cold["attgraph, cache off"]
    worst = 0.0
    for name in on:
        ratio = on[name] / off[name] if off[name] else float("nan")
        worst = max(worst, ratio)
        lines.append(f"| {name} | {on[name]:.2f} | {off[name]:.2f} | {ratio:.2f}× |")
    fastest = min(off.values())
    added = cost[1] - cost[0]
    lines += ["", f"What a miss adds, in process: {cost[0]:.1f} µs a request alone, {cost[1]:.1f} µs behind the cache "
                  f"(+{added:.1f} µs: {added / (fastest * 1000) * 100:.1f}% of the fastest query of the mix, "
                  f"{fastest:.2f} ms)"]
    cache = health.get("cache", {})
    lines += ["", f"attgraph's tree with its cache filled: {pss:.0f} MiB PSS; the cache of the process asked: "
                  f"{cache}; memory plan: {health.get('memory')}", "",
              "Targets:",
              f"- warm aggregation at c=16 ≥ 10× the raw Oxigraph server: {ratios['aggregation']:.1f}× "
              f"({'met' if ratios['aggregation'] >= 10 else 'NOT met'})",
              f"- warm join at c=16 ≥ 10× the raw Oxigraph server: {ratios['join']:.1f}× "
              f"({'met' if ratios['join'] >= 10 else 'NOT met'})",
              f"- 304s at c=16 ≥ 0.8× the baseline's lookups: {nm_rps / bare_rps:.2f}× "
              f"({'met' if nm_rps >= 0.8 * bare_rps else 'NOT met'})",
              f"- cold no query slower than with the cache off by more than 5%: worst {worst:.2f}× "
              f"({'met' if worst <= 1.05 else 'NOT met'} over HTTP; single-client p50s of two processes on a shared "
              f"machine move by a few %); in process a miss adds {added / (fastest * 1000) * 100:.1f}% to the "
              f"fastest query ({'met' if added <= 0.05 * fastest * 1000 else 'NOT met'})"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
