"""Malformed seed records, field by field, for every provider collection, through a real server.

Each seed is all or nothing: a refused one is a 400 naming the record (``<provider>.<collection>[<index>]``)
and leaves the namespace exactly as it was; an accepted one leaves a world every provider read still answers
(no 5xx), so no seeded shape can break later calls.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from emulator.pytest_plugin import EmulatorError

sys.path.insert(0, str(Path(__file__).parent / "aitems"))
from aitems_signer import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, make_signature  # noqa: E402

# Of each JSON type, and the empty ones (a lone surrogate never gets this far: tests/test_hostile_input.py).
BAD_VALUES = [-1, 1.5, "x", "", True, None, [1], [{}], {}]
NESTED_BAD_VALUES = [5, "x", None]  # inside an object or the first object of a list

# One usable record per collection (beside the default world's), the starting point of every mutation.
RECORDS: dict[str, dict[str, dict[str, Any]]] = {
    "ckan": {
        "users": {"name": "seeduser", "apikey": "seed-user-token", "sysadmin": False},
        "organizations": {"name": "seed-org", "title": "Seed Org",
                          "users": [{"name": "seeduser", "capacity": "admin"}]},
        "groups": {"name": "seed-group", "title": "Seed Group", "users": []},
        "tags": {"name": "seedtag"},
        "packages": {"name": "seed-pkg", "title": "Seed", "owner_org": "80f5e259-b11f-4b54-880b-35745e6d6a96",
                     "tags": ["seedtag"], "extras": {"k": "v"}, "groups": [], "private": False,
                     "resources": [{"url": "http://example.com/x.csv", "name": "x"}]},
        "config": {"ckan.auth.anon_create_dataset": False},
    },
    "apify": {
        "users": {"id": "sEeDuSeR000000001", "username": "seed-user", "token": "apify_seed_token"},
        "datasets": {"id": "sEeDdAtAsEt000001", "name": "seed", "userId": "dEmOuSeR0000000a1"},
        "items": {"datasetId": "sEeDdAtAsEt000001", "index": 0, "item": {"a": 1}},
        "config": {"listLimit": 10},
    },
    "redivis": {
        "users": {"name": "seed_user", "token": "redivis-seed-token", "scopes": ["public"]},
        "organizations": {"name": "seed_org", "admins": ["demo_user"]},
        "datasets": {"name": "seed", "ownerName": "demo_user", "publicAccessLevel": "data", "released": True},
    },
    "aitems": {
        "credentials": {"accessKey": "SEEDACCESSKEY0000001", "secretKey": "seed-secret"},
        "schemas": {"name": "seed_schema", "datasetType": "item", "description": "",
                    "fields": [{"name": "ITEM_ID", "type": ["string"], "categorical": False}]},
        "datasets": {"datasetId": "seeddataset", "type": "item", "name": "seed_items", "description": "",
                     "schemaName": "item_schema", "osInfo": {"region": "KR", "bucket": "b", "key": "k.csv"}},
        "config": {"statusTransition": "reads"},
    },
    "qrvey": {
        "apiKeys": {"key": "qrvey-seed-key"},
        "users": {"userId": "seedUser1", "email": "seed@example.com"},
        "apps": {"appId": "seedApp01", "userId": "demoUser1", "name": "Seed App"},
        "connections": {"appId": "demoApp01", "userId": "demoUser1", "name": "Seed", "connectorType": "MYSQL_LIVE"},
        "datasets": {"datasetId": "seedds001", "appId": "demoApp01", "userId": "demoUser1", "name": "Seed DS"},
        "config": {"loadMode": "reads"},
    },
}


def _aitems(path: str) -> dict[str, str]:
    timestamp = str(int(time.time() * 1000))
    return {"x-ncp-apigw-timestamp": timestamp, "x-ncp-iam-access-key": DEMO_ACCESS_KEY,
            "x-ncp-apigw-signature-v2": make_signature(DEMO_SECRET_KEY, "GET", path, timestamp, DEMO_ACCESS_KEY)}


def read_everything(emulator, provider: str) -> list[requests.Response]:
    """The provider's reads of what was seeded: its lists, and each record a list names."""
    base = emulator.url(provider)
    if provider == "ckan":
        admin = {"Authorization": "ckan-admin-token"}
        names = requests.get(f"{base}/api/3/action/package_list", timeout=10)
        shows = [requests.get(f"{base}/api/3/action/package_show", params={"id": p["id"]}, headers=admin, timeout=10)
                 for p in emulator.state("ckan", "packages")]
        return [names, *shows]
    if provider == "apify":
        auth = {"Authorization": "Bearer apify_api_demo_token"}
        listed = requests.get(f"{base}/v2/datasets", headers=auth, timeout=10)
        shows = [requests.get(f"{base}/v2/datasets/{d['id']}{suffix}", headers=auth, timeout=10)
                 for d in emulator.state("apify", "datasets") for suffix in ("", "/items")]
        return [listed, *shows]
    if provider == "redivis":
        auth = {"Authorization": "Bearer redivis-edit-token"}
        listed = [requests.get(f"{base}/api/v1/{kind}/{name}/datasets", headers=auth, timeout=10)
                  for kind, name in (("users", "demo_user"), ("organizations", "demo_org"))]
        shows = [requests.get(f"{base}/api/v1/datasets/{d['ownerName']}.{d['name']}", headers=auth, timeout=10)
                 for d in emulator.state("redivis", "datasets") if isinstance(d.get("name"), str)]
        return [*listed, *shows, requests.get(f"{base}/api/v1/users/me", headers=auth, timeout=10)]
    if provider == "aitems":
        paths = ["/api/v1/datasets", "/api/v1/schemas"]
        paths += [f"/api/v1/datasets/{d['datasetId']}" for d in emulator.state("aitems", "datasets")]
        paths += [f"/api/v1/schemas/{s['name']}" for s in emulator.state("aitems", "schemas")]
        return [requests.get(base + path, headers=_aitems(path), timeout=10) for path in paths]
    key = {"x-api-key": "qrvey-demo-api-key"}
    app = f"{base}/devapi/v4/user/demoUser1/app/demoApp01/qollect"
    listed = [requests.post(f"{app}/{kind}/all", json={}, headers=key, timeout=10)
              for kind in ("dataset", "connections")]
    shows = [requests.get(f"{app}/dataset/{d['datasetId']}", headers=key, timeout=10)
             for d in emulator.state("qrvey", "datasets") if d.get("appId") == "demoApp01"]
    return [*listed, *shows]


def mutations(record: dict[str, Any], values: list[Any] = BAD_VALUES, nested: bool = True) -> list[dict[str, Any]]:
    """The record with each field, in turn, removed or set to each bad value; likewise inside its objects."""
    found = [{k: v for k, v in record.items() if k != key} for key in record]
    for key, value in record.items():
        found += [{**record, key: bad} for bad in values]
        if nested and isinstance(value, dict):
            found += [{**record, key: inner} for inner in mutations(value, NESTED_BAD_VALUES, nested=False)]
        if nested and isinstance(value, list) and value and isinstance(value[0], dict):
            found += [{**record, key: [inner, *value[1:]]}
                      for inner in mutations(value[0], NESTED_BAD_VALUES, nested=False)]
    return found


def stored_forms(emulator, provider: str) -> dict[str, dict[str, Any]]:
    """RECORDS as the provider stores them, every generated field included (an export seeds as-is)."""
    emulator.seed({provider: {collection: [record] for collection, record in RECORDS[provider].items()}})
    exported = emulator.state()[provider]
    emulator.reset(provider)
    return {collection: exported[collection][-1] for collection in RECORDS[provider]}


@pytest.mark.parametrize("provider", list(RECORDS))
def test_every_malformed_seed_record_is_refused_whole_or_leaves_a_readable_world(emulator, provider):
    for collection, record in stored_forms(emulator, provider).items():
        for bad in mutations(record):
            before = emulator.state()
            records = [bad] if collection == "config" else [record, bad]  # a good record first: all or nothing
            seed = {provider: {collection: records}}
            try:
                emulator.seed(seed)
            except EmulatorError as exc:
                message = str(exc)
                assert ": 400 " in message, (seed, message)
                assert f"{provider}.{collection}[" in message, (seed, message)
                assert emulator.state() == before, f"a refused seed changed the namespace: {seed}"
                continue
            for response in read_everything(emulator, provider):
                assert response.status_code < 500, (seed, response.request.url, response.text[:300])
