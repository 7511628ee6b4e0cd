"""Unknown routes and wrong methods under the prefix answer as API Gateway does, after the key check."""

from __future__ import annotations

import pytest
import requests

UNKNOWN = [
    ("GET", "/devapi/v4/nothing/here"),
    ("GET", "/devapi/v3/user/demoUser1/app/demoApp01/qollect/dataset/all"),
    ("GET", "/"),
    ("POST", "/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset/abcdefghi"),
    ("PUT", "/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset/abcdefghi"),
    ("GET", "/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset"),
    ("GET", "/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset/all"),
    ("DELETE", "/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset/datasource"),
    ("GET", "/devapi/v4/user/demoUser1/app/demoApp01/connections/all"),
    ("PATCH", "/devapi/v4/user/demoUser1/app/demoApp01/connections"),
    ("GET", "/devapi/v4/user/demoUser1/app/demoApp01/qollect/dataset/abcdefghi/load"),
]


@pytest.mark.parametrize(("method", "path"), UNKNOWN)
def test_unknown_route_or_method_with_a_valid_key(qrvey, emulator, method, path):
    response = qrvey.http.request(method, f"{emulator.mount('qrvey')}{path}", timeout=10)

    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    assert response.json() == {"message": "Missing Authentication Token"}


@pytest.mark.parametrize(("method", "path"), UNKNOWN[:4])
def test_unknown_route_without_a_key_is_forbidden(emulator, method, path):
    response = requests.request(method, f"{emulator.mount('qrvey')}{path}", timeout=10)
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden"}


def test_unknown_route_in_envelope_mode_without_a_key(emulator):
    emulator.seed({"qrvey": {"config": [{"authFailure": "envelope401"}]}})
    response = requests.get(f"{emulator.url('qrvey')}/nothing", timeout=10)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "Unauthorized"


def test_server_keeps_serving_after_unknown_routes(qrvey, emulator):
    for _ in range(3):
        qrvey.http.get(f"{emulator.url('qrvey')}/x", timeout=10)
    assert qrvey.post("/qollect/dataset/all", {}).status_code == 200


def test_injected_500_answers_in_the_qrvey_envelope(qrvey, emulator):
    emulator.fault("status", status=500, operation="qrvey.datasets.create", times=1)
    response = qrvey.post("/qollect/dataset", {})
    assert response.status_code == 500
    assert response.json()["status"] == "error"
    assert response.json()["errors"][0]["message"] == "Internal Server Error"
    assert qrvey.post("/qollect/dataset/all", {}).status_code == 200


@pytest.mark.parametrize(("status", "message"), [(429, "Too Many Requests"), (503, "Service Unavailable")])
def test_injected_gateway_statuses_answer_as_api_gateway(qrvey, emulator, status, message):
    emulator.fault("status", status=status, provider="qrvey", times=1)
    response = qrvey.post("/qollect/dataset/all", {})
    assert response.status_code == status
    assert response.json() == {"message": message}
    assert qrvey.post("/qollect/dataset/all", {}).status_code == 200


def test_openapi_document_lists_the_emulated_paths(emulator):
    document = requests.get(f"{emulator.base_url}/_emulator/openapi/qrvey.json", timeout=10).json()
    app = "/devapi/v4/user/{userId}/app/{appId}"
    assert set(document["paths"]) == {
        f"{app}/qollect/dataset", f"{app}/qollect/dataset/datasource", f"{app}/qollect/dataset/all",
        f"{app}/qollect/dataset/{{datasetId}}", f"{app}/qollect/dataset/{{datasetId}}/load", f"{app}/connections",
        f"{app}/connections/all", f"{app}/connections/{{connectionId}}",
        f"{app}/qollect/dataset/{{datasetId}}/pushapi/data/post", app, "/devapi/v4/core/user/all",
        "/devapi/v4/core/user/{userId}", "/Prod/dataload/postdata", "/Prod/dataload/{jobId}/status"}
    assert set(document["components"]["schemas"]["Dataset"]["required"]) == {"name", "datasources", "columns"}


def test_an_invalid_namespace_is_named_in_a_qrvey_404(emulator):
    response = requests.get(f"{emulator.base_url}/_ns/-bad/qrvey/devapi/v4/x", timeout=10)
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"].startswith("invalid namespace '-bad'")
