"""Every server the bench compares, started the way a user would start it, timed until it first answers.

The emulator (durable and in memory) and what users would pick instead: pytest-httpserver with one canned
handler, Prism 5 mocking Apify's OpenAPI document, WireMock 3 standalone with one stub, moto_server. Prism
and WireMock come from the npm registry into ``.bench-tools/`` (``make bench`` installs them); a peer that
is not installed is reported as such and the others are measured.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .loadgen import Connection
from .scenarios import builder
from .targets import Target

ROOT = Path(__file__).resolve().parents[1]
TOOLS = Path(os.environ.get("BENCH_TOOLS", ROOT / ".bench-tools"))
APIFY_OPENAPI = ROOT / "tests" / "data" / "apify" / "apify-openapi-datasets.json"

# What a hand-written stub answers to an Apify create: the shape of Apify's documented dataset (~0.7 KB).
CANNED_CREATE = {"data": {
    "id": "WkzbQMuFYuamGv3YF", "name": "d7b9MDYsbtX5L7XAj", "userId": "wRsJZtadYvn4mBZmm",
    "createdAt": "2019-12-12T07:34:14.202Z", "modifiedAt": "2019-12-13T08:36:13.202Z",
    "accessedAt": "2019-12-14T08:36:13.202Z", "itemCount": 0, "cleanItemCount": 0, "actId": None,
    "actRunId": None, "fields": [], "schema": None, "generalAccess": "FOLLOW_USER_SETTING",
    "consoleUrl": "https://console.apify.com/storage/datasets/WkzbQMuFYuamGv3YF",
    "itemsPublicUrl": "https://api.apify.com/v2/datasets/WkzbQMuFYuamGv3YF/items",
    "urlSigningSecretKey": "0iaC9V8S5esqUSIs4w5W0WPqvsVeQSOr",
    "stats": {"readCount": 0, "writeCount": 0, "storageBytes": 0, "inflatedBytes": 0}}}


class Unavailable(Exception):
    """A peer that cannot run on this machine; the message says why."""


@dataclass
class Peer:
    name: str
    scenario: str  # what its creates look like (scenarios.builder)
    command: Callable[[int, Path], list[str]]  # (port, scratch folder) -> argv
    label: str = ""

    def start(self, scratch: Path) -> Target:
        """Launch it and send creates until one answers 2xx; ``target.cold_s`` is the time that took."""
        port = free_port()
        scratch.mkdir(parents=True, exist_ok=True)
        argv = self.command(port, scratch)
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        target = Target(self.name, proc, f"http://127.0.0.1:{port}")
        request = builder(self.scenario, {"run": f"cold{port}"}, 0)
        deadline = started + 90
        n = 0
        while time.perf_counter() < deadline and proc.poll() is None:
            conn = Connection(target.host, port)
            try:
                status, _ = conn.request(request(n))
                if 200 <= status < 300:
                    target.cold_s = time.perf_counter() - started
                    return target
            except OSError:
                time.sleep(0.005)
            finally:
                conn.close()
            n += 1
        target.stop()
        raise Unavailable(f"{self.name} did not answer a create within 90 s (exit {proc.poll()})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _emulator_command(*where: str) -> Callable[[int, Path], list[str]]:
    exe = shutil.which("dataset-emulator", path=os.path.dirname(sys.executable))
    base = [exe] if exe else [sys.executable, "-m", "emulator"]
    return lambda port, scratch: [*base, "serve", "--host", "127.0.0.1", "--port", str(port), "--quiet", *(
        [w.replace("{scratch}", str(scratch)) for w in where])]


def emulator(durable: bool) -> Peer:
    if durable:
        return Peer("durable", "apify", _emulator_command("--state", "{scratch}/state.json"),
                    "emulator, durable (`serve --state FILE`)")
    return Peer("in-memory", "apify", _emulator_command("--in-memory"), "emulator, in memory (the fixture's mode)")


def _wiremock(port: int, scratch: Path) -> list[str]:
    if not shutil.which("java"):
        raise Unavailable("WireMock needs Java 11+, which is not installed")
    jar = _wiremock_jar()
    (scratch / "mappings").mkdir(exist_ok=True)
    stub = {"request": {"method": "POST", "urlPath": "/v2/datasets"},
            "response": {"status": 201, "jsonBody": CANNED_CREATE, "headers": {"Content-Type": "application/json"}}}
    (scratch / "mappings" / "create.json").write_text(json.dumps(stub))
    return ["java", "-jar", str(jar), "--port", str(port), "--bind-address", "127.0.0.1",
            "--root-dir", str(scratch), "--disable-banner"]


def _wiremock_jar() -> Path:
    jars = sorted((TOOLS / "node_modules" / "wiremock").glob("**/wiremock-standalone-*.jar"))
    if not jars:
        raise Unavailable(f"WireMock's standalone jar is not installed (npm package `wiremock` in {TOOLS.name}/)")
    return jars[-1]


def _prism(port: int, scratch: Path) -> list[str]:
    return [str(_prism_exe()), "mock", "-h", "127.0.0.1", "-p", str(port), "--verboseLevel", "warn",
            str(APIFY_OPENAPI)]


def _prism_exe() -> Path:
    exe = TOOLS / "node_modules" / ".bin" / "prism"
    if not exe.exists():
        raise Unavailable(f"Prism is not installed (npm package `@stoplight/prism-cli` in {TOOLS.name}/)")
    if not shutil.which("node"):
        raise Unavailable("Prism needs Node.js, which is not installed")
    return exe


def _moto(port: int, scratch: Path) -> list[str]:
    exe = shutil.which("moto_server", path=os.path.dirname(sys.executable)) or shutil.which("moto_server")
    if not exe:
        raise Unavailable("moto_server is not installed (the `bench` extra: moto[server])")
    return [exe, "-H", "127.0.0.1", "-p", str(port)]


def _httpserver(port: int, scratch: Path) -> list[str]:
    try:
        import pytest_httpserver  # noqa: F401  (only: is it installed)
    except ImportError as exc:
        raise Unavailable("pytest-httpserver is not installed (the `bench` extra)") from exc
    return [sys.executable, "-m", "bench.stub_httpserver", str(port)]


def others() -> list[Peer]:
    """What users would pick instead, in the order the report lists them, and the floor of the emulator's stack."""
    return [Peer("ceiling", "ceiling", lambda port, scratch: [sys.executable, "-m", "bench.ceiling", str(port)],
                 "the stack's floor: a trivial Flask endpoint on the emulator's waitress set-up"),
            Peer("httpserver", "apify-peer", _httpserver, "pytest-httpserver, one canned handler"),
            Peer("prism", "apify-peer", _prism, "Prism 5 mocking Apify's OpenAPI"),
            Peer("wiremock", "apify-peer", _wiremock, "WireMock 3 standalone, one stub"),
            Peer("moto", "moto-sqs", _moto, "moto_server, SQS CreateQueue")]
