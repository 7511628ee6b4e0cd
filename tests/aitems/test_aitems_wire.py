"""The exact bytes of AiTEMS answers: what jsonify would write, in the service's content type, with a trace id.

The provider frames its JSON itself (not through jsonify), so these tests pin the framing to Flask's own.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from aitems_signer import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, dataset_body, make_signature
from flask import Flask
from flask.testing import FlaskClient

from emulator.app import create_app
from emulator.config import Settings
from emulator.providers.aitems import model

CONTENT_TYPE = "application/json;charset=UTF-8"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(Settings(state=None))


def _signed(method: str, url: str) -> dict[str, str]:
    timestamp = str(int(time.time() * 1000))
    return {"x-ncp-apigw-timestamp": timestamp, "x-ncp-iam-access-key": DEMO_ACCESS_KEY,
            "x-ncp-apigw-signature-v2": make_signature(DEMO_SECRET_KEY, method, url, timestamp, DEMO_ACCESS_KEY)}


def _post(client: FlaskClient, body: Any = None, data: bytes | None = None, content_type: str | None = None):
    return client.post("/aitems/api/v1/datasets", headers=_signed("POST", "/api/v1/datasets"),
                       data=json.dumps(body) if data is None else data, content_type=content_type)


def _jsonify_bytes(app: Flask, payload: Any) -> bytes:
    with app.app_context():
        return app.json.response(payload).get_data()


def _check_framing(app: Flask, response, payload: Any) -> None:
    assert response.get_data() == _jsonify_bytes(app, payload)
    names = [name for name, _ in response.headers]
    assert names == ["Content-Type", "Content-Length", "x-ncp-trace-id"]
    assert response.headers["Content-Type"] == CONTENT_TYPE
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["x-ncp-trace-id"])


def test_a_created_dataset_is_written_as_jsonify_writes_it(app):
    response = _post(app.test_client(), dataset_body(name="wire_dataset", description="caf\u00e9 \u2603"),
                     content_type="application/json")
    assert response.status_code == 201
    payload = response.get_json()
    assert payload["description"] == "caf\u00e9 \u2603"
    assert b"\\u00e9 \\u2603" in response.get_data()  # ASCII-escaped, as Flask's provider does
    _check_framing(app, response, payload)


def test_an_error_is_written_as_jsonify_writes_it(app):
    response = _post(app.test_client(), dataset_body(schemaName="\uc2a4\ud0a4\ub9c8"), content_type="text/plain")
    assert response.status_code == 404
    payload = response.get_json()
    assert payload["error"]["details"] == "Schema not found: \uc2a4\ud0a4\ub9c8"
    _check_framing(app, response, payload)


@pytest.mark.parametrize("data", [b"{nope", b"\xff\xfe\x00", b"", b"[1, 2]", b"null"])
def test_a_body_that_is_not_a_json_object_is_refused(app, data):
    response = _post(app.test_client(), data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == "Request body must be a JSON object."


def test_a_json_body_is_read_whatever_its_content_type_and_encoding(app):
    body = dataset_body(name="wire_utf16")
    response = _post(app.test_client(), data=json.dumps(body).encode("utf-16"), content_type=None)
    assert response.status_code == 201
    assert response.get_json()["name"] == "wire_utf16"


@pytest.mark.parametrize("moment", [
    datetime(2026, 3, 4, 5, 6, 7, 891234, tzinfo=UTC),
    datetime(2026, 3, 4, 14, 59, 59, 999999, tzinfo=UTC),  # truncated, not rounded, across the KST midnight
    datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5))),
    datetime(999, 12, 31, 14, 0, tzinfo=UTC),  # a year below 1000 as strftime writes it
    datetime(999, 12, 31, 15, 0, tzinfo=UTC),
    datetime(9999, 12, 31, 14, 59, 59, 999999, tzinfo=UTC),
])
def test_wire_dates_are_what_strftime_writes(moment):
    assert model.wire_date(moment) == moment.astimezone(model.KST).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
