"""The schema endpoints: create with the per-type field rules, read, list, default, describe, delete."""

from __future__ import annotations

import re

import pytest
from aitems_signer import dataset_body, gateway_error

NAME = "name must be 3-20 characters of letters, digits, '_' or '-', starting with a letter."


def bad(details: str) -> dict:
    return gateway_error("100", "Bad Request Exception", details)


def schema_body(**overrides):
    body = {"datasetType": "interaction", "name": "clicks_schema",
            "fields": [{"name": "USER_ID", "type": ["string"]}, {"name": "ITEM_ID", "type": ["string"]},
                       {"name": "TIMESTAMP", "type": ["long"]}, {"name": "TAG_ID", "type": ["int", "long"]},
                       {"name": "EVENT_TYPE", "type": ["string"], "categorical": True}]}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def test_create_schema_then_a_dataset_on_it(emulator, aitems):
    response = aitems.post("/api/v1/schemas", schema_body(description="clickstream"))
    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["datasetType", "name", "fields", "description", "createdDate"]
    assert body["fields"] == [{"name": "USER_ID", "type": ["string"]}, {"name": "ITEM_ID", "type": ["string"]},
                              {"name": "TIMESTAMP", "type": ["long"]}, {"name": "TAG_ID", "type": ["int", "long"]},
                              {"name": "EVENT_TYPE", "type": ["string"], "categorical": True}]
    assert (body["datasetType"], body["name"], body["description"]) == ("interaction", "clicks_schema", "clickstream")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", body["createdDate"])
    assert aitems.get("/api/v1/schemas/clicks_schema").json() == body
    assert "clicks_schema" in [s["name"] for s in emulator.state("aitems", "schemas")]
    dataset = aitems.post("/api/v1/datasets", dataset_body(type="interaction", name="clicks",
                                                           schemaName="clicks_schema"))
    assert dataset.status_code == 201 and dataset.json()["schemaName"] == "clicks_schema"


def test_description_defaults_to_empty(aitems):
    assert aitems.post("/api/v1/schemas", schema_body()).json()["description"] == ""


def test_the_default_world_has_one_schema_per_type(aitems):
    listing = aitems.get("/api/v1/schemas").json()
    assert [(s["datasetType"], s["name"]) for s in listing["schemas"]] == [
        ("user", "user_schema"), ("item", "item_schema"), ("interaction", "interaction_schema")]
    assert listing["schemas"][0] == {"datasetType": "user", "name": "user_schema",
                                     "createdDate": "2026-01-01T09:00:00.000",
                                     "actionName": "View/getSchemaDetail", "permission": "Allow"}
    assert (listing["offset"], listing["limit"]) == (0, 1000)


def test_list_filters_by_type_and_pages(aitems):
    assert [s["name"] for s in aitems.get("/api/v1/schemas", "datasetType=user").json()["schemas"]] == ["user_schema"]
    page = aitems.get("/api/v1/schemas", "offset=1&limit=1").json()
    assert ([s["name"] for s in page["schemas"]], page["offset"], page["limit"]) == (["item_schema"], 1, 1)
    response = aitems.get("/api/v1/schemas", "datasetType=users")
    assert (response.status_code, response.json()) == (400, bad("datasetType must be one of user, item, interaction."))


def test_unknown_schema_is_404(aitems):
    response = aitems.get("/api/v1/schemas/nothing_here")
    assert response.status_code == 404
    assert response.json() == gateway_error("300", "Not Found Exception", "Schema not found: nothing_here")


@pytest.mark.parametrize(("kind", "fields"), [
    ("user", [{"name": "USER_ID", "type": ["string"]}]),
    ("item", [{"name": "ITEM_ID", "type": ["string"]}]),
    ("interaction", [{"name": "USER_ID", "type": ["string"]}, {"name": "ITEM_ID", "type": ["string"]},
                     {"name": "TIMESTAMP", "type": ["long"]}]),
])
def test_default_schema_per_type(aitems, kind, fields):
    response = aitems.get("/api/v1/schemas/default", f"datasetType={kind}")
    assert response.status_code == 200
    assert response.json() == {"datasetType": kind, "name": "default", "fields": fields, "description": ""}


def test_default_schema_needs_a_type(aitems):
    response = aitems.get("/api/v1/schemas/default")
    assert (response.status_code, response.json()) == (400, bad("datasetType must be one of user, item, interaction."))


USER_ID = {"name": "USER_ID", "type": ["string"]}
ITEM_ID = {"name": "ITEM_ID", "type": ["string"]}
TS = {"name": "TIMESTAMP", "type": ["long"]}


@pytest.mark.parametrize(("overrides", "details"), [
    ({"datasetType": ...}, "datasetType must be one of user, item, interaction."),
    ({"datasetType": "event"}, "datasetType must be one of user, item, interaction."),
    ({"name": ...}, NAME),
    ({"name": "no"}, NAME),
    ({"name": "9lives"}, NAME),
    ({"fields": ...}, "fields must be a non-empty array."),
    ({"fields": []}, "fields must be a non-empty array."),
    ({"fields": {"USER_ID": "string"}}, "fields must be a non-empty array."),
    ({"fields": [USER_ID, {"type": ["string"]}]}, "fields[1].name must be a non-empty string."),
    ({"fields": ["USER_ID"]}, "fields[0].name must be a non-empty string."),
    ({"fields": [USER_ID, {"name": "X", "type": "string"}]},
     "fields[1].type must be a non-empty array of string, int, long, boolean, null."),
    ({"fields": [USER_ID, {"name": "X", "type": ["float"]}]},
     "fields[1].type must be a non-empty array of string, int, long, boolean, null."),
    ({"fields": [USER_ID, {"name": "X", "type": []}]},
     "fields[1].type must be a non-empty array of string, int, long, boolean, null."),
    ({"fields": [{**USER_ID, "categorical": "yes"}]}, "fields[0].categorical must be a boolean."),
    ({"fields": [USER_ID, ITEM_ID, TS, USER_ID]}, "Duplicate field name: USER_ID"),
    ({"fields": [USER_ID, TS]}, "A schema of type interaction requires the field ITEM_ID."),
    ({"fields": [USER_ID, ITEM_ID]}, "A schema of type interaction requires the field TIMESTAMP."),
    ({"fields": [USER_ID, ITEM_ID, {"name": "TIMESTAMP", "type": ["string"]}]},
     "Field TIMESTAMP must be of type long."),
    ({"fields": [USER_ID, ITEM_ID, TS, {"name": "EVENT_TYPE", "type": ["int"]}]},
     "Field EVENT_TYPE must be of type string."),
    ({"datasetType": "user", "fields": [ITEM_ID]}, "A schema of type user requires the field USER_ID."),
    ({"datasetType": "item", "fields": [{"name": "ITEM_ID", "type": ["int"]}]},
     "Field ITEM_ID must be of type string."),
    ({"description": "d" * 101}, "description must be a string of 0-100 characters."),
])
def test_each_schema_validation_failure(emulator, aitems, overrides, details):
    response = aitems.post("/api/v1/schemas", schema_body(**overrides))
    assert (response.status_code, response.json()) == (400, bad(details))
    assert len(emulator.state("aitems", "schemas")) == 3


def test_duplicate_schema_name_is_400(aitems):
    response = aitems.post("/api/v1/schemas", schema_body(name="item_schema"))
    assert (response.status_code, response.json()) == (400, bad("Schema name already exists: item_schema"))


def test_schema_name_rule_follows_the_revision(aitems, aitems_config):
    assert aitems.post("/api/v1/schemas", schema_body(name="_under")).status_code == 201
    aitems_config(revision="current")
    assert aitems.post("/api/v1/schemas", schema_body(name="_under2")).json() == bad(NAME)


def test_edit_schema_description(aitems):
    before = aitems.get("/api/v1/schemas/user_schema").json()
    response = aitems.call("PUT", "/api/v1/schemas/user_schema", json={"content": "people"})
    assert (response.status_code, response.json()) == (200, {**before, "description": "people"})
    assert aitems.call("PUT", "/api/v1/schemas/user_schema", json={}).json() == bad(
        "content must be a string of 0-100 characters.")
    assert aitems.call("PUT", "/api/v1/schemas/nothing_here", json={"content": ""}).status_code == 404


def test_delete_schema(emulator, aitems):
    response = aitems.call("DELETE", "/api/v1/schemas/user_schema")
    assert (response.status_code, response.json()) == (200, {"result": "ok"})
    assert aitems.get("/api/v1/schemas/user_schema").status_code == 404
    assert "user_schema" not in [s["name"] for s in emulator.state("aitems", "schemas")]
    assert aitems.call("DELETE", "/api/v1/schemas/user_schema").status_code == 404


def test_a_schema_in_use_cannot_be_deleted(aitems):
    aitems.post("/api/v1/datasets", dataset_body())
    response = aitems.call("DELETE", "/api/v1/schemas/item_schema")
    assert (response.status_code, response.json()) == (400, bad("Schema item_schema is used by dataset item_dataset2."))


def test_seeded_schemas_are_checked_and_completed(emulator, aitems):
    emulator.seed({"aitems": {"schemas": [{"datasetType": "user", "name": "seeded_users",
                                           "fields": [{"name": "USER_ID", "type": ["string"]}]}]}})
    body = aitems.get("/api/v1/schemas/seeded_users").json()
    assert body["description"] == "" and re.fullmatch(r"\d{4}-.*\.\d{3}", body["createdDate"])
    from emulator.pytest_plugin import EmulatorError
    with pytest.raises(EmulatorError, match="A schema of type user requires the field USER_ID"):
        emulator.seed({"aitems": {"schemas": [{"datasetType": "user", "name": "broken", "fields": [ITEM_ID]}]}})
