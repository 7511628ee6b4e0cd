"""The Push API workflow over real HTTP (find the ids, create, push rows, poll the load, read the columns),
and the users / apps read calls an integration uses to find its ids."""

from __future__ import annotations

import pytest
from qrvey_world import APP, USER, Qrvey, assert_qrvey_error, validation

ROWS = [{"station": "A1", "count": 12, "open": True, "tags": ["x"]},
        {"station": "B2", "count": 3.5, "note": None, "where": {"lat": 1}}]


def push(qrvey: Qrvey, dataset_id: str, body) -> object:
    return qrvey.post(f"/qollect/dataset/{dataset_id}/pushapi/data/post", body)


def test_workflow_from_the_user_to_the_pushed_columns(qrvey, emulator):
    users = qrvey.http.post(f"{qrvey.base}/core/user/all", json={"limit": 100}, timeout=10).json()
    assert users["Count"] == 1 and users["Items"][0]["userid"] == USER
    user = qrvey.http.get(f"{qrvey.base}/core/user/{USER}", timeout=10).json()
    assert (user["userid"], user["email"]) == (USER, "demo@example.com")
    app = qrvey.get("").json()
    assert list(app)[:3] == ["appid", "name", "userid"] and (app["appid"], app["userid"]) == (APP, USER)

    dataset_id = qrvey.create_from_connection()["datasetId"]
    pushed = push(qrvey, dataset_id, {"datasetId": dataset_id, "documentUpdateMethod": "insert", "data": ROWS})
    assert pushed.status_code == 200, pushed.text
    assert list(pushed.json()) == ["jobId"] and len(pushed.json()["jobId"]) == 36
    assert emulator.state("qrvey", "datasets")[0]["rows"] == ROWS

    statuses = [qrvey.get(f"/qollect/dataset/{dataset_id}").json()["status"] for _ in range(2)]
    assert statuses == ["LOADED", "LOADED"]  # default loadMode: LOADING until the next read
    columns = qrvey.get(f"/qollect/dataset/{dataset_id}").json()["columns"]
    assert [(c["columnName"], c["columnType"]) for c in columns] == [
        ("station", "STRING"), ("count", "NUMBER"), ("open", "BOOLEAN"), ("tags", "OBJECT_ARRAY"),
        ("where", "OBJECT")]
    assert all(c["datasetId"] == dataset_id and c["origColumnSourceName"] == c["columnName"] and
               len(c["columnId"]) == 9 for c in columns)

    push(qrvey, dataset_id, {"datasetId": dataset_id, "data": [{"station": "C3", "note": "late"}]})
    assert qrvey.post(f"/qollect/dataset/{dataset_id}/load").json()["status"] == "LOADING"
    names = [c["columnName"] for c in qrvey.get(f"/qollect/dataset/{dataset_id}").json()["columns"]]
    assert names == ["station", "count", "open", "tags", "where", "note"]
    assert len(emulator.state("qrvey", "datasets")[0]["rows"]) == 3


def test_push_then_poll_under_the_reads_setting(qrvey, emulator):
    emulator.configure(providers={"qrvey": {"loadMode": "reads", "loadAfterReads": 2}})
    dataset_id = qrvey.create_from_connection()["datasetId"]
    push(qrvey, dataset_id, {"datasetId": dataset_id, "data": [{"a": 1}]})
    assert [qrvey.get(f"/qollect/dataset/{dataset_id}").json()["status"] for _ in range(3)] == [
        "LOADING", "LOADED", "LOADED"]


@pytest.mark.parametrize("body, message", [
    (None, validation("body")),
    ([], validation("body")),
    ({"data": []}, validation("datasetId")),
    ({"datasetId": "", "data": []}, validation("datasetId")),
    ({"datasetId": "{id}"}, validation("data")),
    ({"datasetId": "{id}", "data": {"a": 1}}, "ValidationError: data must be an array of objects"),
    ({"datasetId": "{id}", "data": [1, "x"]}, "ValidationError: data must be an array of objects"),
    ({"datasetId": "{id}", "data": [], "documentUpdateMethod": "merge"},
     "ValidationError: documentUpdateMethod must be one of insert, upsert"),
    ({"datasetId": "otherdata", "data": []}, "ValidationError: datasetId does not match the dataset of the path"),
])
def test_push_errors_write_nothing(qrvey, emulator, body, message):
    dataset_id = qrvey.create_from_connection()["datasetId"]
    if isinstance(body, dict) and body.get("datasetId") == "{id}":
        body = {**body, "datasetId": dataset_id}
    before = emulator.state("qrvey", "datasets")
    response = (qrvey.http.post(qrvey.app_url(f"/qollect/dataset/{dataset_id}/pushapi/data/post"), data=b"",
                                timeout=10) if body is None else push(qrvey, dataset_id, body))
    assert_qrvey_error(response, 400, message)
    assert emulator.state("qrvey", "datasets") == before


def test_push_to_unknown_parents_and_datasets(qrvey):
    body = {"datasetId": "nosuchset", "data": [{"a": 1}]}
    assert_qrvey_error(push(qrvey, "nosuchset", body), 404, "Dataset not found")
    response = qrvey.post("/qollect/dataset/x/pushapi/data/post", body, user="nobody")
    assert_qrvey_error(response, 404, "User not found")


def test_new_calls_need_the_api_key(qrvey):
    stranger = Qrvey(qrvey.base, key="wrong-key")
    for response in (stranger.http.get(f"{stranger.base}/core/user/{USER}", timeout=10),
                     stranger.http.post(f"{stranger.base}/core/user/all", json={}, timeout=10),
                     stranger.get(""),
                     push(stranger, "anything", {"datasetId": "anything", "data": []})):
        assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})


def test_unknown_user_and_app(qrvey):
    assert_qrvey_error(qrvey.http.get(f"{qrvey.base}/core/user/nobody", timeout=10), 404, "User not found")
    assert_qrvey_error(qrvey.get("", app="noApp"), 404, "App not found")
    assert_qrvey_error(qrvey.get("", user="nobody"), 404, "User not found")


def test_user_list_limit_and_filter(qrvey, emulator):
    emulator.seed({"qrvey": {"users": [{"userId": f"user{i}", "email": f"u{i}@example.com"} for i in range(12)]}})
    listed = qrvey.http.post(f"{qrvey.base}/core/user/all", json={}, timeout=10).json()
    assert listed["Count"] == 10  # the undocumented default limit the Rails client notes
    found = qrvey.http.post(f"{qrvey.base}/core/user/all", timeout=10, json={
        "filters": [{"filterType": "EQUAL", "column": "email", "value": "u11@example.com"}]}).json()
    assert [u["userid"] for u in found["Items"]] == ["user11"]
    bad = qrvey.http.post(f"{qrvey.base}/core/user/all", json={"limit": 0}, timeout=10)
    assert_qrvey_error(bad, 400, "ValidationError: limit must be an integer greater than 0")
