"""The process tree of ``attgraph serve``: a service process that dies is replaced, its workers go with it."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import wait_for
from .conftest import LIMITS, Server, make_fixture_project, start_server, stop_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(make_fixture_project(tmp_path_factory.mktemp("supervised")), LIMITS)
    yield running
    stop_server(running)


def _named(server: Server, name: str) -> set[int]:
    return {pid for pid, comm in server.descendants().items() if comm == name}


def test_the_tree_has_one_fork_server_a_service_process_and_its_workers(server: Server) -> None:
    assert sorted(server.descendants().values()) == ["attgraph-fork", "attgraph-http", "attgraph-query",
                                                     "attgraph-query"]


def test_a_service_process_that_dies_is_replaced(server: Server) -> None:
    (http,) = _named(server, "attgraph-http")
    workers = server.workers()
    os.kill(http, signal.SIGKILL)
    wait_for(lambda: len(_named(server, "attgraph-http") - {http}) == 1 and len(server.workers() - workers) == 2)
    assert [pid for pid in (http, *workers) if Path(f"/proc/{pid}").exists()] == []  # its workers went too
    wait_for(server.answers)
    assert server.process.poll() is None
