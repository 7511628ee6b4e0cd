"""A keep-alive HTTP load generator: one connection per process, raw sockets.

Each of the ``connections`` processes sends one request, waits for the full response, and sends the next
(a closed loop, like wrk with one connection per thread). Raw sockets keep the client's own CPU cost per
request small: on a 2-core machine the load generator competes with the server for the same cores,
and it costs the same for every target, so ratios between targets measured with it are fair.
"""

from __future__ import annotations

import multiprocessing as mp
import socket
import statistics
import time
from array import array
from dataclasses import dataclass
from typing import Any

from .scenarios import builder


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx answers and broken connections
    first_error: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.addr = (host, port)
        self.sock: socket.socket | None = None
        self.buf = b""

    def _connect(self) -> None:
        self.sock = socket.create_connection(self.addr, timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def _fill(self) -> None:
        assert self.sock
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by server")
        self.buf += chunk

    def request(self, data: bytes) -> tuple[int, bytes]:
        """Send one request; returns (status, body). Reconnects when the server closed the connection."""
        if self.sock is None:
            self._connect()
        assert self.sock
        self.sock.sendall(data)
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        if b"content-length" in headers:
            length = int(headers[b"content-length"])
            while len(self.buf) < length:
                self._fill()
            body, self.buf = self.buf[:length], self.buf[length:]
        elif headers.get(b"transfer-encoding") == b"chunked":
            body = b""
            while True:
                while b"\r\n" not in self.buf:
                    self._fill()
                size_line, self.buf = self.buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(self.buf) < size + 2:
                    self._fill()
                body += self.buf[:size]
                self.buf = self.buf[size + 2:]
                if size == 0:
                    break
        else:  # body until close
            try:
                while True:
                    self._fill()
            except ConnectionError:
                pass
            body, self.buf = self.buf, b""
            headers[b"connection"] = b"close"
        if headers.get(b"connection") == b"close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.sock:
            self.sock.close()
        self.sock = None


def _worker(host: str, port: int, scenario: str, params: dict[str, Any], worker: int, start: float, end: float,
            out: Any) -> None:
    make = builder(scenario, params, worker)
    conn = Connection(host, port)
    latencies = array("d")
    errors, first_error, i = 0, "", 0
    while True:
        sent = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
        if sent >= end:
            break
        data = make(i)
        i += 1
        try:
            status, body = conn.request(data)
        except OSError as exc:
            status, body = 599, repr(exc).encode()
            conn.close()
        done = time.perf_counter()
        if sent < start:
            continue  # warm-up
        latencies.append(done - sent)
        if not 200 <= status < 300:
            errors += 1
            first_error = first_error or f"{status} {body[:200]!r}"
    conn.close()
    out.put((worker, latencies.tobytes(), errors, first_error))


def run(host: str, port: int, scenario: str, params: dict[str, Any] | None = None, connections: int = 8,
        seconds: float = 3.0, warmup: float = 0.5) -> Result:
    """Closed-loop load from ``connections`` processes; latencies of requests sent after the warm-up."""
    ctx = mp.get_context("fork")  # the bench driver runs no threads, so forking is safe and quick
    out = ctx.Queue()
    start = time.perf_counter() + 0.3 + warmup  # 0.3 s for the processes to start
    end = start + seconds
    procs = [ctx.Process(target=_worker, args=(host, port, scenario, params or {}, w, start, end, out), daemon=True)
             for w in range(connections)]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=seconds + warmup + 60) for _ in procs]
    for proc in procs:
        proc.join(timeout=10)
    latencies = array("d")
    errors, first_error = 0, ""
    for _, raw, errs, first in results:
        chunk = array("d")
        chunk.frombytes(raw)
        latencies.extend(chunk)
        errors += errs
        first_error = first_error or first
    ordered = sorted(latencies)
    if not ordered:
        return Result(0, seconds, float("nan"), float("nan"), errors, first_error or "no request completed")
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Result(len(ordered), seconds, statistics.median(ordered) * 1e3, p99 * 1e3, errors, first_error)
