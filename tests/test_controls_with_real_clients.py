"""Test controls seen through the real clients: retries on injected faults, mapped exceptions, determinism."""

from __future__ import annotations

import asyncio
import time

import ckanapi
import pytest
import requests
from apify_client import ApifyClient, ApifyClientAsync
from serve_process import serving

APIFY_TOKEN = "apify_api_demo_token"


def test_a_429_fault_makes_apify_client_retry_then_succeed(emulator):
    emulator.fault("status", status=429, operation="apify.datasets.create", times=1, retryAfter=1)
    dataset = ApifyClient(APIFY_TOKEN, api_url=emulator.url("apify")).datasets().get_or_create(name="retried")
    assert dataset.name == "retried"
    creates = emulator.requests(operation="apify.datasets.create")
    assert [e["status"] for e in creates] == [429, 201]
    assert creates[0]["responseBody"]["error"]["type"] == "rate-limit-exceeded"


def test_async_apify_client_retries_a_503_fault(emulator):
    emulator.fault("status", status=503, operation="apify.datasets.create", times=2)
    client = ApifyClientAsync(APIFY_TOKEN, api_url=emulator.url("apify"))
    dataset = asyncio.run(client.datasets().get_or_create(name="after-503s"))
    assert dataset.name == "after-503s"
    assert [e["status"] for e in emulator.requests(operation="apify.datasets.create")] == [503, 503, 201]


def test_a_500_fault_is_ckans_envelope_and_ckanapi_raises_its_error(emulator):
    emulator.fault("status", status=500, operation="ckan.package_create", times=1)
    ckan = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ckan-admin-token")
    with pytest.raises(ckanapi.CKANAPIError) as raised:
        ckan.action.package_create(name="faulted", owner_org="test-org")
    assert "500" in str(raised.value) and "Internal Server Error" in str(raised.value)
    entry = emulator.requests(operation="ckan.package_create")[0]
    assert entry["responseBody"]["success"] is False
    assert entry["responseBody"]["error"]["__type"] == "Internal Server Error"
    assert ckan.action.package_create(name="faulted", owner_org="test-org")["name"] == "faulted"


def test_a_latency_fault_is_measured_by_the_client(emulator):
    emulator.fault("latency", ms=400, operation="apify.dataset.get", times=1)
    client = ApifyClient(APIFY_TOKEN, api_url=emulator.url("apify"))
    dataset = client.datasets().get_or_create(name="slow")
    began = time.perf_counter()
    assert client.dataset(dataset.id).get().id == dataset.id
    assert time.perf_counter() - began >= 0.4


def test_journal_records_real_client_calls_with_the_token_masked(emulator):
    ApifyClient(APIFY_TOKEN, api_url=emulator.url("apify")).datasets().get_or_create(name="journaled")
    emulator.assert_called("apify.datasets.create", times=1, status=201)
    entry = emulator.requests(operation="apify.datasets.create")[0]
    assert entry["query"]["name"] == "journaled"
    assert APIFY_TOKEN not in str(entry["headers"]) and APIFY_TOKEN not in str(entry["query"])


@pytest.mark.parametrize("provider", ["ckan", "apify", "redivis", "aitems", "qrvey"])
def test_every_setting_the_config_shows_can_be_set_back(emulator, provider):
    shown = emulator.configure()["providers"][provider]
    assert emulator.configure(providers={provider: shown})["providers"][provider] == shown


def test_seeded_runs_are_byte_identical_across_server_starts():
    bodies = []
    for _ in range(2):
        # A fixed public URL: links in bodies (CKAN's help, Apify's URLs) must not carry the free port.
        with serving("--in-memory", "--id-seed", "99", "--freeze-time", "2026-03-01T10:00:00Z",
                     "--public-url", "http://emulator.test") as url:
            headers = {"Authorization": "Bearer " + APIFY_TOKEN}
            created = requests.post(f"{url}/apify/v2/datasets?name=same", headers=headers)
            ckan = requests.post(f"{url}/ckan/api/action/package_create", headers={"Authorization": "ckan-admin-token"},
                                 json={"name": "same", "owner_org": "test-org"})
            bodies.append((created.content, ckan.content))
    assert bodies[0] == bodies[1]
    assert b"2026-03-01T10:00:00" in bodies[0][0] and b"2026-03-01T10:00:00" in bodies[0][1]
