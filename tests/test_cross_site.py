"""Cross-site requests and DNS rebinding, through a real `serve` subprocess (the browser's side of it is in
test_dashboard.py): what a hostile page can send is refused, and nothing changes.
"""

from __future__ import annotations

import pytest
import requests
from serve_process import serving

CKAN_KEY = "ckan-admin-token"
APIFY_TOKEN = "apify_api_demo_token"


@pytest.fixture(scope="module")
def url():
    with serving("--in-memory", "--allow-host", "ci-emulator") as base:
        assert requests.post(f"{base}/_emulator/reset?namespace=xs", json={}, timeout=10).ok  # reads need it
        yield base


def port_of(url: str) -> str:
    return url.rsplit(":", 1)[1]


def test_a_rebound_host_name_reads_nothing(url):
    port = port_of(url)
    rebound = {"Host": f"attacker.example:{port}"}
    state = requests.get(f"{url}/_emulator/state", headers=rebound, timeout=10)
    assert state.status_code == 403 and "--allow-host attacker.example" in state.json()["error"]
    assert "token" not in state.text
    # Provider routes too, each in the provider's own envelope: their data holds tokens just the same.
    ckan = requests.get(f"{url}/ckan/api/3/action/user_list", headers={**rebound, "Authorization": CKAN_KEY},
                        timeout=10)
    assert ckan.status_code == 403 and ckan.json()["error"]["__type"] == "Authorization Error"
    apify = requests.get(f"{url}/apify/v2/datasets", params={"token": APIFY_TOKEN}, headers=rebound, timeout=10)
    assert apify.status_code == 403 and apify.json()["error"]["type"] == "insufficient-permissions"
    for garbage in (f"[::1:{port}", "", "127.0.0.1.attacker.example"):
        assert requests.get(f"{url}/_emulator/state", headers={"Host": garbage}, timeout=10).status_code == 403
    # Names that cannot be rebound, and the name the user allowed, are served.
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"127.9.9.9:{port}", f"[::1]:{port}",
                 f"app.localhost:{port}", f"10.1.2.3:{port}", f"ci-emulator:{port}", "CI-Emulator", None):
        headers = {"Host": host} if host else {}
        assert requests.get(f"{url}/_emulator/state", headers=headers, timeout=10).status_code == 200, host


def test_the_public_url_host_is_served():
    with serving("--in-memory", "--public-url", "https://emulator.test.example/") as url:
        assert requests.get(f"{url}/_emulator/health", headers={"Host": "emulator.test.example"},
                            timeout=10).status_code == 200
        assert requests.get(f"{url}/_emulator/health", headers={"Host": "other.example"}, timeout=10).status_code == 403
        # Behind a proxy the page's origin is the public URL's.
        assert requests.post(f"{url}/_emulator/advance", json={"seconds": 1}, timeout=10,
                             headers={"Origin": "https://emulator.test.example"}).status_code == 200


def offset(url: str) -> float:
    return requests.get(f"{url}/_emulator/config?namespace=xs", timeout=10).json()["offsetSeconds"]


@pytest.mark.parametrize(("headers", "status"), [
    # What a form on another page sends (a form cannot send JSON).
    ({"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://127.0.0.1:1",
      "Sec-Fetch-Site": "same-site"}, 403),
    # A no-cors fetch from another port of the same host: same site, other origin.
    ({"Content-Type": "text/plain", "Origin": "http://localhost:1", "Sec-Fetch-Site": "same-site"}, 403),
    ({"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, 403),
    ({"Origin": "null"}, 403),  # a sandboxed frame or a file:// page
    # Without browser headers: still no body other than JSON on a state-changing call.
    ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ({"Content-Type": "text/plain"}, 415),
])
def test_cross_site_control_calls_change_nothing(url, headers, status):
    before = offset(url)
    for path in ("advance?namespace=xs&seconds=60", "reset?namespace=xs"):
        response = requests.post(f"{url}/_emulator/{path}", data="seconds=60", headers=headers, timeout=10)
        assert response.status_code == status and response.json()["error"], response.text
    assert offset(url) == before
    # Reads from another site's page are refused too; following a link to the dashboard is not.
    if headers.get("Sec-Fetch-Site") == "cross-site":
        assert requests.get(f"{url}/_emulator/state", headers=headers, timeout=10).status_code == 403
        assert requests.get(f"{url}/_emulator/ui/", headers={**headers, "Sec-Fetch-Mode": "navigate"},
                            timeout=10).status_code == 200


def test_own_pages_and_scripts_keep_working(url):
    before = offset(url)
    own = {"Origin": url, "Sec-Fetch-Site": "same-origin"}
    assert requests.post(f"{url}/_emulator/advance?namespace=xs&seconds=60", headers=own, timeout=10).ok
    assert requests.post(f"{url}/_emulator/advance?namespace=xs", json={"seconds": 60}, timeout=10).ok
    assert offset(url) == before + 120
    typed = {"Sec-Fetch-Site": "none", "Sec-Fetch-Mode": "navigate"}
    assert requests.get(f"{url}/_emulator/ui/", headers=typed, timeout=10).ok
    assert requests.post(f"{url}/_emulator/reset?namespace=xs", timeout=10).ok  # no body at all: curl -X POST
