"""The Qrvey tests' client and default-world names (a uniquely named module: every test folder has a conftest)."""

from __future__ import annotations

from typing import Any

import requests

API_KEY = "qrvey-demo-api-key"
USER, APP = "demoUser1", "demoApp01"
CONNECTION = "84b500d7-71c8-4b1f-adf4-f1eb0000973d"


class Qrvey:
    """A devapi v4 base URL plus a session that sends x-api-key, as the official Node sample does."""

    def __init__(self, base: str, key: str = API_KEY) -> None:
        self.base = base  # the devapi v4 base, as emulator.url("qrvey") gives it
        self.http = requests.Session()
        self.http.headers["x-api-key"] = key

    def app_url(self, path: str = "", user: str = USER, app: str = APP) -> str:
        return f"{self.base}/user/{user}/app/{app}{path}"

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.http.post(self.app_url(path, **kwargs), json=body, timeout=10)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.app_url(path, **kwargs), timeout=10)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.delete(self.app_url(path, **kwargs), timeout=10)

    def create_from_connection(self, name: str = "My Dataset", **kwargs: Any) -> dict:
        body = {"connectionId": CONNECTION, "database": "demo", "name": name, "tableName": "airlines"}
        response = self.post("/qollect/dataset/datasource", body, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()


def validation(field: str) -> str:
    return f"ValidationError: {field} is a required property but has no value when trying to save item"


def assert_qrvey_error(response: requests.Response, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["status", "date", "errors"]
    assert body["status"] == "error"
    assert isinstance(body["date"], int) and body["date"] > 1_600_000_000
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert list(error) == ["message", "messageDetails", "stack"]
    assert error["message"] == message
    assert error["messageDetails"] is True
    assert error["stack"].startswith(f"Error: {message}\n    at ")


# Every route under a user and app, with ids that name no dataset (and the default world's connection).
APP_ROUTES = [
    ("POST", "/qollect/dataset"),
    ("POST", "/qollect/dataset/datasource"),
    ("POST", "/qollect/dataset/all"),
    ("GET", "/qollect/dataset/abcdefghi"),
    ("DELETE", "/qollect/dataset/abcdefghi"),
    ("POST", "/qollect/dataset/abcdefghi/load"),
    ("POST", "/connections"),
    ("POST", "/connections/all"),
    ("GET", f"/connections/{CONNECTION}"),
    ("DELETE", f"/connections/{CONNECTION}"),
]
