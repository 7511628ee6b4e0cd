"""Servers under test, each a subprocess on a loopback port: the emulator, the ceiling, moto_server."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import string
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class Target:
    def __init__(self, name: str, proc: subprocess.Popen, url: str) -> None:
        self.name, self.proc, self.url = name, proc, url
        match = re.match(r"http://([^:/]+):(\d+)", url)
        assert match
        self.host, self.port = match.group(1), int(match.group(2))

    def rss_mb(self) -> float:
        """Resident memory of the server process, from the kernel's own account."""
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)  # the emulator compacts its log on the way out
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


def _read_url(proc: subprocess.Popen, what: str) -> str:
    assert proc.stdout
    line = proc.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"{what} did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    return match.group(1)


def emulator(state: Path | None, *flags: str) -> Target:
    where = ["--state", str(state)] if state else ["--in-memory"]
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", "--quiet", *where, *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return Target("emulator", proc, _read_url(proc, "the emulator"))


def ceiling() -> Target:
    proc = subprocess.Popen([sys.executable, "-m", "bench.ceiling"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    return Target("ceiling", proc, _read_url(proc, "the ceiling server"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def moto() -> Target | None:
    """moto_server from moto[server], or None when it is not installed."""
    exe = shutil.which("moto_server", path=os.path.dirname(sys.executable)) or shutil.which("moto_server")
    if not exe:
        return None
    port = _free_port()
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=2).read()
            return Target("moto", proc, url)
        except OSError:
            time.sleep(0.1)
    proc.kill()
    return None


def cold_start(state_dir: Path) -> float:
    """Seconds from launching `dataset-emulator serve` until /_emulator/health answers."""
    exe = shutil.which("dataset-emulator", path=os.path.dirname(sys.executable))
    command = [exe] if exe else [sys.executable, "-m", "emulator"]
    started = time.perf_counter()
    proc = subprocess.Popen([*command, "serve", "--port", "0", "--quiet", "--state", str(state_dir / "cold.json")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    target = Target("cold", proc, _read_url(proc, "the emulator"))
    while True:
        try:
            urllib.request.urlopen(f"{target.url}/_emulator/health", timeout=5).read()
            break
        except OSError:
            time.sleep(0.005)
    took = time.perf_counter() - started
    target.stop()
    return took


def preload_apify(state: Path, count: int) -> None:
    """A state file holding ``count`` Apify datasets: one made through the API, cloned with new ids/names."""
    target = emulator(state)
    request = urllib.request.Request(f"{target.url}/apify/v2/datasets?name=template", method="POST",
                                     headers={"Authorization": "Bearer apify_api_demo_token"})
    urllib.request.urlopen(request, timeout=10).read()
    target.stop()  # folds the log into the TinyDB file
    data = json.loads(state.read_text())
    table = data["default/apify/datasets"]
    template = next(r for r in table.values() if r.get("name") == "template")
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits
    next_id = max(int(k) for k in table) + 1
    for n in range(count):
        dataset_id = "".join(rng.choice(alphabet) for _ in range(17))
        table[str(next_id + n)] = {**template, "id": dataset_id, "name": f"preloaded-{n}"}
    state.write_text(json.dumps(data))
