"""Resource exhaustion, through a real `serve` subprocess: nothing a client sends makes the server's memory, threads
or connections run out for the others. Memory is read from /proc/<pid>/status (VmHWM is the peak resident set).
"""

from __future__ import annotations

import gzip
import json
import signal
import socket
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
import requests
from serve_process import start

MiB = 1024 * 1024
APIFY_TOKEN = "apify_api_demo_token"
CKAN_KEY = "ckan-admin-token"


def memory(pid: int, field: str = "VmRSS") -> int:
    """Bytes of a /proc/<pid>/status field (VmRSS: resident now, VmHWM: the peak so far)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} in /proc/{pid}/status")


@pytest.fixture
def serve() -> Iterator:
    """Starts `serve --in-memory ARGS...`; returns its process and URL. Stopped after the test."""
    started: list[subprocess.Popen] = []

    def run(*args: str) -> tuple[subprocess.Popen, str]:
        # glibc serves a large allocation from a thread's heap once one that size was freed, and keeps that heap:
        # up to 3 x the largest body per worker thread, whatever the server holds. A fixed mmap threshold
        # returns freed bodies to the system, so the resident size shows what the server keeps.
        proc, url = start("--in-memory", *args, env={"MALLOC_MMAP_THRESHOLD_": "131072"})
        started.append(proc)
        requests.get(f"{url}/_emulator/health", timeout=10).raise_for_status()  # warmed up: a fair baseline
        return proc, url

    yield run
    for proc in started:
        proc.kill()
        proc.wait(timeout=10)


def zeros(size: int, compressor) -> bytes:
    """``size`` zero bytes through a streaming compressor, without holding them."""
    chunk, parts = bytes(MiB), []
    for _ in range(size // MiB):
        parts.append(compressor.process(chunk) if hasattr(compressor, "process") else compressor.compress(chunk))
    parts.append(compressor.finish() if hasattr(compressor, "finish") else compressor.flush())
    return b"".join(parts)


def gzip_zeros(size: int) -> bytes:
    return zeros(size, zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS))


BOMB = 256 * MiB
BOMBS = {  # Content-Encoding: body (the last encoding listed was applied last)
    "gzip, gzip": lambda: gzip.compress(gzip_zeros(BOMB)),
    "gzip": lambda: gzip_zeros(BOMB),
    "br": lambda: zeros(BOMB, brotli.Compressor(quality=1)),
    "deflate": lambda: zeros(BOMB, zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)),
    "deflate, br": lambda: brotli.compress(zeros(BOMB, zlib.compressobj(9))),
}


def test_compression_bombs_stop_at_the_payload_limit(serve):
    proc, url = serve()
    baseline = memory(proc.pid)
    for encoding, make in BOMBS.items():
        body = make()
        assert len(body) < 1024 * 1024, encoding  # small on the wire...
        response = requests.post(f"{url}/apify/v2/datasets", params={"token": APIFY_TOKEN}, data=body, timeout=30,
                                 headers={"Content-Type": "application/json", "Content-Encoding": encoding})
        assert response.status_code == 413, (encoding, response.text)
        assert response.json()["error"]["type"] == "request-too-large"
    # ... and never inflated past Apify's 9 MiB limit: before, "gzip, gzip" took the server from 139 MB to 2.2 GB.
    assert memory(proc.pid, "VmHWM") - baseline < 64 * MiB
    assert requests.get(f"{url}/apify/v2/datasets", params={"token": APIFY_TOKEN}, timeout=10).status_code == 200


def test_a_huge_declared_body_is_refused_before_it_is_read(serve):
    proc, url = serve()
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        started = time.monotonic()
        sock.sendall(b"POST /apify/v2/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {300 * MiB}\r\n\r\n".encode() + b"{")
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413 "), answer  # 300 MiB never sent: answered on the declared length
    assert time.monotonic() - started < 5
    # Just above the limit the body is still read, so a client that is sending it gets the provider's own 413.
    response = requests.post(f"{url}/apify/v2/datasets", params={"token": APIFY_TOKEN}, data=b" " * (33 * MiB),
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413 and response.json()["error"]["type"] == "request-too-large"


def test_slow_clients_hold_no_thread_and_their_connections_are_closed(serve):
    proc, url = serve("--idle-timeout", "2")
    host, port = url.removeprefix("http://").split(":")
    slow = []
    try:
        for n in range(300):  # waitress's default served 98 connections, then stopped accepting any
            sock = socket.create_connection((host, int(port)), timeout=10)
            if n % 2:  # headers never finished
                sock.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            else:  # a body that never comes
                sock.sendall(b"POST /apify/v2/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{")
            slow.append(sock)
        started = time.monotonic()
        for _ in range(20):
            assert requests.get(f"{url}/_emulator/health", timeout=5).status_code == 200
            listed = requests.get(f"{url}/apify/v2/datasets", params={"token": APIFY_TOKEN}, timeout=5)
            assert listed.status_code == 200
        assert time.monotonic() - started < 5
        # Silent for the idle timeout (2 s, checked every second): the server hangs up on every one of them.
        for sock in slow:
            try:
                assert sock.recv(1) == b""
            except ConnectionResetError:
                pass
    finally:
        for sock in slow:
            sock.close()


def test_the_journal_keeps_a_bounded_part_of_each_body_and_stays_readable(serve):
    proc, url = serve()
    baseline = memory(proc.pid)
    big = json.dumps({"name": "big", "notes": "x" * (20 * MiB)}).encode()
    for _ in range(10):  # kept whole, 200 MB
        response = requests.post(f"{url}/ckan/api/3/action/package_create", data=big, timeout=30,
                                 headers={"Authorization": CKAN_KEY, "Content-Type": "application/json"})
        assert response.status_code < 500
    deep = b"[" * 5000 + b"]" * 5000
    requests.post(f"{url}/ckan/api/3/action/package_create", data=deep, timeout=30,
                  headers={"Authorization": CKAN_KEY, "Content-Type": "application/json"})
    assert memory(proc.pid) - baseline < 100 * MiB
    journal = requests.get(f"{url}/_emulator/requests", timeout=30)
    assert journal.status_code == 200, journal.text  # a 5,000-deep body made it a 400 until cleared
    entries = journal.json()["requests"]
    assert len(entries) == 11
    assert all(e["bodyTruncated"] and e["bodySize"] == len(big) and len(e["body"]) == 64 * 1024 for e in entries[:10])
    assert entries[10]["body"] == deep.decode()  # too deep to show as JSON: shown as the text it was


def test_namespaces_are_capped_and_an_unmatched_request_makes_none(serve):
    proc, url = serve("--max-namespaces", "5")
    session = requests.Session()
    baseline = memory(proc.pid)
    for n in range(500):
        unmatched = session.post(f"{url}/_ns/probe-{n}/ckan/api/nothing/here", timeout=10)
        assert unmatched.status_code == 404 and "<title>Error 404 - CKAN</title>" in unmatched.text
    assert session.get(f"{url}/_emulator/namespaces", timeout=10).json()["namespaces"] == []
    assert memory(proc.pid) - baseline < 20 * MiB
    # Even unauthenticated, a matched request makes a namespace, up to the cap; then CKAN's own 403.
    for n in range(5):
        assert session.get(f"{url}/_ns/ns-{n}/ckan/api/3/action/package_list", timeout=10).status_code == 200
    refused = session.get(f"{url}/_ns/one-too-many/ckan/api/3/action/package_list", timeout=10)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["__type"] == "Authorization Error" and "at most 5 namespaces" in error["message"]
    assert len(session.get(f"{url}/_emulator/namespaces", timeout=10).json()["namespaces"]) == 5
    assert session.get(f"{url}/_ns/ns-0/ckan/api/3/action/package_list", timeout=10).status_code == 200
    # Reset frees them.
    assert session.post(f"{url}/_emulator/reset", timeout=10).status_code == 200
    assert session.get(f"{url}/_ns/one-too-many/ckan/api/3/action/package_list", timeout=10).status_code == 200


def test_sigterm_is_prompt_while_every_worker_sleeps_in_a_latency_fault(serve):
    proc, url = serve()
    assert requests.post(f"{url}/_emulator/faults", json={"type": "latency", "ms": 60_000, "provider": "ckan"},
                         timeout=10).status_code == 201

    def call() -> None:
        try:
            requests.get(f"{url}/ckan/api/3/action/package_list", timeout=90)
        except requests.RequestException:
            pass  # the server stopped while this call waited

    callers = [threading.Thread(target=call, daemon=True) for _ in range(12)]  # more than its 8 workers
    for caller in callers:
        caller.start()
    time.sleep(1)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0
    assert time.monotonic() - started < 5
