"""Namespaces read the world until they write (copy on write): every control call sees what a full copy would."""

from __future__ import annotations

import pytest
from dummy_provider import DummyProvider
from flask import Blueprint

from emulator.app import create_app
from emulator.config import Settings


class OtherProvider(DummyProvider):
    name = "other"

    def blueprint(self) -> Blueprint:
        return Blueprint("other", __name__)


WORLD = {"dummy": {"things": [{"id": "w1", "name": "dummy's"}]}, "other": {"things": [{"id": "o1", "name": "other's"}]}}


def start(state=None):
    app = create_app(Settings(state=state, default_world=False), providers=[DummyProvider(), OtherProvider()])
    client = app.test_client()
    assert client.post("/_emulator/world", json=WORLD).status_code == 200
    return app, client


@pytest.fixture
def client():
    app, client = start()
    yield client
    app.extensions["emulator"].close()


def names(client, namespace: str, provider: str = "dummy") -> list[str]:
    """What a namespace holds, after a provider read (which creates it, as a test's first request does)."""
    client.get(f"/_ns/{namespace}/dummy/things/none")
    response = client.get(f"/_emulator/state/{provider}/things?namespace={namespace}")
    assert response.status_code == 200, response.text
    return sorted(t["name"] for t in response.json)


def test_a_namespace_that_deletes_a_world_record_loses_it_alone(client):
    assert client.get("/_ns/a/dummy/things/w1").status_code == 200
    client.post("/_emulator/seed?namespace=a", json={"dummy": {"things": [{"id": "n", "name": "new"}]}})
    assert names(client, "a") == ["dummy's", "new"] and names(client, "b") == ["dummy's"]
    platform = client.application.extensions["emulator"]
    platform.table("a", "dummy", "things").delete("w1")
    assert names(client, "a") == ["new"]
    assert client.get("/_ns/a/dummy/things/w1").status_code == 404
    assert names(client, "b") == ["dummy's"] and client.get("/_emulator/world").json["dummy"]["things"][0]["id"] == "w1"


def test_namespaces_that_exist_keep_the_world_they_had_and_a_provider_reset_takes_the_new_one(client):
    assert names(client, "old") == ["dummy's"] and names(client, "old", "other") == ["other's"]
    changed = {"dummy": {"things": [{"id": "w2", "name": "added"}]}, "other": {"things": [{"id": "o2", "name": "o2"}]}}
    assert client.post("/_emulator/world", json=changed).status_code == 200
    assert names(client, "old") == ["dummy's"] and names(client, "old", "other") == ["other's"]
    assert names(client, "new") == ["added", "dummy's"]
    client.post("/_emulator/reset", json={"namespace": "old", "provider": "dummy"})
    assert names(client, "old") == ["added", "dummy's"] and names(client, "old", "other") == ["other's"]
    assert client.delete("/_emulator/world").status_code == 200
    assert names(client, "old") == ["added", "dummy's"] and names(client, "new") == ["added", "dummy's"]
    client.post("/_emulator/reset", json={"namespace": "old"})
    assert names(client, "old") == [] and names(client, "old", "other") == []  # the start-up world: empty


def test_snapshot_and_restore_of_a_namespace_that_reads_the_world(client):
    assert client.post("/_emulator/snapshot", json={"name": "start"}).status_code == 201
    client.application.extensions["emulator"].table("default", "dummy", "things").delete("w1")
    client.post("/_emulator/seed", json={"dummy": {"things": [{"id": "x", "name": "x"}]}})
    assert names(client, "default") == ["x"]
    assert client.post("/_emulator/restore", json={"name": "start"}).status_code == 200
    assert names(client, "default") == ["dummy's"]
    assert client.get("/_emulator/state").json["dummy"]["things"] == [{"id": "w1", "name": "dummy's"}]


def test_a_restart_gives_namespaces_what_they_had_although_the_world_is_rebuilt(tmp_path):
    state = tmp_path / "state.json"
    app, client = start(state)
    names(client, "reader")  # reads the posted world, which the next start does not have
    client.post("/_emulator/seed?namespace=writer", json={"other": {"things": [{"id": "n", "name": "new"}]}})
    app.extensions["emulator"].table("writer", "dummy", "things").delete("w1")
    before = {ns: client.get(f"/_emulator/state?namespace={ns}").json for ns in ("reader", "writer")}
    app.extensions["emulator"].close()

    app = create_app(Settings(state=state, default_world=False), providers=[DummyProvider(), OtherProvider()])
    client = app.test_client()
    assert client.get("/_emulator/world").json == {"dummy": {"things": [], "config": []},
                                                    "other": {"things": [], "config": []}}
    assert {ns: client.get(f"/_emulator/state?namespace={ns}").json for ns in ("reader", "writer")} == before
    assert before["reader"]["dummy"]["things"] == [{"id": "w1", "name": "dummy's"}]
    assert [t["id"] for t in before["writer"]["other"]["things"]] == ["o1", "n"]
    assert before["writer"]["dummy"]["things"] == []
    app.extensions["emulator"].close()


def test_a_refused_seed_puts_back_what_the_namespace_had_not_the_world(client):
    names(client, "a")
    client.application.extensions["emulator"].table("a", "dummy", "things").delete("w1")
    bad = {"dummy": {"things": [{"id": "ok", "name": "ok"}, {"id": "bad"}]}}  # the dummy needs a name
    assert client.post("/_emulator/seed?namespace=a", json=bad).status_code == 400
    assert names(client, "a") == [] and names(client, "a", "other") == ["other's"]
    assert client.post("/_emulator/seed?namespace=b", json={"dummy": {"things": [{"id": "bad"}]}}).status_code == 400
    assert names(client, "b") == ["dummy's"]
