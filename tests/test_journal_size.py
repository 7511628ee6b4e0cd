"""The journal keeps each namespace's newest ``journal_size`` requests."""

from __future__ import annotations

import pytest
from dummy_provider import DummyProvider

from emulator.app import create_app
from emulator.config import Settings


@pytest.mark.parametrize("size", [0, 3])
def test_a_namespace_journal_keeps_its_newest_requests_up_to_the_size(size):
    app = create_app(Settings(state=None, default_world=False, journal_size=size), providers=[DummyProvider()])
    client = app.test_client()
    names = [f"thing {n}" for n in range(5)]
    for name in names:
        assert client.post("/dummy/things", json={"name": name}).status_code == 201
    client.post("/_ns/other/dummy/things", json={"name": "elsewhere"})
    kept = client.get("/_emulator/requests").json["requests"]
    assert [entry["body"]["name"] for entry in kept] == names[len(names) - size:]
    assert len(client.get("/_emulator/requests?namespace=other").json["requests"]) == min(size, 1)
    app.extensions["emulator"].close()
