"""The `emulator` fixture as a user's suite sees it (run through pytester in a subprocess)."""

from __future__ import annotations

import http.client
import time

import requests

from emulator.app import create_app
from emulator.config import Settings
from emulator.server import BackgroundServer

USER_TESTS = '''
import ckanapi
import pytest

@pytest.mark.parametrize("run", [1, 2])
def test_same_dataset_name_in_every_test(emulator, run):
    ckan = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ckan-admin-token")
    created = ckan.action.package_create(name="same-name", owner_org="test-org")
    assert created["name"] == "same-name"
    assert [p["name"] for p in emulator.state("ckan", "packages")] == ["same-name"]

def test_seed_and_state(emulator):
    emulator.seed({"ckan": {"users": [{"name": "extra", "apikey": "extra-token", "sysadmin": True}]}})
    names = [u["name"] for u in emulator.state("ckan")["users"]]
    assert "extra" in names and "admin" in names

def test_url_is_inside_the_namespace(emulator):
    assert emulator.url("apify") == f"{emulator.base_url}/_ns/{emulator.namespace}/apify"
'''


def test_each_test_gets_its_own_namespace(pytester):
    pytester.makepyfile(USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_emulator_url_option_uses_a_running_server(pytester):
    server = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=server.port))
    server.start(app)
    try:
        pytester.makepyfile(USER_TESTS)
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--emulator-url={server.url}")
        result.assert_outcomes(passed=4)
        namespaces = requests.get(f"{server.url}/_emulator/namespaces").json()["namespaces"]
        assert sum(ns.startswith("t-") for ns in namespaces) >= 3  # the suite's namespaces live on that server
    finally:
        server.stop()


def test_in_thread_server_restarts_cleanly_and_frees_its_port():
    """Start/stop cost is measured by `make bench`; this proves stop really ends serving."""
    app = create_app(Settings(state=None))
    for _ in range(5):
        server = BackgroundServer(port=0).start(app)
        assert requests.get(f"{server.url}/_emulator/health", timeout=5).status_code == 200
        server.stop()
        try:
            requests.get(f"{server.url}/_emulator/health", timeout=1)
        except requests.ConnectionError:
            continue
        raise AssertionError("the server still answers after stop()")


def test_stop_closes_open_keep_alive_connections_at_once():
    # waitress's loop polls once a second and runs while a connection is open: stop() must close them itself.
    server = BackgroundServer(port=0).start(create_app(Settings(state=None)))
    client = http.client.HTTPConnection(server.host, server.port, timeout=5)
    client.request("GET", "/_emulator/health")
    answer = client.getresponse()
    assert answer.status == 200 and answer.read() == b'{"status":"ok"}\n'
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 0.9
    assert client.sock.recv(4096) == b""  # the connection was closed, not left to its timeout
    client.close()
