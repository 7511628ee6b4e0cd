"""A catalogue of hostile input against every provider's create endpoint.

Each case must get a 4xx in the provider's own envelope (or a 2xx where the provider accepts the input),
never a 5xx; nothing is written for a rejected request; and the server keeps serving.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import socket
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests

sys.path.insert(0, str(Path(__file__).parent / "aitems"))
from aitems_signer import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, make_signature  # noqa: E402

CONTROL_CHARS = "\x00\x01\x07\x1b\x7f\u202e\ufeff\U0001f600\u00e9\u0394"


def aitems_headers(method: str, path: str, query: str) -> dict[str, str]:
    timestamp = str(int(time.time() * 1000))
    signed = path + (f"?{query}" if query else "")
    return {"x-ncp-apigw-timestamp": timestamp, "x-ncp-iam-access-key": DEMO_ACCESS_KEY,
            "x-ncp-apigw-signature-v2": make_signature(DEMO_SECRET_KEY, method, signed, timestamp, DEMO_ACCESS_KEY)}


def is_ckan(response: requests.Response) -> bool:
    if response.headers.get("Content-Type", "").startswith("text/html"):
        return response.status_code in (404, 405, 413, 415)  # Flask's HTML pages, as in CKAN
    body = response.json()
    return isinstance(body, str) or {"help", "success"} <= set(body)


def is_apify(response: requests.Response) -> bool:
    return set(response.json()["error"]) >= {"type", "message"}


def is_redivis(response: requests.Response) -> bool:
    return set(response.json()) == {"error", "error_description", "status"}


def is_aitems(response: requests.Response) -> bool:
    return set(response.json()["error"]) >= {"errorCode", "message"}


def is_qrvey(response: requests.Response) -> bool:
    body = response.json()
    # API Gateway answers unknown routes itself, with its own body.
    gateway = ({"message": "Forbidden"}, {"message": "Missing Authentication Token"}, {"message": "Request Too Long"})
    return body in gateway or (body.get("status") == "error" and isinstance(body["errors"], list))


@dataclass
class Create:
    provider: str
    path: str  # the real API's path, relative to the mount
    body: dict[str, Any]
    name_field: str | None  # where a string under test goes
    collection: str  # grows on success
    envelope: Any
    auth: dict[str, str] | None = None
    seed: dict[str, Any] | None = None  # what the create needs to exist first
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or self.provider

    def headers(self, method: str, path: str, query: str = "") -> dict[str, str]:
        if self.provider == "aitems":
            return aitems_headers(method, path, query)
        return dict(self.auth or {})


REDIVIS_DATASET = {"id": "hs7t-000000000", "name": "hostile", "ownerName": "demo_user"}
REDIVIS_TABLE = {"id": "hs71-000000000", "datasetId": "hs7t-000000000", "name": "people"}
CREATES = [
    Create("ckan", "/api/action/package_create", {"name": "ok-name", "owner_org": "test-org"}, "name", "packages",
           is_ckan, {"Authorization": "ckan-admin-token"}),
    Create("apify", "/v2/datasets", {}, None, "datasets", is_apify, {"Authorization": "Bearer apify_api_demo_token"}),
    Create("redivis", "/api/v1/users/demo_user/datasets", {"name": "ok name", "publicAccessLevel": "none"}, "name",
           "datasets", is_redivis, {"Authorization": "Bearer redivis-edit-token"}),
    Create("redivis", "/api/v1/datasets/demo_user.hostile/tables",
           {"name": "ok table", "uploadMergeStrategy": "append"}, "name", "tables", is_redivis,
           {"Authorization": "Bearer redivis-edit-token"}, seed={"datasets": [REDIVIS_DATASET]}, label="redivis-table"),
    Create("redivis", "/api/v1/tables/demo_user.hostile.people/uploads",
           {"name": "ok upload", "type": "stream", "schema": [{"name": "id", "type": "integer"}]}, "name", "uploads",
           is_redivis, {"Authorization": "Bearer redivis-edit-token"},
           seed={"datasets": [REDIVIS_DATASET], "tables": [REDIVIS_TABLE]}, label="redivis-upload"),
    Create("aitems", "/api/v1/datasets", {"type": "item", "name": "ok_name", "description": "d",
                                          "schemaName": "item_schema",
                                          "osInfo": {"region": "KR", "bucket": "b", "key": "k.csv"}},
           "name", "datasets", is_aitems),
    Create("aitems", "/api/v1/services", {"name": "ok_name", "description": "d", "type": "batch"}, "name",
           "services", is_aitems, label="aitems-services"),
    Create("qrvey", "/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset/datasource",
           {"name": "ok", "connectionId": "84b500d7-71c8-4b1f-adf4-f1eb0000973d", "database": "db", "tableName": "t"},
           "name", "datasets",
           is_qrvey, {"x-api-key": "qrvey-demo-api-key"}),
]
IDS = [c.id for c in CREATES]


def send(emulator, create: Create, data: bytes | None = None, body: Any = None, content_type: str = "application/json",
         path: str | None = None, query: str = "", extra: dict | None = None) -> requests.Response:
    path = path or create.path
    headers = {**create.headers("POST", path, query), **(extra or {})}
    if content_type:
        headers["Content-Type"] = content_type
    if data is None:
        data = json.dumps(create.body if body is None else body).encode()
    url = emulator.mount(create.provider) + path + (f"?{query}" if query else "")
    return requests.post(url, data=data, headers=headers, timeout=30)


def assert_rejected_or_accepted(emulator, create: Create, response: requests.Response, before: int) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert create.envelope(response), response.text[:300]
        assert len(emulator.state(create.provider, create.collection)) == before, "a rejected request wrote"
    health = requests.post(emulator.mount(create.provider) + create.path, timeout=10)  # still serving
    assert health.status_code < 500


@pytest.fixture(params=CREATES, ids=IDS)
def create(request, emulator) -> Create:
    if request.param.seed:
        emulator.seed({request.param.provider: request.param.seed})
    return request.param


def count(emulator, create: Create) -> int:
    return len(emulator.state(create.provider, create.collection))


def test_the_valid_request_works(emulator, create):
    response = send(emulator, create)
    assert response.status_code in (200, 201), response.text[:300]
    assert count(emulator, create) == 1


@pytest.mark.parametrize("data", [b"{not json", b'{"name": ', b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"null",
                                  b"[" * 100_000 + b"]" * 100_000],
                         ids=["malformed", "truncated", "invalid-utf8", "array", "null", "deeply-nested"])
def test_bad_bodies(emulator, create, data):
    before = count(emulator, create)
    assert_rejected_or_accepted(emulator, create, send(emulator, create, data=data), before)


@pytest.mark.parametrize("content_type", ["", "text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_wrong_or_missing_content_type(emulator, create, content_type):
    before = count(emulator, create)
    assert_rejected_or_accepted(emulator, create, send(emulator, create, content_type=content_type), before)


def test_body_over_the_size_limit(emulator, create):
    before = count(emulator, create)
    huge = json.dumps({**create.body, "padding": "x" * (33 * 1024 * 1024)}).encode()
    response = send(emulator, create, data=huge)
    assert response.status_code in (400, 413), response.status_code
    assert_rejected_or_accepted(emulator, create, response, before)


def test_huge_headers(emulator, create):
    before = count(emulator, create)
    response = send(emulator, create, extra={"X-Padding": "y" * 100_000})
    assert_rejected_or_accepted(emulator, create, response, before)


@pytest.mark.parametrize("value", ["n" * 10_000, CONTROL_CHARS, "../../etc/passwd", "%00%ZZ", ""],
                         ids=["very-long", "unicode-and-control", "traversal", "percent", "empty"])
def test_hostile_strings_in_every_string_field(emulator, create, value):
    def poison(obj: Any) -> Any:
        if isinstance(obj, str):
            return value
        if isinstance(obj, dict):
            return {k: poison(v) for k, v in obj.items()}
        return obj

    before = count(emulator, create)
    response = send(emulator, create, body=poison(create.body))
    if create.provider == "ckan" and "\x00" in value:
        # Real CKAN 2.11.5 crashes on a NUL in a name it looks up (providers/ckan/quirks.py): its own 500.
        assert (response.status_code, response.json()["error"]) == (
            500, {"__type": "Internal Server Error", "message": "Internal Server Error"})
        assert count(emulator, create) == before
    else:
        assert_rejected_or_accepted(emulator, create, response, before)
    if create.provider == "apify":  # its create takes the name from the query string
        response = send(emulator, create, query="name=" + requests.utils.quote(value))
        assert_rejected_or_accepted(emulator, create, response, count(emulator, create))


@pytest.mark.parametrize("query", ["x=%ZZ", "name=%E0%A4%A", "%", "name=a&name=b"])
def test_invalid_percent_encoding_in_the_query(emulator, create, query):
    before = count(emulator, create)
    response = send(emulator, create, query=query)
    assert_rejected_or_accepted(emulator, create, response, before)


@pytest.mark.parametrize("suffix", ["/%2e%2e/%2e%2e/_emulator/state", "/..%2F..%2Fetc%2Fpasswd", "/%ZZ", "/%00"])
def test_path_traversal_and_bad_encoding_in_path_parameters(emulator, create, suffix):
    before = count(emulator, create)
    response = send(emulator, create, path=create.path + suffix)
    assert_rejected_or_accepted(emulator, create, response, before)
    assert "_emulator" not in response.text or response.status_code >= 400


def test_many_concurrent_connections(emulator, create):
    def one(i: int) -> int:
        body = dict(create.body)
        query = ""
        if create.name_field:
            body[create.name_field] = f"{body[create.name_field]}{i}".replace(" ", "_").lower()[:20]
        else:
            query = f"name=concurrent-{i}"
        return send(emulator, create, body=body, query=query).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(one, range(64)))
    assert all(s in (200, 201) for s in statuses), statuses
    assert count(emulator, create) == 64


# ---- JSON other parsers refuse or UTF-8 cannot carry ----------------------------------------------------------

UNPORTABLE = {"nan": b"NaN", "infinity": b"Infinity", "minus-infinity": b"-Infinity", "overflow": b"1e400"}


def with_extra(create: Create, literal: bytes) -> bytes:
    """The valid body with one more member whose value is ``literal``, written as is."""
    return json.dumps(create.body).encode()[:-1] + (b", " if create.body else b"") + b'"extra": ' + literal + b"}"


@pytest.mark.parametrize("literal", UNPORTABLE.values(), ids=UNPORTABLE.keys())
def test_nan_and_infinity_are_malformed_json_except_for_ckan(emulator, create, literal):
    before = count(emulator, create)
    response = send(emulator, create, data=with_extra(create, literal))
    if create.provider == "ckan":  # Python's json reads them; CKAN drops the unknown key (observed on 2.11.5)
        assert response.status_code == 200, response.text[:300]
        assert count(emulator, create) == before + 1
    else:
        assert response.status_code == 400, response.text[:300]
        assert_rejected_or_accepted(emulator, create, response, before)
        valid = send(emulator, create, data=with_extra(create, b"1"))  # the same body, numbers allowed
        assert valid.status_code in (200, 201), valid.text[:300]


def test_ckan_turns_nan_into_text_as_it_does(emulator):
    body = (b'{"name": "nan-notes", "owner_org": "test-org", "notes": NaN, "version": Infinity, '
            b'"extras": [{"key": "k", "value": NaN}], "tags": [{"name": NaN}]}')
    response = send(emulator, CREATES[0], data=body)
    assert response.status_code == 200, response.text[:300]
    result = response.json()["result"]
    assert (result["notes"], result["version"], result["extras"], [t["name"] for t in result["tags"]]) == (
        "nan", "inf", [{"key": "k", "value": "NaN"}], ["nan"])


def lone_surrogates(create: Create) -> bytes:
    """The valid body with every string a lone surrogate escape (as JSON.stringify writes one)."""
    poisoned = {k: ("a\ud800b" if isinstance(v, str) else v) for k, v in create.body.items()}
    return json.dumps({**poisoned, "extra": "\udc00"}).encode()


def test_a_lone_surrogate_is_refused_before_anything_is_written(emulator, create):
    before = count(emulator, create)
    response = send(emulator, create, data=lone_surrogates(create),
                    query="name=ok-name" if create.provider == "apify" else "")
    if create.provider == "ckan":  # PostgreSQL refuses it: CKAN 2.11.5 answers its 500 (observed)
        assert response.status_code == 500
        assert response.json()["error"] == {"__type": "Internal Server Error", "message": "Internal Server Error"}
    else:
        assert response.status_code == 400, response.text[:300]
        assert create.envelope(response), response.text[:300]
    assert count(emulator, create) == before
    assert requests.get(f"{emulator.base_url}/_emulator/state?namespace={emulator.namespace}", timeout=10).ok


APIFY = {"Authorization": "Bearer apify_api_demo_token", "Content-Type": "application/json"}


@pytest.mark.parametrize("body", [b'[{"a": "\\ud800"}]', b'{"a": "x\\udfffy"}', b'[{"a": NaN}]', b'{"n": 1e999}',
                                  b'[{"\\ud800": 1}]'], ids=["surrogate", "low-surrogate", "nan", "overflow", "key"])
def test_apify_items_that_json_cannot_carry_are_refused(emulator, body):
    base = emulator.url("apify") + "/v2/datasets"
    dataset = requests.post(f"{base}?name=items-poison", headers=APIFY, timeout=10).json()["data"]
    pushed = requests.post(f"{base}/{dataset['id']}/items", data=body, headers=APIFY, timeout=10)
    assert pushed.status_code == 400 and pushed.json()["error"]["type"] == "invalid-request", pushed.text[:300]
    items = requests.get(f"{base}/{dataset['id']}/items", headers=APIFY, timeout=10)
    assert items.status_code == 200 and items.json() == []
    assert requests.get(f"{base}/{dataset['id']}", headers=APIFY, timeout=10).json()["data"]["itemCount"] == 0


def test_refused_bodies_leave_a_state_file_that_restarts(tmp_path):
    from serve_process import serving

    state = str(tmp_path / "state.json")
    redivis = {"Authorization": "Bearer redivis-edit-token", "Content-Type": "application/json"}
    for _ in range(2):  # the second run reads what the first one wrote
        with serving("--state", state) as url:
            created = requests.post(f"{url}/redivis/api/v1/users/demo_user/datasets", headers=redivis, timeout=10,
                                    data=b'{"name": "a\\ud800b", "publicAccessLevel": "none"}')
            assert created.status_code == 400, created.text
            schema = requests.post(f"{url}/apify/v2/datasets?name=poison", headers=APIFY, timeout=10,
                                   data=b'{"schema": {"title": "\\udc00"}}')
            assert schema.status_code == 400, schema.text
            listed = requests.get(f"{url}/redivis/api/v1/users/demo_user/datasets", headers=redivis, timeout=10)
            assert listed.status_code == 200 and listed.json()["results"] == []
            assert requests.get(f"{url}/_emulator/state", timeout=10).status_code == 200


# ---- namespace paths ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["nl%0A", "nl%0D%0A", "tab%09", "nul%00", "sp%20", "-lead", "x" * 65])
def test_a_namespace_name_must_match_in_full(emulator, name):
    response = requests.get(f"{emulator.base_url}/_ns/{name}/ckan/api/3/action/package_list", timeout=10)
    assert response.status_code == 404
    listed = requests.get(f"{emulator.base_url}/_emulator/namespaces", timeout=10).json()["namespaces"]
    assert not [n for n in listed if n.startswith(("nl", "tab", "nul", "sp", "-", "xxx"))]


def test_names_ending_in_a_newline_are_refused(emulator):
    base = emulator.url("apify") + "/v2/datasets"
    assert requests.post(base, params={"name": "nl\n"}, headers=APIFY, timeout=10).status_code == 400
    dataset = requests.post(base, params={"name": "nl"}, headers=APIFY, timeout=10).json()["data"]
    export = requests.get(f"{base}/{dataset['id']}/items", params={"format": "xml", "xmlRoot": "root\n"},
                          headers=APIFY, timeout=10)
    assert export.status_code == 400 and export.json()["error"]["type"] == "invalid-parameter", export.text[:300]
    emulator.seed({"redivis": {"datasets": [{"name": "x", "ownerName": "demo_user", "released": True}]}})
    redivis, reference = {"Authorization": "Bearer redivis-edit-token"}, emulator.url("redivis") + "/datasets/"
    assert requests.get(reference + "demo_user.x:v1_0", headers=redivis, timeout=10).status_code == 200
    assert requests.get(reference + "demo_user.x:v1_0%0A", headers=redivis, timeout=10).status_code == 404
    assert [d["name"] for d in emulator.state("apify", "datasets")] == ["nl"]


@pytest.mark.parametrize("path", ["_emulator/reset", "_emulator/seed", "_emulator/state", "_emulator/ui/",
                                  "_emulator/health"])
def test_control_routes_under_a_namespace_path_are_not_found(emulator, path):
    emulator.seed({"ckan": {"packages": [{"name": "kept"}]}})
    for method in ("GET", "POST"):
        response = requests.request(method, f"{emulator.base_url}/_ns/{emulator.namespace}/{path}", json={},
                                    timeout=10)
        assert response.status_code in (404, 405), (method, response.status_code, response.text[:200])
    assert [p["name"] for p in emulator.state("ckan", "packages")] == ["kept"]


# ---- the control API --------------------------------------------------------------------------------------------

# (method, path, query, body): bodies that are not objects, values of the wrong type, numbers that are not finite
# or out of range, digits that are not ASCII, settings a provider cannot use, and a valid part beside a bad one.
CONTROL_CALLS = [
    *[(method, path, {}, body) for method, path in (("POST", "seed"), ("POST", "reset"), ("POST", "faults"),
                                                     ("POST", "config"), ("POST", "advance"), ("POST", "snapshot"),
                                                     ("POST", "restore"))
      for body in ([1, 2], "text", 5, True)],
    ("POST", "reset", {}, {"namespace": 5}), ("POST", "reset", {}, {"namespace": ["a"]}),
    ("POST", "reset", {}, {"namespace": {"a": 1}}), ("POST", "reset", {}, {"provider": 5}),
    ("POST", "reset", {"namespace": "nl\n"}, None), ("POST", "reset", {"provider": "nope"}, None),
    ("GET", "state", {"namespace": "nl\n"}, None), ("POST", "reset", {}, {"provider": "ckan\n"}),
    ("POST", "advance", {"seconds": "nan"}, None), ("POST", "advance", {"seconds": "inf"}, None),
    ("POST", "advance", {"seconds": "-inf"}, None), ("POST", "advance", {"seconds": "1e20"}, None),
    ("POST", "advance", {}, {"seconds": 3e11}), ("POST", "advance", {}, {"seconds": -3e11}),
    ("POST", "advance", {}, {"seconds": True}), ("POST", "advance", {}, {"seconds": [1]}),
    ("POST", "advance", {}, {}),
    ("GET", "requests", {"limit": "\u00b2"}, None), ("GET", "requests", {"status": "\u00b2"}, None),
    ("GET", "requests", {"limit": "\u0661\u0662"}, None), ("GET", "requests", {"limit": "-1"}, None),
    ("GET", "requests", {"status": "4.5"}, None),
    ("POST", "faults", {}, {"action": {"type": ["latency"]}}), ("POST", "faults", {}, {"type": ["drop"]}),
    ("POST", "faults", {}, {"action": {"type": {"a": 1}}}), ("POST", "faults", {}, {"action": []}),
    ("POST", "faults", {}, {"action": {"type": "drop"}, "provider": ["ckan"]}),
    ("POST", "faults", {}, {"action": {"type": "drop"}, "provider": {"a": 1}}),
    ("POST", "config", {}, {"providers": {"apify": {"listLimit": "x"}}}),
    ("POST", "config", {}, {"providers": {"apify": {"jsonIndent": -1}}}),
    ("POST", "config", {}, {"providers": {"ckan": {"site_url": 5}}}),
    ("POST", "config", {}, {"providers": {"ckan": {"no_such_setting": True}}}),
    ("POST", "config", {}, {"providers": {"aitems": {"enableAfterSeconds": 1e300}}}),
    ("POST", "config", {}, {"providers": []}), ("POST", "config", {}, {"providers": {"apify": []}}),
    ("POST", "config", {}, {"advance": 1e20}), ("POST", "config", {}, {"advance": "nan"}),
    ("POST", "config", {}, {"freezeTime": "9999-12-31T23:59:59Z"}), ("POST", "config", {}, {"freezeTime": 5}),
    ("POST", "config", {}, {"seed": 1.5}),
    ("POST", "config", {}, {"providers": {"apify": {"listLimit": 5}}, "seed": "x"}),
    ("POST", "config", {}, {"seed": 7, "advance": 60, "freezeTime": "yesterday"}),
    ("POST", "config", {}, {"freezeTime": "2026-01-01T00:00:00Z", "advance": 3e11}),
    ("POST", "snapshot", {}, {"name": 5}), ("POST", "snapshot", {}, {"name": ""}),
    ("POST", "restore", {}, {"name": ["a"]}),
    ("POST", "seed", {}, {"ckan": {"packages": [{"name": "good1"}, {"name": "bad", "tags": 5}]}}),
    ("POST", "seed", {}, {"ckan": {"packages": [{"name": "good1"}, {"name": "bad", "extras": [1]}]}}),
    ("POST", "seed", {}, {"ckan": {"packages": [{"name": "good1"}, {"name": "bad", "groups": [{}]}]}}),
    ("POST", "seed", {}, {"ckan": {"packages": [{"name": "good1"}], "organizations": [{"name": "o", "users": 5}]}}),
    ("POST", "seed", {}, {"apify": {"config": [{"listLimit": "x"}]}}),
]


def control_view(emulator) -> dict[str, Any]:
    """What the control API shows of the test's namespace (and which namespaces exist)."""
    config = emulator.control("GET", "config")
    config.pop("now")  # the running clock
    return {"state": emulator.state(), "config": config, "faults": emulator.faults(),
            "requests": len(emulator.requests()),
            "namespaces": requests.get(f"{emulator.base_url}/_emulator/namespaces", timeout=10).json()}


@pytest.mark.parametrize(("method", "path", "query", "body"), CONTROL_CALLS,
                         ids=[f"{m} {p} {q or ''}{json.dumps(b)[:40] if b is not None else ''}"
                              for m, p, q, b in CONTROL_CALLS])
def test_malformed_control_calls_are_400s_that_change_nothing(emulator, method, path, query, body):
    emulator.snapshot("kept")
    before = control_view(emulator)
    response = requests.request(method, f"{emulator.base_url}/_emulator/{path}",
                                params={"namespace": emulator.namespace, **query},
                                json=body, timeout=10)
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert isinstance(response.json()["error"], str)
    assert control_view(emulator) == before


# --- Apify's item exports: hostile query values and hostile stored items, in every format ----------------------

APIFY_AUTH = {"Authorization": "Bearer apify_api_demo_token"}
APIFY_FORMATS = ["json", "jsonl", "csv", "html", "xlsx", "xml", "rss"]


def _deep(depth: int) -> Any:
    value: Any = 1
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


HOSTILE_ITEMS = [
    {"c\x01ntrol\x00": "x\x00y\x1b\ufffe", "<b>": "</td><script>alert(1)</script>", "a><x y='1'": "&amp;"},
    {"@": "not an object", "#": {"nested": True}, "": "empty key", "0": 0, "xmlns:evil": 1,
     "=1+2": "=cmd|' /C calc'!A0"},
    {"deep": _deep(900)},
    {"num": 1e300, "tiny": 5e-324, "neg": -0.0, "big": 2**70},
    {f"k{i}": i for i in range(2500)},  # over the documented 2000 columns of a table export
]


@pytest.fixture
def apify_dataset(emulator) -> str:
    base = emulator.url("apify") + "/v2/datasets"
    dataset_id = requests.post(base, params={"name": "hostile"}, headers=APIFY_AUTH, timeout=10).json()["data"]["id"]
    pushed = requests.post(f"{base}/{dataset_id}/items", json=HOSTILE_ITEMS, headers=APIFY_AUTH, timeout=30)
    assert pushed.status_code == 201, pushed.text[:300]
    return f"{base}/{dataset_id}"


@pytest.mark.parametrize("item_format", APIFY_FORMATS)
def test_apify_hostile_items_export_as_well_formed_files(apify_dataset, item_format):
    from openpyxl import load_workbook

    response = requests.get(f"{apify_dataset}/items", params={"format": item_format}, headers=APIFY_AUTH, timeout=60)
    assert response.status_code == 200, response.text[:300]
    body = response.content
    if item_format in ("xml", "rss"):
        root = ET.fromstring(body)  # well-formed XML 1.0 despite control characters and odd keys
        assert len(root) >= 1
    elif item_format == "xlsx":
        rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
        assert len(rows) == 1 + len(HOSTILE_ITEMS) and len(rows[0]) == 2000
    elif item_format == "html":
        assert b"<script" not in body and b"&lt;script&gt;" in body
    elif item_format == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert len(rows) == 1 + len(HOSTILE_ITEMS) and len(rows[0]) == 2000
    else:
        assert body.strip()


HOSTILE_VALUES = ["n" * 10_000, CONTROL_CHARS, "../../etc/passwd", "%00%ZZ", "", "<x>", '"', "\r\n", "0"]


@pytest.mark.parametrize("parameter", ["format", "delimiter", "xmlRoot", "xmlRow", "feedTitle", "feedDescription",
                                       "bom", "attachment", "skipHeaderRow", "fields", "omit", "unwind", "flatten"])
def test_apify_hostile_export_parameters(apify_dataset, parameter):
    for value in HOSTILE_VALUES:
        for item_format in ("csv", "xml", "rss", "xlsx"):
            params = {"format": item_format, parameter: value}
            response = requests.get(f"{apify_dataset}/items", params=params, headers=APIFY_AUTH, timeout=60)
            assert response.status_code < 500, (params, response.status_code)
            if response.status_code >= 400:
                assert is_apify(response) and response.json()["error"]["type"] == "invalid-parameter", params
            elif item_format in ("xml", "rss"):
                ET.fromstring(response.content)
            if "attachment" in params and response.ok and "Content-Disposition" in response.headers:
                assert "\n" not in response.headers["Content-Disposition"]


@pytest.fixture
def listener() -> Any:
    """A loopback port that records whether anything connected to it."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.3)
        yield server


def _connected(listener: socket.socket) -> bool:
    try:
        listener.accept()[0].close()
    except TimeoutError:
        return False
    return True


@pytest.mark.parametrize("ref", ["http://127.0.0.1:{port}/schema.json", "file:///etc/passwd", "#/definitions/nope"],
                         ids=["remote-ref", "file-ref", "dangling-ref"])
def test_apify_dataset_schema_refs_are_never_fetched(emulator, listener, ref, recwarn):
    base = emulator.url("apify") + "/v2/datasets"
    fields = {"type": "object", "properties": {"a": {"$ref": ref.format(port=listener.getsockname()[1])}}}
    created = requests.post(base, json={"schema": {"fields": fields}}, headers=APIFY_AUTH, timeout=10)
    assert created.status_code == 201, created.text[:300]
    pushed = requests.post(f"{base}/{created.json()['data']['id']}/items", json=[{"a": 1}], headers=APIFY_AUTH,
                           timeout=10)
    assert pushed.status_code == 400 and pushed.json()["error"]["type"] == "dataset-schema-invalid", pushed.text
    assert not _connected(listener)
    assert not [w for w in recwarn if "retrieving remote references" in str(w.message)]  # no file was read
    assert emulator.state("apify", "items") == []


def test_apify_deeply_nested_dataset_schema_is_answered(emulator):
    base = emulator.url("apify") + "/v2/datasets"
    fields: Any = {"type": "object"}
    for _ in range(300):
        fields = {"type": "object", "properties": {"a": fields}}
    created = requests.post(base, json={"schema": {"fields": fields}}, headers=APIFY_AUTH, timeout=10)
    assert created.status_code in (201, 400) and (created.ok or is_apify(created)), created.text[:300]
    if created.ok:
        pushed = requests.post(f"{base}/{created.json()['data']['id']}/items", json=[{"a": _deep(299)}],
                               headers=APIFY_AUTH, timeout=10)
        assert pushed.status_code in (201, 400) and (pushed.ok or is_apify(pushed)), pushed.text[:300]


HOSTILE_FILES = {
    "nul-bytes": b"a,b\n\x00,1\n",
    "bom-and-crlf": b"\xef\xbb\xbfa,b\r\n1,2\r\n",
    "unclosed-quote": b'a,b\n"1,2\n3,4\n',
    "huge-field": b"a\n" + b"x" * 200_000 + b"\n",
    "too-many-columns": b",".join(b"c%d" % i for i in range(10_000)) + b"\n",
    "duplicate-header": b"a,A\n1,2\n",
    "header-only": b"a,b\n",
    "formula": b"a\n=HYPERLINK(\"http://x\")\n",
    "binary": bytes(range(256)) * 4,
}


def _sheet_claiming_every_column(rows: int = 20_000) -> bytes:
    """A workbook whose sheet declares itself 16384 columns wide: believed, each row would be padded to that."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for number in range(rows):
        sheet.append([number, "x"])
    whole, out = io.BytesIO(), io.BytesIO()
    workbook.save(whole)
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>', 1)
            target.writestr(part, data)
    return out.getvalue()


# Files read as another type than delimited (from their extension), each with a failure it must survive.
HOSTILE_TYPED_FILES = {
    "ndjson-deep": ("f.ndjson", b"[" * 100_000 + b"\n"),
    "ndjson-huge-integer": ("f.ndjson", b'{"a": ' + b"9" * 5_000 + b"}\n"),
    "ndjson-lone-surrogate": ("f.ndjson", b'{"a": "\\ud800"}\n'),
    "ndjson-not-utf8": ("f.jsonl", b'{"a": "\xff"}\n'),
    "ndjson-too-many-keys": ("f.ndjson", json.dumps({f"k{i}": i for i in range(10_000)}).encode()),
    "ndjson-nested-deep-in-an-object": ("f.ndjson", b'{"a": ' + b"[" * 900 + b"]" * 900 + b"}\n"),
    "json-deep": ("f.json", b"[" * 100_000),
    "json-empty-array": ("f.json", b"[]"),
    "json-scalar": ("f.json", b"1e400"),
    "xlsx-not-a-zip": ("f.xlsx", bytes(range(256)) * 4),
    "xlsx-truncated": ("f.xlsx", b"PK\x03\x04" + b"\x00" * 40),
    "xlsx-empty-zip": ("f.xlsx", b"PK\x05\x06" + b"\x00" * 18),
    "xlsx-claims-every-column": ("f.xlsx", _sheet_claiming_every_column()),
}
HOSTILE_UPLOADS = [("f.csv", content) for content in HOSTILE_FILES.values()] + list(HOSTILE_TYPED_FILES.values())


@pytest.mark.parametrize(("name", "content"), HOSTILE_UPLOADS, ids=[*HOSTILE_FILES, *HOSTILE_TYPED_FILES])
def test_redivis_hostile_files_complete_or_fail(emulator, name, content):
    """A file the emulator cannot read is a failed upload (the client's JobError), never a 5xx."""
    emulator.seed({"redivis": {"datasets": [REDIVIS_DATASET], "tables": [REDIVIS_TABLE]}})
    table = emulator.url("redivis") + "/tables/demo_user.hostile.people"
    auth = {"Authorization": "Bearer redivis-edit-token"}
    metadata = json.dumps({"name": name, "type": None, "hasHeaderRow": True})
    response = requests.post(f"{table}/uploads", files={"metadata": metadata, "data": (name, content)},
                             headers=auth, timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["status"] in ("completed", "failed")
    assert (response.json()["errorMessage"] is None) == (response.json()["status"] == "completed")
    numbers = requests.get(table, headers=auth, timeout=10).json()
    assert numbers["numRows"] == response.json()["numRows"] * (response.json()["status"] == "completed")


HOSTILE_RANGES = ["bytes", "bytes 0-3/", "bytes -1-3/4", "bytes 3-0/4", "bytes 0-3/3", "bytes 4-7/8", "bytes */",
                  "bytes 0-99999999999999999999/1e9", "bytes 0-3/4, 4-7/8", "bytes\t0-3/4", "bytes ０-３/４".encode(),
                  "bytes 00-03/0004"]


@pytest.mark.parametrize("content_range", HOSTILE_RANGES)
def test_redivis_hostile_content_ranges_keep_a_temporary_upload_whole(emulator, content_range):
    """A chunk the session cannot take is a 400 and leaves what arrived; one it can take moves it on."""
    emulator.seed({"redivis": {"datasets": [REDIVIS_DATASET], "tables": [REDIVIS_TABLE]}})
    table = emulator.url("redivis") + "/tables/demo_user.hostile.people"
    temp = requests.post(f"{table}/tempUploads", json={"tempUploads": [{"size": 4, "name": "t", "resumable": True}]},
                         headers={"Authorization": "Bearer redivis-edit-token"}, timeout=10).json()["results"][0]
    response = requests.put(temp["url"], data=b"a\n1\n", headers={"Content-Range": content_range}, timeout=10)
    (stored,) = emulator.state("redivis", "tempUploads")
    if content_range == "bytes 00-03/0004":  # leading zeros are still numbers
        assert (response.status_code, stored["complete"]) == (200, True)
    else:
        assert (response.status_code, stored["data"], stored["complete"]) == (400, None, False), response.text
        assert is_redivis(response), response.text[:300]


AITEMS_SERVICE = {"serviceId": "hostilesvc0", "name": "hostile"}
HOSTILE_LINK_BODIES = [b"{not json", b"null", b"[1]", b'{"datasetIds": null}', b'{"datasetIds": [null, {}, []]}',
                       b'{"datasetIds": ["\\ud800"]}', b'{"datasetIds": [NaN]}', b'{"datasetIds": 1e400}',
                       json.dumps({"datasetIds": ["x" * 10_000, CONTROL_CHARS, "../../etc/passwd"]}).encode(),
                       b'{"datasetIds": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"]


@pytest.mark.parametrize("data", HOSTILE_LINK_BODIES)
def test_aitems_hostile_dataset_links_change_nothing(emulator, data):
    emulator.seed({"aitems": {"services": [AITEMS_SERVICE]}})
    path = f"/api/v1/services/{AITEMS_SERVICE['serviceId']}/datasets"
    headers = {**aitems_headers("POST", path, ""), "Content-Type": "application/json"}
    response = requests.post(emulator.mount("aitems") + path, data=data, headers=headers, timeout=30)
    assert response.status_code in (400, 404), (response.status_code, response.text[:300])
    assert is_aitems(response), response.text[:300]
    (service,) = emulator.state("aitems", "services")
    assert (service["status"], service["datasetIds"]) == ("datasetRequired", [])


QRVEY_DATASET = {"datasetId": "hostile01", "appId": "demoApp01", "userId": "demoUser1", "name": "hostile"}
PUSH = b'{"datasetId": "hostile01", "data": %s}'
HOSTILE_PUSH_BODIES = [b"{not json", b"null", b"[1]", PUSH % b"null", PUSH % b"[null, 1, []]", PUSH % b'[{"a": NaN}]',
                       PUSH % b"1e400", PUSH % (b"[" * 50_000 + b"]" * 50_000), b'{"datasetId": "\\ud800", "data": []}',
                       json.dumps({"datasetId": "hostile01", "data": [],
                                   "documentUpdateMethod": CONTROL_CHARS}).encode(),
                       json.dumps({"datasetId": CONTROL_CHARS, "data": [{"x" * 10_000: CONTROL_CHARS}]}).encode()]


@pytest.mark.parametrize("data", HOSTILE_PUSH_BODIES)
def test_qrvey_hostile_pushes_change_nothing(emulator, data):
    emulator.seed({"qrvey": {"datasets": [QRVEY_DATASET]}})
    url = emulator.url("qrvey") + "/user/demoUser1/app/demoApp01/qollect/dataset/hostile01/pushapi/data/post"
    response = requests.post(url, data=data, timeout=30,
                             headers={"x-api-key": "qrvey-demo-api-key", "Content-Type": "application/json"})
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert is_qrvey(response), response.text[:300]
    (dataset,) = emulator.state("qrvey", "datasets")
    assert (dataset["status"], dataset["rows"], dataset["columns"]) == ("DRAFT", [], [])


@pytest.mark.parametrize("data", HOSTILE_PUSH_BODIES)
def test_qrvey_hostile_postdata_changes_nothing(emulator, data):
    """The Data Router's postdata takes the same bodies; a datasetId that names nothing is its 404."""
    emulator.seed({"qrvey": {"datasets": [QRVEY_DATASET]}})
    response = requests.post(emulator.mount("qrvey") + "/Prod/dataload/postdata", data=data, timeout=30,
                             headers={"x-api-key": "qrvey-demo-api-key", "Content-Type": "application/json"})
    assert response.status_code in (400, 404), (response.status_code, response.text[:300])
    assert is_qrvey(response), response.text[:300]
    (dataset,) = emulator.state("qrvey", "datasets")
    assert (dataset["status"], dataset["rows"], emulator.state("qrvey", "pushJobs")) == ("DRAFT", [], [])


@pytest.mark.parametrize("job_id", ["x" * 5_000, CONTROL_CHARS.replace("\x00", ""), "%00", "'; --", "..%2Fstatus",
                                    "825ec7a0-1f48-11ee-9c29-5f7a08107b15"])
def test_qrvey_hostile_job_ids_are_not_found(emulator, job_id):
    url = emulator.mount("qrvey") + "/Prod/dataload/" + urllib.parse.quote(job_id, safe="%") + "/status"
    response = requests.get(url, headers={"x-api-key": "qrvey-demo-api-key"}, timeout=10)
    if "%2F" in job_id:  # a slash makes another path: the gateway knows no such resource
        assert (response.status_code, response.json()) == (403, {"message": "Missing Authentication Token"})
    else:
        assert response.status_code == 404, (response.status_code, response.text[:300])
        assert response.json()["errors"][0]["message"] == "Job not found"


# ---- CKAN beyond create: the resource actions, package_update and the download route ---------------------

CKAN_ADMIN = {"Authorization": "ckan-admin-token"}
CKAN_HOSTILE_VALUES = ["n" * 10_000, CONTROL_CHARS.replace("\x00", ""), "../../etc/passwd", "%00%ZZ", "", None, 5, 1.5,
                  True, [], ["x"], {}, {"a": [1]}]


def _ckan_dataset(emulator) -> tuple[dict[str, Any], str]:
    base = emulator.url("ckan")
    dataset = requests.post(f"{base}/api/action/package_create", json={
        "name": "hostile", "owner_org": "test-org", "resources": [{"url": "http://example.com/a.csv"}]},
        headers=CKAN_ADMIN, timeout=10).json()["result"]
    return dataset, dataset["resources"][0]["id"]


@pytest.mark.parametrize("action, key", [
    ("resource_create", "package_id"), ("resource_create", "url"), ("resource_create", "size"),
    ("resource_create", "upload"), ("resource_show", "id"), ("resource_update", "id"), ("resource_update", "url"),
    ("resource_patch", "id"), ("resource_patch", "format"), ("resource_delete", "id"), ("package_update", "id"),
    ("package_update", "name"), ("package_update", "resources"), ("organization_list", "limit"),
    ("organization_list", "sort"), ("organization_list", "q"), ("group_list", "all_fields"),
    ("organization_list_for_user", "id"), ("organization_list_for_user", "permission"), ("tag_list", "query")])
def test_ckan_hostile_values_in_the_new_actions(emulator, action, key, caplog):
    caplog.set_level(logging.INFO, logger="emulator.providers.ckan")
    dataset, resource_id = _ckan_dataset(emulator)
    base = emulator.url("ckan")

    def shown() -> dict[str, Any]:
        return requests.post(f"{base}/api/action/package_show", json={"id": dataset["id"]}, headers=CKAN_ADMIN,
                             timeout=10).json()["result"]

    valid = {"package_id": dataset["id"], "id": resource_id if action.startswith("resource") else dataset["id"]}
    for value in CKAN_HOSTILE_VALUES:
        before = shown()
        caplog.clear()
        response = requests.post(f"{base}/api/action/{action}", json={**valid, key: value}, headers=CKAN_ADMIN,
                                 timeout=10)
        assert is_ckan(response), response.text[:300]
        if response.status_code >= 500:  # only CKAN 2.11.5's own crashes, each logged as a named quirk
            assert [r for r in caplog.records if "quirk" in r.getMessage()], (key, value, response.text[:300])
        if response.status_code >= 400:
            assert shown() == before, f"a rejected {action} with {key}={value!r} wrote"


@pytest.mark.parametrize("filename", ["../../etc/passwd", "a\x00b.csv", "\u202e\U0001f600.csv", "x" * 1000 + ".csv",
                                      ".", "..", "C:\\\\windows\\\\a.exe", "%2e%2e%2f.csv"])
def test_ckan_hostile_upload_file_names_are_munged(emulator, filename):
    dataset, _ = _ckan_dataset(emulator)
    response = requests.post(f"{emulator.url('ckan')}/api/action/resource_create", headers=CKAN_ADMIN, timeout=10,
                             data={"package_id": dataset["id"]}, files={"upload": (filename, b"data")})
    assert response.status_code == 200, response.text[:300]
    url = response.json()["result"]["url"]
    name = url.rsplit("/", 1)[1]
    assert len(name) <= 100 and all(c.isascii() and (c.isalnum() or c in "_.-") for c in name), name
    download = requests.get(url, headers=CKAN_ADMIN, timeout=10, allow_redirects=False)
    assert (download.status_code, download.content) == (200, b"data")


@pytest.mark.parametrize("suffix", ["/%2e%2e/%2e%2e/_emulator/state", "/..%2F..%2Fetc%2Fpasswd", "/%ZZ", "/%00",
                                    "/" + "x" * 5000])
def test_ckan_download_paths_with_hostile_parts(emulator, suffix):
    dataset, resource_id = _ckan_dataset(emulator)
    base = emulator.url("ckan")
    for path in (f"/dataset{suffix}/resource/{resource_id}/download/a.csv",
                 f"/dataset/{dataset['id']}/resource{suffix}/download/a.csv",
                 f"/dataset/{dataset['id']}/resource/{resource_id}/download{suffix}"):
        response = requests.get(base + path, timeout=10, allow_redirects=False)
        # A NUL in a looked-up reference is CKAN's own 500 (quirk nul-in-query), an HTML page outside actions.
        assert response.status_code in ((302, 404, 500) if "%00" in suffix else (302, 404)), path
        assert "_emulator" not in response.text


@pytest.mark.parametrize("action, key", [
    ("package_search", "q"), ("package_search", "fq"), ("package_search", "rows"), ("package_search", "start"),
    ("package_search", "sort"), ("package_search", "facet.field"), ("package_search", "facet.limit"),
    ("package_search", "facet.mincount"), ("package_search", "fl"), ("package_search", "fq_list"),
    ("package_search", "include_private"), ("package_search", "facet"), ("organization_show", "id"),
    ("organization_show", "include_datasets"), ("organization_show", "include_users"), ("group_show", "id"),
    ("dataset_purge", "id")])
def test_ckan_hostile_values_in_search_and_group_reads(emulator, action, key, caplog):
    caplog.set_level(logging.INFO, logger="emulator.providers.ckan")
    dataset, _ = _ckan_dataset(emulator)
    base = emulator.url("ckan")
    valid = {} if action == "package_search" else {"id": "test-org" if action == "organization_show" else
                                                   "test-group" if action == "group_show" else dataset["name"]}
    extra = ["name:(", "+", "\"", "[a TO", "{!lucene}x", "tags:*", "a AND OR b", "score", "name asc, ", "-*:*"]
    for value in [*CKAN_HOSTILE_VALUES, *(extra if key in ("q", "fq", "sort") else [])]:
        caplog.clear()
        response = requests.post(f"{base}/api/action/{action}", json={**valid, key: value}, headers=CKAN_ADMIN,
                                 timeout=10)
        assert is_ckan(response), response.text[:300]
        if response.status_code >= 500:  # only CKAN 2.11.5's own crashes, each logged as a named quirk
            assert [r for r in caplog.records if "quirk" in r.getMessage()], (key, value, response.text[:300])
        shown = requests.post(f"{base}/api/action/package_show", json={"id": dataset["id"]}, headers=CKAN_ADMIN,
                              timeout=10)
        assert shown.status_code == 200, f"{action} with {key}={value!r} removed the dataset"
