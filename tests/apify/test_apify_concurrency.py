"""Get-or-create is atomic: many parallel callers with one name get one dataset."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import requests
from apify_client import ApifyClient
from apify_support import DEMO_TOKEN


def test_parallel_get_or_create_with_one_name_yields_one_dataset(emulator):
    url = f"{emulator.url('apify')}/v2/datasets"
    callers = 16
    barrier = Barrier(callers)

    def create(_: int) -> tuple[int, str]:
        barrier.wait()
        response = requests.post(url, params={"name": "race"}, json={}, timeout=10,
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        return response.status_code, response.json()["data"]["id"]

    with ThreadPoolExecutor(callers) as pool:
        results = list(pool.map(create, range(callers)))
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (callers - 1) + [201]
    assert len({dataset_id for _, dataset_id in results}) == 1
    assert [d["id"] for d in emulator.state("apify", "datasets")] == [results[0][1]]


def test_parallel_real_clients_agree_on_one_dataset(emulator):
    barrier = Barrier(8)

    def create(_: int) -> str:
        client = ApifyClient(DEMO_TOKEN, api_url=emulator.url("apify"))
        barrier.wait()
        return client.datasets().get_or_create(name="client-race").id

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(create, range(8)))
    assert len(ids) == 1
    assert len(emulator.state("apify", "datasets")) == 1


def test_parallel_pushes_keep_every_item(emulator):
    client = ApifyClient(DEMO_TOKEN, api_url=emulator.url("apify"))
    dataset = client.datasets().get_or_create(name="pushes")

    def push(n: int) -> None:
        ApifyClient(DEMO_TOKEN, api_url=emulator.url("apify")).dataset(dataset.id).push_items([{"n": n}] * 5)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(push, range(8)))
    page = client.dataset(dataset.id).list_items()
    assert page.total == 40 and len(page.items) == 40
    assert sorted(item["n"] for item in page.items) == sorted(list(range(8)) * 5)
