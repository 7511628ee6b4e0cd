import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

# Test helpers (the dummy provider, the subprocess server) are plain modules beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def dummy_base():
    """Base URL of an in-thread server with only the provider-agnostic dummy provider."""
    from dummy_provider import DummyProvider

    from emulator.app import create_app
    from emulator.config import Settings
    from emulator.server import BackgroundServer

    server = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=server.port, default_world=False, journal_size=50),
                     providers=[DummyProvider()])
    server.start(app)
    yield server.url
    server.stop()


class _Delegating(requests.adapters.BaseAdapter):
    """Plain HTTP through requests' adapter, hidden behind a non-HTTPAdapter type.

    Schemathesis counts pooled connections by reading ``HTTPAdapter.poolmanager.pools.keys()``; with
    urllib3-future in the environment (it replaces the ``urllib3`` module) the pool container has no ``keys``
    and every call fails. Its count only decides whether to resend a request dropped on a stale keep-alive
    connection, which a fresh in-thread server does not do.
    """

    def __init__(self) -> None:
        super().__init__()
        self.inner = requests.adapters.HTTPAdapter()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        return self.inner.send(request, **kwargs)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def session() -> Iterator[requests.Session]:
    """A requests session for Schemathesis' ``case.call`` (see ``_Delegating``)."""
    with requests.Session() as http:
        http.adapters.clear()
        http.mount("http://", _Delegating())
        yield http
