"""Create Dataset, from scratch and from an existing connection, then read it back."""

from __future__ import annotations

import json
import re

from qrvey_world import APP, CONNECTION, USER

DATASET_ID = re.compile(r"^[a-z0-9]{9}$")
SHORT_ID = re.compile(r"^[A-Za-z0-9_-]{9}$")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

SCRATCH = {
    "name": "NameForNewDataset",
    "datasources": [{"name": "My SQL Server", "connectionId": "84b500d7-71c8-4b1f-adf4-f1eb0000973d",
                     "datasourceId": "f54dd925-2599-432c-9567-403230bdafed", "database": "sales",
                     "tableName": "orders", "connectorType": "MSSQL_LIVE"}],
    "columns": [{"appId": APP, "connectionId": "84b500d7-71c8-4b1f-adf4-f1eb0000973d", "columnType": "NUMBER",
                 "columnName": "amount", "userId": USER, "origColumnType": "NUMBER"}],
}


def test_create_from_scratch_answers_the_dataset_in_draft(qrvey, emulator):
    response = qrvey.post("/qollect/dataset", SCRATCH)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["datasetId", "appId", "userId", "name", "status", "connectionId", "datasources",
                          "columns", "createDate", "modifyDate"]
    assert DATASET_ID.match(body["datasetId"])
    assert (body["appId"], body["userId"], body["name"], body["status"]) == (APP, USER, "NameForNewDataset", "DRAFT")
    assert body["connectionId"] == SCRATCH["datasources"][0]["connectionId"]
    assert body["datasources"] == SCRATCH["datasources"]
    [column] = body["columns"]
    assert list(column) == ["appId", "connectionId", "columnType", "columnName", "userId", "origColumnType",
                            "columnId", "origColumnSourceName", "datasetId"]
    assert SHORT_ID.match(column["columnId"])
    assert column["origColumnSourceName"] == "amount"
    assert column["datasetId"] == body["datasetId"]
    assert TIMESTAMP.match(body["createDate"]) and body["modifyDate"] == body["createDate"]

    stored = emulator.state("qrvey", "datasets")
    assert [d["datasetId"] for d in stored] == [body["datasetId"]]

    again = qrvey.get(f"/qollect/dataset/{body['datasetId']}")
    assert again.status_code == 200
    assert again.json() == body


def test_create_from_scratch_fills_datasource_ids_and_column_parents_and_echoes_extras(qrvey):
    body = {
        "name": "orders", "dataSync": {"enabled": True, "frequency": "daily"}, "custom": [1, 2],
        "datasetId": "ignored", "status": "LOADED",
        "datasources": [{"name": "a", "connectionId": "c-1", "connectorType": "MYSQL_LIVE", "database": "db"},
                        {"name": "b", "connectionId": "c-2", "connectorType": "MYSQL_LIVE"}],
        "columns": [{"columnName": "id", "columnType": "NUMBER"}],
    }
    created = qrvey.post("/qollect/dataset", body).json()

    assert created["datasetId"] != "ignored" and created["status"] == "DRAFT"
    first, second = created["datasources"]
    assert UUID4.match(first["datasourceId"]) and UUID4.match(second["datasourceId"])
    assert first["datasourceId"] != second["datasourceId"]
    assert created["connectionId"] == "c-1"
    assert created["columns"][0] | {"columnId": "x"} == {
        "columnName": "id", "columnType": "NUMBER", "columnId": "x", "origColumnSourceName": "id",
        "datasetId": created["datasetId"], "appId": APP, "userId": USER, "connectionId": "c-1"}
    assert created["dataSync"] == {"enabled": True, "frequency": "daily"}
    assert created["custom"] == [1, 2]
    assert list(created)[-4:] == ["dataSync", "custom", "createDate", "modifyDate"]


def test_create_from_connection_with_a_table(qrvey):
    created = qrvey.create_from_connection("My Dataset")

    assert DATASET_ID.match(created["datasetId"])
    assert (created["appId"], created["userId"], created["status"]) == (APP, USER, "DRAFT")
    assert created["connectionId"] == CONNECTION
    [source] = created["datasources"]
    assert source["connectionId"] == CONNECTION
    assert source["database"] == "demo" and source["tableName"] == "airlines"
    assert "query" not in source
    assert source["name"] == "Demo MySQL"
    assert UUID4.match(source["datasourceId"])
    assert created["columns"] == []
    assert qrvey.get(f"/qollect/dataset/{created['datasetId']}").json() == created


def test_create_from_connection_with_a_custom_query(qrvey):
    query = "select `IATA_CODE`, `AIRLINE` from `airlines`"
    response = qrvey.post("/qollect/dataset/datasource",
                          {"connectionId": CONNECTION, "database": "demo", "name": "SQL", "query": query})

    assert response.status_code == 200
    [source] = response.json()["datasources"]
    assert source["query"] == query and "tableName" not in source


def test_create_from_connection_completes_given_columns(qrvey):
    response = qrvey.post("/qollect/dataset/datasource", {
        "connectionId": CONNECTION, "database": "demo", "name": "cols", "tableName": "t",
        "columns": [{"columnName": "code", "columnType": "TEXT"}]})

    [column] = response.json()["columns"]
    assert column["connectionId"] == CONNECTION and column["origColumnSourceName"] == "code"
    assert column["datasetId"] == response.json()["datasetId"]


def test_same_name_twice_makes_two_datasets(qrvey, emulator):
    first = qrvey.create_from_connection("twin")
    second = qrvey.create_from_connection("twin")

    assert first["datasetId"] != second["datasetId"]
    assert len(emulator.state("qrvey", "datasets")) == 2


def test_body_is_read_as_json_whatever_the_content_type(qrvey):
    raw = json.dumps({"connectionId": CONNECTION, "database": "d", "name": "n", "tableName": "t"})
    response = qrvey.http.post(qrvey.app_url("/qollect/dataset/datasource"), data=raw,
                               headers={"Content-Type": "text/plain"}, timeout=10)
    assert response.status_code == 200
    assert response.json()["name"] == "n"


def test_seeded_dataset_is_completed_and_served(qrvey, emulator):
    emulator.seed({"qrvey": {"datasets": [{
        "datasetId": "seeded001", "appId": APP, "userId": USER, "name": "seeded",
        "datasources": [{"name": "x", "connectionId": CONNECTION, "connectorType": "MYSQL_LIVE"}],
        "columns": [{"columnName": "a", "columnType": "TEXT"}]}]}})

    body = qrvey.get("/qollect/dataset/seeded001").json()
    assert body["status"] == "DRAFT" and body["connectionId"] == CONNECTION
    assert body["columns"][0]["datasetId"] == "seeded001"
    assert UUID4.match(body["datasources"][0]["datasourceId"])
    assert TIMESTAMP.match(body["createDate"])
