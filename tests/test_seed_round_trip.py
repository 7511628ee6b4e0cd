"""Seeding a namespace with an export reproduces that export exactly, for every provider's real records."""

from __future__ import annotations

import sys
from pathlib import Path

import ckanapi
import requests
from apify_client import ApifyClient

sys.path.insert(0, str(Path(__file__).parent / "aitems"))
from aitems_signer import AitemsClient, dataset_body  # noqa: E402

from emulator.pytest_plugin import Emulator  # noqa: E402


def fill_every_provider(emulator: Emulator) -> None:
    ckan = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ckan-admin-token")
    ckan.action.package_create(name="round-trip", owner_org="test-org", tags=[{"name": "economy"}],
                               extras=[{"key": "k", "value": "v"}], groups=[{"name": "test-group"}],
                               resources=[{"url": "http://example.com/a.csv"}])
    ckan.action.package_delete(id="round-trip")
    apify = ApifyClient("apify_api_demo_token", api_url=emulator.url("apify"))
    dataset = apify.datasets().get_or_create(name="round-trip")
    apify.dataset(dataset.id).push_items([{"a": 1}, {"b": [1, 2]}])
    headers = {"Authorization": "Bearer redivis-edit-token"}
    created = requests.post(f"{emulator.url('redivis')}/organizations/demo_org/datasets", headers=headers,
                            json={"name": "Round Trip", "publicAccessLevel": "overview", "description": "d"})
    assert created.status_code == 200, created.text
    assert AitemsClient(emulator.mount("aitems")).post("/api/v1/datasets", dataset_body(name="round_trip")).ok
    qrvey = requests.post(
        f"{emulator.url('qrvey')}/user/demoUser1/app/demoApp01/qollect/dataset/datasource",
        headers={"x-api-key": "qrvey-demo-api-key"},
        json={"name": "Round trip", "connectionId": "84b500d7-71c8-4b1f-adf4-f1eb0000973d", "database": "db",
              "tableName": "t"})
    assert qrvey.status_code == 200, qrvey.text


def test_export_seeded_into_a_fresh_namespace_is_reproduced_exactly(emulator):
    fill_every_provider(emulator)
    export = emulator.state()
    assert all(export[p] for p in ("ckan", "apify", "redivis", "aitems", "qrvey"))
    fresh = Emulator(emulator.base_url, emulator.namespace + "-copy")
    fresh.seed(export)
    assert fresh.state() == export


def test_the_copy_serves_the_same_data_to_clients(emulator):
    fill_every_provider(emulator)
    fresh = Emulator(emulator.base_url, emulator.namespace + "-served")
    fresh.seed(emulator.state())
    apify = ApifyClient("apify_api_demo_token", api_url=fresh.url("apify"))
    assert [i for i in apify.dataset("~round-trip").list_items().items] == [{"a": 1}, {"b": [1, 2]}]
    shown = ckanapi.RemoteCKAN(fresh.url("ckan"), apikey="ckan-admin-token").action.package_show(id="round-trip")
    assert shown["state"] == "deleted" and shown["tags"][0]["name"] == "economy"
