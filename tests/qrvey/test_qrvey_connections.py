"""Connections: create, get, list, delete; their own casing (connectorid / appid / userid)."""

from __future__ import annotations

import re

import pytest
from qrvey_world import APP, CONNECTION, USER, assert_qrvey_error, validation

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DETAILS = {"name": "My connection", "connectorType": "MYSQL_LIVE", "host": "db.example.com", "user": "reader",
           "password": "s3cret", "port": 3306}


def test_default_world_has_one_connection(qrvey):
    body = qrvey.post("/connections/all").json()
    assert body == {"Items": [{"connectorid": CONNECTION, "name": "Demo MySQL", "connectorType": "MYSQL_LIVE",
                               "host": "mysql.demo.internal", "user": "demo", "appid": APP, "userid": USER}],
                    "Count": 1}


def test_connection_crud_as_the_official_sample_drives_it(qrvey, emulator):
    created = qrvey.post("/connections", DETAILS)
    assert created.status_code == 200
    item = created.json()
    assert list(item) == ["connectorid", "name", "connectorType", "host", "user", "appid", "userid", "port"]
    assert UUID4.match(item["connectorid"])
    assert (item["name"], item["connectorType"], item["host"], item["user"]) == \
        ("My connection", "MYSQL_LIVE", "db.example.com", "reader")
    assert (item["appid"], item["userid"], item["port"]) == (APP, USER, 3306)
    assert "password" not in item

    assert qrvey.post("/connections/all").json()["Count"] == 2
    assert qrvey.get(f"/connections/{item['connectorid']}").json() == item

    deleted = qrvey.delete(f"/connections/{item['connectorid']}")
    assert deleted.status_code == 200
    assert deleted.json() == {"connectorid": item["connectorid"], "appid": APP, "userid": USER}
    assert_qrvey_error(qrvey.get(f"/connections/{item['connectorid']}"), 404, "Connection not found")
    assert [c["connectionId"] for c in emulator.state("qrvey", "connections")] == [CONNECTION]


def test_a_created_connection_feeds_create_from_connection(qrvey):
    connection_id = qrvey.post("/connections", DETAILS).json()["connectorid"]
    body = {"connectionId": connection_id, "database": "demo", "name": "ds", "tableName": "t"}
    created = qrvey.post("/qollect/dataset/datasource", body).json()
    assert created["connectionId"] == connection_id
    assert created["datasources"][0]["name"] == "My connection"


def test_server_owned_fields_in_the_body_are_ignored(qrvey):
    item = qrvey.post("/connections", {**DETAILS, "connectorid": "mine", "appid": "x", "failing": True}).json()
    assert item["connectorid"] != "mine" and item["appid"] == APP and "failing" not in item


def test_list_connections_honours_limit_and_filter(qrvey):
    for name in ("Warehouse A", "Warehouse B", "Lake"):
        qrvey.post("/connections", {**DETAILS, "name": name})
    warehouse = {"filters": [{"filterType": "CONTAINS", "column": "search", "value": "WAREHOUSE"}]}
    assert [c["name"] for c in qrvey.post("/connections/all", warehouse).json()["Items"]] == \
        ["Warehouse A", "Warehouse B"]
    assert qrvey.post("/connections/all", {"limit": 1}).json()["Count"] == 1


@pytest.mark.parametrize(("body", "field"), [
    (None, "body"),
    (["x"], "body"),
    ({"connectorType": "MYSQL_LIVE"}, "name"),
    ({"name": "", "connectorType": "MYSQL_LIVE"}, "name"),
    ({"name": "c"}, "connectorType"),
    ({"name": "c", "connectorType": None}, "connectorType"),
])
def test_create_connection_rejects(qrvey, emulator, body, field):
    assert_qrvey_error(qrvey.post("/connections", body), 400, validation(field))
    assert len(emulator.state("qrvey", "connections")) == 1


def test_seeded_connection_gets_an_id(qrvey, emulator):
    emulator.seed({"qrvey": {"connections": [{"appId": APP, "userId": USER, "name": "Seeded",
                                              "connectorType": "POSTGRESQL_LIVE"}]}})
    items = qrvey.post("/connections/all").json()["Items"]
    assert items[1]["name"] == "Seeded" and UUID4.match(items[1]["connectorid"])
