"""The real Apify clients (sync and async) against a durable server: answers held until their writes are
fsynced reach the client as usual, and what they acknowledged is in the state file after a restart."""

from __future__ import annotations

import pytest
from apify_support import Api

from emulator.app import create_app
from emulator.config import Settings
from emulator.server import BackgroundServer


def _serve(state):
    server = BackgroundServer(port=0)
    app = create_app(Settings(state=state, port=server.port))
    server.start(app)
    return server, app


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_acknowledged_creates_and_pushes_survive_a_restart(tmp_path, flavour):
    state = tmp_path / "state.json"
    server, app = _serve(state)
    try:
        api = Api(flavour, f"{server.url}/apify")
        dataset = api.call(lambda c: c.datasets().get_or_create(name="durable-one"))
        api.call(lambda c: c.dataset(dataset.id).push_items([{"n": 1}, {"n": 2}]))
        assert api.call(lambda c: c.dataset(dataset.id).list_items()).items == [{"n": 1}, {"n": 2}]
    finally:
        server.stop()
        app.extensions["emulator"].close()

    server, app = _serve(state)  # a new server on the same file
    try:
        api = Api(flavour, f"{server.url}/apify")
        again = api.call(lambda c: c.datasets().get_or_create(name="durable-one"))
        assert again.id == dataset.id
        assert api.call(lambda c: c.dataset(dataset.id).list_items()).items == [{"n": 1}, {"n": 2}]
    finally:
        server.stop()
        app.extensions["emulator"].close()
