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


class EmulatorError(AssertionError):
    """A control API call failed; the message is the emulator's own."""


class Emulator:
    """Handle on one namespace of a running emulator."""

    def __init__(self, base_url: str, namespace: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.namespace = namespace

    def url(self, provider: str) -> str:
        """Base URL a real client accepts, inside this test's namespace (e.g. for ``RemoteCKAN``)."""
        return f"{self.base_url}/_ns/{self.namespace}/{provider}"

    def control(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """Call the control API in this namespace; returns the decoded JSON answer."""
        query = {"namespace": self.namespace, **{k: v for k, v in params.items() if v is not None}}
        url = f"{self.base_url}/_emulator/{path.lstrip('/')}?{urllib.parse.urlencode(query)}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
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
def emulator(emulator_server: str) -> Emulator:
    """A fresh namespace on the session's emulator, holding the default world."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "w")
    return Emulator(emulator_server, f"t-{worker}-{next(_counter)}-{uuid.uuid4().hex[:8]}")
