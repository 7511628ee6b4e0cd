"""Uploads through the real client: status, failures, the ``reads`` lifecycle, stream rows, errors."""

from __future__ import annotations

import pytest
import redivis
import requests
from redivis.common.exceptions import APIError, JobError
from redivis_world import bearer

from emulator.pytest_plugin import EmulatorError


@pytest.fixture
def table(api):
    dataset = redivis.user("demo_user").dataset("Uploads").create()
    return dataset.table("Target").create()


def test_a_bad_file_fails_and_leaves_the_table_alone(table):
    with pytest.raises(JobError, match="Row 3 has 3 values, expected 2"):
        table.upload("jagged.csv").create(b"a,b\n1,2\n3,4,5\n")
    upload = table.upload("jagged.csv")
    upload.get()
    assert upload.properties["status"] == "failed"
    assert table.get().properties["numRows"] == 0
    skipped = table.upload("skip.csv").create(b"a,b\n1,2\n3,4,5\n", skip_bad_records=True)
    assert skipped.properties["numRows"] == 1
    with pytest.raises(JobError, match="not valid UTF-8"):
        table.upload("binary.csv").create(b"\xff\xfe\x00garbage")
    unnamed = table.upload().create(b"a,b\n5,6\n")  # bytes without a name: the server names it
    assert (unnamed.properties["name"], unnamed.properties["status"]) == ("upload_4", "completed")
    with pytest.raises(JobError, match="parquet files are not parsed"):
        table.upload("data.parquet").create(b"PAR1", type="parquet")


def test_reads_lifecycle_keeps_the_upload_ingesting(api, emulator, table):
    emulator.configure(providers={"redivis": {"uploadStatus": "reads", "uploadAfterReads": 2}})
    created = table.upload("slow.csv").create(b"v\n1\n", wait_for_finish=False)
    assert created.properties["status"] == "ingesting"
    assert table.get().properties["numRows"] == 0
    created.get()
    assert created.properties["status"] == "ingesting"
    created.get()
    assert created.properties["status"] == "completed"
    assert table.get().properties["numRows"] == 1


def test_uploads_list_replace_and_delete(table):
    table.upload("one.csv").create(b"k,v\n1,a\n2,b\n")
    table.upload("two.csv").create(b"k,w\n3,1.5\n")
    assert sorted(u.name for u in table.list_uploads()) == ["one.csv", "two.csv"]
    assert [v.name for v in table.list_variables()] == ["k", "v", "w"]
    assert [v.name for v in table.upload("two.csv").list_variables()] == ["k", "w"]
    with pytest.raises(redivis.exceptions.ValueError, match="already exists"):
        table.upload("two.csv").create(b"k\n9\n")
    table.upload("two.csv").delete()
    assert table.upload("two.csv").exists() is False
    assert table.get().properties["numRows"] == 2
    table.update(upload_merge_strategy="replace")
    table.upload("three.csv").create(b"z\ntrue\n")
    assert table.get().properties["numRows"] == 1
    assert [(v.name, v.properties["type"]) for v in table.list_variables()] == [("z", "boolean")]


def test_upload_errors_in_the_envelope(api, table):
    base = f"{api}{table.uri}"
    cases = [
        ({"name": "x"}, "An upload needs data: a file, a tempUploadId, or type stream"),
        ({"name": "x", "tempUploadId": "nope"}, 'Temporary upload "nope" not found'),
        ({"name": "n" * 1025, "type": "stream"}, "name must be a string of at most 1024 characters"),
        ({"name": "x", "type": "stream", "schema": [{"name": "a", "type": "money"}]},
         "schema must be a list of objects with a name and a type"),
    ]
    for body, message in cases:
        response = requests.post(f"{base}/uploads", json=body, headers=bearer())
        assert response.json()["error_description"] == message, body
        assert response.status_code == (404 if "not found" in message else 400)
    temp = requests.post(f"{base}/tempUploads", json={"tempUploads": [{"size": 3, "name": "t"}]},
                         headers=bearer()).json()["results"][0]
    response = requests.post(f"{base}/uploads", json={"name": "t", "tempUploadId": temp["id"]}, headers=bearer())
    assert response.json()["error_description"] == f"Temporary upload {temp['id']} has not received any data"
    bad_temp = requests.post(f"{base}/tempUploads", json={"tempUploads": [{"size": -1, "name": "t"}]},
                             headers=bearer())
    assert bad_temp.status_code == 400
    assert requests.put(f"{api.rsplit('/api/v1', 1)[0]}/tempUploads/unknown", data=b"x").status_code == 404
    file_upload = table.upload("rows.csv")
    file_upload.create(b"a\n1\n")
    with pytest.raises(APIError, match="only be inserted into an upload of type stream"):
        file_upload.insert_rows([{"a": 2}])
    stream = table.upload("s").create(type="stream", schema=[{"name": "a", "type": "integer"}])
    with pytest.raises(APIError, match='Row 2: no variable "b" in the upload schema'):
        stream.insert_rows([{"a": 1}, {"b": 2}])
    assert table.get().properties["numRows"] == 1  # the refused batch wrote nothing
    assert requests.post(f"{base}/uploads", json={"name": "y", "type": "stream"}).status_code == 401
    assert requests.get(f"{base}/uploads/missing", headers=bearer()).json() == {
        "error": "not_found", "error_description": 'Upload "missing" not found', "status": 404}


def test_seeded_tables_and_uploads(api, emulator):
    emulator.seed({"redivis": {
        "datasets": [{"id": "sd7t-000000000", "name": "Seeded", "ownerName": "demo_user", "released": True,
                      "publicAccessLevel": "data"}],
        "tables": [{"id": "sd71-000000000", "datasetId": "sd7t-000000000", "name": "Counts", "numRows": 7,
                    "variables": [{"name": "Station", "type": "string"}, {"name": "n", "type": "integer"}]}],
        "uploads": [{"tableId": "sd71-000000000", "name": "counts.csv", "numRows": 7},
                    {"tableId": "sd71-000000000", "name": "late.csv", "status": "ingesting"}]}})
    table = redivis.dataset("demo_user.seeded").table("counts")
    assert table.get().properties["numRows"] == 7
    assert [v.name for v in table.list_variables()] == ["Station", "n"]  # part of the released v1.0
    station = table.variable("station").get()
    assert station.properties["uri"].endswith("/variables/station") and station.properties["name"] == "Station"
    statuses = {u.name: u.properties["status"] for u in table.list_uploads()}
    assert statuses == {"counts.csv": "completed", "late.csv": "ingesting"}
    late = table.upload("late.csv")
    late.get()
    assert late.properties["status"] == "completed"  # at its next read
    with pytest.raises(EmulatorError, match=r"frozen\['0'\]: numRows"):
        emulator.seed({"redivis": {"tables": [{"datasetId": "sd7t-000000000", "name": "Bad",
                                               "frozen": {"0": {"numRows": "many"}}}]}})
    with pytest.raises(EmulatorError, match="an upload needs tableId"):
        emulator.seed({"redivis": {"uploads": [{"tableId": "nope", "name": "x"}]}})
    with pytest.raises(EmulatorError, match="uploadStatus"):
        emulator.configure(providers={"redivis": {"uploadStatus": "later"}})


def test_resumable_session_through_the_clients_own_upload_code(api, emulator, table):
    """Files of 32 MB and more go through a resumable session: start (POST), then PUT with Content-Range."""
    from redivis.common.retryable_upload import perform_resumable_upload

    base = f"{api}{table.uri}"
    temp = requests.post(f"{base}/tempUploads", json={"tempUploads": [{"size": 8, "name": "r.csv",
                                                                        "resumable": True}]},
                         headers=bearer()).json()["results"][0]
    assert temp["resumable"] is True and temp["url"].startswith(emulator.mount("redivis") + "/tempUploads/")
    perform_resumable_upload(data=b"x\n1\n2\n3\n", size=8, temp_upload_url=temp["url"])
    created = requests.post(f"{base}/uploads", json={"name": "r.csv", "tempUploadId": temp["id"]},
                            headers=bearer()).json()
    assert (created["status"], created["numRows"]) == ("completed", 3)
    assert emulator.state("redivis", "tempUploads") == []  # used up


def test_deleting_a_dataset_takes_its_tables_and_uploads(api, emulator, table):
    table.upload("gone.csv").create(b"a\n1\n")
    assert len(emulator.state("redivis", "tables")) == 1 and len(emulator.state("redivis", "uploads")) == 1
    table.dataset.delete()
    assert emulator.state("redivis", "tables") == [] and emulator.state("redivis", "uploads") == []
