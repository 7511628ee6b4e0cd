"""Tables through the real client: create, get, exists, list, update, delete; their errors in Redivis's envelope."""

from __future__ import annotations

import pytest
import redivis
import requests
from redivis.common.exceptions import APIError, AuthorizationError, NotFoundError
from redivis_world import READ_TOKEN, bearer


@pytest.fixture
def dataset(api):
    return redivis.user("demo_user").dataset("Tabled").create(public_access_level="data")


def test_table_lifecycle(dataset):
    table = dataset.table("Survey 2024").create(description="Waves", upload_merge_strategy="replace")
    props = table.properties
    ref_id = props["referenceId"]
    assert props["qualifiedReference"] == f"{dataset.properties['qualifiedReference']}.survey_2024:{ref_id}"
    assert props["scopedReference"] == f"survey_2024:{ref_id}"
    assert props["uri"] == "/tables/" + props["qualifiedReference"]
    assert props["url"] == (f"https://redivis.com/datasets/{dataset.properties['id']}/tables/{props['id']}"
                            "?v=next")
    assert list(props) == ["kind", "id", "qualifiedReference", "scopedReference", "referenceId", "uri", "url",
                           "name", "isSample", "hash", "isFileIndex", "createdAt", "updatedAt", "description",
                           "numRows", "numBytes", "variableCount", "uploadMergeStrategy"]  # as recorded
    assert (props["description"], props["uploadMergeStrategy"]) == ("Waves", "replace")

    by_name = dataset.table("Survey 2024")
    assert by_name.exists() is True and by_name.get().properties["id"] == props["id"]
    assert [t.name for t in dataset.list_tables()] == ["Survey 2024"]

    table.update(name="Survey", description="")
    assert table.properties["name"] == "Survey" and table.properties["description"] == ""
    assert dataset.table("Survey 2024").exists() is False
    assert dataset.get().properties["tableCount"] == 1

    table.delete()
    assert table.exists() is False
    assert dataset.list_tables() == []
    assert dataset.get().properties["tableCount"] == 0


def test_table_errors(api, dataset, as_token):
    dataset.table("First").create()
    with pytest.raises(APIError) as caught:
        dataset.table("first").create()
    assert str(caught.value) == ('[400 invalid_request] A table with the name "first" already exists in this '
                                 'version of the dataset')
    with pytest.raises(NotFoundError, match=r'^Table "demo_user\.tabled:.*\.nothing" not found$'):
        dataset.table("nothing").get()
    response = requests.post(f"{api}{dataset.uri}/tables", json={"name": "x", "uploadMergeStrategy": "merge"},
                             headers=bearer())
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request", "status": 400,
                               "error_description": "uploadMergeStrategy must be one of: append, replace"}
    response = requests.post(f"{api}{dataset.uri}/tables", json={"name": "!!"}, headers=bearer())
    assert response.json()["error_description"] == "name must contain at least one letter or digit"
    assert requests.post(f"{api}{dataset.uri}/tables", json={"name": "x"}).status_code == 401
    as_token(READ_TOKEN)
    with pytest.raises(AuthorizationError, match="insufficient_scope"):
        dataset.table("Other").create()
    assert dataset.table("First").exists() is False  # next version: hidden from a reader
    head = requests.head(f"{api}/tables/demo_user.tabled.first", headers=bearer(READ_TOKEN))
    assert head.status_code == 404 and head.content == b""
    assert "not_found" in requests.utils.unquote(head.headers["X-Redivis-Error-Payload"])


def test_released_tables_are_frozen(api, dataset):
    table = dataset.table("Frozen").create()
    table.upload("a.csv").create(b"x\n1\n2\n")
    dataset.release()
    released = dataset.table("Frozen")
    assert released.get().properties["numRows"] == 2
    with pytest.raises(APIError, match="only be modified in the next"):
        released.update(description="late")
    following = dataset.create_next_version()
    live = following.table("Frozen")
    live.upload("b.csv").create(b"x\n3\n")
    assert live.get().properties["numRows"] == 3
    assert dataset.table("Frozen").get().properties["numRows"] == 2  # v1.0 keeps what it was released with
    live.delete()
    assert following.list_tables() == [] and [t.name for t in dataset.list_tables()] == ["Frozen"]
