"""A NAVER Cloud API Gateway signature v2 client, written from NCP's published sample, driving `requests`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import urlsplit

import requests

DEMO_ACCESS_KEY = "DEMOACCESSKEY0000001"
DEMO_SECRET_KEY = "demo-secret-key-0000000000000000000000001"


def make_signature(secret_key: str, method: str, url: str, timestamp: str, access_key: str) -> str:
    """NCP's algorithm: "{method} {url}\\n{timestamp}\\n{accessKey}", HMAC-SHA256 with the secret, Base64."""
    message = method + " " + url + "\n" + timestamp + "\n" + access_key
    return base64.b64encode(hmac.new(bytes(secret_key, "UTF-8"), bytes(message, "UTF-8"),
                                     digestmod=hashlib.sha256).digest()).decode()


class AitemsClient:
    """What a team's hand-written AiTEMS caller does: base URL + "/api/v1" path, signed per request."""

    def __init__(self, base_url: str, access_key: str = DEMO_ACCESS_KEY, secret_key: str = DEMO_SECRET_KEY,
                 sign_as: str = "api") -> None:
        self.base_url = base_url.rstrip("/")
        self.access_key, self.secret_key = access_key, secret_key
        self.sign_as = sign_as  # "api": the real service's path (/api/v1/...); "full": the path as sent

    def url(self, path: str, query: str = "") -> str:
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def signed_url(self, path: str, query: str = "") -> str:
        signed_path = urlsplit(self.url(path)).path if self.sign_as == "full" else path
        return signed_path + (f"?{query}" if query else "")

    def headers(self, method: str, path: str, query: str = "", timestamp: str | None = None) -> dict[str, str]:
        timestamp = timestamp or str(int(time.time() * 1000))
        return {
            "Content-Type": "application/json",
            "x-ncp-apigw-timestamp": timestamp,
            "x-ncp-iam-access-key": self.access_key,
            "x-ncp-apigw-signature-v2": make_signature(self.secret_key, method, self.signed_url(path, query),
                                                       timestamp, self.access_key),
        }

    def call(self, method: str, path: str, query: str = "", json: Any = None, data: Any = None,
             headers: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
        """``path`` is the real API's path, e.g. ``/api/v1/datasets``; ``query`` is sent and signed verbatim."""
        sent = {**self.headers(method, path, query, **kwargs), **(headers or {})}
        return requests.request(method, self.url(path, query), json=json, data=data, headers=sent, timeout=10)

    def get(self, path: str, query: str = "", **kwargs: Any) -> requests.Response:
        return self.call("GET", path, query, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, json=json, **kwargs)


def dataset_body(**overrides: Any) -> dict[str, Any]:
    """The documentation's create example; ``...`` as a value leaves that field out."""
    body = {"type": "item", "name": "item_dataset2", "description": "abc", "schemaName": "item_schema",
            "osInfo": {"region": "KR", "bucket": "aitems", "key": "bookmarks-items.csv"}}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def gateway_error(code: str, message: str, details: str) -> dict[str, Any]:
    return {"error": {"errorCode": code, "message": message, "details": details}}
