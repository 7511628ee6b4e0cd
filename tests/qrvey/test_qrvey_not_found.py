"""Unknown users, apps, datasets and connections answer 404 in Qrvey's envelope; parents come first."""

from __future__ import annotations

import pytest
from qrvey_world import APP, APP_ROUTES, USER, assert_qrvey_error

OTHER = {"qrvey": {
    "users": [{"userId": "otherUser"}],
    "apps": [{"appId": "otherApp1", "userId": "otherUser"}, {"appId": "secondApp", "userId": USER}],
    "connections": [{"connectionId": "conn-of-other-app", "appId": "secondApp", "userId": USER,
                     "name": "Elsewhere", "connectorType": "MYSQL_LIVE"}],
}}


@pytest.mark.parametrize(("method", "path"), APP_ROUTES)
def test_unknown_user_is_checked_before_the_body(qrvey, method, path):
    response = qrvey.http.request(method, qrvey.app_url(path, user="noSuchUsr"), json={}, timeout=10)
    assert_qrvey_error(response, 404, "User not found")


@pytest.mark.parametrize(("method", "path"), APP_ROUTES)
def test_unknown_app_is_checked_before_the_body(qrvey, method, path):
    response = qrvey.http.request(method, qrvey.app_url(path, app="noSuchApp"), json={}, timeout=10)
    assert_qrvey_error(response, 404, "App not found")


def test_an_app_is_reached_only_through_its_own_user(qrvey, emulator):
    emulator.seed(OTHER)
    assert_qrvey_error(qrvey.post("/qollect/dataset/all", {}, user="otherUser", app=APP), 404, "App not found")
    assert_qrvey_error(qrvey.post("/qollect/dataset/all", {}, app="otherApp1"), 404, "App not found")


@pytest.mark.parametrize(("method", "suffix"), [("GET", ""), ("DELETE", ""), ("POST", "/load")])
def test_unknown_dataset(qrvey, method, suffix):
    response = qrvey.http.request(method, qrvey.app_url(f"/qollect/dataset/zzzzzzzzz{suffix}"), timeout=10)
    assert_qrvey_error(response, 404, "Dataset not found")


def test_a_dataset_is_visible_only_through_its_own_user_and_app(qrvey, emulator):
    emulator.seed(OTHER)
    created = qrvey.create_from_connection()
    path = f"/qollect/dataset/{created['datasetId']}"

    assert_qrvey_error(qrvey.get(path, app="secondApp"), 404, "Dataset not found")
    assert_qrvey_error(qrvey.delete(path, app="secondApp"), 404, "Dataset not found")
    assert_qrvey_error(qrvey.post(f"{path}/load", app="secondApp"), 404, "Dataset not found")
    assert qrvey.post("/qollect/dataset/all", {}, app="secondApp").json() == {"Items": [], "Count": 0}
    assert qrvey.get(path).status_code == 200


def test_create_from_an_unknown_connection(qrvey, emulator):
    body = {"connectionId": "00000000-0000-4000-8000-000000000000", "database": "d", "name": "n", "tableName": "t"}
    assert_qrvey_error(qrvey.post("/qollect/dataset/datasource", body), 404, "Connection not found")
    assert emulator.state("qrvey", "datasets") == []


def test_create_from_a_connection_of_another_app(qrvey, emulator):
    emulator.seed(OTHER)
    body = {"connectionId": "conn-of-other-app", "database": "d", "name": "n", "tableName": "t"}
    assert_qrvey_error(qrvey.post("/qollect/dataset/datasource", body), 404, "Connection not found")
    assert qrvey.post("/qollect/dataset/datasource", body, app="secondApp").status_code == 200


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_unknown_connection(qrvey, emulator, method):
    emulator.seed(OTHER)
    for connection in ("00000000-0000-4000-8000-000000000000", "conn-of-other-app"):
        response = qrvey.http.request(method, qrvey.app_url(f"/connections/{connection}"), timeout=10)
        assert_qrvey_error(response, 404, "Connection not found")


def test_delete_then_get_is_404(qrvey, emulator):
    created = qrvey.create_from_connection()
    path = f"/qollect/dataset/{created['datasetId']}"

    deleted = qrvey.delete(path)
    assert deleted.status_code == 200
    assert deleted.json() == {"datasetId": created["datasetId"]}
    assert_qrvey_error(qrvey.get(path), 404, "Dataset not found")
    assert_qrvey_error(qrvey.delete(path), 404, "Dataset not found")
    assert emulator.state("qrvey", "datasets") == []
