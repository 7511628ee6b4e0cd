"""The Data Router's Post Data API over real HTTP: postdata answers a jobId, {jobId}/status follows the job.

The doc (partner-portal, "Post Data to a Dataset (API)") gives the calls, the answers' shapes and a finished
job's statistics; what a running or failed job answers is an ASSUMPTION (qrvey/settings.py).
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from qrvey_world import API_KEY, APP, USER, Qrvey, assert_qrvey_error, validation

# The doc's example jobId, 825ec7a0-1f48-11ee-9c29-5f7a08107b15, is a version 1 (time-based) UUID.
TIME_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class DataRouter:
    """{postdataurl} as the doc names it: <host>/Prod/dataload."""

    def __init__(self, emulator, key: str = API_KEY) -> None:
        self.url = emulator.mount("qrvey") + "/Prod/dataload"
        self.http = requests.Session()
        self.http.headers["x-api-key"] = key

    def post(self, body) -> requests.Response:
        return self.http.post(f"{self.url}/postdata", json=body, timeout=10)

    def status(self, job_id: str) -> requests.Response:
        return self.http.get(f"{self.url}/{job_id}/status", timeout=10)


@pytest.fixture
def router(emulator) -> DataRouter:
    return DataRouter(emulator)


def test_postdata_then_status_until_complete(router, qrvey: Qrvey, emulator):
    emulator.configure(freezeTime="2026-03-01T10:00:00Z")
    dataset = qrvey.create_from_connection()
    rows = [{"ID": "1", "NAME": "Ada"}, {"ID": "2", "NAME": "Grace"}, {"ID": "3", "NAME": "Edsger"}]
    posted = router.post({"datasetId": dataset["datasetId"], "documentUpdateMethod": "upsert", "data": rows})
    assert posted.status_code == 200, posted.text
    assert list(posted.json()) == ["jobId"]
    job_id = posted.json()["jobId"]
    assert TIME_UUID.match(job_id)
    # A time-based UUID: its time is the namespace clock's.
    assert uuid.UUID(job_id).time == (1_772_359_200 + 12_219_292_800) * 10_000_000

    emulator.advance(11)
    running = router.status(job_id)  # default loadMode "reads": running until this first read
    assert running.status_code == 200
    assert running.json() == {"statusJob": {"jobId": job_id, "status": "Complete", "approximatePercentComplete": 100,
                                            "runtime": "0h 0m 11s"},
                              "jobCompletionStatistics": {
                                  "dataSourcePumpStatistics": {dataset["datasources"][0]["datasourceId"]: {
                                      "failed": 0, "pumpTimeSeconds": 0, "read": 3, "successful": 3}},
                                  "failed": 0,
                                  "fillingEsStatistics": {"added": 3, "deleted": 0, "failed": 0, "updated": 0},
                                  "successful": 3, "updated": 0, "health": {"concurrencyPutChunkToEs": 4}}}
    assert list(running.json()["statusJob"]) == ["jobId", "status", "approximatePercentComplete", "runtime"]
    emulator.advance(60)
    assert router.status(job_id).json()["statusJob"]["runtime"] == "0h 0m 11s"  # a finished job's time stays
    assert emulator.state("qrvey", "datasets")[0]["rows"] == rows
    columns = qrvey.get(f"/qollect/dataset/{dataset['datasetId']}").json()["columns"]
    assert [c["columnName"] for c in columns] == ["ID", "NAME"]


def test_a_job_runs_as_long_as_a_load(router, qrvey: Qrvey, emulator):
    emulator.configure(freezeTime="2026-03-01T10:00:00Z",
                       providers={"qrvey": {"loadMode": "seconds", "loadAfterSeconds": 90}})
    dataset_id = qrvey.create_from_connection()["datasetId"]
    job_id = router.post({"datasetId": dataset_id, "data": [{"a": 1}]}).json()["jobId"]
    emulator.advance(75)
    assert router.status(job_id).json() == {"statusJob": {
        "jobId": job_id, "status": "Running", "approximatePercentComplete": 0, "runtime": "0h 1m 15s"}}
    emulator.advance(3600)
    done = router.status(job_id).json()
    assert (done["statusJob"]["status"], done["statusJob"]["runtime"]) == ("Complete", "0h 1m 30s")

    emulator.configure(providers={"qrvey": {"loadMode": "reads", "loadAfterReads": 2}})
    second = router.post({"datasetId": dataset_id, "data": [{"a": 2}, {"a": 3}]}).json()["jobId"]
    assert [router.status(second).json()["statusJob"]["status"] for _ in range(3)] == [
        "Running", "Complete", "Complete"]


def test_devapi_push_jobs_are_read_at_the_same_status_url(router, qrvey: Qrvey, emulator):
    emulator.configure(providers={"qrvey": {"loadMode": "immediate"}})
    dataset_id = qrvey.create_from_connection()["datasetId"]
    pushed = qrvey.post(f"/qollect/dataset/{dataset_id}/pushapi/data/post",
                        {"datasetId": dataset_id, "data": [{"a": 1}, {"a": 2}]}).json()
    status = router.status(pushed["jobId"]).json()
    assert status["statusJob"]["status"] == "Complete"
    assert status["jobCompletionStatistics"]["fillingEsStatistics"]["added"] == 2
    assert [j["jobId"] for j in emulator.state("qrvey", "pushJobs")] == [pushed["jobId"]]


def test_a_failing_connection_fails_the_job(router, qrvey: Qrvey, emulator):
    emulator.configure(providers={"qrvey": {"loadMode": "immediate"}})
    emulator.seed({"qrvey": {"connections": [{"connectionId": "broken-1", "appId": APP, "userId": USER,
                                              "name": "down", "connectorType": "MYSQL", "failing": True}]}})
    body = {"connectionId": "broken-1", "database": "d", "name": "n", "tableName": "t"}
    dataset_id = qrvey.post("/qollect/dataset/datasource", body).json()["datasetId"]
    job_id = router.post({"datasetId": dataset_id, "data": [{"a": 1}]}).json()["jobId"]
    status = router.status(job_id).json()
    assert status["statusJob"]["status"] == "Failed"
    statistics = status["jobCompletionStatistics"]
    assert (statistics["failed"], statistics["successful"], statistics["fillingEsStatistics"]["failed"]) == (1, 0, 1)


def test_data_router_errors_in_the_envelope(router, emulator):
    assert_qrvey_error(router.status("825ec7a0-1f48-11ee-9c29-5f7a08107b15"), 404, "Job not found")
    assert_qrvey_error(router.post({"datasetId": "nosuchset", "data": [{"a": 1}]}), 404, "Dataset not found")
    assert_qrvey_error(router.post({"data": []}), 400, validation("datasetId"))
    assert_qrvey_error(router.post({"datasetId": "x", "data": {"a": 1}}), 400,
                       "ValidationError: data must be an array of objects")
    for anonymous in (DataRouter(emulator, key=""), DataRouter(emulator, key="wrong")):
        for response in (anonymous.post({"datasetId": "x", "data": []}), anonymous.status("x")):
            assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})
    assert emulator.state("qrvey", "pushJobs") == []
    wrong_method = requests.delete(f"{router.url}/postdata", headers={"x-api-key": API_KEY}, timeout=10)
    assert (wrong_method.status_code, wrong_method.json()["message"]) == (403, "Missing Authentication Token")


def test_seeded_jobs_and_their_checks(router, emulator):
    emulator.seed({"qrvey": {"pushJobs": [{"jobId": "seeded-job", "datasetId": "abcdefghi", "rows": 5},
                                          {"jobId": "slow-job", "datasetId": "abcdefghi", "status": "LOADING"}]}})
    seeded = router.status("seeded-job").json()
    assert seeded["statusJob"]["status"] == "Complete" and seeded["jobCompletionStatistics"]["successful"] == 5
    assert router.status("slow-job").json()["statusJob"]["status"] == "Complete"  # the next read ends it
    from emulator.pytest_plugin import EmulatorError

    for bad, message in (({"jobId": "j"}, "datasetId"), ({"jobId": "j", "datasetId": "d", "rows": -1}, "rows"),
                         ({"jobId": "j", "datasetId": "d", "status": "Complete"}, "status")):
        with pytest.raises(EmulatorError, match=message):
            emulator.seed({"qrvey": {"pushJobs": [bad]}})
