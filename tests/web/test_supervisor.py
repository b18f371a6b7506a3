"""The process tree of ``attgraph serve``: a service process that dies is replaced, its workers go with it;
each service process listens on a socket of its own, all on one port."""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from attgraph.errors import AttgraphError
from attgraph.web.server import listen

from ..conftest import wait_for
from .conftest import LIMITS, Server, make_fixture_project, serving


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(make_fixture_project(tmp_path_factory.mktemp("supervised")), LIMITS) as running:
        yield running


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


def test_listen_gives_each_service_process_a_socket_on_one_port() -> None:
    sockets = listen("127.0.0.1", 0, 3)
    try:
        assert len({sock.getsockname() for sock in sockets}) == 1
        assert all(sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for sock in sockets)
        (single,) = listen("127.0.0.1", 0, 1)
        assert single.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0
        single.close()
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.parametrize("count", [1, 2])
def test_listen_refuses_a_port_another_server_holds(count: int) -> None:
    other = socket.socket()
    other.bind(("127.0.0.1", 0))
    other.listen(1)
    port = other.getsockname()[1]
    try:
        with pytest.raises(AttgraphError) as caught:
            listen("127.0.0.1", port, count)
        assert caught.value.code == "listen_failed"
        assert caught.value.message == f"cannot listen on 127.0.0.1:{port}: Address already in use"
    finally:
        other.close()
