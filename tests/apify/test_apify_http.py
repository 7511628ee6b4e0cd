"""Raw HTTP: headers, Location, pagination headers, Apify's envelopes for routing errors, compressed bodies."""

from __future__ import annotations

import gzip
import json
import re
import zlib

import brotli
import pytest
import requests
from apify_support import DEMO_TOKEN, ID_PATTERN

AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}
JSON_UTF8 = "application/json; charset=utf-8"


@pytest.fixture
def base(emulator) -> str:
    return f"{emulator.url('apify')}/v2"


def error_of(response: requests.Response) -> dict:
    assert response.headers["Content-Type"] == JSON_UTF8
    body = response.json()
    assert list(body) == ["error"]
    return body["error"]


def test_create_headers_and_key_order(base, emulator):
    response = requests.post(f"{base}/datasets", params={"name": "hdr"}, headers=AUTH, timeout=5)
    assert response.status_code == 201
    assert response.headers["Content-Type"] == JSON_UTF8
    assert response.headers["X-RateLimit-Limit"] == "60"
    data = response.json()["data"]
    assert response.headers["Location"] == f"{emulator.url('apify')}/v2/datasets/{data['id']}"
    assert list(data) == ["id", "name", "userId", "createdAt", "modifiedAt", "accessedAt", "itemCount",
                          "cleanItemCount", "actId", "actRunId", "schema", "stats", "fields", "consoleUrl",
                          "itemsPublicUrl", "generalAccess", "urlSigningSecretKey"]
    assert data["stats"] == {"readCount": 0, "writeCount": 0, "storageBytes": 0} and data["fields"] == []
    assert response.text.startswith('{\n  "data": {\n    "id"')  # the live API's 2-space indent
    again = requests.post(f"{base}/datasets", params={"name": "hdr"}, headers=AUTH, timeout=5)
    assert again.status_code == 200 and "Location" not in again.headers
    assert again.json()["data"]["id"] == data["id"]


def test_token_in_query_and_without_body(base):
    response = requests.post(f"{base}/datasets", params={"token": DEMO_TOKEN}, timeout=5)
    assert response.status_code == 201
    assert re.match(ID_PATTERN, response.json()["data"]["id"]) and response.json()["data"]["name"] is None


def test_push_and_list_headers(base, emulator):
    dataset_id = requests.post(f"{base}/datasets", params={"name": "pg"}, headers=AUTH, timeout=5).json()["data"]["id"]
    push = requests.post(f"{base}/datasets/{dataset_id}/items", headers=AUTH, timeout=5,
                         data=json.dumps([{"i": i} for i in range(5)]))
    assert push.status_code == 201 and push.content == b""
    assert push.headers["Location"] == f"{emulator.url('apify')}/v2/datasets/{dataset_id}/items"
    assert "Content-Type" not in push.headers
    page = requests.get(f"{base}/datasets/{dataset_id}/items", params={"offset": 1, "limit": 2, "desc": "1"},
                        headers=AUTH, timeout=5)
    assert page.status_code == 200 and page.json() == [{"i": 3}, {"i": 2}]
    assert page.headers["Content-Type"] == JSON_UTF8
    assert {k: v for k, v in page.headers.items() if k.startswith("X-Apify-Pagination")} == {
        "X-Apify-Pagination-Total": "5", "X-Apify-Pagination-Offset": "1", "X-Apify-Pagination-Count": "2",
        "X-Apify-Pagination-Limit": "2", "X-Apify-Pagination-Desc": "true"}
    head = requests.head(f"{base}/datasets/{dataset_id}/items", headers=AUTH, timeout=5)
    assert head.status_code == 200 and head.headers["X-Apify-Pagination-Total"] == "5" and head.content == b""
    jsonl = requests.get(f"{base}/datasets/{dataset_id}/items", params={"format": "jsonl", "limit": 2},
                         headers=AUTH, timeout=5)
    assert jsonl.text == '{"i":0}\n{"i":1}\n'  # compact, as Apify's OpenAPI application/jsonl example
    assert jsonl.headers["Content-Type"] == "application/jsonl; charset=utf-8"
    delete = requests.delete(f"{base}/datasets/{dataset_id}", headers=AUTH, timeout=5)
    assert delete.status_code == 204 and delete.content == b""
    assert emulator.state("apify", "items") == []


def test_unknown_route_and_wrong_method(base, emulator):
    for url in (f"{base}/nope", f"{emulator.url('apify')}/v3/datasets", f"{base}/datasets/x/items/y"):
        response = requests.get(url, headers=AUTH, timeout=5)
        assert response.status_code == 404
        assert error_of(response) == {
            "type": "page-not-found",
            "message": "We have bad news: there is no API endpoint at this URL. Did you specify it correctly?"}
    cases = {("PUT", "/datasets"): "OPTIONS, GET, POST", ("POST", "/datasets/abc"): "OPTIONS, GET, PUT, DELETE",
             ("DELETE", "/datasets/abc/items"): "OPTIONS, GET, POST",
             ("PATCH", "/datasets/a/statistics"): "OPTIONS, GET",
             ("TRACE", "/datasets"): "OPTIONS, GET, POST"}
    for (method, path), allowed in cases.items():
        response = requests.request(method, f"{base}{path}", headers=AUTH, timeout=5)
        assert response.status_code == 405, (method, path)
        assert error_of(response) == {
            "type": "method-not-allowed",
            "message": f"This API endpoint can only be accessed using the following HTTP methods: {allowed}"}


def test_method_override(base, emulator):
    created = requests.get(f"{base}/datasets", params={"method": "POST", "name": "ovr"}, headers=AUTH, timeout=5)
    assert created.status_code == 201 and created.json()["data"]["name"] == "ovr"
    deleted = requests.post(f"{base}/datasets/~ovr", params={"method": "DELETE"}, headers=AUTH, timeout=5)
    assert deleted.status_code == 204 and emulator.state("apify", "datasets") == []
    wrong = requests.get(f"{base}/datasets", params={"method": "PUT"}, headers=AUTH, timeout=5)
    assert wrong.status_code == 405 and error_of(wrong)["type"] == "method-not-allowed"


def test_preflight(base):
    response = requests.options(f"{base}/datasets", timeout=5)
    assert response.status_code == 204 and response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("encoding, compress", [
    ("gzip", gzip.compress), ("br", brotli.compress), ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some senders emit it
])
def test_compressed_bodies(base, emulator, encoding, compress):
    schema = {"actorSpecification": 1, "fields": {"type": "object"}}
    response = requests.post(f"{base}/datasets", params={"name": "zip"}, timeout=5,
                             data=compress(json.dumps({"schema": schema}).encode()),
                             headers={**AUTH, "Content-Type": "application/json", "Content-Encoding": encoding})
    assert response.status_code == 201 and response.json()["data"]["schema"] == schema
    dataset_id = response.json()["data"]["id"]
    push = requests.post(f"{base}/datasets/{dataset_id}/items", timeout=5,
                         data=compress(json.dumps([{"a": 1}, {"b": "é"}]).encode()),
                         headers={**AUTH, "Content-Type": "application/json; charset=utf-8",
                                  "Content-Encoding": encoding})
    assert push.status_code == 201
    listed = requests.get(f"{base}/datasets/{dataset_id}/items", headers=AUTH, timeout=5)
    assert listed.json() == [{"a": 1}, {"b": "é"}]


def test_unsupported_encoding_and_bad_bodies(base, emulator):
    response = requests.post(f"{base}/datasets", data=b"{}", timeout=5,
                             headers={**AUTH, "Content-Type": "application/json", "Content-Encoding": "bla"})
    assert response.status_code == 415
    assert error_of(response) == {"type": "unsupported-content-encoding",
                                  "message": 'Content-Encoding "bla" is not supported.'}
    not_object = {"type": "invalid-request", "message": "POST data must be a JSON object"}
    for body in (b"[1, 2]", b'"text"', b"{not json", gzip.compress(b"42")):
        headers = {**AUTH, "Content-Type": "application/json"}
        if body.startswith(b"\x1f\x8b"):
            headers["Content-Encoding"] = "gzip"
        response = requests.post(f"{base}/datasets", data=body, headers=headers, timeout=5)
        assert response.status_code == 400 and error_of(response) == not_object
    broken = requests.post(f"{base}/datasets", data=b"not gzip", timeout=5,
                           headers={**AUTH, "Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert broken.status_code == 400 and error_of(broken) == not_object
    assert emulator.state("apify", "datasets") == []


def test_payload_too_large(base, emulator):
    emulator.configure(providers={"apify": {"payloadLimitBytes": 1000}})
    dataset_id = requests.post(f"{base}/datasets", headers=AUTH, timeout=5).json()["data"]["id"]
    body = json.dumps([{"x": "y" * 2000}]).encode()
    response = requests.post(f"{base}/datasets/{dataset_id}/items", data=body, timeout=5,
                             headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert error_of(response) == {"type": "request-too-large", "message": "The POST payload is too large "
                                  f"(limit: 1000 bytes, actual length: {len(body)} bytes)."}
    bomb = gzip.compress(b"[" + b'{"a": 1},' * 500 + b"{}]")
    response = requests.post(f"{base}/datasets/{dataset_id}/items", data=bomb, timeout=5,
                             headers={**AUTH, "Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert len(bomb) < 1000 and response.status_code == 413 and error_of(response)["type"] == "request-too-large"


def test_auth_order_and_missing_dataset(base):
    no_token = requests.put(f"{base}/datasets/abc", data=b"[", timeout=5)
    assert no_token.status_code == 401 and error_of(no_token)["type"] == "token-not-provided"
    bad_scheme = requests.get(f"{base}/datasets", headers={"Authorization": "Basic abc"}, timeout=5)
    assert bad_scheme.status_code == 401 and error_of(bad_scheme)["type"] == "token-not-provided"
    missing = requests.get(f"{base}/datasets/NoSuchDataset0000", headers=AUTH, timeout=5)
    assert missing.status_code == 404
    assert error_of(missing) == {"type": "record-not-found", "message": "Dataset was not found"}
    no_owner = requests.get(f"{base}/datasets/~whatever", timeout=5)
    assert no_owner.status_code == 401 and error_of(no_owner)["type"] == "token-not-provided"


def test_bad_query_and_update_values(base):
    for params in ({"limit": "x"}, {"offset": "-1"}, {"desc": "maybe"}):
        response = requests.get(f"{base}/datasets", params=params, headers=AUTH, timeout=5)
        assert response.status_code == 400 and error_of(response)["type"] == "invalid-parameter"
    dataset_id = requests.post(f"{base}/datasets", headers=AUTH, timeout=5).json()["data"]["id"]
    response = requests.put(f"{base}/datasets/{dataset_id}", json={"generalAccess": "EVERYONE"}, headers=AUTH,
                            timeout=5)
    assert response.status_code == 400 and error_of(response) == {
        "type": "invalid-value", "message": "Invalid value provided in dataset: generalAccess must be one of: "
        "ANYONE_WITH_ID_CAN_READ, ANYONE_WITH_NAME_CAN_READ, FOLLOW_USER_SETTING, RESTRICTED"}
    response = requests.put(f"{base}/datasets/{dataset_id}", json=["x"], headers=AUTH, timeout=5)
    assert response.status_code == 400 and error_of(response)["type"] == "invalid-request"


def test_injected_faults_use_apify_envelope(base, emulator):
    emulator.fault("status", provider="apify", operation="apify.datasets.create", status=503, times=1)
    response = requests.post(f"{base}/datasets", headers=AUTH, timeout=5)
    assert response.status_code == 503 and error_of(response)["type"] == "internal-server-error"
    emulator.fault("rate-limit", provider="apify", rate=0.01, burst=1)
    assert requests.get(f"{base}/datasets", headers=AUTH, timeout=5).status_code == 200
    response = requests.get(f"{base}/datasets", headers=AUTH, timeout=5)
    assert response.status_code == 429 and error_of(response) == {
        "type": "rate-limit-exceeded", "message": "You have exceeded the rate limit. Please try again later."}
    emulator.clear_faults()
    assert requests.post(f"{base}/datasets", headers=AUTH, timeout=5).status_code == 201


def test_platform_answers_get_apify_headers(base, emulator):
    """Faults that answer without the provider still carry Apify's headers (a JSON one, its charset)."""
    emulator.fault("malformed", provider="apify", times=1)
    malformed = requests.post(f"{base}/datasets", headers=AUTH, timeout=5)
    assert malformed.status_code == 200 and malformed.content == b'{"data": {"id": "'
    assert malformed.headers["Content-Type"] == JSON_UTF8 and malformed.headers["X-RateLimit-Limit"] == "60"
    emulator.fault("empty", provider="apify", times=1)
    empty = requests.get(f"{base}/datasets", headers=AUTH, timeout=5)
    assert empty.status_code == 200 and empty.content == b""
    assert empty.headers["Content-Type"] == "text/html; charset=utf-8" and empty.headers["X-RateLimit-Limit"] == "60"
    emulator.configure(providers={"apify": {"rateLimitPerSecond": 7}})
    created = requests.post(f"{base}/datasets", params={"name": "limit-seven"}, headers=AUTH, timeout=5)
    assert created.status_code == 201 and created.headers["X-RateLimit-Limit"] == "7"


@pytest.mark.parametrize("sent", [None, b"", b"  \n", b"{}", b'{"schema": null}', b'{"other": 1}'])
def test_create_bodies_without_a_schema(base, sent):
    headers = AUTH if sent is None else {**AUTH, "Content-Type": "application/json"}
    response = requests.post(f"{base}/datasets", data=sent, headers=headers, timeout=5)
    assert response.status_code == 201 and response.json()["data"]["schema"] is None


def test_create_with_a_schema_that_is_not_an_object(base, emulator):
    response = requests.post(f"{base}/datasets", params={"name": "bad-schema"}, data=b'{"schema": "x"}', timeout=5,
                             headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 400 and error_of(response) == {
        "type": "invalid-value", "message": "Invalid value provided in dataset: schema must be a JSON object"}
    assert emulator.state("apify", "datasets") == []
