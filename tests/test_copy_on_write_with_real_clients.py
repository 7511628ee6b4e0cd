"""Copy-on-write namespaces as the real clients see them, in memory and durable.

Every namespace reads the world until it writes: a namespace that renames, fills or deletes a world record
changes its own copy only; namespaces that exist keep the world they started with when the world changes, and
namespaces made later (or reset) get the new one.
"""

from __future__ import annotations

from pathlib import Path

import ckanapi
import pytest
import requests
from apify_client import ApifyClient

from emulator.app import create_app
from emulator.config import Settings
from emulator.pytest_plugin import Emulator
from emulator.server import BackgroundServer

EXAMPLE_WORLD = Path(__file__).resolve().parent.parent / "fixtures" / "apify.json"
EXAMPLE_TOKEN = "apify_api_example_token"  # fixtures/apify.json
WORLD_DATASET = "bIkEcOuNtS000000d"  # its dataset "bike-counts", with two items


@pytest.fixture(params=["in-memory", "durable"])
def base(request, tmp_path):
    server = BackgroundServer(port=0)
    state = tmp_path / "state.json" if request.param == "durable" else None
    app = create_app(Settings(state=state, port=server.port, seed_files=[EXAMPLE_WORLD]))
    server.start(app)
    yield server.url
    server.stop()
    app.extensions["emulator"].close()


def apify(base: str, namespace: str) -> ApifyClient:
    return ApifyClient(EXAMPLE_TOKEN, api_url=Emulator(base, namespace).url("apify"), max_retries=0)


def dataset_view(client: ApifyClient) -> tuple[str, list[dict]] | None:
    found = client.dataset(WORLD_DATASET).get()
    return None if found is None else (found.name, client.dataset(WORLD_DATASET).list_items().items)


def test_a_namespace_that_changes_a_world_record_changes_only_its_own(base):
    world = dataset_view(apify(base, "reader"))
    assert world is not None and world[0] == "bike-counts" and len(world[1]) == 2

    writer = apify(base, "writer")
    writer.dataset(WORLD_DATASET).update(name="bike-counts-renamed")
    writer.dataset(WORLD_DATASET).push_items([{"station": "Hill Ln", "count": 9}])
    assert dataset_view(writer) == ("bike-counts-renamed", [*world[1], {"station": "Hill Ln", "count": 9}])
    assert dataset_view(apify(base, "reader")) == world
    assert dataset_view(apify(base, "later")) == world

    writer.dataset(WORLD_DATASET).delete()
    assert dataset_view(writer) is None
    assert dataset_view(apify(base, "reader")) == world
    Emulator(base, "writer").reset()
    assert dataset_view(writer) == world


def test_ckan_writes_in_one_namespace_leave_the_world_and_the_others_alone(base):
    def ckan(namespace: str) -> ckanapi.RemoteCKAN:
        return ckanapi.RemoteCKAN(Emulator(base, namespace).url("ckan"), apikey="ckan-admin-token")

    ckan("writer").action.package_create(name="only-here", owner_org="test-org")
    assert ckan("writer").action.package_list() == ["only-here"]
    assert ckan("other").action.package_list() == []
    assert ckan("other").action.organization_show(id="test-org")["package_count"] == 0
    assert ckan("writer").action.organization_show(id="test-org")["package_count"] == 1


def test_a_changed_world_reaches_new_and_reset_namespaces_and_not_the_ones_that_exist(base):
    before = dataset_view(apify(base, "early"))
    answer = requests.post(f"{base}/_emulator/world", timeout=10, json={"apify": {"items": [
        {"datasetId": WORLD_DATASET, "index": 2, "item": {"station": "New Ave", "count": 1}}]}})
    assert answer.status_code == 200, answer.text

    assert dataset_view(apify(base, "early")) == before
    after = dataset_view(apify(base, "late"))
    assert after == (before[0], [*before[1], {"station": "New Ave", "count": 1}])
    Emulator(base, "early").reset()
    assert dataset_view(apify(base, "early")) == after
