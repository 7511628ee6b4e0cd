"""The dashboard's page and JSON views over HTTP, without a browser: shapes, polling, errors, access rules."""

from __future__ import annotations

import pytest
import requests
from apify_client import ApifyClient

from emulator.app import create_app
from emulator.config import Settings
from emulator.server import BackgroundServer

APIFY_TOKEN = "apify_api_demo_token"


def ui(emulator, path: str, **params) -> requests.Response:
    headers = {"X-Emulator-Token": emulator.token} if emulator.token else {}
    return requests.get(f"{emulator.base_url}/_emulator/ui/{path}", params={"namespace": emulator.namespace,
                                                                            **params}, headers=headers, timeout=10)


def test_page_and_assets_are_served_with_a_strict_policy(emulator):
    page = ui(emulator, "")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert 'src="static/dashboard.js"' in page.text and "__ASSET_QUERY__" not in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["Cache-Control"] == "no-store"
    for asset, kind in (("dashboard.js", "javascript"), ("dashboard.css", "text/css")):
        answer = ui(emulator, f"static/{asset}")
        assert answer.status_code == 200 and kind in answer.headers["Content-Type"]
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_bare_path_redirects_to_the_page(emulator):
    answer = requests.get(f"{emulator.base_url}/_emulator/ui", allow_redirects=False, timeout=10)
    assert answer.status_code == 308 and answer.headers["Location"].endswith("/_emulator/ui/")


def test_overview_lists_namespaces_with_counts_and_every_provider(emulator):
    ApifyClient(APIFY_TOKEN, api_url=emulator.url("apify")).datasets().get_or_create(name="counted")
    overview = ui(emulator, "api/overview").json()
    mine = next(n for n in overview["namespaces"] if n["name"] == emulator.namespace)
    assert mine["requests"] == 1
    detail = ui(emulator, "api/namespace").json()
    assert detail["exists"] is True and detail["counts"]["apify"]["datasets"] == 1
    assert mine["records"] == sum(sum(c.values()) for c in detail["counts"].values())
    apify = next(p for p in overview["providers"] if p["name"] == "apify")
    assert {"name": "items", "key": ["datasetId", "index"]} in apify["collections"]
    assert detail["config"]["namespace"] == emulator.namespace and "apify" in detail["config"]["providers"]


def test_records_are_capped_and_say_how_many_there_are(emulator):
    client = ApifyClient(APIFY_TOKEN, api_url=emulator.url("apify"))
    dataset = client.datasets().get_or_create(name="many")
    client.dataset(dataset.id).push_items([{"n": n} for n in range(7)])
    page = ui(emulator, "api/records", provider="apify", collection="items", limit=3).json()
    assert page["total"] == 7 and len(page["records"]) == 3 and page["key"] == ["datasetId", "index"]


def test_journal_summaries_poll_since_an_id_and_entries_open_in_full(emulator):
    client = ApifyClient(APIFY_TOKEN, api_url=emulator.url("apify"))
    client.datasets().get_or_create(name="first")
    client.datasets().get_or_create(name="second")
    everything = ui(emulator, "api/requests").json()
    newest, oldest = everything["requests"]
    assert newest["id"] > oldest["id"] == everything["firstId"] and newest["id"] == everything["lastId"]
    assert "body" not in newest and newest["operation"] == "apify.datasets.create"
    assert ui(emulator, "api/requests", since=newest["id"]).json()["requests"] == []
    assert [e["id"] for e in ui(emulator, "api/requests", since=oldest["id"]).json()["requests"]] == [newest["id"]]
    full = ui(emulator, f"api/requests/{newest['id']}").json()
    assert full["query"]["name"] == "second" and full["responseBody"]["data"]["name"] == "second"
    emulator.clear_requests()
    cleared = ui(emulator, "api/requests", since=newest["id"]).json()
    assert cleared == {"firstId": None, "lastId": None, "count": 0, "requests": []}
    missing = ui(emulator, f"api/requests/{newest['id']}")
    assert missing.status_code == 404 and "cleared" in missing.json()["error"]


@pytest.mark.parametrize("path, params, message", [
    ("api/namespace", {"namespace": "../etc"}, "invalid namespace"),
    ("api/records", {"provider": "apify", "collection": "nope"}, "unknown collection apify.nope"),
    ("api/records", {"provider": "apify", "collection": "items", "limit": "-1"}, "'limit' must be a whole number"),
    ("api/requests", {"since": "yesterday"}, "'since' must be a whole number"),
])
def test_bad_questions_are_a_400_saying_what_is_wrong(emulator, path, params, message):
    answer = ui(emulator, path, **params)
    assert answer.status_code == 400 and message in answer.json()["error"]


@pytest.fixture(scope="module")
def guarded_url():
    """A server of its own that wants a control token, as ``serve --control-token`` makes one."""
    server = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=server.port, control_token="s3cret/+="))
    server.start(app)
    yield server.url
    server.stop()
    app.extensions["emulator"].close()


def test_with_a_control_token_the_page_carries_it_to_its_assets(guarded_url):
    refused = requests.get(f"{guarded_url}/_emulator/ui/", timeout=10)
    assert refused.status_code == 401 and "control token" in refused.json()["error"]
    page = requests.get(f"{guarded_url}/_emulator/ui/", params={"token": "s3cret/+="}, timeout=10)
    assert page.status_code == 200 and 'src="static/dashboard.js?token=s3cret%2F%2B%3D"' in page.text
    asset = requests.get(f"{guarded_url}/_emulator/ui/static/dashboard.js?token=s3cret%2F%2B%3D", timeout=10)
    assert asset.status_code == 200
    assert requests.get(f"{guarded_url}/_emulator/ui/api/overview", timeout=10).status_code == 401
    with_header = requests.get(f"{guarded_url}/_emulator/ui/api/overview",
                               headers={"X-Emulator-Token": "s3cret/+="}, timeout=10)
    assert with_header.status_code == 200
