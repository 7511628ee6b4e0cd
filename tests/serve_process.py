"""Run `dataset-emulator` as a subprocess: start a server and learn its URL, stop it, and the few
calls the state-file tests make through it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import requests

APIFY = {"Authorization": "Bearer apify_api_demo_token"}


def start(*args: str, before: list[str] | None = None, env: dict[str, str] | None = None,
          quiet: bool = True) -> tuple[subprocess.Popen, str]:
    """The server and its URL; ``before`` receives the lines it printed first (e.g. what --repair did);
    ``env``: variables added to this process's environment; ``quiet``: no access log, since nobody reads the
    pipe after the first lines (a full pipe blocks)."""
    flags = ["--quiet"] if quiet else []
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", *flags, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env} if env else None)
    for _ in range(10):
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        if match or not line:
            break
        if before is not None:
            before.append(line.rstrip("\n"))
    if not match:
        proc.kill()
        raise AssertionError(f"server did not start: {line!r} {proc.stderr.read()!r}")
    return proc, match.group(1)


@contextmanager
def serving(*args: str, quiet: bool = True):
    proc, url = start(*args, quiet=quiet)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emulator", *args], capture_output=True, text=True, timeout=30)


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a folder, to prove that something changed none of them."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def create(url: str, *names: str) -> None:
    """Apify datasets, each acknowledged with 201."""
    with requests.Session() as session:
        for name in names:
            response = session.post(f"{url}/apify/v2/datasets", params={"name": name}, headers=APIFY, timeout=10)
            assert response.status_code == 201, response.text


def names(url: str) -> set[str]:
    return {r["name"] for r in requests.get(f"{url}/_emulator/state/apify/datasets", timeout=10).json()}


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> tuple[int, str]:
    """Signal the server and wait for it: its exit code and what it wrote on stderr."""
    proc.send_signal(sig)
    try:
        code = proc.wait(timeout=20)
    finally:
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
    return code, err
