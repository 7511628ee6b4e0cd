"""x-api-key: API Gateway's 403 by default, Qrvey's 401 envelope when configured; checked before all else."""

from __future__ import annotations

import pytest
import requests
from qrvey_world import API_KEY, APP_ROUTES, assert_qrvey_error


def assert_forbidden(response: requests.Response) -> None:
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["x-amzn-ErrorType"] == "ForbiddenException"
    assert response.json() == {"message": "Forbidden"}


@pytest.mark.parametrize(("method", "path"), APP_ROUTES)
def test_missing_key_is_forbidden_before_parents_and_body(qrvey, method, path):
    url = qrvey.app_url(path, user="noSuchUsr")
    assert_forbidden(requests.request(method, url, json={}, timeout=10))


@pytest.mark.parametrize("key", ["wrong-key", "", API_KEY.upper(), API_KEY[:-1]])
def test_wrong_key_is_forbidden(qrvey, emulator, key):
    response = requests.post(qrvey.app_url("/qollect/dataset"), json={}, headers={"x-api-key": key}, timeout=10)
    assert_forbidden(response)
    assert emulator.state("qrvey", "datasets") == []


def test_header_name_is_case_insensitive(qrvey):
    response = requests.post(qrvey.app_url("/qollect/dataset/all"), json={}, headers={"X-Api-Key": API_KEY},
                             timeout=10)
    assert response.status_code == 200
    assert response.json() == {"Items": [], "Count": 0}


def test_a_seeded_key_works(qrvey, emulator):
    emulator.seed({"qrvey": {"apiKeys": [{"key": "second-instance-key"}]}})
    response = requests.post(qrvey.app_url("/connections/all"), headers={"x-api-key": "second-instance-key"},
                             timeout=10)
    assert response.status_code == 200


@pytest.mark.parametrize(("method", "path"), APP_ROUTES)
def test_envelope_mode_answers_401_in_qrvey_envelope(qrvey, emulator, method, path):
    emulator.seed({"qrvey": {"config": [{"authFailure": "envelope401"}]}})
    response = requests.request(method, qrvey.app_url(path), json={}, headers={"x-api-key": "nope"}, timeout=10)
    assert_qrvey_error(response, 401, "Unauthorized")


def test_envelope_mode_still_accepts_the_right_key(qrvey, emulator):
    emulator.seed({"qrvey": {"config": [{"authFailure": "envelope401"}]}})
    assert qrvey.create_from_connection()["status"] == "DRAFT"


def test_unusable_config_is_rejected_at_seed_time(emulator):
    with pytest.raises(AssertionError, match="authFailure must be one of"):
        emulator.seed({"qrvey": {"config": [{"authFailure": "teapot"}]}})
    with pytest.raises(AssertionError, match="loadMode must be one of"):
        emulator.seed({"qrvey": {"config": [{"loadMode": "someday"}]}})
