"""POST/GET/DELETE /api/v1/datasets: the create body, each validation failure, the revision setting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from aitems_signer import dataset_body, gateway_error

from emulator.pytest_plugin import EmulatorError

DATE_RE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}"
KEYS = ["datasetId", "type", "name", "description", "schemaName", "status", "osInfo", "connectedService",
        "createdDate", "updatedDate"]


def bad(details: str) -> dict:
    return gateway_error("100", "Bad Request Exception", details)


def kst_now() -> datetime:
    return datetime.now(UTC).astimezone(timezone(timedelta(hours=9))).replace(tzinfo=None)


def test_create_answers_201_with_the_documented_object(emulator, aitems):
    response = aitems.post("/api/v1/datasets", dataset_body())
    assert response.status_code == 201
    body = response.json()
    assert list(body) == KEYS
    assert re.fullmatch(r"[a-z0-9]{11}", body["datasetId"])
    assert {k: body[k] for k in KEYS[1:8]} == {
        "type": "item", "name": "item_dataset2", "description": "abc", "schemaName": "item_schema",
        "status": "waiting", "osInfo": {"region": "KR", "bucket": "aitems", "key": "bookmarks-items.csv"},
        "connectedService": []}
    assert re.fullmatch(DATE_RE, body["createdDate"]) and body["createdDate"] == body["updatedDate"]
    created = datetime.strptime(body["createdDate"], "%Y-%m-%dT%H:%M:%S.%f")
    assert abs((created - kst_now()).total_seconds()) < 60  # Korea Standard Time, written without a zone
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    stored = emulator.state("aitems", "datasets")
    assert [d["datasetId"] for d in stored] == [body["datasetId"]]


def test_create_then_read_back_and_list(aitems):
    created = aitems.post("/api/v1/datasets", dataset_body()).json()
    read = aitems.get(f"/api/v1/datasets/{created['datasetId']}")
    assert read.status_code == 200
    assert {**read.json(), "status": "waiting"} == created
    listing = aitems.get("/api/v1/datasets").json()
    assert listing == {"datasets": [{"datasetId": created["datasetId"], "type": "item", "name": "item_dataset2",
                                     "status": "enable", "createdDate": created["createdDate"],
                                     "actionName": "View/getDatasetDetail", "permission": "Allow"}],
                       "offset": 0, "limit": 1000}


def test_list_pages_with_offset_and_limit(aitems):
    ids = [aitems.post("/api/v1/datasets", dataset_body(name=f"item_ds_{i}")).json()["datasetId"] for i in range(3)]
    page = aitems.get("/api/v1/datasets", "offset=1&limit=1").json()
    assert ([d["datasetId"] for d in page["datasets"]], page["offset"], page["limit"]) == ([ids[1]], 1, 1)


@pytest.mark.parametrize(("query", "details"), [("offset=-1", "offset must be a non-negative integer."),
                                                ("limit=ten", "limit must be a non-negative integer.")])
def test_list_rejects_bad_paging(aitems, query, details):
    response = aitems.get("/api/v1/datasets", query)
    assert (response.status_code, response.json()) == (400, bad(details))


def test_unknown_dataset_is_404(aitems):
    response = aitems.get("/api/v1/datasets/nosuchdata1")
    assert response.status_code == 404
    assert response.json() == gateway_error("300", "Not Found Exception", "Dataset not found: nosuchdata1")


def test_delete_dataset(emulator, aitems):
    dataset_id = aitems.post("/api/v1/datasets", dataset_body()).json()["datasetId"]
    response = aitems.call("DELETE", f"/api/v1/datasets/{dataset_id}")
    assert (response.status_code, response.json()) == (200, {"result": "ok"})
    assert aitems.get(f"/api/v1/datasets/{dataset_id}").status_code == 404
    assert aitems.call("DELETE", f"/api/v1/datasets/{dataset_id}").status_code == 404
    assert emulator.state("aitems", "datasets") == []


TYPE = "type must be one of user, item, interaction."
NAME = "name must be 3-20 characters of letters, digits, '_' or '-', starting with a letter."
DESCRIPTION = "description must be a string of 0-100 characters."


@pytest.mark.parametrize(("overrides", "details"), [
    ({"type": ...}, TYPE),
    ({"type": "users"}, TYPE),
    ({"type": None}, TYPE),
    ({"name": ...}, NAME),
    ({"name": "ab"}, NAME),
    ({"name": "a" * 21}, NAME),
    ({"name": "1dataset"}, NAME),
    ({"name": "bad name"}, NAME),
    ({"name": 12345}, NAME),
    ({"description": ...}, DESCRIPTION),
    ({"description": "x" * 101}, DESCRIPTION),
    ({"description": 7}, DESCRIPTION),
    ({"schemaName": ...}, "schemaName is required."),
    ({"schemaName": ["item_schema"]}, "schemaName is required."),
    ({"osInfo": ...}, "osInfo is invalid."),
    ({"osInfo": "KR/aitems/x.csv"}, "osInfo is invalid."),
    ({"osInfo": {"bucket": "b", "key": "k"}}, "osInfo.region is invalid."),
    ({"osInfo": {"region": "US", "bucket": "b", "key": "k"}}, "osInfo.region is invalid."),
    ({"osInfo": {"region": "KR", "bucket": "", "key": "k"}}, "osInfo.bucket is invalid."),
    ({"osInfo": {"region": "KR", "bucket": "b"}}, "osInfo.key is invalid."),
    # several problems: the first field in the documented order wins
    ({"type": "nope", "name": "x", "osInfo": None}, TYPE),
    ({"name": "x", "description": ..., "schemaName": ...}, NAME),
])
def test_each_validation_failure(emulator, aitems, overrides, details):
    response = aitems.post("/api/v1/datasets", dataset_body(**overrides))
    assert (response.status_code, response.json()) == (400, bad(details))
    assert emulator.state("aitems", "datasets") == []


@pytest.mark.parametrize("raw", [b"", b"{not json", b"[1, 2]", b"null", b'"text"'])
def test_body_that_is_not_a_json_object(aitems, raw):
    response = aitems.post("/api/v1/datasets", data=raw)
    assert (response.status_code, response.json()) == (400, bad("Request body must be a JSON object."))


def test_empty_description_is_allowed(aitems):
    assert aitems.post("/api/v1/datasets", dataset_body(description="")).status_code == 201


def test_unknown_schema_is_404(aitems):
    response = aitems.post("/api/v1/datasets", dataset_body(schemaName="no_such_schema"))
    assert response.status_code == 404
    assert response.json() == gateway_error("300", "Not Found Exception", "Schema not found: no_such_schema")


def test_schema_of_another_type_is_400(aitems):
    response = aitems.post("/api/v1/datasets", dataset_body(schemaName="user_schema"))
    assert (response.status_code, response.json()) == (400, bad("Schema user_schema is not a item schema."))


def test_duplicate_name_is_400(emulator, aitems):
    assert aitems.post("/api/v1/datasets", dataset_body()).status_code == 201
    response = aitems.post("/api/v1/datasets", dataset_body(type="user", schemaName="user_schema"))
    assert (response.status_code, response.json()) == (400, bad("Dataset name already exists: item_dataset2"))
    assert len(emulator.state("aitems", "datasets")) == 1


def test_edit_dataset(emulator, aitems):
    emulator.configure(freezeTime="2026-03-01T00:00:00Z")
    created = aitems.post("/api/v1/datasets", dataset_body(), timestamp="1772323200000").json()
    assert created["createdDate"] == "2026-03-01T09:00:00.000"
    emulator.advance(90)
    response = aitems.post(f"/api/v1/datasets/{created['datasetId']}", {"description": "new words"},
                           timestamp="1772323290000")
    assert response.status_code == 200
    assert response.json() == {**created, "description": "new words", "updatedDate": "2026-03-01T09:01:30.000"}


def test_edit_checks_the_same_rules(aitems):
    first = aitems.post("/api/v1/datasets", dataset_body()).json()
    aitems.post("/api/v1/datasets", dataset_body(name="other_ds"))
    path = f"/api/v1/datasets/{first['datasetId']}"
    assert aitems.post(path, {"name": "other_ds"}).json() == bad("Dataset name already exists: other_ds")
    assert aitems.post(path, {"description": "x" * 101}).json() == bad(DESCRIPTION)
    assert aitems.post(path, {"schemaName": "gone"}).status_code == 404
    assert aitems.post(path, {"name": "item_dataset2"}).status_code == 200  # its own name is no clash
    assert aitems.post("/api/v1/datasets/nosuchdata1", {}).status_code == 404


# ---- the API revision setting --------------------------------------------------------------------------

def test_revision_2021_is_the_default(aitems):
    body = aitems.post("/api/v1/datasets", dataset_body(
        name="_leading", osInfo={"region": "JP", "bucket": "b", "key": "k"})).json()
    assert body["name"] == "_leading" and "connectedService" in body and "connectedServices" not in body
    assert aitems.post("/api/v1/datasets", dataset_body(
        name="en_data", osInfo={"region": "EN", "bucket": "b", "key": "k"})).status_code == 201


def test_revision_current(aitems, aitems_config):
    aitems_config(revision="current")
    assert aitems.post("/api/v1/datasets", dataset_body(name="_leading")).json() == bad(NAME)
    assert aitems.post("/api/v1/datasets", dataset_body(
        osInfo={"region": "JP", "bucket": "b", "key": "k"})).json() == bad("osInfo.region is invalid.")
    body = aitems.post("/api/v1/datasets", dataset_body()).json()
    assert list(body)[7] == "connectedServices" and "connectedService" not in body
    assert "connectedServices" in aitems.get(f"/api/v1/datasets/{body['datasetId']}").json()


def test_a_settings_change_applies_from_the_next_request(aitems, aitems_config):
    # settings are checked once per request: the next request must see the change
    assert aitems.post("/api/v1/datasets", dataset_body(name="_leading")).status_code == 201
    aitems_config(revision="current")
    assert aitems.post("/api/v1/datasets", dataset_body(name="_second")).json() == bad(NAME)
    aitems_config(revision="2021")
    assert aitems.post("/api/v1/datasets", dataset_body(name="_second")).status_code == 201


def test_regions_setting_overrides_the_revision(aitems, aitems_config):
    aitems_config(regions=["KR", "SG"])
    assert aitems.post("/api/v1/datasets", dataset_body(
        osInfo={"region": "SG", "bucket": "b", "key": "k"})).status_code == 201
    assert aitems.post("/api/v1/datasets", dataset_body(
        name="jp_data", osInfo={"region": "JP", "bucket": "b", "key": "k"})).status_code == 400


@pytest.mark.parametrize(("setting", "message"), [
    ({"revision": "2019"}, "revision must be one of ['2021', 'current']"),
    ({"statusTransition": "later"}, "statusTransition must be one of ['immediate', 'reads', 'seconds']"),
    ({"enableAfterReads": -1}, "enableAfterReads must be a whole number from 0 to"),
    ({"colour": "blue"}, "unknown setting(s) ['colour']"),
])
def test_unusable_settings_are_refused_when_seeded(emulator, setting, message):
    with pytest.raises(EmulatorError, match=re.escape(message)):
        emulator.seed({"aitems": {"config": [setting]}})


def test_unusable_settings_are_refused_by_the_control_api(emulator, aitems):
    with pytest.raises(AssertionError, match="400"):
        emulator.configure(providers={"aitems": {"revision": "1999", "statusTransition": 3}})
    body = aitems.post("/api/v1/datasets", dataset_body(name="_leading")).json()
    assert "connectedService" in body
    assert aitems.get(f"/api/v1/datasets/{body['datasetId']}").json()["status"] == "enable"
