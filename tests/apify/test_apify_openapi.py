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
