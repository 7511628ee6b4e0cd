"""Concurrent creates: duplicates racing across threads are resolved exactly once, on a durable store."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict

import pytest
import requests

from emulator.app import create_app
from emulator.config import Settings
from emulator.server import BackgroundServer
from emulator.store import Store

APIFY = {"Authorization": "Bearer apify_api_demo_token"}
THREADS = 8
NAMES = 15


@pytest.fixture
def durable_server(tmp_path):
    server = BackgroundServer(port=0)
    app = create_app(Settings(state=tmp_path / "state.json", port=server.port))
    server.start(app)
    yield server.url
    server.stop()
    app.extensions["emulator"].close()


def _race(url: str, results: dict[str, list[tuple[int, str]]], barrier: threading.Barrier) -> None:
    with requests.Session() as session:
        barrier.wait(timeout=10)
        for i in range(NAMES):
            response = session.post(f"{url}/apify/v2/datasets", params={"name": f"race-{i}"}, headers=APIFY,
                                    timeout=10)
            results[f"race-{i}"].append((response.status_code, response.json()["data"]["id"]))


def test_racing_get_or_create_makes_each_dataset_once(durable_server):
    results: dict[str, list[tuple[int, str]]] = defaultdict(list)
    barrier = threading.Barrier(THREADS)
    threads = [threading.Thread(target=_race, args=(durable_server, results, barrier)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    for name, answers in results.items():
        statuses = Counter(status for status, _ in answers)
        assert statuses == {201: 1, 200: THREADS - 1}, f"{name}: {statuses}"  # created once, found otherwise
        assert len({dataset_id for _, dataset_id in answers}) == 1, f"{name}: several ids {answers}"
    stored = requests.get(f"{durable_server}/_emulator/state/apify/datasets", timeout=10).json()
    assert sorted(Counter(r["name"] for r in stored).items()) == sorted((n, 1) for n in results)


def test_concurrent_puts_of_the_same_keys_leave_one_record_each_and_consistent_indexes(tmp_path):
    store = Store(tmp_path / "state.json", lambda table, record: record["id"])
    store.find("ns/p/things", {"owner": "a"})  # build the index first, so writes must keep it current

    def writer(n: int) -> None:
        for i in range(200):
            store.put("ns/p/things", {"id": f"k{i % 20}", "owner": "ab"[(i + n) % 2], "by": n})

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    records = store.records("ns/p/things")
    assert sorted(r["id"] for r in records) == sorted(f"k{i}" for i in range(20))
    for owner in "ab":
        assert store.find("ns/p/things", {"owner": owner}) == [r for r in records if r["owner"] == owner]
    store.close()
    again = Store(tmp_path / "state.json", lambda table, record: record["id"])
    assert again.records("ns/p/things") == records
    again.close()
