"""API Gateway signature v2: the published algorithm, each auth failure, signed paths and query strings."""

from __future__ import annotations

import re
import time

import pytest
import requests
from aitems_signer import DEMO_ACCESS_KEY, AitemsClient, dataset_body, make_signature

MISSING = {"error": {"errorCode": "200", "message": "Authentication Failed",
                     "details": "Authentication information are missing."}}
INVALID = {"error": {"errorCode": "200", "message": "Authentication Failed",
                     "details": "Invalid authentication information."}}
NOT_FOUND = {"error": {"errorCode": "300", "message": "Not Found Exception", "details": "URL not found."}}


@pytest.mark.parametrize(("secret", "message", "signature"), [
    ("ncp-secret-example", "GET /photos/puppy.jpg?query1=&query2\n1700000000000\nACCESS_KEY_ID",
     "iPe1hFfjl7BPGhFZJGCY5XZgH6eWMwCWlSdSkKU+SPE="),
    ("SECRETKEY0123456789", "POST /api/v1/datasets\n1700000000000\nACCESSKEY01",
     "5THsAUfVJiH434zTfwWELoo/MWciYWs2ZzAWRrZDS9g="),
    ("SECRETKEY0123456789", "POST /aitems/api/v1/datasets\n1700000000000\nACCESSKEY01",
     "jLCGWlB2vLj2almPiir9PvQKa5LBl6aWCHwKHAl5OlY="),
])
def test_signer_matches_the_published_test_vectors(secret, message, signature):
    request_line, timestamp, access_key = message.split("\n")
    method, url = request_line.split(" ", 1)
    assert make_signature(secret, method, url, timestamp, access_key) == signature


def test_signed_request_is_accepted_and_carries_a_trace_id(aitems):
    response = aitems.get("/api/v1/schemas")
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["x-ncp-trace-id"])
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"


@pytest.mark.parametrize("header", ["x-ncp-apigw-timestamp", "x-ncp-iam-access-key", "x-ncp-apigw-signature-v2"])
def test_each_missing_header_is_reported_as_missing(aitems, header):
    sent = aitems.headers("GET", "/api/v1/schemas")
    del sent[header]
    response = requests.get(aitems.url("/api/v1/schemas"), headers=sent, timeout=10)
    assert response.status_code == 401
    assert response.json() == MISSING
    assert "x-ncp-trace-id" in response.headers


def test_an_empty_header_counts_as_missing(aitems):
    response = aitems.get("/api/v1/schemas", headers={"x-ncp-apigw-signature-v2": ""})
    assert (response.status_code, response.json()) == (401, MISSING)


def test_unknown_access_key_is_invalid(aitems):
    stranger = AitemsClient(aitems.base_url, access_key="NOSUCHKEY0000000000", secret_key="whatever")
    response = stranger.get("/api/v1/schemas")
    assert (response.status_code, response.json()) == (401, INVALID)


def test_signature_with_the_wrong_secret_is_invalid(aitems):
    forged = AitemsClient(aitems.base_url, secret_key="not-the-secret")
    response = forged.post("/api/v1/datasets", {"type": "item"})
    assert (response.status_code, response.json()) == (401, INVALID)


def test_signature_over_another_method_is_invalid(aitems):
    sent = aitems.headers("GET", "/api/v1/datasets")
    response = requests.post(aitems.url("/api/v1/datasets"), json={}, headers=sent, timeout=10)
    assert (response.status_code, response.json()) == (401, INVALID)


@pytest.mark.parametrize("skew_ms", [-301_000, 301_000])
def test_timestamp_more_than_five_minutes_off_is_invalid(aitems, skew_ms):
    stale = str(int(time.time() * 1000) + skew_ms)
    response = aitems.get("/api/v1/schemas", timestamp=stale)
    assert (response.status_code, response.json()) == (401, INVALID)


@pytest.mark.parametrize("skew_ms", [-290_000, 290_000])
def test_timestamp_within_five_minutes_is_accepted(aitems, skew_ms):
    response = aitems.get("/api/v1/schemas", timestamp=str(int(time.time() * 1000) + skew_ms))
    assert response.status_code == 200


def test_non_numeric_timestamp_is_invalid(aitems):
    response = aitems.get("/api/v1/schemas", timestamp="2026-01-01T00:00:00Z")
    assert (response.status_code, response.json()) == (401, INVALID)


def test_timestamps_are_judged_by_the_namespace_clock(emulator, aitems):
    emulator.configure(freezeTime="2026-01-01T00:00:00Z")
    frozen_ms = "1767225600000"
    assert aitems.get("/api/v1/schemas", timestamp=frozen_ms).status_code == 200
    assert aitems.get("/api/v1/schemas").json() == INVALID  # the wall clock is far from the frozen one
    emulator.advance(301)
    assert aitems.get("/api/v1/schemas", timestamp=frozen_ms).json() == INVALID


def test_seeded_credentials_sign_too(emulator):
    emulator.seed({"aitems": {"credentials": [{"accessKey": "TEAMKEY", "secretKey": "team-secret"}]}})
    client = AitemsClient(emulator.mount("aitems"), access_key="TEAMKEY", secret_key="team-secret")
    assert client.get("/api/v1/schemas").status_code == 200


@pytest.mark.parametrize("query", ["datasetType=item&limit=2", "limit=2&datasetType=item",
                                   "datasetType=item&x=a%2Fb%20c", "datasetType=item&empty="])
def test_the_query_string_is_signed_exactly_as_sent(aitems, query):
    response = aitems.get("/api/v1/schemas", query)
    assert response.status_code == 200, response.text
    assert [s["name"] for s in response.json()["schemas"]] == ["item_schema"]


def test_a_signature_without_the_query_string_is_invalid(aitems):
    sent = aitems.headers("GET", "/api/v1/schemas")
    response = requests.get(aitems.url("/api/v1/schemas", "datasetType=item"), headers=sent, timeout=10)
    assert (response.status_code, response.json()) == (401, INVALID)


def test_a_signature_over_a_reordered_query_is_invalid(aitems):
    sent = aitems.headers("GET", "/api/v1/schemas", "limit=2&datasetType=item")
    response = requests.get(aitems.url("/api/v1/schemas", "datasetType=item&limit=2"), headers=sent, timeout=10)
    assert (response.status_code, response.json()) == (401, INVALID)


def test_a_signature_over_the_full_request_path_is_accepted(emulator):
    client = AitemsClient(emulator.mount("aitems"), sign_as="full")  # signs /_ns/<ns>/aitems/api/v1/...
    assert client.post("/api/v1/datasets", dataset_body()).status_code == 201
    assert client.get("/api/v1/schemas", "datasetType=user").status_code == 200


def test_a_signature_over_the_mount_path_is_accepted(aitems):
    timestamp = str(int(time.time() * 1000))
    signature = make_signature(aitems.secret_key, "GET", "/aitems/api/v1/schemas", timestamp, DEMO_ACCESS_KEY)
    headers = {"x-ncp-apigw-timestamp": timestamp, "x-ncp-iam-access-key": DEMO_ACCESS_KEY,
               "x-ncp-apigw-signature-v2": signature}
    assert requests.get(aitems.url("/api/v1/schemas"), headers=headers, timeout=10).status_code == 200


def test_the_body_is_not_signed(aitems):
    sent = aitems.headers("POST", "/api/v1/datasets")
    response = requests.post(aitems.url("/api/v1/datasets"), json=dataset_body(name="other_name"), headers=sent,
                             timeout=10)
    assert response.status_code == 201


def test_unknown_route_answers_the_gateway_404_after_auth(aitems):
    response = aitems.get("/api/v1/recommendations")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["x-ncp-trace-id"])


def test_unknown_route_without_auth_is_rejected_first(aitems):
    response = requests.get(aitems.url("/api/v1/recommendations"), timeout=10)
    assert (response.status_code, response.json()) == (401, MISSING)


@pytest.mark.parametrize(("method", "path"), [("PATCH", "/api/v1/datasets"), ("PUT", "/api/v1/datasets"),
                                              ("DELETE", "/api/v1/datasets"), ("OPTIONS", "/api/v1/schemas"),
                                              ("POST", "/api/v1/schemas/default"), ("GET", "/"),
                                              ("GET", "/api/v1/datasets/")])
def test_unsupported_method_or_path_is_the_gateway_404(aitems, method, path):
    response = aitems.call(method, path)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_the_server_keeps_serving_after_garbage(aitems):
    requests.post(aitems.url("/api/v1/datasets"), data=b"\xff\x00{", timeout=10)
    assert aitems.get("/api/v1/schemas").status_code == 200


def test_not_subscribed_mode(emulator, aitems):
    emulator.configure(providers={"aitems": {"subscribed": False}})
    response = aitems.get("/api/v1/schemas")
    assert response.status_code == 401
    assert response.json() == {"error": {"errorCode": "210", "message": "Permission Denied",
                                         "details": "A subscription to the API is required."}}


def test_injected_faults_answer_in_the_gateway_envelope(emulator, aitems):
    emulator.fault("status", provider="aitems", status=503, times=1)
    response = aitems.get("/api/v1/schemas")
    assert response.status_code == 503
    assert response.json()["error"]["errorCode"] == "500"
    assert response.json()["error"]["message"] == "Endpoint Error"
    assert aitems.get("/api/v1/schemas").status_code == 200


def test_a_percent_encoded_path_is_verified_as_sent(aitems):
    response = aitems.get("/api/v1/datasets/no%20such")
    assert response.status_code == 404
    assert response.json()["error"]["details"] == "Dataset not found: no such"
