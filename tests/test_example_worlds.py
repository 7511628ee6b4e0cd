"""The seed worlds in fixtures/: each example seeds through `serve --seed`, on its own (no default world), and
its records are there for the real clients; default.json is the world the package ships."""

from __future__ import annotations

import json
from pathlib import Path

import ckanapi
import pytest
import redivis
import requests
from aitems.aitems_signer import AitemsClient
from apify_client import ApifyClient
from serve_process import serving

from emulator.platform import default_world
from emulator.providers import all_providers

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLES = [provider.name for provider in all_providers()]


@pytest.fixture(scope="module")
def base() -> str:
    seeds = [arg for name in EXAMPLES for arg in ("--seed", str(FIXTURES / f"{name}.json"))]
    with serving("--in-memory", "--no-default-world", *seeds) as url:
        yield url


def test_every_provider_has_an_example_world_of_its_own_and_the_package_ships_the_default_world():
    assert sorted(p.stem for p in FIXTURES.glob("*.json")) == sorted([*EXAMPLES, "default"])
    for name in EXAMPLES:
        assert list(json.loads((FIXTURES / f"{name}.json").read_text())) == [name]
    assert default_world() == json.loads((FIXTURES / "default.json").read_text())


def test_ckan_example(base):
    ckan = ckanapi.RemoteCKAN(f"{base}/ckan", apikey="ckan-maria-token")
    shown = ckan.action.package_show(id="bike-counts")
    assert (shown["organization"]["name"], shown["license_id"]) == ("city-of-example", "cc-by")
    assert [t["name"] for t in shown["tags"]] == ["mobility", "open-data"]
    created = ckan.action.package_create(name="tram-counts", owner_org="city-of-example")  # maria is an admin there
    assert sorted(ckan.action.package_list()) == ["bike-counts", created["name"]]


def test_apify_example(base):
    client = ApifyClient("apify_api_example_token", api_url=f"{base}/apify", api_public_url=f"{base}/apify")
    page = client.dataset("example-user/bike-counts").list_items()
    assert [item["station"] for item in page.items] == ["Main St", "River Rd"]
    assert client.dataset("example-user/bike-counts").get().item_count == 2


def test_redivis_example(base, monkeypatch):
    monkeypatch.setenv("REDIVIS_API_ENDPOINT", f"{base}/redivis/api/v1")
    monkeypatch.setenv("REDIVIS_API_TOKEN", "redivis-example-token")
    dataset = redivis.organization("example_city").dataset("Bike counts").get()
    assert dataset.properties["qualifiedReference"] == "example_city.bike_counts:7kq2:v1_0"
    assert dataset.properties["description"] == "Daily bicycle counts per counting station."


def test_aitems_example(base):
    client = AitemsClient(f"{base}/aitems", access_key="EXAMPLEACCESSKEY0001",
                          secret_key="example-secret-key-00000000000000000000001")
    dataset = client.get("/api/v1/datasets/bikestation").json()
    assert (dataset["name"], dataset["status"], dataset["schemaName"]) == ("stations", "enable", "bike_item_schema")
    service = client.get("/api/v1/services/bikerecs001").json()
    assert (service["name"], service["status"], service["datasets"]) == ("bike_recs", "datasetRequired", [])


def test_qrvey_example(base):
    answer = requests.get(f"{base}/qrvey/devapi/v4/user/exampleU1/app/exampleA1/qollect/dataset/bikecount",
                          headers={"x-api-key": "qrvey-example-api-key"}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["name"], answer.json()["status"]) == ("Bike counts", "LOADED")
