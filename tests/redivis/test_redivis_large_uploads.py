"""Files over the server's body limit, through the real client's temporary upload path.

The client sends a file over 1 MB with one PUT to the temporary upload URL the emulator hands out, and one of
32 MB or more through a resumable session. A server started with a small ``max_body`` makes a few-MB file
exceed it, as a 32 MB file exceeds the default: the upload URL takes up to ``max_upload`` instead.
"""

from __future__ import annotations

import http.client
import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import redivis
import redivis.common.api_request
import requests
from redivis.classes import Upload as upload_module
from redivis.common.exceptions import APIError, JobError
from redivis_world import EDIT_TOKEN, bearer

from emulator.app import create_app
from emulator.config import Settings
from emulator.server import BackgroundServer

MAX_BODY = 256 * 1024
MAX_UPLOAD = 8 * 1024 * 1024
ROWS = 200_000  # about 3 MB of CSV: over MAX_BODY, under MAX_UPLOAD


@pytest.fixture(scope="module")
def small_limits() -> Iterator[str]:
    server = BackgroundServer(port=0, threads=2, max_body=MAX_BODY, max_upload=MAX_UPLOAD)
    server.start(create_app(Settings(state=None, port=server.port, max_body=MAX_BODY, max_upload=MAX_UPLOAD)))
    yield server.url
    server.stop()


@pytest.fixture
def table(small_limits: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    monkeypatch.setenv("REDIVIS_API_ENDPOINT", f"{small_limits}/_ns/{request.node.name[:60]}/redivis/api/v1")
    monkeypatch.setenv("REDIVIS_API_TOKEN", EDIT_TOKEN)
    for name in ("REDIVIS_DEFAULT_USER", "REDIVIS_DEFAULT_ORGANIZATION", "REDIVIS_DEFAULT_NOTEBOOK"):
        monkeypatch.delenv(name, raising=False)
    return redivis.user("demo_user").dataset("Large").create().table("Big").create()


def _csv(tmp_path, rows: int = ROWS):
    path = tmp_path / "big.csv"
    path.write_text("id,label,score\n" + "".join(f"{i},row{i},{i / 4}\n" for i in range(rows)))
    assert MAX_BODY < path.stat().st_size < MAX_UPLOAD
    return path


def test_a_file_over_max_body_goes_through_the_temporary_upload(table, tmp_path):
    path = _csv(tmp_path)
    upload = table.upload("big.csv").create(path)
    assert (upload.properties["status"], upload.properties["numRows"]) == ("completed", ROWS)
    assert upload.properties["numBytes"] == path.stat().st_size
    assert [(v.name, v.properties["type"]) for v in table.list_variables()] == [
        ("id", "integer"), ("label", "string"), ("score", "float")]


def test_a_large_ndjson_file_goes_through_the_temporary_upload(table, tmp_path):
    path = tmp_path / "big.ndjson"
    path.write_text("".join(f'{{"id": {i}, "label": "row{i}", "score": {i / 4}, "tags": [{i}]}}\n'
                            for i in range(ROWS // 2)))
    assert MAX_BODY < path.stat().st_size < MAX_UPLOAD
    upload = table.upload("big.ndjson").create(path)
    assert (upload.properties["type"], upload.properties["numRows"]) == ("ndjson", ROWS // 2)
    assert [(v.name, v.properties["type"]) for v in table.list_variables()] == [
        ("id", "integer"), ("label", "string"), ("score", "float"), ("tags", "string")]


def test_a_resumable_session_over_max_body(table, tmp_path, monkeypatch):
    # The client opens a resumable session from 32 MB on; its threshold is lowered so a small file takes it.
    monkeypatch.setattr(upload_module, "MIN_RESUMABLE_UPLOAD_SIZE", MAX_BODY)
    upload = table.upload("resumed.csv").create(_csv(tmp_path))
    assert (upload.properties["status"], upload.properties["numRows"]) == ("completed", ROWS)


def test_every_other_route_keeps_max_body(table):
    uri = table.uri
    api = f"{os.environ['REDIVIS_API_ENDPOINT']}{uri}"
    big = b"a\n" + b"1\n" * MAX_BODY
    response = requests.post(f"{api}/uploads", files={"metadata": '{"name": "m.csv"}', "data": big},
                             headers=bearer())
    assert response.status_code == 413
    assert response.json() == {"error": "payload_too_large", "error_description": "Request entity too large",
                               "status": 413}
    with pytest.raises(APIError, match=f"has {MAX_UPLOAD + 1} bytes; the emulator takes files up to "
                                       f"{MAX_UPLOAD} bytes"):
        redivis.common.api_request.make_request(method="POST", path=f"{uri}/tempUploads", payload={
            "tempUploads": [{"size": MAX_UPLOAD + 1, "name": "huge.csv", "resumable": True}]})
    temp = requests.post(f"{api}/tempUploads", json={"tempUploads": [{"size": 1, "name": "x"}]},
                         headers=bearer()).json()["results"][0]
    # Declared over max_upload: refused before it is read (waitress's own 413), so only the headers are sent.
    url = urlsplit(temp["url"])
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.putrequest("PUT", url.path)
    connection.putheader("Content-Length", str(MAX_UPLOAD + 1))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


def test_resumable_protocol_answers_as_cloud_storage(table):
    api = f"{os.environ['REDIVIS_API_ENDPOINT']}{table.uri}"
    content = b"n\n1\n2\n3\n"  # 8 bytes
    temp = requests.post(f"{api}/tempUploads", json={"tempUploads": [{"size": 8, "name": "c.csv",
                                                                       "resumable": True}]},
                         headers=bearer()).json()["results"][0]
    start = requests.post(temp["url"], headers={"x-goog-resumable": "start"})
    session = start.headers["Location"]
    assert start.status_code == 201 and session == temp["url"]

    def put(body: bytes, content_range: str) -> requests.Response:
        return requests.put(session, data=body, headers={"Content-Range": content_range})

    asked = put(b"", "bytes */8")
    assert (asked.status_code, asked.headers.get("Range")) == (308, None)  # nothing arrived yet
    first = put(content[:5], "bytes 0-4/8")
    assert (first.status_code, first.headers["Range"]) == (308, "bytes=0-4")
    early = requests.post(f"{api}/uploads", json={"name": "c.csv", "tempUploadId": temp["id"]}, headers=bearer())
    assert (early.status_code, early.json()["error_description"]) == (
        400, f"Temporary upload {temp['id']} has received 5 of 8 bytes")
    gap = put(content[6:], "bytes 6-7/8")
    assert (gap.status_code, gap.json()["error_description"]) == (
        400, "Content-Range starts at byte 6; the next byte expected is 5")
    for bad in ("bytes 5-9/8", "bytes 5-6/8", "lines 5-7/8"):  # past the end, not the body's length, not bytes
        assert put(content[5:], bad).status_code == 400, bad
    assert put(content[5:], "bytes 5-7/8").status_code == 200
    assert put(b"", "bytes */8").status_code == 200
    created = requests.post(f"{api}/uploads", json={"name": "c.csv", "tempUploadId": temp["id"]},
                            headers=bearer()).json()
    assert (created["status"], created["numRows"]) == ("completed", 3)


def test_file_types_follow_the_extension(table):
    with pytest.raises(JobError, match="parquet files are not parsed"):
        table.upload("frame.parquet").create(b"PAR1\x00\x00PAR1")
    failed = table.upload("frame.parquet")
    failed.get()
    assert failed.properties["type"] == "parquet"
    with pytest.raises(JobError, match="xls files are not parsed"):
        table.upload("old.xls").create(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # a binary (OLE) workbook
    lines = table.upload("rows.jsonl").create(b'{"a": 1}\n')
    assert (lines.properties["type"], lines.properties["numRows"]) == ("ndjson", 1)
    plain = table.upload("notes.txt").create(b"a\tb\n1\t2\n")  # any other extension: delimited
    assert (plain.properties["type"], plain.properties["numRows"]) == ("delimited", 1)
    forced = table.upload("data.json").create(b"a,b\n1,2\n", type="delimited")
    assert forced.properties["status"] == "completed"


def test_a_seeded_temporary_upload_says_whether_it_is_whole(small_limits):
    control = f"{small_limits}/_emulator/seed?namespace=seeded-temps"
    seed = {"datasets": [{"id": "seed-000000001", "name": "s", "ownerName": "demo_user"}],
            "tables": [{"id": "seed-000000002", "datasetId": "seed-000000001", "name": "t"}]}
    refused = requests.post(control, json={"redivis": {**seed, "tempUploads": [
        {"id": "partial", "tableId": "seed-000000002", "data": "YQ==", "complete": "yes"}]}}, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"].endswith(": complete must be a boolean")
    partial = {"id": "partial", "tableId": "seed-000000002", "size": 4, "resumable": True, "data": "YQ==",
               "complete": False}
    assert requests.post(control, json={"redivis": {**seed, "tempUploads": [partial]}}, timeout=10).ok
    uploads = f"{small_limits}/_ns/seeded-temps/redivis/api/v1/tables/demo_user.s.t/uploads"
    early = requests.post(uploads, json={"name": "p.csv", "tempUploadId": "partial"}, headers=bearer(), timeout=10)
    assert (early.status_code, early.json()["error_description"]) == (
        400, "Temporary upload partial has received 1 of 4 bytes")
