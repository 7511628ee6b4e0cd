"""Seeding the Apify world: generated ids, counters kept true, bad records rejected."""

from __future__ import annotations

import re

import pytest
from apify_client import ApifyClient
from apify_support import ID_PATTERN, TIMESTAMP_PATTERN

from emulator.pytest_plugin import EmulatorError


def test_seeded_user_gets_an_apify_id_and_works(emulator):
    emulator.seed({"apify": {"users": [{"username": "seeded", "token": "apify_api_seeded"}]}})
    user = next(u for u in emulator.state("apify", "users") if u["username"] == "seeded")
    assert re.match(ID_PATTERN, user["id"])
    dataset = ApifyClient("apify_api_seeded", api_url=emulator.url("apify")).datasets().get_or_create(name="s")
    assert dataset.user_id == user["id"]


def test_seeded_datasets_and_items_are_served(emulator):
    emulator.seed({"apify": {
        "datasets": [{"id": "SeededDataset0001", "name": "seeded", "userId": "dEmOuSeR0000000a1"}],
        "items": [{"datasetId": "SeededDataset0001", "item": {"n": 1}},
                  {"datasetId": "SeededDataset0001", "item": {"#only": "hidden"}}],
    }})
    stored = emulator.state("apify", "datasets")[0]
    assert stored["itemCount"] == 2 and stored["cleanItemCount"] == 1
    assert re.match(TIMESTAMP_PATTERN, stored["createdAt"]) and stored["generalAccess"] == "FOLLOW_USER_SETTING"
    client = ApifyClient("apify_api_demo_token", api_url=emulator.url("apify"))
    assert client.datasets().get_or_create(name="seeded").id == "SeededDataset0001"
    page = client.dataset("SeededDataset0001").list_items()
    assert page.items == [{"n": 1}, {"#only": "hidden"}] and page.total == 2
    client.dataset("SeededDataset0001").push_items({"n": 3})
    assert [row["index"] for row in emulator.state("apify", "items")] == [0, 1, 2]


@pytest.mark.parametrize("collection, record, why", [
    ("users", {"token": "t"}, "username"),
    ("users", {"id": "short", "username": "u", "token": "t"}, "17 characters"),
    ("datasets", {"name": "x"}, "userId"),
    ("datasets", {"userId": "dEmOuSeR0000000a1", "name": "bad_name"}, "not a valid Apify dataset name"),
    ("datasets", {"userId": "dEmOuSeR0000000a1", "generalAccess": "OPEN"}, "generalAccess"),
    ("datasets", {"userId": "dEmOuSeR0000000a1", "schema": {"fields": {"type": "objekt"}}}, "Dataset schema is not"),
    ("items", {"datasetId": "SeededDataset0001", "item": [1]}, "JSON object"),
])
def test_bad_seed_records_are_rejected(emulator, collection, record, why):
    with pytest.raises(EmulatorError) as caught:
        emulator.seed({"apify": {collection: [record]}})
    assert "400" in str(caught.value) and why in str(caught.value)
