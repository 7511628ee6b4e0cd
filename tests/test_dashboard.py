"""The dashboard at /_emulator/ui, end to end: Debian's Chromium, headless, driven by Playwright.

Each test works in its own namespace of the session's emulator (port 0), so the file runs under xdist beside
everything else. A missing browser fails the run with the command that installs it: a dashboard that was never
opened in a browser is not tested.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import ckanapi
import pytest
import requests
from apify_client import ApifyClient

from emulator.app import create_app
from emulator.config import Settings
from emulator.pytest_plugin import Emulator
from emulator.server import BackgroundServer

# The run writes its screenshot to a temporary folder; `make screenshot` names docs/dashboard.png here.
SCREENSHOT_VARIABLE = "DASHBOARD_SCREENSHOT"
CKAN_KEY = "ckan-editor-token"
APIFY_TOKEN = "apify_api_demo_token"
# The machine's network is closed: these keep Chromium from reaching out (and from waiting on it).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-default-apps", "--disable-extensions"]
#: Long enough for a 1 s poll plus a slow CI machine, short enough that a broken page fails fast.
WAIT_MS = 10_000
INSTALL_HINT = ("install Debian's Chromium and the Playwright client: `apt-get install -y chromium` and "
                "`pip install -e '.[test]'` (or `pip install playwright`); never `playwright install`")


def chromium_path() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail(f"Chromium not found on PATH (or in $CHROMIUM): {INSTALL_HINT}", pytrace=False)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"the playwright package is missing: {INSTALL_HINT}", pytrace=False)
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1600, "height": 900}, device_scale_factor=1)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    problems: list[str] = []
    # A script error or a refused request (CSP, a missing asset) is a failure even when the view looks right.
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.problems = problems
    yield page
    context.close()
    assert not problems, "\n".join(problems)


def dashboard_url(emulator: Emulator, **extra: str) -> str:
    query = {"namespace": emulator.namespace, **extra}
    if emulator.token:
        query["token"] = emulator.token
    return f"{emulator.base_url}/_emulator/ui/?{urllib.parse.urlencode(query)}"


def open_dashboard(page, emulator: Emulator, **extra: str):
    page.goto(dashboard_url(emulator, **extra))
    expect(page.get_by_test_id("status-line")).to_contain_text("live")
    return page


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=WAIT_MS)
    return playwright_expect(locator)


def journal_row(page, operation: str, status: int):
    return page.locator(f'#journal-rows tr[data-operation="{operation}"][data-status="{status}"]')


def save_screenshot(page, target: Path) -> None:
    """Write the screenshot atomically, so a concurrent reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(suffix=".png", dir=target.parent)
    os.close(fd)
    try:
        page.screenshot(path=temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    assert target.read_bytes().startswith(b"\x89PNG")


def test_dataset_created_by_a_real_client_shows_up_live_then_a_rejection_then_reset(page, emulator, tmp_path):
    open_dashboard(page, emulator)
    namespace_item = page.locator(f'#namespaces li[data-namespace="{emulator.namespace}"]')
    expect(namespace_item).to_have_class(re.compile(r"\bpicked\b"))
    packages = page.locator('#collections li[data-collection="ckan.packages"]')
    expect(packages.locator(".count")).to_have_text("0")
    packages.click()
    expect(page.get_by_test_id("records")).to_contain_text("No records in ckan.packages")

    ckan = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=CKAN_KEY)
    created = ckan.action.package_create(name="weather-2026", title="Weather 2026", owner_org="test-org")

    # No reload: the page polls, so the count, the table and the journal catch up by themselves.
    expect(packages.locator(".count")).to_have_text("1")
    row = page.locator(f'[data-testid="records-table"] tr[data-key="{created["id"]}"]')
    expect(row).to_contain_text("weather-2026")
    created_row = journal_row(page, "ckan.package_create", 200)
    expect(created_row).to_have_count(1)
    expect(created_row.locator("td").last).to_have_text(re.compile(r"^\d+\.\d ms$"))

    row.click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_contain_text(f'"id": "{created["id"]}"')
    expect(inspector).to_contain_text('"title": "Weather 2026"')

    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_create(name="Not A Valid Name!", owner_org="test-org")
    rejected = journal_row(page, "ckan.package_create", 409)
    expect(rejected).to_have_count(1)
    # Newest first: the rejection sits above the success.
    expect(page.locator("#journal-rows tr").first).to_have_attribute("data-status", "409")
    rejected.click()
    errors = page.get_by_test_id("request-errors")
    expect(errors).to_contain_text("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_")
    expect(page.get_by_test_id("request-detail")).to_contain_text('"name": "Not A Valid Name!"')
    expect(page.get_by_test_id("journal-note")).to_contain_text("2 requests, 1 rejected or failed")
    save_screenshot(page, Path(os.environ.get(SCREENSHOT_VARIABLE) or tmp_path / "dashboard.png"))

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("reset-namespace").click()
    expect(packages.locator(".count")).to_have_text("0")
    expect(page.get_by_test_id("records")).to_contain_text("No records in ckan.packages")
    assert emulator.state("ckan", "packages") == []
    # The reset leaves the default world: the organisation the package was created in is still there.
    assert [o["name"] for o in emulator.state("ckan", "organizations")] == ["test-org"]


def test_clear_journal_and_a_dismissed_reset_changes_nothing(page, emulator):
    ckan = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=CKAN_KEY)
    ckan.action.package_create(name="kept", owner_org="test-org")
    open_dashboard(page, emulator)
    expect(journal_row(page, "ckan.package_create", 200)).to_have_count(1)

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("reset-namespace").click()
    assert [p["name"] for p in emulator.state("ckan", "packages")] == ["kept"]

    page.get_by_test_id("clear-journal").click()
    expect(page.locator("#journal-rows tr")).to_have_count(0)
    expect(page.locator("#journal-empty")).to_contain_text(f"No requests yet in namespace “{emulator.namespace}”")
    assert emulator.requests() == []
    ckan.action.package_show(id="kept")
    expect(journal_row(page, "ckan.package_show", 200)).to_have_count(1)


def test_hostile_records_and_paths_are_shown_as_text(page, emulator):
    payload = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>'
    client = ApifyClient(APIFY_TOKEN, api_url=emulator.url("apify"))
    dataset = client.datasets().get_or_create(name="hostile")
    client.dataset(dataset.id).push_items([{"html": payload, "nested": {"k": payload}}])
    # The journal keeps the decoded path, so markup in a URL reaches the page too.
    hostile_path = emulator.url("apify") + "/v2/" + urllib.parse.quote('<img src=x onerror="window.__pwned=3">')
    # The real client cannot send such a path; a plain GET can.
    assert requests.get(hostile_path, timeout=10).status_code == 404

    open_dashboard(page, emulator, collection="apify.items")
    table = page.get_by_test_id("records-table")
    expect(table).to_contain_text("<script>window.__pwned = 2</script>")
    table.locator("tbody tr").first.click()
    expect(page.get_by_test_id("inspector")).to_contain_text(json.dumps(payload))
    expect(page.locator("#journal-rows td.path", has_text="onerror")).to_have_count(1)
    assert page.locator("main img, main script").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_fault_rules_and_provider_settings_are_listed(page, emulator):
    emulator.fault("status", status=503, provider="apify", operation="apify.datasets.create", times=2)
    emulator.configure(freezeTime="2026-01-02T03:04:05Z", seed=7, providers={"apify": {"listLimit": 5}})
    open_dashboard(page, emulator)
    faults = page.get_by_test_id("faults")
    expect(faults).to_contain_text("status status=503")
    expect(faults).to_contain_text("apify / apify.datasets.create")
    expect(faults.locator("dd").nth(2)).to_have_text("2")
    settings = page.get_by_test_id("settings")
    expect(settings).to_contain_text("frozen at 2026-01-02T03:04:05Z")
    expect(settings).to_contain_text("7")
    apify_settings = settings.locator('details[data-settings="apify"]')
    apify_settings.locator("summary").click()
    expect(apify_settings).to_contain_text('"listLimit": 5')
    # Polling must not redraw what did not change: an opened section stays open across the next poll.
    status = page.get_by_test_id("status-line")
    expect(status).not_to_have_text(status.inner_text())
    expect(apify_settings).to_have_attribute("open", "")

    answer = requests.post(emulator.url("apify") + "/v2/datasets", params={"token": APIFY_TOKEN}, timeout=10)
    assert answer.status_code == 503
    hit = journal_row(page, "apify.datasets.create", 503)
    expect(hit.locator(".tag")).to_have_text("status")
    expect(faults.locator("dd").nth(2)).to_have_text("1")  # the rule's remaining count goes down live
    hit.click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_contain_text("fault")
    expect(inspector).to_contain_text('"token": "***"')  # the journal masks credentials; so does the page
    assert APIFY_TOKEN not in inspector.inner_text()


def test_switching_namespace_shows_only_that_namespace(page, emulator, emulator_server):
    other = Emulator(emulator.base_url, emulator.namespace + "-b", emulator.token)
    ckanapi.RemoteCKAN(other.url("ckan"), apikey=CKAN_KEY).action.package_create(name="elsewhere",
                                                                                  owner_org="test-org")
    open_dashboard(page, emulator)
    expect(page.locator("#journal-rows tr")).to_have_count(0)
    page.get_by_test_id("namespace-select").select_option(other.namespace)
    expect(journal_row(page, "ckan.package_create", 200)).to_have_count(1)
    expect(page.locator('#collections li[data-collection="ckan.packages"] .count')).to_have_text("1")
    # Keyboard users get there too: a focused row opens with Enter.
    journal_row(page, "ckan.package_create", 200).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("request-detail")).to_contain_text('"name": "elsewhere"')
    assert f"namespace={other.namespace}" in page.url  # a reload keeps the namespace


def test_a_server_with_a_control_token_works_when_the_page_url_carries_it(page):
    server = BackgroundServer(port=0)
    app = create_app(Settings(state=None, port=server.port, control_token="dash-token"))
    server.start(app)
    try:
        guarded = Emulator(server.url, "guarded", token="dash-token")
        ckanapi.RemoteCKAN(guarded.url("ckan"), apikey=CKAN_KEY).action.package_create(name="behind-a-token",
                                                                                        owner_org="test-org")
        # The bare path, as a person types it: the redirect keeps the token, the assets and the API get it.
        page.goto(f"{server.url}/_emulator/ui?namespace=guarded&token=dash-token")
        expect(page.get_by_test_id("status-line")).to_contain_text("live")
        expect(journal_row(page, "ckan.package_create", 200)).to_have_count(1)
        page.get_by_test_id("clear-journal").click()
        expect(page.locator("#journal-rows tr")).to_have_count(0)
        assert guarded.requests() == []
    finally:
        server.stop()
        app.extensions["emulator"].close()


# What any web page the developer opens could do: a form that posts itself (no script needed) and a no-cors
# fetch, whose answer the page cannot read but whose effect would be done.
HOSTILE_PAGE = """<!doctype html><html><head><title>hostile</title></head><body>
<form id="wipe" method="post" action="{target}/_emulator/reset?namespace={namespace}"></form>
<script>
fetch("{target}/_emulator/advance?namespace={namespace}&seconds=3600", {{method: "POST", mode: "no-cors"}})
  .finally(() => document.getElementById("wipe").submit());
</script></body></html>"""


@contextmanager
def page_server(html: str) -> Iterator[int]:
    """A second loopback server, on another port, serving one page; yields its port."""
    body = html.encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("page_host", ["localhost", "127.0.0.1"])  # another site, and the same site on another port
def test_a_page_from_another_origin_changes_nothing(browser, emulator, page_host):
    ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=CKAN_KEY).action.package_create(name="kept", owner_org="test-org")
    clock = emulator.control("GET", "config")["offsetSeconds"]
    html = HOSTILE_PAGE.format(target=emulator.base_url, namespace=emulator.namespace)
    context = browser.new_context()  # not the page fixture: the refusals below are console errors there
    try:
        with page_server(html) as port:
            hostile = context.new_page()
            hostile.goto(f"http://{page_host}:{port}/")
            # The form was sent (the fetch before it has settled): the browser shows the emulator's refusal.
            hostile.wait_for_url(f"{emulator.base_url}/_emulator/reset**", timeout=WAIT_MS)
            assert "the control API refuses calls from other" in hostile.content()
    finally:
        context.close()
    assert [p["name"] for p in emulator.state("ckan", "packages")] == ["kept"]
    assert emulator.control("GET", "config")["offsetSeconds"] == clock


def test_every_declared_collection_is_listed_and_long_values_are_cut(page, emulator, monkeypatch):
    """Collections come from what each provider declares; files and pushed rows reach the page abridged."""
    monkeypatch.setenv("REDIVIS_API_ENDPOINT", emulator.url("redivis"))
    monkeypatch.setenv("REDIVIS_API_TOKEN", "redivis-edit-token")
    import redivis

    open_dashboard(page, emulator)
    declared = [f"{p['name']}.{c}" for p in emulator.control("GET", "/providers")["providers"]
                for c in p["collections"]]
    assert {"ckan.uploads", "redivis.tables", "redivis.tempUploads", "aitems.services"} <= set(declared)
    listed = page.locator("#collections li[data-collection]")
    expect(listed).to_have_count(len(declared))
    assert [item.get_attribute("data-collection") for item in listed.all()] == declared

    table = redivis.user("demo_user").dataset("Shown").create().table("People").create()
    table.upload("people.csv").create(b"id,name\n1,Ada\n", progress=False)
    temp = requests.post(f"{emulator.url('redivis')}{table.uri}/tempUploads", timeout=10,
                         json={"tempUploads": [{"size": 60_000, "name": "later.csv"}]},
                         headers={"Authorization": "Bearer redivis-edit-token"}).json()["results"][0]
    assert requests.put(temp["url"], data=b"n\n" + b"7\n" * 29_999, timeout=10).status_code == 200
    for name, count in (("redivis.tables", "1"), ("redivis.uploads", "1"), ("redivis.tempUploads", "1")):
        expect(page.locator(f'#collections li[data-collection="{name}"] .count')).to_have_text(count)

    page.locator('#collections li[data-collection="redivis.tables"]').click()
    expect(page.get_by_test_id("records-table")).to_contain_text("People")
    page.locator('#collections li[data-collection="redivis.tempUploads"]').click()
    row = page.locator(f'[data-testid="records-table"] tr[data-key="{temp["id"]}"]')
    expect(row).to_contain_text("later.csv")
    row.click()
    expect(page.get_by_test_id("inspector")).to_contain_text("(80,000 characters in all)")  # the file's base64
    expect(page.get_by_test_id("record-cut")).to_contain_text(
        f"GET /_emulator/state/redivis/tempUploads?namespace={emulator.namespace} has them whole")
    ui_records = requests.get(f"{emulator.base_url}/_emulator/ui/api/records", timeout=10, params={
        "namespace": emulator.namespace, "provider": "redivis", "collection": "tempUploads"})
    assert len(ui_records.content) < 2_000  # the page polls this: the 80 KB value stays on the server
    assert len(emulator.state("redivis", "tempUploads")[0]["data"]) == 80_000

    qrvey = f"{emulator.url('qrvey')}/user/demoUser1/app/demoApp01/qollect/dataset"
    headers = {"x-api-key": "qrvey-demo-api-key"}
    dataset_id = "pushed01"
    emulator.seed({"qrvey": {"datasets": [{"datasetId": dataset_id, "appId": "demoApp01", "userId": "demoUser1",
                                           "name": "pushed"}]}})
    rows = [{"n": n} for n in range(60)]
    pushed = requests.post(f"{qrvey}/{dataset_id}/pushapi/data/post", headers=headers, timeout=10,
                           json={"datasetId": dataset_id, "data": rows})
    assert pushed.status_code == 200, pushed.text
    page.locator('#collections li[data-collection="qrvey.datasets"]').click()
    page.locator(f'[data-testid="records-table"] tr[data-key="{dataset_id}"]').click()
    expect(page.get_by_test_id("inspector")).to_contain_text("(60 items in all)")
    expect(page.get_by_test_id("record-cut")).to_be_visible()
