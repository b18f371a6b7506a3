"""The process tree of ``attgraph serve``.

One process (the supervisor) opens the data, builds the application, binds one listening socket per
service process (all on the same port, see :func:`listen`), forks the fork server
(:mod:`attgraph.engine.forkserver`) and then forks the service processes, each a uvicorn server on its socket.
Everything is loaded once, before any fork, so every process shares the same pages of
the store: memory grows by a few megabytes per process, not by a copy of the data, and start-up does not
parse anything twice. Each service process asks the fork server for its own query workers::

    attgraph serve (supervisor)                     holds the store; restarts a service process that dies
    ├── attgraph-fork                               forks query workers on request
    │   ├── attgraph-query × ATTGRAPH_WORKERS × N   evaluate queries (no network, capped memory)
    └── attgraph-http × N (ATTGRAPH_PROCESSES)      HTTP, checks and limits; each talks to its own workers

The supervisor stops everything on ``SIGTERM`` or ``SIGINT``. A service process that exits is started again;
one that fails again and again within seconds of starting stops the service with an error. In remote mode
(``ATTGRAPH_STORE``) there is no fork server: the service processes talk to the store.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import os
import resource
import signal
import socket
import sys
import threading
import time
from typing import Any, TextIO

from attgraph.build.prebuilt import load_graph
from attgraph.engine.budget import memory_plan
from attgraph.engine.forkserver import ForkServer
from attgraph.engine.remote import RemoteExecutor
from attgraph.engine.remote_graph import RemoteGraph
from attgraph.engine.requests import Executor
from attgraph.engine.worker import name_process
from attgraph.errors import AttgraphError
from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.settings import Settings

from .connections import Limits, guarded_protocol

__all__ = ["Supervisor", "listen", "open_for_serving", "serve"]

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
#: A service process that dies this many times in a row, each within ``_QUICK`` seconds of starting, stops
#: the service.
_FAILURES = 3
_QUICK = 10.0
_GRACE = 10.0


class _Stop(Exception):
    """Raised by the supervisor's signal handler to leave its wait."""


def _bind(family: int, kind: int, proto: int, address: Any, host: str, port: int, share: bool) -> socket.socket:
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise AttgraphError(f"cannot listen on {host}:{port}: {error.strerror or error}",
                            {"host": host, "port": port}, code="listen_failed") from None
    return sock


def listen(host: str, port: int, count: int = 1) -> list[socket.socket]:
    """``count`` listening TCP sockets on ``host:port``, one for each service process.

    With more than one, they share the port (``SO_REUSEPORT``) and the kernel spreads new connections over
    them. One socket shared by every process would not: its first process to wake up accepts a burst of
    connections in one go, and 16 clients connecting at once were seen to land 16 to 0 on one process, which
    then did all the work. The port is first bound by a socket of its own, without sharing, so that a port
    another server already uses is an error rather than a port silently shared with it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as error:
        raise AttgraphError(f"cannot listen on {host}:{port}: {error.strerror or error}", {"host": host},
                            code="listen_failed") from None
    family, kind, proto, _, address = infos[0]
    probe = _bind(family, kind, proto, address, host, port, share=False)
    if count > 1:
        address = probe.getsockname()  # the port the system chose, when asked for port 0
        probe.close()
        sockets = []
        try:
            for _ in range(count):
                sockets.append(_bind(family, kind, proto, address, host, port, share=True))
        except BaseException:
            for sock in sockets:
                sock.close()
            raise
    else:
        sockets = [probe]
    for sock in sockets:
        sock.listen(2048)
        sock.set_inheritable(True)
    return sockets


class Supervisor:
    """Forks ``processes`` service processes serving ``app`` and keeps them running; the one of index ``i``
    accepts on ``listeners[i]`` (a process started again takes the same socket, and the connections waiting
    on it)."""

    def __init__(self, app: Any, listeners: list[socket.socket], processes: int, forks: ForkServer | None,
                 err: TextIO | None = None, limits: Limits | None = None) -> None:
        self.app = app
        self.limits = limits or Limits()
        self.listeners = listeners
        self.processes = max(1, processes)
        self.forks = forks
        self.err = err or sys.stderr
        self.children: dict[int, tuple[int, float]] = {}

    def _fork(self, index: int) -> None:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = self._child(self.listeners[index % len(self.listeners)])
            finally:
                os._exit(code)
        self.children[pid] = (index, time.monotonic())

    def _child(self, listener: socket.socket) -> int:
        """The life of one service process."""
        import uvicorn

        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)  # stop when the supervisor dies
        name_process("attgraph-http")
        server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="on", access_log=False,
                                               proxy_headers=False, timeout_graceful_shutdown=5, server_header=False,
                                               http=guarded_protocol(self.limits),
                                               timeout_keep_alive=max(1, round(self.limits.idle_timeout))))
        server.run(sockets=[listener])
        return 0 if server.started else 3

    def run(self) -> int:
        """Fork the service processes and supervise them until stopped; the exit code."""
        if threading.active_count() > 1:
            print("attgraph serve: warning: forking with threads running", file=self.err)
        gc.freeze()
        # Workers whose fork server died come to this process, which reaps them, rather than to init.
        ctypes.CDLL(None).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        previous = {number: signal.signal(number, self._stop) for number in (signal.SIGTERM, signal.SIGINT)}
        failures = 0
        code = 0
        try:
            for index in range(self.processes):
                self._fork(index)
            while True:
                pid, status = os.wait()
                if self.forks is not None and pid == self.forks.pid:
                    self.forks.pid = 0
                    print("attgraph serve: error: the fork server of the query workers died; stopping",
                          file=self.err)
                    code = 1
                    break
                if pid not in self.children:
                    continue
                index, started = self.children.pop(pid)
                failures = failures + 1 if time.monotonic() - started < _QUICK else 1
                print(f"attgraph serve: service process {pid} exited ({_describe(status)})"
                      + ("; starting another" if failures < _FAILURES else ""), file=self.err)
                if failures >= _FAILURES:
                    print(f"attgraph serve: error: service processes failed {failures} times in a row within "
                          f"{_QUICK:g} s of starting; stopping", file=self.err)
                    code = 1
                    break
                time.sleep(0.2 * failures)
                self._fork(index)
        except _Stop:
            pass
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            self._stop_children()
            if self.forks is not None:
                self.forks.close()
            for listener in self.listeners:
                listener.close()
            _reap(time.monotonic() + 2.0)
        return code

    def _stop(self, number: int, frame: object) -> None:
        raise _Stop

    def _stop_children(self) -> None:
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + _GRACE
        while self.children and time.monotonic() < deadline:
            for pid in list(self.children):
                with contextlib.suppress(ChildProcessError):
                    done, _ = os.waitpid(pid, os.WNOHANG)
                    if not done:
                        continue
                self.children.pop(pid)
            time.sleep(0.02)
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self.children.clear()


def _reap(deadline: float) -> None:
    """Wait for any remaining descendants handed to this process (until none is left or ``deadline``)."""
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            time.sleep(0.01)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def serve(settings: Settings, host: str, port: int, processes: int, out: TextIO) -> int:
    """Open the data (only data that loaded completely), bind ``host:port`` and serve with ``processes``
    service processes until stopped."""
    # The web application's modules are imported on a thread while this one loads the store (the engine does
    # not hold the GIL while it loads). The store is loaded here, not on the thread: memory a thread allocates
    # lives in an arena of its own, and the allocator's bookkeeping in such an arena is written to by the
    # next allocation after a fork, which copies most of the store's pages into every forked process.
    importing = threading.Thread(target=importlib.import_module, args=("attgraph.web.app",), name="attgraph-import")
    importing.start()
    try:
        graph, executor = open_for_serving(settings)
    finally:
        importing.join()  # the thread ends before any fork
    from .app import create_app
    listeners = listen(host, port, processes)
    port = listeners[0].getsockname()[1]  # the port the system chose, when asked for port 0
    settings = settings.served_at(host, port)  # the public URL, unless ATTGRAPH_PUBLIC_URL says otherwise
    forks: ForkServer | None = None
    if executor is None:
        disk = graph.source if graph.source is not None and graph.source.is_dir() else None
        forks = ForkServer(None if disk else graph.store, disk=disk,
                           memory_mb=memory_plan(settings, processes).allowance_mb)
    app = create_app(graph, settings, executor, forks)
    if forks is not None:
        forks.start()
    statements = app.state.context.statements
    where = f"the store at {settings.store_url}" if settings.store_url else f"{statements} statements"
    shown = f"[{host}]" if ":" in host else host
    print(f"attgraph: serving {where} on http://{shown}:{port}/ with {processes} service "
          f"process{'es' if processes != 1 else ''}; public URL {settings.public_url}", file=out, flush=True)
    _raise_descriptor_limit()
    return Supervisor(app, listeners, processes, forks, limits=limits_of(settings)).run()


def limits_of(settings: Settings) -> Limits:
    """The connection limits the settings ask for (URLs long enough for the longest query, percent-encoded)."""
    return Limits(idle_timeout=settings.idle_timeout, header_timeout=settings.header_timeout,
                  min_body_rate=settings.min_body_rate, send_timeout=settings.send_timeout,
                  max_url_bytes=3 * settings.max_query_bytes + 2048,
                  max_client_connections=settings.max_client_connections,
                  max_connections=settings.max_connections)


def _raise_descriptor_limit() -> None:
    """Let the tree open as many descriptors as the system allows it (connections are capped well below)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def open_for_serving(settings: Settings, *, rebuild: bool = True) -> tuple[KnowledgeGraph, Executor | None]:
    """The graph a service process answers from, and the executor to give the app (``None``: the local
    worker pool). With ``ATTGRAPH_STORE`` the data stay in the remote store (:class:`RemoteGraph`); otherwise
    the prebuilt store is opened (built first if stale and ``rebuild``)."""
    if settings.store_url:
        executor = RemoteExecutor(settings.store_url, max_bytes=settings.remote_max_bytes)
        executor.start()
        try:
            return RemoteGraph(settings, executor), executor
        except BaseException:
            executor.close()
            raise
    graph, _ = load_graph(settings, rebuild=rebuild)
    return graph, None
