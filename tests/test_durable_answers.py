"""Durable mode over HTTP: an answer leaves only once its writes are on disk, and waiting for the disk
does not hold a request thread (the store's syncer does the fsync; the server holds the answer)."""

from __future__ import annotations

import os
import threading

import pytest
import requests

from emulator.app import create_app
from emulator.config import Settings
from emulator.server import BackgroundServer

APIFY = {"Authorization": "Bearer apify_api_demo_token"}


@pytest.fixture
def one_thread_durable_server(tmp_path):
    server = BackgroundServer(port=0, threads=1)  # one request thread: a thread blocked on the disk would stall all
    app = create_app(Settings(state=tmp_path / "state.json", port=server.port))
    server.start(app)
    yield server.url
    server.stop()
    app.extensions["emulator"].close()


@pytest.fixture
def slow_disk(monkeypatch):
    """fsync blocks until ``release`` is set; ``entered`` tells that one is blocked."""
    entered, release = threading.Event(), threading.Event()
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        entered.set()
        release.wait(timeout=10)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    yield entered, release
    release.set()


def test_an_answer_waits_for_its_fsync_while_the_request_thread_serves_others(one_thread_durable_server, slow_disk):
    url = one_thread_durable_server
    entered, release = slow_disk
    answers: list[requests.Response] = []
    answered = threading.Event()

    def create() -> None:
        answers.append(requests.post(f"{url}/apify/v2/datasets", params={"name": "held"}, headers=APIFY,
                                     timeout=10))
        answered.set()

    creator = threading.Thread(target=create)
    creator.start()
    assert entered.wait(timeout=5), "the create never reached the disk"

    # The only request thread is free: another request is served while the create's fsync hangs.
    listed = requests.get(f"{url}/apify/v2/datasets", headers=APIFY, timeout=5)
    assert listed.status_code == 200
    assert not answered.is_set(), "the create was answered before its write was on disk"

    release.set()
    assert answered.wait(timeout=5)
    creator.join(timeout=5)
    assert answers[0].status_code == 201
    assert answers[0].json()["data"]["name"] == "held"


def test_a_failing_disk_drops_the_held_answer_and_the_server_goes_on(one_thread_durable_server, monkeypatch):
    url = one_thread_durable_server

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    # The write never reached the disk: the client must not get its 201, nor wait for ever.
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{url}/apify/v2/datasets", params={"name": "lost"}, headers=APIFY, timeout=5)
    assert requests.get(f"{url}/apify/v2/datasets", headers=APIFY, timeout=5).status_code == 200
    refused = requests.post(f"{url}/apify/v2/datasets", params={"name": "later"}, headers=APIFY, timeout=5)
    assert refused.status_code == 500
