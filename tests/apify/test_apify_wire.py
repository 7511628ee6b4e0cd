"""Apify's JSON answers: the bytes of ``json.dumps(payload, ensure_ascii=False, indent=2)``, headers in order."""

from __future__ import annotations

import json
from typing import Any

from emulator.app import create_app
from emulator.framing import json as json_response


def dataset(**changes: Any) -> dict[str, Any]:
    record = {
        "id": "aBcDeFgHiJkLmNoPq", "name": "my-dataset", "userId": "dEmOuSeR0000000a1",
        "createdAt": "2026-01-01T00:00:00.000Z", "modifiedAt": "2026-01-01T00:00:00.000Z",
        "accessedAt": "2026-01-01T00:00:00.000Z", "itemCount": 0, "cleanItemCount": 0, "actId": None,
        "actRunId": None, "schema": None, "stats": {"readCount": 0, "writeCount": 0, "storageBytes": 0},
        "fields": [], "consoleUrl": "https://console.apify.com/storage/datasets/aBcDeFgHiJkLmNoPq",
        "itemsPublicUrl": "http://127.0.0.1:8080/apify/v2/datasets/aBcDeFgHiJkLmNoPq/items",
        "generalAccess": "FOLLOW_USER_SETTING", "urlSigningSecretKey": "0123456789abcdefABCDEF0123456789",
    }
    return {**record, **changes}


def test_json_response_bytes_and_headers() -> None:
    payload = {"data": dataset(name="é")}
    with create_app().extensions["emulator"].bound("default", "apify"):  # the default settings
        response = json_response(payload, 201, {"Location": "http://127.0.0.1:8080/apify/v2/datasets/x"})
    assert response.get_data() == json.dumps(payload, ensure_ascii=False, indent=2).encode()
    assert response.status_code == 201
    assert list(response.headers.items()) == [
        ("Location", "http://127.0.0.1:8080/apify/v2/datasets/x"),
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(response.get_data()))),
        ("X-RateLimit-Limit", "60"),
    ]
