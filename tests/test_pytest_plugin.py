"""The `emulator` fixture as a user's suite sees it (run through pytester in a subprocess)."""

from __future__ import annotations

import http.client
import json
import re
import time
from pathlib import Path

import pytest
import requests
from serve_process import serving

from emulator.app import create_app
from emulator.config import Settings
from emulator.server import BackgroundServer

# This environment's heavy pytest plugins (schemathesis, hypothesis) take seconds to load in each run.
LEAN = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-p", "no:anyio")

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
    result = pytester.runpytest_subprocess(*LEAN)
    result.assert_outcomes(passed=4)


def test_emulator_url_option_uses_a_running_server(pytester):
    server = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=server.port))
    server.start(app)
    try:
        pytester.makepyfile(USER_TESTS)
        result = pytester.runpytest_subprocess(*LEAN, f"--emulator-url={server.url}")
        result.assert_outcomes(passed=4)
        journal = requests.get(f"{server.url}/_emulator/requests?namespace=*").json()["requests"]
        assert {e["namespace"] for e in journal} == set()  # the passing tests' namespaces went with their journals
        assert len(app.extensions["emulator"].store.tables()) == 0  # and with their data
    finally:
        server.stop()


FAILING_TESTS = '''
import ckanapi

def test_passes(emulator):
    ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ckan-editor-token").action.package_list()

def test_fails(emulator):
    ckan = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ckan-joe-token")
    try:
        ckan.action.package_create(name="mine", owner_org="test-org")
    finally:
        assert False, "the test failed"
'''


@pytest.mark.parametrize("keep", [False, True])
def test_a_durable_server_keeps_only_the_namespaces_of_failing_tests(pytester, tmp_path, keep):
    with serving("--state", str(tmp_path / "state.json")) as url:
        pytester.makepyfile(FAILING_TESTS)
        flags = ["--emulator-keep"] if keep else []
        result = pytester.runpytest_subprocess(*LEAN, f"--emulator-url={url}", *flags)
        result.assert_outcomes(passed=1, failed=1)
        kept = [ns for ns in requests.get(f"{url}/_emulator/namespaces").json()["namespaces"] if ns != "default"]
        journal = requests.get(f"{url}/_emulator/requests?namespace=*").json()["requests"]
    namespace_of = {e["operation"]: e["namespace"] for e in journal}
    assert len(kept) == (2 if keep else 1) and namespace_of["ckan.package_create"] in kept  # the failing test's
    assert ("ckan.package_list" in namespace_of) == keep  # the passing test's namespace went with its journal


def test_a_failing_test_reports_its_journal_in_the_output_and_junit_xml(pytester):
    pytester.makepyfile(FAILING_TESTS)
    result = pytester.runpytest_subprocess(*LEAN, "--junitxml=report.xml")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.re_match_lines([r".*emulator journal: namespace t-.*",
                                  r"#\d+ POST /ckan/api/action/package_create -> 403 ckan.package_create: "
                                  r'.*"message":"Access denied: User joe not authorized to create packages".*'])
    assert "package_list" not in result.stdout.str()  # only the failing test's requests
    xml = (pytester.path / "report.xml").read_text()
    assert "POST /ckan/api/action/package_create -&gt; 403 ckan.package_create" in xml


ENV_APP = '''
import os

CKAN_URL = os.environ["CKAN_URL"]  # read once, at import, as many applications do
REDIVIS_API_ENDPOINT = os.environ["REDIVIS_API_ENDPOINT"]
'''

URL_TESTS = '''
import os

import ckanapi
import requests

def test_url_is_the_client_base_url(emulator):
    mount = f"{emulator.base_url}/_ns/{emulator.namespace}"
    assert emulator.urls() == {"ckan": f"{mount}/ckan", "apify": f"{mount}/apify",
                               "redivis": f"{mount}/redivis/api/v1", "aitems": f"{mount}/aitems/api/v1",
                               "qrvey": f"{mount}/qrvey/devapi/v4"}
    headers = {"x-api-key": "qrvey-demo-api-key"}
    assert requests.post(f"{emulator.url('qrvey')}/user/demoUser1/app/demoApp01/qollect/dataset/all",
                         json={}, headers=headers).status_code == 200

def test_setenv_points_variables_at_this_namespace(emulator, monkeypatch):
    assert emulator.setenv(monkeypatch, CKAN_URL="ckan") == {"CKAN_URL": emulator.url("ckan")}
    ckan = ckanapi.RemoteCKAN(os.environ["CKAN_URL"], apikey="seeded-token")
    ckan.action.package_create(name="via-env", owner_org="test-org")
    assert [p["name"] for p in emulator.state("ckan", "packages")] == ["via-env"]

def test_seed_file_reaches_the_test(emulator):
    assert "seeded" in [u["name"] for u in emulator.state("ckan", "users")]
    emulator.reset()
    assert "seeded" in [u["name"] for u in emulator.state("ckan", "users")]
'''

SEED_FILE = {"ckan": {"users": [{"name": "seeded", "apikey": "seeded-token", "sysadmin": True}]}}


def test_emulator_seed_reaches_every_test_and_urls_are_the_clients(pytester):
    pytester.makefile(".json", seed=json.dumps(SEED_FILE))
    pytester.makeini("[pytest]\nemulator_seed = seed.json\n")
    pytester.makepyfile(test_urls=URL_TESTS)
    result = pytester.runpytest_subprocess(*LEAN)
    result.assert_outcomes(passed=3)


SESSION_TESTS = '''
import os

import ckanapi
import app

def test_first(emulator):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    assert emulator.namespace == (f"app-{worker}" if worker else "app")
    assert app.CKAN_URL == emulator.url("ckan") and app.REDIVIS_API_ENDPOINT == emulator.url("redivis")
    ckanapi.RemoteCKAN(app.CKAN_URL, apikey="seeded-token").action.package_create(name="one", owner_org="test-org")
    assert [p["name"] for p in emulator.state("ckan", "packages")] == ["one"]

def test_second_starts_from_the_world_again(emulator):
    assert emulator.state("ckan", "packages") == [] and emulator.requests() == []
    assert "seeded" in [u["name"] for u in emulator.state("ckan", "users")]
'''


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_session_namespace_for_code_that_reads_its_urls_once(pytester, workers):
    pytester.makefile(".json", seed=json.dumps(SEED_FILE))
    pytester.makeini("[pytest]\nemulator_seed = seed.json\nemulator_namespace = app\n"
                     "emulator_env = CKAN_URL=ckan REDIVIS_API_ENDPOINT=redivis\n")
    pytester.makepyfile(app=ENV_APP, test_one=SESSION_TESTS, test_two=SESSION_TESTS)
    result = pytester.runpytest_subprocess(*LEAN, *workers)
    result.assert_outcomes(passed=4)


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


def test_the_readme_plugin_examples_pass_as_tests(pytester):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("\n## pytest plugin\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the section shows no example"
    pytester.makepyfile(**{f"test_readme_{i}": block for i, block in enumerate(blocks)})
    result = pytester.runpytest_subprocess(*LEAN)
    result.assert_outcomes(passed=len(blocks))


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


def test_a_journal_line_cannot_be_split_by_what_a_request_sent():
    from emulator.pytest_plugin import journal_lines

    forged = {"id": 1, "method": "GET", "path": "/ckan/x\n#2 GET /ckan/ok -> 200 ckan.fine\r", "status": 404,
              "operation": "ckan.unmatched", "errors": "no\x1b[31m route"}
    [line] = journal_lines([forged])
    assert line == (r"#1 GET /ckan/x\x0a#2 GET /ckan/ok -> 200 ckan.fine\x0d -> 404 ckan.unmatched: "
                    r"no\x1b[31m route")
