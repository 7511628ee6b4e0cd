"""The example provider (tests/dummy_provider, built from docs/writing-a-provider.md): what it declares is
what goes on the wire, its errors come in its own envelope, and its OpenAPI document is valid."""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from dummy_provider import DummyProvider
from openapi_spec_validator import OpenAPIV31SpecValidator

from emulator.app import create_app
from emulator.config import Settings
from emulator.pytest_plugin import Emulator
from emulator.server import BackgroundServer

DUMMY_JSON = "application/vnd.dummy+json"


@pytest.fixture
def emu(dummy_base):
    handle = Emulator(dummy_base, f"ex-{uuid.uuid4().hex[:12]}")
    handle.reset()
    return handle


def envelope(response: requests.Response) -> dict:
    assert response.headers["Content-Type"] == DUMMY_JSON, response.headers
    return json.loads(response.content)["dummyError"]


def test_answers_are_framed_as_the_wire_declares(emu):
    emu.configure(providers={"dummy": {"greeting": "hej"}})
    created = requests.post(f"{emu.url('dummy')}/things", json={"name": "é"}, timeout=10)
    assert created.status_code == 201
    record = created.json()
    # compact, ASCII-escaped, a trailing newline; the per-answer header from the namespace's settings
    assert created.content == (json.dumps(record, separators=(",", ":")) + "\n").encode()
    assert b"\\u00e9" in created.content
    assert created.headers["Content-Type"] == DUMMY_JSON and created.headers["X-Dummy-Greeting"] == "hej"


def test_unknown_route_and_wrong_method_in_its_envelope(emu):
    missing = requests.get(f"{emu.url('dummy')}/nowhere", timeout=10)
    assert missing.status_code == 404 and envelope(missing) == {"status": 404, "message": None}
    assert missing.headers["X-Dummy-Greeting"] == "hello"  # the platform's answers are framed alike
    wrong = requests.delete(f"{emu.url('dummy')}/things", timeout=10)
    assert wrong.status_code == 405
    assert envelope(wrong) == {"status": 405, "message": None, "allowed": ["OPTIONS", "POST"]}
    assert emu.requests()[-1]["operation"] == "dummy.unmatched"


def test_injected_status_in_its_envelope_named_by_the_operation(emu):
    emu.fault("status", status=503, operation="dummy.things.create", times=1)
    failed = requests.post(f"{emu.url('dummy')}/things", json={"name": "a"}, timeout=10)
    assert failed.status_code == 503 and envelope(failed) == {"status": 503, "message": None}
    entry = emu.requests()[-1]
    assert entry["operation"] == "dummy.things.create" and entry["fault"] == "status"
    emu.fault("malformed", times=1)
    cut = requests.post(f"{emu.url('dummy')}/things", json={"name": "a"}, timeout=10)
    assert cut.status_code == 200 and cut.headers["Content-Type"] == DUMMY_JSON
    with pytest.raises(ValueError):
        cut.json()


def test_its_own_bad_request(emu):
    refused = requests.post(f"{emu.url('dummy')}/things", json={"title": "no name"}, timeout=10)
    assert refused.status_code == 400
    assert envelope(refused) == {"status": 400, "message": "a thing needs a name (a string)"}
    assert emu.state("dummy", "things") == []


def test_body_too_large_in_its_envelope():
    server = BackgroundServer(port=0)
    server.start(create_app(Settings(state=None, port=server.port, default_world=False, max_body=64),
                            providers=[DummyProvider()]))
    try:
        response = requests.post(f"{server.url}/dummy/things", json={"name": "x" * 100}, timeout=10)
    finally:
        server.stop()
    assert response.status_code == 413
    assert envelope(response) == {"status": 413, "message": "Request body exceeds 64 bytes"}


def test_its_openapi_document_is_valid(dummy_base):
    document = requests.get(f"{dummy_base}/_emulator/openapi/dummy.json", timeout=10).json()
    assert [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in OpenAPIV31SpecValidator(document).iter_errors()] == []
    assert set(document["paths"]) == {"/things", "/things/{thing_id}"}
    assert document["components"]["securitySchemes"]["dummyKey"]["name"] == "X-Dummy-Key"
