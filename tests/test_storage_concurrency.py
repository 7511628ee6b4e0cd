"""Concurrent creates: duplicates racing across threads are resolved exactly once, on a durable store."""

from __future__ import annotations

import sys
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
            store.put("ns/p/things", {"id": f"k{i % 20}", "owner": "ab"[(i + n) % 2], "by": n}, f"k{i % 20}")

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


def test_finds_without_the_lock_never_miss_or_mismatch_a_record_being_rewritten():
    """find() takes no lock; writers rewriting records (same name, new version) must never hide them."""
    store = Store(None, lambda table, record: record["id"])
    table, count = "ns/p/things", 40
    for i in range(count):
        store.put(table, {"id": f"r{i}", "name": f"n{i}", "version": 0, "even": i % 2 == 0}, f"r{i}")
    store.find(table, {"name": "n0"})  # build the index the readers use
    store.find(table, {"version": 0})
    stop = threading.Event()
    problems: list[str] = []

    def writer() -> None:
        version = 0
        while not stop.is_set():
            version += 1
            for i in range(count):  # the name stays; the indexed version changes
                store.put(table, {"id": f"r{i}", "name": f"n{i}", "version": version, "even": i % 2 == 0}, f"r{i}")

    def reader() -> None:
        while not stop.is_set():
            for i in range(count):
                found = store.find(table, {"name": f"n{i}"})
                if len(found) != 1 or found[0]["id"] != f"r{i}":
                    problems.append(f"name n{i}: {found}")
            newest = store.find(table, {"version": store.get(table, "r0")["version"]})
            if any(record["version"] != newest[0]["version"] for record in newest):
                problems.append("a record that no longer matches was returned")

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to hit every step of a write
    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        stop.wait(0.6)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        sys.setswitchinterval(old_interval)
    assert not problems[:5]
