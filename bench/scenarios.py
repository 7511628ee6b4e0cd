"""What each benchmark target is sent: a function of the request number that returns raw HTTP/1.1 bytes.

Every create carries a name unique to the run, worker and request, so each request really creates a
record (a duplicate would take the cheaper "already exists" path).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

Builder = Callable[[int], bytes]

AITEMS_ACCESS_KEY = "DEMOACCESSKEY0000001"  # the default world's demo credential
AITEMS_SECRET = "demo-secret-key-0000000000000000000000001"
QRVEY_CONNECTION = "84b500d7-71c8-4b1f-adf4-f1eb0000973d"


def http(method: str, path: str, host: str, headers: dict[str, str] | None = None, body: Any = None,
         form: str | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    payload = b""
    if body is not None:
        payload = json.dumps(body).encode()
        lines.append("Content-Type: application/json")
    elif form is not None:
        payload = form.encode()
        lines.append("Content-Type: application/x-www-form-urlencoded")
    if method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(payload)}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def _aitems_headers(method: str, url: str) -> dict[str, str]:
    timestamp = str(int(time.time() * 1000))
    message = f"{method} {url}\n{timestamp}\n{AITEMS_ACCESS_KEY}"
    signature = base64.b64encode(hmac.new(AITEMS_SECRET.encode(), message.encode(), hashlib.sha256).digest())
    return {"x-ncp-apigw-timestamp": timestamp, "x-ncp-iam-access-key": AITEMS_ACCESS_KEY,
            "x-ncp-apigw-signature-v2": signature.decode()}


def builder(scenario: str, params: dict[str, Any], worker: int) -> Builder:
    host = params.get("host", "127.0.0.1")
    tag = f"{params.get('run', 'r')}{worker}"

    def name(i: int) -> str:
        return f"b{tag}x{i}"

    if scenario == "ceiling":
        return lambda i: http("POST", "/fixed", host, body={"name": name(i)})
    if scenario == "health":
        return lambda i: http("GET", "/_emulator/health", host)
    if scenario in ("apify", "apify-peer"):  # a peer serves Apify's paths at its root
        root = "/apify" if scenario == "apify" else ""
        return lambda i: http("POST", f"{root}/v2/datasets?name={name(i)}", host,
                              {"Authorization": "Bearer apify_api_demo_token"})
    if scenario == "ckan":
        return lambda i: http("POST", "/ckan/api/action/package_create", host,
                              {"Authorization": "ckan-admin-token"}, {"name": name(i), "owner_org": "test-org"})
    if scenario == "redivis":
        return lambda i: http("POST", "/redivis/api/v1/users/demo_user/datasets", host,
                              {"Authorization": "Bearer redivis-edit-token"},
                              {"name": name(i), "publicAccessLevel": "none"})
    if scenario == "qrvey":
        return lambda i: http(
            "POST", "/qrvey/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset", host,
            {"x-api-key": "qrvey-demo-api-key"},
            {"name": name(i), "columns": [],
             "datasources": [{"name": "src", "connectionId": QRVEY_CONNECTION, "connectorType": "MYSQL_LIVE"}]})
    if scenario == "aitems":
        def aitems(i: int) -> bytes:
            url = "/api/v1/datasets"  # what client code signs: the path under the provider's base URL
            body = {"type": "user", "name": f"b{i}w{tag}"[:20], "description": "", "schemaName": "user_schema",
                    "osInfo": {"region": "KR", "bucket": "bench", "key": f"users-{i}.csv"}}
            return http("POST", "/aitems" + url, host, _aitems_headers("POST", url), body)
        return aitems
    if scenario == "moto-sqs":
        # The SQS query protocol; moto accepts any credentials, the header only names region and service.
        auth = ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, "
                "SignedHeaders=host, Signature=0")
        return lambda i: http("POST", "/", host, {"Authorization": auth},
                              form=f"Action=CreateQueue&QueueName={name(i)}&Version=2012-11-05")
    raise ValueError(f"unknown scenario {scenario}")
