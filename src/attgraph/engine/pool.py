"""The pieces of the local worker pool that talk to worker processes: a :class:`Worker` (one process and its
socket), the :class:`Pool` of idle workers that waiters take in turn, and reading frames from a worker.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .forkserver import Spawned
from .worker import HEADER

__all__ = ["Pool", "Worker", "ready", "receive"]


class Worker:
    """One worker process: its socket (non-blocking once ready), whether it has left the network, the memory
    it has made its own (bytes, from its last reply) and since when it has been idle."""

    def __init__(self, spawned: Spawned, isolated: bool) -> None:
        self.spawned = spawned
        self.sock = spawned.sock
        self.pid = spawned.pid
        self.isolated = isolated
        self.private = 0
        self.idle_since = time.monotonic()
        #: Whether the worker runs at the lowest CPU priority (it ran a heavy query; see the executor).
        self.niced = False


class Pool:
    """Idle workers, handed straight to whoever waits longest for one. Safe across threads and event loops:
    a worker released in one thread reaches a waiter of another loop through ``call_soon_threadsafe``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: deque[Worker] = deque()
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[Worker]]] = deque()

    def __len__(self) -> int:
        return len(self._idle)

    async def acquire(self) -> Worker:
        """An idle worker, or the first one released (the caller bounds the wait: cancel it)."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            loop = asyncio.get_running_loop()
            future: asyncio.Future[Worker] = loop.create_future()
            waiter = (loop, future)
            self._waiters.append(waiter)
        try:
            return await future
        except BaseException:
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            if future.done() and not future.cancelled():
                self.release(future.result())
            raise

    def release(self, worker: Worker, spare: Callable[[Worker], bool] | None = None) -> bool:
        """Give ``worker`` to the longest waiter, or keep it idle; with ``spare``, keep it only if no idle
        worker is ``spare`` already (else return False: the caller lets it go)."""
        with self._lock:
            while self._waiters:
                loop, future = self._waiters.popleft()
                if not future.done():
                    break
            else:
                if spare is not None and spare(worker) and any(spare(idle) for idle in self._idle):
                    return False
                self._idle.append(worker)
                return True
        try:
            loop.call_soon_threadsafe(self._deliver, future, worker)
        except RuntimeError:  # that loop has closed
            return self.release(worker, spare)
        return True

    def _deliver(self, future: asyncio.Future[Worker], worker: Worker) -> None:
        if future.done():
            self.release(worker)
        else:
            future.set_result(worker)

    def take(self, wanted: Callable[[Worker], bool]) -> list[Worker]:
        """Take the idle workers for which ``wanted`` is true out of the pool."""
        with self._lock:
            taken = [w for w in self._idle if wanted(w)]
            for worker in taken:
                self._idle.remove(worker)
        return taken

    def drain(self) -> list[Worker]:
        """Take every idle worker out."""
        with self._lock:
            taken = list(self._idle)
            self._idle.clear()
        return taken


async def receive(loop: asyncio.AbstractEventLoop, sock: Any) -> tuple[dict[str, Any], bytes]:
    """Read one reply frame from a worker's socket; ``EOFError`` if the worker died."""
    buffer = bytearray()
    while len(buffer) < HEADER.size:
        chunk = await loop.sock_recv(sock, 1 << 16)
        if not chunk:
            raise EOFError
        buffer += chunk
    header_size, payload_size = HEADER.unpack_from(buffer)
    total = HEADER.size + header_size + payload_size
    if len(buffer) < total:
        whole = bytearray(total)
        whole[:len(buffer)] = buffer
        view = memoryview(whole)
        got = len(buffer)
        while got < total:
            count = await loop.sock_recv_into(sock, view[got:])
            if not count:
                raise EOFError
            got += count
        buffer = whole
    header = json.loads(bytes(buffer[HEADER.size:HEADER.size + header_size]).decode("utf-8"))
    return header, bytes(buffer[HEADER.size + header_size:total])


def ready(spawned: Spawned, timeout: float) -> bool:
    """Wait for a new worker's ready frame; whether it left the network. Raises ``OSError``/``EOFError``."""
    sock = spawned.sock
    sock.settimeout(timeout)
    head = b""
    while len(head) < HEADER.size:
        chunk = sock.recv(HEADER.size - len(head))
        if not chunk:
            raise EOFError
        head += chunk
    header_size, payload_size = HEADER.unpack(head)
    body = b""
    while len(body) < header_size + payload_size:
        chunk = sock.recv(header_size + payload_size - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    sock.setblocking(False)
    return bool(json.loads(body[:header_size]).get("isolated"))
