"""waiting -> enable: immediately, after N reads, or after T seconds on the namespace clock."""

from __future__ import annotations

from aitems_signer import dataset_body


def create(aitems, **kwargs) -> str:
    response = aitems.post("/api/v1/datasets", dataset_body(), **kwargs)
    assert response.json()["status"] == "waiting"
    return response.json()["datasetId"]


def status(aitems, dataset_id: str, **kwargs) -> str:
    return aitems.get(f"/api/v1/datasets/{dataset_id}", **kwargs).json()["status"]


def test_immediate_is_the_default(emulator, aitems):
    dataset_id = create(aitems)
    assert emulator.state("aitems", "datasets")[0]["status"] == "waiting"
    assert status(aitems, dataset_id) == "enable"
    assert emulator.state("aitems", "datasets")[0]["status"] == "enable"


def test_after_n_reads(emulator, aitems, aitems_config):
    aitems_config(statusTransition="reads", enableAfterReads=2)
    dataset_id = create(aitems)
    assert [status(aitems, dataset_id) for _ in range(4)] == ["waiting", "waiting", "enable", "enable"]
    assert emulator.state("aitems", "datasets")[0]["status"] == "enable"


def test_listing_shows_the_status_without_counting_as_a_read(aitems, aitems_config):
    aitems_config(statusTransition="reads", enableAfterReads=1)
    dataset_id = create(aitems)
    assert aitems.get("/api/v1/datasets").json()["datasets"][0]["status"] == "waiting"
    assert status(aitems, dataset_id) == "waiting"
    assert aitems.get("/api/v1/datasets").json()["datasets"][0]["status"] == "enable"
    assert status(aitems, dataset_id) == "enable"


def test_after_t_seconds_on_the_namespace_clock(emulator, aitems, aitems_config):
    aitems_config(statusTransition="seconds", enableAfterSeconds=30)
    emulator.configure(freezeTime="2026-05-01T00:00:00Z")
    start_ms = 1777593600000
    dataset_id = create(aitems, timestamp=str(start_ms))
    assert status(aitems, dataset_id, timestamp=str(start_ms)) == "waiting"
    emulator.advance(29.9)
    assert status(aitems, dataset_id, timestamp=str(start_ms + 29_900)) == "waiting"
    emulator.advance(0.1)
    assert status(aitems, dataset_id, timestamp=str(start_ms + 30_000)) == "enable"
    assert aitems.get("/api/v1/datasets", timestamp=str(start_ms + 30_000)).json()["datasets"][0]["status"] == "enable"


def test_seconds_mode_on_the_real_clock(emulator, aitems, aitems_config):
    aitems_config(statusTransition="seconds", enableAfterSeconds=120)
    emulator.seed({"aitems": {"datasets": [
        {"datasetId": "old0dataset", "type": "item", "name": "old_one", "schemaName": "item_schema",
         "osInfo": {"region": "KR", "bucket": "b", "key": "k"}, "createdDate": "2026-01-01T09:00:00.000"}]}})
    assert status(aitems, "old0dataset") == "enable"
    assert status(aitems, create(aitems)) == "waiting"


def test_other_stored_statuses_are_left_alone(emulator, aitems):
    emulator.seed({"aitems": {"datasets": [
        {"datasetId": "failed00001", "type": "item", "name": "broken_upload", "schemaName": "item_schema",
         "osInfo": {"region": "KR", "bucket": "b", "key": "k"}, "status": "upload_failed"}]}})
    assert status(aitems, "failed00001") == "upload_failed"
