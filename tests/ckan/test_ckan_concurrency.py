"""Parallel creates of one name: exactly one dataset, every other caller gets CKAN's duplicate-name 409."""

from __future__ import annotations

import sys
import threading
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


def test_same_name_created_once_when_threads_switch_inside_validation(emulator):
    # Validation runs outside the store lock; a thread switch between it and the write must not let
    # a second dataset take the name. Switching as often as possible makes that interleaving likely.
    base, rounds, racers = emulator.url("ckan"), 12, 8
    barrier = threading.Barrier(racers)

    def race(n: int):
        barrier.wait()  # every racer of a round sends its create at once
        return create(base, {"name": f"race-{n // racers}", "owner_org": "test-org"}, EDITOR)

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(max_workers=racers) as pool:
            responses = list(pool.map(race, range(rounds * racers)))
    finally:
        sys.setswitchinterval(old_interval)
    assert sorted(r.status_code for r in responses) == [200] * rounds + [409] * (rounds * (racers - 1))
    assert all(r.json()["error"]["name"] == ["That URL is already in use."] for r in responses
               if r.status_code == 409)
    assert sorted(p["name"] for p in emulator.state("ckan", "packages") if p["name"].startswith("race-")) == \
        sorted(f"race-{n}" for n in range(rounds))
