"""Durable mode over HTTP: an answer leaves only once its writes are on disk, and a failing disk never
acknowledges a write (the request thread waits for its group-committed fsync)."""

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
def durable_server(tmp_path):
    server = BackgroundServer(port=0, threads=2)
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


def test_an_answer_waits_for_its_fsync_while_other_requests_are_served(durable_server, slow_disk):
    url = durable_server
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

    # The server goes on answering while the create's fsync hangs; the create is not answered before it is on disk.
    assert requests.get(f"{url}/_emulator/health", timeout=5).status_code == 200
    assert not answered.wait(timeout=0.2), "the create was answered before its write was on disk"

    release.set()
    assert answered.wait(timeout=5)
    creator.join(timeout=5)
    assert answers[0].status_code == 201
    assert answers[0].json()["data"]["name"] == "held"


def test_a_failing_disk_never_acknowledges_and_the_server_goes_on(durable_server, monkeypatch):
    url = durable_server
    assert requests.get(f"{url}/apify/v2/datasets", headers=APIFY, timeout=5).status_code == 200  # the world is on disk

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    # The write never reached the disk: the client gets no 201, and neither does any later write
    # (after a failed fsync the log is in doubt, even once the disk answers again).
    lost = requests.post(f"{url}/apify/v2/datasets", params={"name": "lost"}, headers=APIFY, timeout=5)
    assert lost.status_code == 500
    monkeypatch.undo()
    assert requests.get(f"{url}/apify/v2/datasets", headers=APIFY, timeout=5).status_code == 200
    refused = requests.post(f"{url}/apify/v2/datasets", params={"name": "later"}, headers=APIFY, timeout=5)
    assert refused.status_code == 500
