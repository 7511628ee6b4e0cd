"""The ``emulator`` pytest fixture.

One in-thread server per test session (so per xdist worker); every test gets a namespace of its own,
so tests never see each other's data and need no reset. With ``--emulator-url`` the same tests run
against a server that is already running (a CI service) instead.
"""

from __future__ import annotations

import itertools
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dataset-emulator")
    group.addoption("--emulator-url", default=os.environ.get("EMULATOR_URL"),
                    help="use a running emulator at this base URL instead of starting one in-thread")
    group.addoption("--emulator-token", default=os.environ.get("EMULATOR_CONTROL_TOKEN"),
                    help="control token of that emulator (its --control-token)")


class EmulatorError(AssertionError):
    """A control API call failed; the message is the emulator's own."""


class Emulator:
    """Handle on one namespace of a running emulator."""

    def __init__(self, base_url: str, namespace: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.namespace = namespace
        self.token = token

    def url(self, provider: str) -> str:
        """Base URL a real client accepts, inside this test's namespace (e.g. for ``RemoteCKAN``)."""
        return f"{self.base_url}/_ns/{self.namespace}/{provider}"

    def control(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """Call the control API in this namespace; returns the decoded JSON answer."""
        query = {"namespace": self.namespace, **{k: v for k, v in params.items() if v is not None}}
        url = f"{self.base_url}/_emulator/{path.lstrip('/')}?{urllib.parse.urlencode(query)}"
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        if self.token:
            headers["X-Emulator-Token"] = self.token
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise EmulatorError(f"{method} {path}: {exc.code} {exc.read().decode(errors='replace')}") from None

    def seed(self, data: dict[str, Any]) -> dict[str, Any]:
        """Merge ``{provider: {collection: [records]}}`` into this namespace."""
        return self.control("POST", "seed", data)

    def state(self, provider: str | None = None, collection: str | None = None) -> Any:
        """Everything in this namespace (seed format), or one provider's collection as a list."""
        if provider and collection:
            return self.control("GET", f"state/{provider}/{collection}")
        state = self.control("GET", "state")
        return state[provider] if provider else state

    def reset(self, provider: str | None = None) -> None:
        """Back to the default world (this namespace only)."""
        self.control("POST", "reset", provider=provider)

    # ---- journal -------------------------------------------------------------------------------

    def requests(self, operation: str | None = None, provider: str | None = None, status: int | None = None,
                 since: str | None = None) -> list[dict[str, Any]]:
        """Recorded requests of this namespace, oldest first (secrets masked)."""
        return self.control("GET", "requests", operation=operation, provider=provider, status=status,
                            since=since)["requests"]

    def clear_requests(self) -> None:
        self.control("DELETE", "requests")

    def assert_called(self, operation: str, times: int | None = None, json_contains: dict | None = None,
                      status: int | None = None) -> list[dict[str, Any]]:
        """Assert ``operation`` was called (``times`` exactly, if given) with a body containing ``json_contains``.

        On failure the message lists the closest recorded requests and how each differs.
        """
        recorded = self.requests()
        matching = [e for e in recorded if e["operation"] == operation and _differences(e, json_contains, status) == []]
        if (times is None and matching) or (times is not None and len(matching) == times):
            return matching
        wanted = f"{operation}" + (f" with body containing {json_contains}" if json_contains else "")
        wanted += f" answered {status}" if status is not None else ""
        count = f"{times} time(s)" if times is not None else "at least once"
        lines = [f"expected {wanted} {count}; {len(matching)} matched among {len(recorded)} recorded request(s)"]
        ranked = sorted(recorded, key=lambda e: (e["operation"] != operation,
                                                 len(_differences(e, json_contains, status))))
        for entry in ranked[:5]:
            diffs = ([f"operation is {entry['operation']}"] if entry["operation"] != operation else [])
            diffs += _differences(entry, json_contains, status)
            lines.append(f"  #{entry['id']} {entry['method']} {entry['path']} -> {entry['status']}: "
                         + ("; ".join(diffs) or "matches"))
        raise AssertionError("\n".join(lines))

    # ---- faults, time, ids, snapshots ----------------------------------------------------------

    def fault(self, type: str, provider: str | None = None, operation: str | None = None,
              times: int | None = None, probability: float | None = None, seed: int | None = None,
              **action: Any) -> dict[str, Any]:
        """Add a fault rule in this namespace, e.g. ``fault("status", status=503, operation="ckan.package_create")``."""
        rule = {"action": {"type": type, **action}, "provider": provider, "operation": operation, "times": times,
                "seed": seed}
        if probability is not None:
            rule["probability"] = probability
        return self.control("POST", "faults", rule)

    def faults(self) -> list[dict[str, Any]]:
        return self.control("GET", "faults")["faults"]

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def configure(self, **settings: Any) -> dict[str, Any]:
        """``seed=``, ``freezeTime=``, ``advance=``, ``providers={...}`` for this namespace."""
        return self.control("POST", "config", settings)

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move this namespace's clock forward."""
        return self.control("POST", "advance", {"seconds": seconds})

    def snapshot(self, name: str = "default") -> None:
        self.control("POST", "snapshot", {"name": name})

    def restore(self, name: str = "default") -> None:
        self.control("POST", "restore", {"name": name})


def _differences(entry: dict[str, Any], json_contains: dict | None, status: int | None) -> list[str]:
    diffs = []
    if status is not None and entry["status"] != status:
        diffs.append(f"status {entry['status']} != {status}")
    body = entry.get("body")
    for key, value in (json_contains or {}).items():
        if not isinstance(body, dict) or key not in body:
            diffs.append(f"body has no {key!r}")
        elif body[key] != value:
            diffs.append(f"body[{key!r}] is {body[key]!r}, not {value!r}")
    return diffs


@pytest.fixture(scope="session")
def emulator_server(request: pytest.FixtureRequest):
    """Base URL of the emulator serving this session: in-thread, or the one named by --emulator-url."""
    url = request.config.getoption("--emulator-url")
    if url:
        yield url.rstrip("/")
        return
    from .app import create_app
    from .config import Settings
    from .server import BackgroundServer

    server = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=server.port))
    server.start(app)
    yield server.url
    server.stop()
    app.extensions["emulator"].close()


_counter = itertools.count(1)


@pytest.fixture
def emulator(emulator_server: str, request: pytest.FixtureRequest) -> Emulator:
    """A fresh namespace on the session's emulator, holding the default world."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "w")
    return Emulator(emulator_server, f"t-{worker}-{next(_counter)}-{uuid.uuid4().hex[:8]}",
                    request.config.getoption("--emulator-token"))
