"""The fork server: a small process, forked once from the process that loaded the store, that forks query
workers (:mod:`attgraph.engine.worker`) on request.

Forking shares the loaded store between every worker (the pages stay the same physical memory until one
is written, and workers only read), so a new worker is ready in milliseconds and costs a few megabytes, not
a copy of the data. The fork server itself is single-threaded, which makes every fork from it safe, even
when the service processes asking for workers run threads.

A client (:class:`ForkClient`, one per service process) connects to the server's Unix socket in a private
folder and sends one byte per worker wanted. For each, the server forks a worker joined to a new socket
pair and sends back, as ancillary data (``SCM_RIGHTS``), the client's end of that pair and a pidfd of the
worker, with the worker's process id. The client kills a worker through the pidfd, so the signal can never
reach another process that reused the id. The server ignores ``SIGCHLD``: the kernel reaps its workers.
"""

from __future__ import annotations

import contextlib
import gc
import os
import select
import selectors
import shutil
import signal
import socket
import struct
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox

from attgraph.errors import QueryError

from .worker import name_process, serve

__all__ = ["ForkClient", "ForkServer", "Spawned"]

_PID = struct.Struct(">q")
_REQUEST = b"W"


class Spawned:
    """A worker just forked: its process id, the socket to talk to it and a pidfd to signal it with."""

    def __init__(self, pid: int, sock: socket.socket, pidfd: int) -> None:
        self.pid = pid
        self.sock = sock
        self.pidfd = pidfd

    def kill(self) -> None:
        """Send ``SIGKILL`` (through the pidfd) and close the socket and the pidfd."""
        self.signal_kill()
        self.close()

    def signal_kill(self) -> None:
        """Send ``SIGKILL`` through the pidfd, without waiting and without closing anything."""
        if self.pidfd >= 0:
            with contextlib.suppress(ProcessLookupError, OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)

    def kill_and_wait(self, timeout: float = 2.0) -> None:
        """:meth:`kill`, after which the process is gone (or ``timeout`` seconds have passed)."""
        if self.pidfd >= 0:
            with contextlib.suppress(ProcessLookupError, OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            self.gone(timeout)
        self.close()

    def close(self) -> None:
        """Close the socket and the pidfd (the worker sees its socket close and exits); once only."""
        self.sock.close()
        if self.pidfd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
        self.pidfd = -1

    def gone(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the process to end; whether it has. (``poll``, not ``select``:
        a service holding many connections has descriptors numbered past ``select``'s 1024.)"""
        if self.pidfd < 0:
            return True
        waiter = select.poll()
        waiter.register(self.pidfd, select.POLLIN)
        try:
            return bool(waiter.poll(max(0, int(timeout * 1000))))
        except (OSError, ValueError):
            return True


class ForkServer:
    """Forks query workers over ``store`` (in memory), or workers that open the on-disk store at ``disk``;
    each capped at ``memory_mb`` of address space."""

    def __init__(self, store: ox.Store | None, *, disk: Path | None = None, memory_mb: int) -> None:
        if store is None and disk is None:
            raise ValueError("a fork server needs a store or an on-disk store folder")
        self._store = store
        self._disk = str(disk) if disk is not None else None
        self.memory_mb = memory_mb
        self._folder: Path | None = None
        self.pid = 0

    @property
    def address(self) -> str:
        """The path of the server's Unix socket."""
        assert self._folder is not None, "the fork server has not started"
        return str(self._folder / "fork.sock")

    def start(self) -> None:
        """Fork the server. Call it before the process starts threads where possible (it works with threads
        running, but a fork then copies whatever locks they hold)."""
        self._folder = Path(tempfile.mkdtemp(prefix="attgraph-fork-"))
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.address)
        listener.listen(64)
        parent = os.getpid()
        gc.freeze()  # leave the shared pages alone: no collection walks the objects inherited by every fork
        pid = os.fork()
        if pid == 0:
            try:
                self._run(listener, parent)
            finally:
                os._exit(0)
        listener.close()
        self.pid = pid

    def connect(self) -> ForkClient:
        """A connection for one service process."""
        return ForkClient(self.address)

    def close(self) -> None:
        """Stop the server (its workers die with it) and remove its folder."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    # -- in the server process ----------------------------------------------------------------------

    def _run(self, listener: socket.socket, parent: int) -> None:
        name_process("attgraph-fork")
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the service
        if os.getppid() != parent:
            return
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # stopped by the service, not by Ctrl-C
            signal.signal(number, signal.SIG_IGN)  # or a signal to the whole group (inherited by the workers)
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
        selector = selectors.DefaultSelector()
        selector.register(listener, selectors.EVENT_READ)
        clients: set[socket.socket] = set()
        while True:
            for key, _ in selector.select():
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is listener:
                    client, _ = listener.accept()
                    clients.add(client)
                    selector.register(client, selectors.EVENT_READ)
                    continue
                try:
                    wanted = sock.recv(64)
                except OSError:
                    wanted = b""
                if not wanted:
                    selector.unregister(sock)
                    clients.discard(sock)
                    sock.close()
                    continue
                for _ in range(wanted.count(_REQUEST)):
                    self._fork_worker(sock, [listener, *clients])

    def _fork_worker(self, client: socket.socket, inherited: list[socket.socket]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        server = os.getpid()
        pid = os.fork()
        if pid == 0:
            for sock in (*inherited, ours):
                sock.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            serve(theirs, self._store if self._disk is None else None, self._disk, self.memory_mb, server)
        theirs.close()
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:  # the worker is already gone: send a socket that is closed at the other end
            pidfd = os.open("/dev/null", os.O_RDONLY)
        try:
            socket.send_fds(client, [_PID.pack(pid)], [ours.fileno(), pidfd])
        except OSError:
            pass
        finally:
            ours.close()
            os.close(pidfd)


class ForkClient:
    """One service process's connection to the fork server."""

    def __init__(self, address: str) -> None:
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.connect(address)
        self._lock = threading.Lock()

    def spawn(self) -> Spawned:
        """A new worker (not yet known to be ready: it sends its ready frame on its socket)."""
        with self._lock:
            self._sock.sendall(_REQUEST)
            message, fds, _, _ = socket.recv_fds(self._sock, _PID.size, 2)
        if len(message) != _PID.size or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise QueryError("the fork server stopped", code="workers_down", status=503)
        (pid,) = _PID.unpack(message)
        return Spawned(pid, socket.socket(fileno=fds[0]), fds[1])

    def close(self) -> None:
        """Close the connection (the server forgets this client)."""
        self._sock.close()

