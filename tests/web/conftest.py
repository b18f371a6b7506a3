"""Fixtures of the web suite: real servers (``attgraph serve`` in a subprocess, real HTTP) over the project and
over a small fixture project with tight limits, and a loopback listener that must never be contacted."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from attgraph.settings import PROJECT_ROOT

from ..conftest import descendants, free_port, logged_process, wait_until_answers

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
ARTIFACTS = HERE.parent / "artifacts"
#: The public URL the fixture server describes itself with.
PUBLIC_URL = "https://attgraph.example.org"
#: The limits of the fixture server (environment variables).
LIMITS = {
    "ATTGRAPH_PROCESSES": "1",
    "ATTGRAPH_QUERY_TIMEOUT": "2",
    "ATTGRAPH_WORKERS": "2",
    "ATTGRAPH_MAX_PENDING": "2",
    "ATTGRAPH_MAX_ROWS": "50",
    "ATTGRAPH_MAX_BODY_BYTES": "65536",
    "ATTGRAPH_MAX_UPLOAD_TRIPLES": "50",
    "ATTGRAPH_WORKER_MEMORY_MB": "512",
    "ATTGRAPH_VALIDATION_TIMEOUT": "30",
    "ATTGRAPH_PUBLIC_URL": PUBLIC_URL,
    # The servers of the suite evaluate every request: the answer cache is tried on servers of its own
    # (test_caching.py).
    "ATTGRAPH_CACHE_MB": "0",
}
ASK_ANY = "ASK { ?s ?p ?o }"


@dataclass
class Server:
    """A running ``attgraph serve``: its base URL and process."""

    base: str
    process: subprocess.Popen[bytes]
    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def descendants(self) -> dict[int, str]:
        """The server's descendant processes (fork server, service processes, query workers, validation jobs),
        each with its name (``/proc/PID/comm``)."""
        return descendants(self.pid)

    def workers(self) -> set[int]:
        """The ids of the server's query workers."""
        return {pid for pid, name in self.descendants().items() if name == "attgraph-query"}

    def answers(self) -> bool:
        """Whether the service still answers a query correctly."""
        response = httpx.get(f"{self.base}/sparql", params={"query": ASK_ANY}, timeout=10)
        return response.status_code == 200 and response.json()["boolean"] is True

    def health(self) -> dict[str, object]:
        """The ``/health`` document."""
        body: dict[str, object] = httpx.get(f"{self.base}/health", timeout=10).json()
        return body


def start_server(root: Path, env: dict[str, str]) -> Server:
    """Start ``attgraph --root ROOT serve`` on a free loopback port and wait until it answers."""
    port = free_port()
    process = logged_process(
        [sys.executable, "-m", "attgraph.cli", "--root", str(root), "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        cwd=root, env={**os.environ, **env},
    )
    server = Server(f"http://127.0.0.1:{port}", process, root, env)
    wait_until_answers(process, f"{server.base}/health", "attgraph serve", seconds=90)
    return server


def stop_server(server: Server) -> None:
    """Stop a server started by :func:`start_server`."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@contextmanager
def serving(root: Path, env: dict[str, str]) -> Iterator[Server]:
    """A server started by :func:`start_server` for the ``with`` block, stopped when it ends."""
    running = start_server(root, env)
    try:
        yield running
    finally:
        stop_server(running)


def make_fixture_project(root: Path) -> Path:
    """A project holding the real ontology and treaty, the test data, the test queries and test shapes."""
    (root / "ontology").mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "ontology", root / "ontology", dirs_exist_ok=True)
    (root / "data").mkdir()
    shutil.copyfile(PROJECT_ROOT / "data" / "treaty.ttl", root / "data" / "treaty.ttl")
    shutil.copyfile(FIXTURES / "pages.ttl", root / "data" / "pages.ttl")
    shutil.copytree(FIXTURES / "queries", root / "queries")
    shutil.copytree(FIXTURES / "shapes", root / "shapes")
    return root


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's folder."""
    return make_fixture_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def server(fixture_root: Path) -> Iterator[Server]:
    """The service over the fixture project, with the tight limits of :data:`LIMITS`."""
    with serving(fixture_root, LIMITS) as running:
        yield running


@pytest.fixture(scope="session")
def project_server() -> Iterator[Server]:
    """The service over the whole project, with its default settings."""
    with serving(PROJECT_ROOT, {"ATTGRAPH_WORKERS": "2", "ATTGRAPH_CACHE_MB": "0"}) as running:
        yield running


class Listener:
    """A TCP listener on loopback that records every connection it receives (and answers nothing)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port: int = self.socket.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """An http URL on the listener."""
        return f"http://127.0.0.1:{self.port}/"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            connection.settimeout(0.5)
            try:
                self.received.append(connection.recv(4096) or b"<connected>")
            except OSError:
                self.received.append(b"<connected>")
            finally:
                connection.close()

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@pytest.fixture(scope="session")
def listener() -> Iterator[Listener]:
    """A loopback listener; the suite asserts that it receives nothing."""
    running = Listener()
    try:
        yield running
    finally:
        running.close()
