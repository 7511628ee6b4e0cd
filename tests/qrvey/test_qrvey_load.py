"""Load Dataset: DRAFT -> LOADING -> LOADED, FAILED for a failing connection, paced by reads or by the clock."""

from __future__ import annotations

import time

import pytest
from qrvey_world import APP, CONNECTION, USER, Qrvey, assert_qrvey_error

FAILING = {"qrvey": {"connections": [{"connectionId": "broken-conn", "appId": APP, "userId": USER,
                                      "name": "Down", "connectorType": "MYSQL_LIVE", "failing": True}]}}


def status(qrvey: Qrvey, dataset_id: str) -> str:
    response = qrvey.get(f"/qollect/dataset/{dataset_id}")
    assert response.status_code == 200
    return response.json()["status"]


def test_load_then_the_next_read_sees_loaded(qrvey, emulator):
    created = qrvey.create_from_connection()
    dataset_id = created["datasetId"]

    loading = qrvey.post(f"/qollect/dataset/{dataset_id}/load")
    assert loading.status_code == 200
    body = loading.json()
    assert body["status"] == "LOADING"
    assert {k: v for k, v in body.items() if k not in ("status", "modifyDate")} == \
        {k: v for k, v in created.items() if k not in ("status", "modifyDate")}
    assert emulator.state("qrvey", "datasets")[0]["status"] == "LOADING"

    assert status(qrvey, dataset_id) == "LOADED"
    assert status(qrvey, dataset_id) == "LOADED"
    assert emulator.state("qrvey", "datasets")[0]["status"] == "LOADED"


def test_the_official_sample_polling_loop_ends(qrvey):
    dataset_id = qrvey.create_from_connection()["datasetId"]
    qrvey.post(f"/qollect/dataset/{dataset_id}/load")
    seen = []
    current = "LOADING"
    while current == "LOADING" and len(seen) < 10:
        current = status(qrvey, dataset_id)
        seen.append(current)
    assert seen == ["LOADED"]


def test_load_lasts_the_configured_number_of_reads(qrvey, emulator):
    emulator.seed({"qrvey": {"config": [{"loadMode": "reads", "loadAfterReads": 3}]}})
    dataset_id = qrvey.create_from_connection()["datasetId"]
    qrvey.post(f"/qollect/dataset/{dataset_id}/load")

    assert [status(qrvey, dataset_id) for _ in range(4)] == ["LOADING", "LOADING", "LOADED", "LOADED"]


def test_listing_counts_as_a_read(qrvey, emulator):
    emulator.seed({"qrvey": {"config": [{"loadAfterReads": 2}]}})
    dataset_id = qrvey.create_from_connection()["datasetId"]
    qrvey.post(f"/qollect/dataset/{dataset_id}/load")

    assert qrvey.post("/qollect/dataset/all", {}).json()["Items"][0]["status"] == "LOADING"
    assert status(qrvey, dataset_id) == "LOADED"


def test_a_failing_connection_ends_failed(qrvey, emulator):
    emulator.seed(FAILING)
    created = qrvey.post("/qollect/dataset/datasource",
                         {"connectionId": "broken-conn", "database": "d", "name": "n", "tableName": "t"}).json()
    assert created["status"] == "DRAFT"

    assert qrvey.post(f"/qollect/dataset/{created['datasetId']}/load").json()["status"] == "LOADING"
    assert status(qrvey, created["datasetId"]) == "FAILED"


def test_a_from_scratch_dataset_fails_when_any_datasource_connection_fails(qrvey, emulator):
    emulator.seed(FAILING)
    sources = [{"name": "ok", "connectionId": CONNECTION, "connectorType": "MYSQL_LIVE"},
               {"name": "down", "connectionId": "broken-conn", "connectorType": "MYSQL_LIVE"}]
    created = qrvey.post("/qollect/dataset", {"name": "mixed", "datasources": sources, "columns": []}).json()
    qrvey.post(f"/qollect/dataset/{created['datasetId']}/load")
    assert status(qrvey, created["datasetId"]) == "FAILED"


def test_immediate_mode_answers_the_final_status_from_load(qrvey, emulator):
    emulator.seed({"qrvey": {"config": [{"loadMode": "immediate"}]}})
    emulator.seed(FAILING)
    good = qrvey.create_from_connection()["datasetId"]
    body = {"connectionId": "broken-conn", "database": "d", "name": "n", "tableName": "t"}
    bad = qrvey.post("/qollect/dataset/datasource", body).json()["datasetId"]

    assert qrvey.post(f"/qollect/dataset/{good}/load").json()["status"] == "LOADED"
    assert qrvey.post(f"/qollect/dataset/{bad}/load").json()["status"] == "FAILED"


def test_a_loaded_dataset_can_be_loaded_again(qrvey):
    dataset_id = qrvey.create_from_connection()["datasetId"]
    qrvey.post(f"/qollect/dataset/{dataset_id}/load")
    assert status(qrvey, dataset_id) == "LOADED"

    assert qrvey.post(f"/qollect/dataset/{dataset_id}/load").json()["status"] == "LOADING"
    assert status(qrvey, dataset_id) == "LOADED"


def test_load_ignores_a_body(qrvey):
    dataset_id = qrvey.create_from_connection()["datasetId"]
    assert qrvey.post(f"/qollect/dataset/{dataset_id}/load", {"anything": 1}).json()["status"] == "LOADING"


def test_load_paced_by_wall_time(qrvey, emulator):
    emulator.seed({"qrvey": {"config": [{"loadMode": "seconds", "loadAfterSeconds": 0.3}]}})
    dataset_id = qrvey.create_from_connection()["datasetId"]
    qrvey.post(f"/qollect/dataset/{dataset_id}/load")

    assert status(qrvey, dataset_id) == "LOADING"
    time.sleep(0.4)
    assert status(qrvey, dataset_id) == "LOADED"


def test_load_paced_by_the_namespace_clock(qrvey, emulator):
    emulator.configure(freezeTime="2024-04-17T17:04:11.451Z",
                       providers={"qrvey": {"loadMode": "seconds", "loadAfterSeconds": 30}})
    created = qrvey.create_from_connection()
    dataset_id = created["datasetId"]
    assert created["createDate"] == "2024-04-17T17:04:11.451Z"

    qrvey.post(f"/qollect/dataset/{dataset_id}/load")
    assert [status(qrvey, dataset_id) for _ in range(5)] == ["LOADING"] * 5
    emulator.advance(29.9)
    assert status(qrvey, dataset_id) == "LOADING"
    emulator.advance(0.1)
    done = qrvey.get(f"/qollect/dataset/{dataset_id}").json()
    assert done["status"] == "LOADED"
    assert done["modifyDate"] == "2024-04-17T17:04:41.451Z"


def test_error_date_comes_from_the_namespace_clock(qrvey, emulator):
    emulator.configure(freezeTime="2024-04-17T17:04:11Z")
    response = qrvey.get("/qollect/dataset/zzzzzzzzz")
    assert_qrvey_error(response, 404, "Dataset not found")
    assert response.json()["date"] == 1713373451


@pytest.mark.parametrize(("settings", "problem"), [
    ({"loadMode": "someday"}, "loadMode must be one of"),
    ({"loadAfterReads": "two"}, "loadAfterReads must be a whole number from 1 to"),
    ({"loadAfterReads": 0}, "loadAfterReads must be a whole number from 1 to"),
    ({"loadAfterSeconds": 1e300}, "loadAfterSeconds must be a number from 0 to"),
    ({"authFailure": ["x"]}, "authFailure must be one of"),
])
def test_unusable_settings_are_refused_and_the_old_ones_kept(qrvey, emulator, settings, problem):
    with pytest.raises(AssertionError, match=problem):
        emulator.configure(providers={"qrvey": settings})
    dataset_id = qrvey.create_from_connection()["datasetId"]
    assert qrvey.post(f"/qollect/dataset/{dataset_id}/load").json()["status"] == "LOADING"
    assert status(qrvey, dataset_id) == "LOADED"


def test_seeded_loading_dataset_finishes(qrvey, emulator):
    emulator.seed({"qrvey": {"datasets": [{"datasetId": "loading01", "appId": APP, "userId": USER,
                                           "name": "busy", "status": "LOADING"}]}})
    assert status(qrvey, "loading01") == "LOADED"
    with pytest.raises(AssertionError, match="load must be null"):
        emulator.seed({"qrvey": {"datasets": [{"appId": APP, "userId": USER, "name": "x", "load": 5}]}})
