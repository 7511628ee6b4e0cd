"""Every emulator response validates against Apify's own OpenAPI document for /v2/datasets*."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import requests
from apify_support import DEMO_TOKEN, OTHER_TOKEN
from openapi_schema_validator import OAS31Validator

# Apify's published document (every $ref inlined); its source and licence are in the NOTICE beside it.
OPENAPI = Path(__file__).resolve().parents[1] / "data" / "apify" / "apify-openapi-datasets.json"
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


@cache
def document() -> dict:
    return json.loads(OPENAPI.read_text())


def check(response: requests.Response, path: str, method: str) -> None:
    documented = document()["paths"][path][method.lower()]["responses"]
    status = str(response.status_code)
    assert status in documented, f"{method} {path} answered {status}; Apify documents {sorted(documented)}"
    content = documented[status].get("content")
    # Apify's storage docs describe the push answer as "an empty response with status code 201"; the OpenAPI
    # example is {}. The emulator follows the docs (spec ASSUMPTION), which the document's schema cannot express.
    bodiless_push = (path, method, status) == ("/v2/datasets/{datasetId}/items", "POST", "201")
    if not content or bodiless_push:
        assert response.content == b""
        return
    media = response.headers["Content-Type"].split(";")[0]
    assert media in content, f"{method} {path} {status} answered {media}; Apify documents {sorted(content)}"
    if media != "application/json":  # an export file (csv, xlsx, ...): Apify gives it no schema
        assert response.content
        return
    schema = content["application/json"]["schema"]
    OAS31Validator(schema, format_checker=OAS31Validator.FORMAT_CHECKER).validate(response.json())
    for header in documented[status].get("headers", {}):
        assert header in response.headers, f"{method} {path} {status} lacks documented header {header}"


def test_responses_match_apify_openapi(emulator):
    base = f"{emulator.url('apify')}/v2"
    collection, one = "/v2/datasets", "/v2/datasets/{datasetId}"
    items, stats = "/v2/datasets/{datasetId}/items", "/v2/datasets/{datasetId}/statistics"

    created = requests.post(f"{base}/datasets", params={"name": "oas"}, json={}, headers=AUTH, timeout=5)
    check(created, collection, "POST")
    check(requests.post(f"{base}/datasets", params={"name": "oas"}, headers=AUTH, timeout=5), collection, "POST")
    dataset_id = created.json()["data"]["id"]
    check(requests.post(f"{base}/datasets", params={"name": "bad_name"}, headers=AUTH, timeout=5), collection, "POST")
    check(requests.post(f"{base}/datasets", timeout=5), collection, "POST")
    check(requests.post(f"{base}/datasets", params={"token": "nope"}, timeout=5), collection, "POST")
    check(requests.put(f"{base}/datasets", headers=AUTH, timeout=5), collection, "GET")  # 405 schema

    check(requests.post(f"{base}/datasets/{dataset_id}/items", json=[{"a": 1}, {"b": 2}], headers=AUTH, timeout=5),
          items, "POST")
    check(requests.post(f"{base}/datasets/{dataset_id}/items", data=b"x", timeout=5,
                        headers={**AUTH, "Content-Encoding": "bla"}), items, "POST")
    check(requests.get(f"{base}/datasets/{dataset_id}/items", params={"limit": 1}, headers=AUTH, timeout=5),
          items, "GET")
    check(requests.get(f"{base}/datasets", params={"unnamed": "true"}, headers=AUTH, timeout=5), collection, "GET")
    check(requests.get(f"{base}/datasets/{dataset_id}", headers=AUTH, timeout=5), one, "GET")
    check(requests.get(f"{base}/datasets/{dataset_id}", headers={"Authorization": f"Bearer {OTHER_TOKEN}"},
                       timeout=5), one, "GET")
    check(requests.get(f"{base}/datasets/{dataset_id}/statistics", headers=AUTH, timeout=5), stats, "GET")
    check(requests.put(f"{base}/datasets/{dataset_id}", json={"name": "oas-2", "generalAccess": "RESTRICTED"},
                       headers=AUTH, timeout=5), one, "PUT")
    check(requests.delete(f"{base}/datasets/{dataset_id}", headers=AUTH, timeout=5), one, "DELETE")
    check(requests.get(f"{base}/datasets/{dataset_id}", headers=AUTH, timeout=5), one, "GET")
    check(requests.delete(f"{base}/datasets/{dataset_id}", headers=AUTH, timeout=5), one, "DELETE")


def test_exports_statistics_and_schema_errors_match_apify_openapi(emulator):
    base = f"{emulator.url('apify')}/v2"
    items, stats = "/v2/datasets/{datasetId}/items", "/v2/datasets/{datasetId}/statistics"
    schema = {"fields": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}}
    created = requests.post(f"{base}/datasets", params={"name": "oas-formats"}, json={"schema": schema},
                            headers=AUTH, timeout=5)
    dataset_id = created.json()["data"]["id"]
    pushed = requests.post(f"{base}/datasets/{dataset_id}/items", json=[{"n": 1}, {"n": 2, "s": "x"}], headers=AUTH,
                           timeout=5)
    check(pushed, items, "POST")
    check(requests.post(f"{base}/datasets/{dataset_id}/items", json=[{"n": "one"}], headers=AUTH, timeout=5),
          items, "POST")
    for item_format in ("json", "jsonl", "csv", "html", "xlsx", "xml", "rss"):
        check(requests.get(f"{base}/datasets/{dataset_id}/items", params={"format": item_format, "attachment": "1"},
                           headers=AUTH, timeout=5), items, "GET")
    check(requests.get(f"{base}/datasets/{dataset_id}/items", params={"format": "pdf"}, headers=AUTH, timeout=5),
          items, "GET")
    statistics = requests.get(f"{base}/datasets/{dataset_id}/statistics", headers=AUTH, timeout=5)
    check(statistics, stats, "GET")
    assert statistics.json()["data"]["fieldStatistics"] == {"n": {"min": 1, "max": 2}}
