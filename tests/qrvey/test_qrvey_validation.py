"""Every create-body check answers 400 in Qrvey's envelope with its message, first failure first."""

from __future__ import annotations

import pytest
from qrvey_world import CONNECTION, assert_qrvey_error, validation

SOURCE = {"name": "src", "connectionId": "c-1", "connectorType": "MSSQL_LIVE"}
COLUMN = {"columnName": "amount", "columnType": "NUMBER"}
VALID = {"name": "ds", "datasources": [SOURCE], "columns": [COLUMN]}


def without(body: dict, key: str) -> dict:
    return {k: v for k, v in body.items() if k != key}


SCRATCH_CASES = [
    ("body is an array", [VALID], "body"),
    ("body is a string", "ds", "body"),
    ("name missing", without(VALID, "name"), "name"),
    ("name null", {**VALID, "name": None}, "name"),
    ("name empty", {**VALID, "name": ""}, "name"),
    ("name not a string", {**VALID, "name": 7}, "name"),
    ("name checked before datasources", {"columns": []}, "name"),
    ("datasources missing", without(VALID, "datasources"), "datasources"),
    ("datasources empty", {**VALID, "datasources": []}, "datasources"),
    ("datasources an object", {**VALID, "datasources": SOURCE}, "datasources"),
    ("datasource not an object", {**VALID, "datasources": ["src"]}, "datasources"),
    ("datasource name missing", {**VALID, "datasources": [without(SOURCE, "name")]}, "name"),
    ("datasource connectionId missing", {**VALID, "datasources": [without(SOURCE, "connectionId")]}, "connectionId"),
    ("datasource connectionId empty", {**VALID, "datasources": [{**SOURCE, "connectionId": ""}]}, "connectionId"),
    ("datasource connectorType missing", {**VALID, "datasources": [without(SOURCE, "connectorType")]},
     "connectorType"),
    ("second datasource incomplete", {**VALID, "datasources": [SOURCE, without(SOURCE, "connectorType")]},
     "connectorType"),
    ("datasources checked before columns", {"name": "ds", "datasources": [{}]}, "name"),
    ("columns missing", without(VALID, "columns"), "columns"),
    ("columns null", {**VALID, "columns": None}, "columns"),
    ("columns an object", {**VALID, "columns": COLUMN}, "columns"),
    ("column not an object", {**VALID, "columns": ["amount"]}, "columns"),
    ("columnName missing", {**VALID, "columns": [without(COLUMN, "columnName")]}, "columnName"),
    ("columnType missing", {**VALID, "columns": [without(COLUMN, "columnType")]}, "columnType"),
    ("columnType null", {**VALID, "columns": [COLUMN, {**COLUMN, "columnType": None}]}, "columnType"),
]


@pytest.mark.parametrize(("case", "body", "field"), SCRATCH_CASES, ids=[c[0] for c in SCRATCH_CASES])
def test_create_from_scratch_rejects(qrvey, emulator, case, body, field):
    response = qrvey.post("/qollect/dataset", body)

    assert_qrvey_error(response, 400, validation(field))
    assert emulator.state("qrvey", "datasets") == []


def test_create_from_scratch_rejects_no_body_and_broken_json(qrvey):
    assert_qrvey_error(qrvey.http.post(qrvey.app_url("/qollect/dataset"), timeout=10), 400, validation("body"))
    broken = qrvey.http.post(qrvey.app_url("/qollect/dataset"), data="{name:", timeout=10,
                             headers={"Content-Type": "application/json"})
    assert_qrvey_error(broken, 400, validation("body"))


def test_create_from_scratch_rejects_a_repeated_datasource_id(qrvey):
    sources = [{**SOURCE, "datasourceId": "same"}, {**SOURCE, "datasourceId": "same"}]
    response = qrvey.post("/qollect/dataset", {**VALID, "datasources": sources})

    assert_qrvey_error(response, 400, "ValidationError: datasourceId must be unique within the dataset")


def test_empty_columns_array_is_accepted(qrvey):
    assert qrvey.post("/qollect/dataset", {**VALID, "columns": []}).status_code == 200


FROM_CONNECTION = {"connectionId": CONNECTION, "database": "demo", "name": "ds", "tableName": "airlines"}
CONNECTION_CASES = [
    ("body is an array", [FROM_CONNECTION], "body"),
    ("connectionId missing", without(FROM_CONNECTION, "connectionId"), "connectionId"),
    ("connectionId checked first", {}, "connectionId"),
    ("name missing", without(FROM_CONNECTION, "name"), "name"),
    ("name empty", {**FROM_CONNECTION, "name": ""}, "name"),
    ("database missing", without(FROM_CONNECTION, "database"), "database"),
    ("neither tableName nor query", without(FROM_CONNECTION, "tableName"), "tableName"),
    ("tableName empty", {**FROM_CONNECTION, "tableName": ""}, "tableName"),
    ("tableName not a string", {**FROM_CONNECTION, "tableName": 3}, "tableName"),
    ("columns not an array", {**FROM_CONNECTION, "columns": "a"}, "columns"),
    ("column without columnType", {**FROM_CONNECTION, "columns": [{"columnName": "a"}]}, "columnType"),
]


@pytest.mark.parametrize(("case", "body", "field"), CONNECTION_CASES, ids=[c[0] for c in CONNECTION_CASES])
def test_create_from_connection_rejects(qrvey, emulator, case, body, field):
    response = qrvey.post("/qollect/dataset/datasource", body)

    assert_qrvey_error(response, 400, validation(field))
    assert emulator.state("qrvey", "datasets") == []


def test_validation_comes_before_the_connection_lookup(qrvey):
    response = qrvey.post("/qollect/dataset/datasource", {"connectionId": "nope", "name": "x"})
    assert_qrvey_error(response, 400, validation("database"))


def test_server_keeps_serving_after_bad_bodies(qrvey):
    for body in (None, [], {"name": {}}, {"datasources": [[[]]]}):
        assert qrvey.post("/qollect/dataset", body).status_code == 400
    assert qrvey.post("/qollect/dataset", VALID).status_code == 200
