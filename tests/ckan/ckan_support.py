"""Helpers shared by the CKAN tests: tokens of the default world and a raw action caller."""

from __future__ import annotations

from typing import Any

import requests

ADMIN = "ckan-admin-token"
EDITOR = "ckan-editor-token"
JOE = "ckan-joe-token"
TEST_ORG_ID = "80f5e259-b11f-4b54-880b-35745e6d6a96"
TEST_GROUP_ID = "22309479-0e87-4f1f-b3a6-2000bfc1c71e"
JSON_TYPE = "application/json;charset=utf-8"


def action(base: str, name: str, body: Any = None, token: str | None = None, **kwargs: Any) -> requests.Response:
    """POST a JSON body to ``/api/action/<name>`` as ``ckanapi`` does."""
    headers = {"Authorization": token} if token else {}
    return requests.post(f"{base}/api/action/{name}", json=body, headers=headers, timeout=10, **kwargs)


def create(base: str, body: dict[str, Any], token: str = ADMIN) -> requests.Response:
    return action(base, "package_create", body, token)


def error_of(response: requests.Response) -> dict[str, Any]:
    body = response.json()
    assert body["success"] is False, body
    assert list(body) == ["help", "error", "success"]
    return body["error"]
