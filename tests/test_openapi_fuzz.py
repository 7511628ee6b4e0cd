"""Schemathesis against the providers' own OpenAPI documents, on a live in-thread server.

The only 5xx allowed are CKAN 2.11.5's own 500s (``providers/ckan/quirks.py``), which the emulator logs as quirks.

Each provider runs in a fresh namespace of the default world, authenticated as its demo user, with a few
generated requests per operation (valid and invalid ones): no 5xx, and every status code, content type, header
and body is one the document declares. Runs are derandomized so a failure reproduces in CI and locally.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from emulator.openapi import document
from emulator.providers import all_providers

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
# Bounded: about five seconds per provider, most of it Schemathesis's deterministic boundary (coverage) cases;
# no shrinking (a failure is reported as found), no deadline (a namespace's first request seeds the world).
FUZZ = settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate], derandomize=True,
                database=None, suppress_health_check=list(HealthCheck))

# The default world's credentials (fixtures/default.json).
APIFY_TOKEN = "apify_api_demo_token"
REDIVIS_TOKEN = "redivis-edit-token"
QRVEY_KEY = "qrvey-demo-api-key"
AITEMS_ACCESS_KEY = "DEMOACCESSKEY0000001"
AITEMS_SECRET_KEY = "demo-secret-key-0000000000000000000000001"


@schemathesis.deserializer("application/jsonl")
def _jsonl(_ctx: schemathesis.DeserializationContext, response: Any) -> list[Any]:
    """Apify's ``format=jsonl`` items: one JSON value per line, checked against the items schema."""
    return [json.loads(line) for line in response.content.decode("utf-8").splitlines() if line.strip()]


class Header(requests.auth.AuthBase):
    """One credential header, e.g. ``Authorization: Bearer <token>`` or Qrvey's ``x-api-key``."""

    def __init__(self, name: str, value: str) -> None:
        self.name, self.value = name, value

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers[self.name] = self.value
        return request


class NcpSignatureV2(requests.auth.AuthBase):
    """NCP API Gateway signature v2 over the request exactly as sent (method, path and query, timestamp, key).

    Signing happens on the prepared request, after Schemathesis has serialized the generated query string, so
    the signed URL is byte-for-byte the one on the wire (the emulator accepts the as-sent path with its mount).
    """

    def __init__(self, access_key: str, secret_key: str) -> None:
        self.access_key, self.secret_key = access_key, secret_key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        timestamp = str(int(time.time() * 1000))
        message = f"{request.method} {request.path_url}\n{timestamp}\n{self.access_key}"
        digest = hmac.new(self.secret_key.encode(), message.encode(), hashlib.sha256).digest()
        request.headers.update({"x-ncp-apigw-timestamp": timestamp, "x-ncp-iam-access-key": self.access_key,
                                "x-ncp-apigw-signature-v2": base64.b64encode(digest).decode()})
        return request


# Path parameters pinned to records of the namespace, so generated bodies and queries reach the provider's
# validation and success answers instead of stopping at a 404 for a random owner or id.
APIFY_DATASET = {"id": "fUzZdAtAsEt000001", "name": "fuzz", "userId": "dEmOuSeR0000000a1"}
# bom=1 puts a UTF-8 BOM before the JSON array, as Apify documents; a JSON parser rightly refuses it, so the
# fuzzer keeps bom off (tests/apify/test_apify_item_formats.py checks it, the hostile catalogue its bad values).
APIFY_PARAMETERS = {"path.datasetId": APIFY_DATASET["id"], "query.bom": "false"}
QRVEY_DATASET = {"datasetId": "fuzzdata1", "appId": "demoApp01", "userId": "demoUser1", "name": "fuzz"}
QRVEY_JOB = {"jobId": "825ec7a0-1f48-11ee-9c29-5f7a08107b15", "datasetId": QRVEY_DATASET["datasetId"], "rows": 2}
QRVEY_PARAMETERS = {"path.userId": "demoUser1", "path.appId": "demoApp01",
                    "path.connectionId": "84b500d7-71c8-4b1f-adf4-f1eb0000973d",
                    "path.datasetId": QRVEY_DATASET["datasetId"], "path.jobId": QRVEY_JOB["jobId"]}
REDIVIS_DATASET = {"name": "fuzz", "ownerName": "demo_user", "publicAccessLevel": "data", "released": True}
# A second, unreleased dataset holds a table (with a stream upload) that writes may change.
REDIVIS_TABLES = {
    "datasets": [{"id": "fzzt-000000000", "name": "fuzzt", "ownerName": "demo_user", "publicAccessLevel": "data"}],
    "tables": [{"id": "fzt1-000000000", "datasetId": "fzzt-000000000", "name": "people", "numRows": 1,
                "variables": [{"name": "id", "type": "integer"}]}],
    "uploads": [{"id": "fzw1-000000000", "tableId": "fzt1-000000000", "name": "live", "type": "stream",
                 "variables": [{"name": "id", "type": "integer"}]}],
    "tempUploads": [{"id": "fuzztempupload", "tableId": "fzt1-000000000"}],
}
REDIVIS_PARAMETERS = {"path.userName": "demo_user", "path.organizationName": "demo_org",
                      "path.datasetReference": "demo_user.fuzz", "path.versionTag": "current",
                      "path.tableReference": "demo_user.fuzzt.people", "path.uploadName": "live",
                      "path.variableName": "id", "path.tempUploadId": "fuzztempupload"}
AITEMS_DATASET = {"datasetId": "fuzzdataset", "type": "item", "name": "fuzz_items", "description": "",
                  "schemaName": "item_schema", "osInfo": {"region": "KR", "bucket": "b", "key": "k.csv"}}
AITEMS_SERVICE = {"serviceId": "fuzzservice", "name": "fuzz_service"}
AITEMS_PARAMETERS = {"path.datasetId": AITEMS_DATASET["datasetId"], "path.schemaName": "user_schema",
                     "path.serviceId": AITEMS_SERVICE["serviceId"]}


def _load(provider: str, auth: requests.auth.AuthBase, parameters: dict[str, str]) -> schemathesis.schemas.BaseSchema:
    """The provider's document (the one the control API serves), with its credentials as the run's auth.

    Built at collection so each operation is its own test; each test sends to its own namespace (``base_url``).
    """
    config = SchemathesisConfig.from_dict({"parameters": parameters})
    schema = schemathesis.openapi.from_dict(document(PROVIDERS[provider], "http://emulator.invalid/" + provider),
                                            config=config)
    schema.auth.set_from_requests(auth)
    return schema


PROVIDERS = {p.name: p for p in all_providers()}
ckan = _load("ckan", Header("Authorization", "ckan-admin-token"), {})
apify = _load("apify", Header("Authorization", f"Bearer {APIFY_TOKEN}"), APIFY_PARAMETERS)
redivis = _load("redivis", Header("Authorization", f"Bearer {REDIVIS_TOKEN}"), REDIVIS_PARAMETERS)
qrvey = _load("qrvey", Header("x-api-key", QRVEY_KEY), QRVEY_PARAMETERS)
aitems = _load("aitems", NcpSignatureV2(AITEMS_ACCESS_KEY, AITEMS_SECRET_KEY), AITEMS_PARAMETERS)


@pytest.fixture
def apify_url(emulator) -> str:
    emulator.seed({"apify": {"datasets": [APIFY_DATASET], "items": [
        {"datasetId": APIFY_DATASET["id"], "index": 0, "item": {"a": 1, "#hidden": 2, "nested": {"b": [1, 2]}}}]}})
    return emulator.url("apify")


@pytest.fixture
def redivis_url(emulator) -> str:
    emulator.seed({"redivis": {**REDIVIS_TABLES, "datasets": [REDIVIS_DATASET, *REDIVIS_TABLES["datasets"]]}})
    return emulator.mount("redivis")


@pytest.fixture
def aitems_url(emulator) -> str:
    emulator.seed({"aitems": {"datasets": [AITEMS_DATASET], "services": [AITEMS_SERVICE]}})
    return emulator.mount("aitems")


def _quirks(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records
            if r.name.startswith("emulator.providers.ckan") and "quirk" in r.getMessage()]


@ckan.parametrize()
@FUZZ
def test_ckan_keeps_its_document(case, emulator, session, caplog):
    caplog.clear()
    caplog.set_level(logging.INFO, logger="emulator.providers.ckan")
    response = case.call(base_url=emulator.url("ckan"), session=session)
    if response.status_code == 500:
        # Only CKAN 2.11.5's own crashes (providers/ckan/quirks.py, each logged as a quirk) may answer 500.
        assert _quirks(caplog.records), case.body
        assert response.json()["error"] == {"__type": "Internal Server Error", "message": "Internal Server Error"}
        return
    case.validate_response(response, checks=CHECKS)


@apify.parametrize()
@FUZZ
def test_apify_keeps_its_document(case, apify_url, session):
    case.call_and_validate(base_url=apify_url, session=session, checks=CHECKS)


@qrvey.parametrize()
@FUZZ
def test_qrvey_keeps_its_document(case, emulator, session):
    emulator.seed({"qrvey": {"datasets": [QRVEY_DATASET], "pushJobs": [QRVEY_JOB]}})
    case.call_and_validate(base_url=emulator.mount("qrvey"), session=session, checks=CHECKS)


@redivis.parametrize()
@FUZZ
def test_redivis_keeps_its_document(case, redivis_url, session):
    case.call_and_validate(base_url=redivis_url, session=session, checks=CHECKS)


@aitems.parametrize()
@FUZZ
def test_aitems_keeps_its_document(case, aitems_url, session):
    case.call_and_validate(base_url=aitems_url, session=session, checks=CHECKS)
