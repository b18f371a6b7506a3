"""Shared fixtures: the project's graph, built once per session, and small throw-away projects."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from attgraph.knowledge.graph import KnowledgeGraph
from attgraph.knowledge.namedqueries import expand
from attgraph.knowledge.namespaces import PREFIXES
from attgraph.settings import PROJECT_ROOT, Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"


#: Where each process started by :func:`logged_process` writes its output, by process id.
_LOGS: dict[int, Path] = {}


def logged_process(command: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """Start ``command`` with its output (stdout and stderr) going to a file of its own.

    Never to a pipe that nobody reads: a service whose pipe fills blocks on its next line of log and stops
    answering (under an attack that is logged, a 64 KiB pipe fills in seconds). Read it with :func:`output_of`."""
    descriptor, name = tempfile.mkstemp(prefix="attgraph-test-", suffix=".log")
    try:
        process: subprocess.Popen[bytes] = subprocess.Popen(command, stdout=descriptor, stderr=subprocess.STDOUT,
                                                            **options)
    finally:
        os.close(descriptor)
    path = Path(name)
    _LOGS[process.pid] = path
    atexit.register(path.unlink, missing_ok=True)
    return process


def output_of(process: subprocess.Popen[bytes]) -> str:
    """What a process started by :func:`logged_process` has written so far."""
    path = _LOGS.get(process.pid)
    return path.read_text(errors="replace") if path is not None and path.exists() else ""


@pytest.fixture(scope="session")
def graph() -> KnowledgeGraph:
    """The project's whole graph as the service holds it: ontology, data and the inferences, loaded once.

    The inferences are computed here rather than read from ``dist/`` so that the tests see the same graph
    whether or not ``attgraph build`` has run.
    """
    from attgraph.checks.reasoning import materialise

    loaded = KnowledgeGraph.load(Settings(root=PROJECT_ROOT))
    loaded.attach_inferred(materialise(loaded.asserted()))  # not over inferences read from a dist/ already built
    return loaded


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """A project folder in ``tmp_path`` holding the given files (name → Turtle text or fixture Path)."""

    def make(files: dict[str, str | Path]) -> Path:
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            else:
                target.write_text(content, encoding="utf-8")
        return tmp_path

    return make


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def descendants(pid: int) -> dict[int, str]:
    """Every descendant of ``pid`` with its name (``/proc/PID/comm``: ``attgraph-fork``, ``attgraph-http`` …)."""
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        for child in children(frontier.pop()):
            try:
                found[child] = Path(f"/proc/{child}/comm").read_text().strip()
            except OSError:
                continue
            frontier.append(child)
    return found


def wait_for(condition: Callable[[], object], seconds: float = 30.0) -> None:
    """Poll ``condition`` until it is true; fail after ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def wait_until_answers(process: subprocess.Popen[bytes], url: str, what: str, seconds: float = 60.0) -> None:
    """Poll ``url`` until it answers 200; fail with the process's output if it exits, or after ``seconds``
    (the process is then killed)."""
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            output = output_of(process)
            raise RuntimeError(f"{what} exited with {process.returncode}: {output[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{what} did not answer within {seconds:g} s")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The real service (``attgraph serve``, uvicorn) in a subprocess on loopback; yields its base URL."""
    import subprocess
    import sys


    port = free_port()
    process = logged_process(
        [sys.executable, "-m", "attgraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(process, f"{base}/health", "attgraph serve")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def iri(curie: str) -> str:
    """A prefixed name expanded with the project's prefixes (:func:`attgraph.knowledge.namedqueries.expand`);
    "" stays "" (an unbound cell)."""
    return expand(curie) if curie else ""


def unit(path: str) -> str:
    """The IRI of a source unit from its path under ``source:`` (``wgeti-csp11-report/p7``)."""
    return PREFIXES["source"] + path
