"""Crash safety: a server killed with SIGKILL at random moments under concurrent creates loses no
acknowledged write, and its state file always loads with TinyDB.

Creates go through a real provider endpoint (Apify ``POST /v2/datasets?name=``), so the whole path —
routing, the provider's get-or-create transaction, the store's log and its fsync — is under test.
Compactions are made frequent (EMULATOR_COMPACT_EVERY) so some kills land in the middle of one.
"""

from __future__ import annotations

import json
import random
import threading
import time

import requests
from serve_process import start
from tinydb import TinyDB

APIFY = {"Authorization": "Bearer apify_api_demo_token"}
ROUNDS = 5
WRITERS = 4


def _writer(url: str, prefix: str, acked: list[str], stop: threading.Event) -> None:
    with requests.Session() as session:
        for i in range(10_000):  # bounded; the kill ends it long before
            if stop.is_set():
                return
            name = f"{prefix}-{i}"
            try:
                response = session.post(f"{url}/apify/v2/datasets", params={"name": name}, headers=APIFY, timeout=5)
            except requests.RequestException:
                return  # the server died: this write was never acknowledged
            if response.status_code == 201:
                acked.append(name)


def _names(url: str) -> set[str]:
    records = requests.get(f"{url}/_emulator/state/apify/datasets", timeout=10).json()
    return {r["name"] for r in records}


def _check_file_loads(path) -> None:
    if path.exists() and path.stat().st_size:
        with TinyDB(path, access_mode="r") as db:  # a snapshot is never half-written
            db.tables()


def test_kill_9_at_random_moments_loses_no_acknowledged_create(tmp_path, monkeypatch):
    monkeypatch.setenv("EMULATOR_COMPACT_EVERY", "40")
    state = tmp_path / "state.json"
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    acked: list[str] = []
    for round_no in range(ROUNDS):
        proc, url = start("--state", str(state))
        try:
            missing = sorted(set(acked) - _names(url))
            assert not missing, f"round {round_no} (seed {seed}): lost acknowledged creates {missing[:5]}"
            stop = threading.Event()
            writers = [threading.Thread(target=_writer, args=(url, f"r{round_no}w{w}", acked, stop))
                       for w in range(WRITERS)]
            for thread in writers:
                thread.start()
            time.sleep(rng.uniform(0.05, 0.6))
        finally:
            proc.kill()  # SIGKILL: no shutdown, no compaction, no flush
            proc.wait(timeout=10)
            proc.stdout.close()
            proc.stderr.close()
        stop.set()
        for thread in writers:
            thread.join(timeout=10)
        _check_file_loads(state)
    assert len(acked) > ROUNDS * WRITERS, "the writers never got through; the test proved nothing"

    proc, url = start("--state", str(state))
    try:
        missing = sorted(set(acked) - _names(url))
        assert not missing, f"seed {seed}: lost acknowledged creates {missing[:5]}"
    finally:
        proc.terminate()  # a clean stop folds the log into the TinyDB file
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
    with TinyDB(state, access_mode="r") as db:
        stored = {r["name"] for r in db.table("default/apify/datasets").all()}
    assert set(acked) <= stored
    assert not list(tmp_path.glob("state.json.log.*")), "a clean stop leaves no log behind"


def test_a_torn_log_tail_does_not_swallow_the_next_write(tmp_path):
    """After a crash mid-line, a write appended by the restarted server must survive the next restart."""
    state = tmp_path / "state.json"
    proc, url = start("--state", str(state))
    try:
        assert requests.post(f"{url}/apify/v2/datasets", params={"name": "before"}, headers=APIFY,
                             timeout=5).status_code == 201
    finally:
        proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
    log = max(tmp_path.glob("state.json.log.*"), key=lambda p: int(p.suffix[1:]))
    with open(log, "a") as fh:
        fh.write(json.dumps({"t": "default/apify/datasets", "k": "x", "r": {"id": "x"}})[:30])
    for name in ("after", None):
        proc, url = start("--state", str(state))
        try:
            if name:
                assert requests.post(f"{url}/apify/v2/datasets", params={"name": name}, headers=APIFY,
                                     timeout=5).status_code == 201
            else:
                assert {"before", "after"} <= _names(url)
        finally:
            proc.kill()
            proc.wait(timeout=10)
            proc.stdout.close()
            proc.stderr.close()
