"""Parallel creates of one name: exactly one dataset, every other caller gets CKAN's duplicate-name 409."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ckan_support import EDITOR, create


def test_same_name_created_once_under_concurrency(emulator):
    base = emulator.url("ckan")
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda _: create(base, {"name": "race", "owner_org": "test-org"}, EDITOR),
                                  range(8)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 7
    assert all(r.json()["error"]["name"] == ["That URL is already in use."] for r in responses
               if r.status_code == 409)
    assert [p["name"] for p in emulator.state("ckan", "packages")] == ["race"]
