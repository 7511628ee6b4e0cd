"""The world every namespace starts with, deleting namespaces, and reads that never create one (real HTTP)."""

from __future__ import annotations

import json

import pytest
import requests
from dummy_provider import DummyProvider

from emulator.app import create_app
from emulator.config import Settings
from emulator.server import BackgroundServer

THING = {"id": "w1", "name": "from the world"}


@pytest.fixture
def base(tmp_path):
    """A server of its own (the world is server-wide), its world = one seed file."""
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"dummy": {"things": [THING]}}))
    server = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=server.port, seed_files=[seed]), providers=[DummyProvider()])
    server.start(app)
    yield f"{server.url}/_emulator"
    server.stop()
    app.extensions["emulator"].close()


def things(base: str, namespace: str) -> list[str]:
    response = requests.get(f"{base}/state/dummy/things?namespace={namespace}", timeout=10)
    assert response.status_code == 200, response.text
    return sorted(t["name"] for t in response.json())


def create(base: str, namespace: str) -> None:
    """A provider request: how a client creates a namespace."""
    url = base.replace("/_emulator", f"/_ns/{namespace}/dummy/things")
    assert requests.post(url, json={"name": "made"}, timeout=10).status_code == 201


def test_a_seed_file_reaches_every_namespace_including_later_ones(base):
    assert things(base, "default") == ["from the world"]
    create(base, "later")
    assert things(base, "later") == ["from the world", "made"]
    assert requests.get(f"{base}/world", timeout=10).json()["dummy"]["things"] == [THING]


def test_posting_to_the_world_reaches_new_and_reset_namespaces_and_delete_puts_it_back(base):
    create(base, "before")
    added = requests.post(f"{base}/world", json={"dummy": {"things": [{"id": "w2", "name": "added"}]}}, timeout=10)
    assert added.status_code == 200 and added.json() == {"seeded": {"dummy": {"things": 1}}}
    assert things(base, "before") == ["from the world", "made"]  # existing namespaces keep their state
    create(base, "after")
    assert things(base, "after") == ["added", "from the world", "made"]
    requests.post(f"{base}/reset?namespace=before", json={}, timeout=10)
    assert things(base, "before") == ["added", "from the world"]

    assert requests.delete(f"{base}/world", json={}, timeout=10).status_code == 200
    assert requests.get(f"{base}/world", timeout=10).json()["dummy"]["things"] == [THING]
    requests.post(f"{base}/reset?namespace=before", json={}, timeout=10)
    assert things(base, "before") == ["from the world"]


def test_a_rejected_world_seed_changes_nothing(base):
    bad = {"dummy": {"things": [{"id": "ok", "name": "fine"}, {"id": "bad"}]}}  # the dummy needs a name
    response = requests.post(f"{base}/world", json=bad, timeout=10)
    assert response.status_code == 400 and response.json()["error"].startswith("dummy.things")
    assert requests.get(f"{base}/world", timeout=10).json()["dummy"]["things"] == [THING]
    assert requests.post(f"{base}/world", json={"nope": {}}, timeout=10).status_code == 400


def test_reads_of_an_unknown_namespace_are_404_and_create_nothing(base):
    for path in ("state", "state/dummy/things", "state/dummy/things/w1", "requests", "faults", "config"):
        response = requests.get(f"{base}/{path}?namespace=typo", timeout=10)
        assert response.status_code == 404, path
        assert response.json() == {"error": "unknown namespace 'typo'"}, path
    for path in ("requests", "faults"):
        assert requests.delete(f"{base}/{path}?namespace=typo", json={}, timeout=10).status_code == 404
    assert requests.post(f"{base}/snapshot?namespace=typo", json={}, timeout=10).status_code == 404
    assert "typo" not in requests.get(f"{base}/namespaces", timeout=10).json()["namespaces"]


def test_calls_that_change_a_namespace_create_it_with_the_world(base):
    assert requests.post(f"{base}/seed?namespace=s", json={"dummy": {"things": []}}, timeout=10).ok
    assert requests.post(f"{base}/config?namespace=c", json={"seed": 1}, timeout=10).ok
    assert requests.post(f"{base}/faults?namespace=f", json={"action": {"type": "empty"}}, timeout=10).ok
    assert requests.post(f"{base}/reset?namespace=r", json={}, timeout=10).ok
    for namespace in "scfr":
        assert things(base, namespace) == ["from the world"]
    assert requests.get(f"{base}/faults?namespace=f", timeout=10).json()["faults"][0]["action"]["type"] == "empty"


def test_deleting_a_namespace_removes_its_data_and_journal(base):
    create(base, "gone")
    response = requests.delete(f"{base}/namespaces/gone", json={}, timeout=10)
    assert response.status_code == 200 and response.json() == {"deleted": "gone"}
    assert "gone" not in requests.get(f"{base}/namespaces", timeout=10).json()["namespaces"]
    assert requests.get(f"{base}/requests?namespace=gone", timeout=10).status_code == 404
    again = requests.delete(f"{base}/namespaces/gone", json={}, timeout=10)
    assert again.status_code == 404 and again.json() == {"error": "unknown namespace 'gone'"}
    create(base, "gone")  # a later request starts it afresh, from the world
    assert things(base, "gone") == ["from the world", "made"]


def test_the_journal_of_every_namespace_names_each_entry_namespace(base):
    create(base, "one")
    create(base, "two")
    entries = requests.get(f"{base}/requests?namespace=*", timeout=10).json()["requests"]
    assert [(e["namespace"], e["operation"]) for e in entries] == [("one", "dummy.things.create"),
                                                                   ("two", "dummy.things.create")]
    mine = requests.get(f"{base}/requests?namespace=two", timeout=10).json()["requests"]
    assert [e["namespace"] for e in mine] == ["two"]
