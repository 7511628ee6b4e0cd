"""Push jobs: what a push of rows answers (its jobId), and the Data Router's status of that job."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from emulator import context
from emulator.providers.base import Record

from . import lifecycle
from .errors import not_found
from .ids import parse_timestamp, timestamp
from .settings import JOB_COMPLETE, JOB_FAILED, JOB_HEALTH, JOB_RUNNING, JOB_STATUS_BY_LOAD

# Version 1 UUIDs count 100 ns intervals from the Gregorian calendar's start.
_GREGORIAN = datetime(1582, 10, 15, tzinfo=UTC)


def job_id() -> str:
    """A time-based UUID, as the doc's jobIds are: the namespace clock, a clock sequence and node from its ids."""
    since = context.now() - _GREGORIAN
    ticks = (since.days * 86_400 + since.seconds) * 10_000_000 + since.microseconds * 10
    ids = context.ids()
    sequence, node = ids.randint(0, 0x3FFF), ids.randint(0, (1 << 48) - 1)
    return str(uuid.UUID(fields=(ticks & 0xFFFFFFFF, (ticks >> 32) & 0xFFFF, (ticks >> 48) & 0x0FFF,
                                 sequence >> 8, sequence & 0xFF, node), version=1))


def start(dataset: Record, rows: int, method: str) -> Record:
    """The job of a push, running as long as the load the push started on ``dataset`` (already started)."""
    sources = dataset.get("datasources") or []
    return context.table("pushJobs").put({
        "jobId": job_id(), "datasetId": dataset["datasetId"], "userId": dataset["userId"],
        "appId": dataset["appId"], "datasourceId": sources[0].get("datasourceId") if sources else dataset["datasetId"],
        "rows": rows, "documentUpdateMethod": method, "status": dataset["status"], "load": dataset["load"],
        "createDate": timestamp(), "modifyDate": dataset["modifyDate"]})


def _runtime(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 3600}h {whole % 3600 // 60}m {whole % 60}s"


def status(job_id: str) -> Record:
    """GET {postdataurl}/{jobId}/status; a read moves the job along as a read moves a load."""
    with context.transaction():
        job = context.table("pushJobs").get(job_id)
        if job is None:
            raise not_found("Job")
        job = lifecycle.observed(job, read=True, collection="pushJobs")
    state = JOB_STATUS_BY_LOAD[job["status"]]
    ended = context.now() if state == JOB_RUNNING else parse_timestamp(job["modifyDate"])
    wire: Record = {"statusJob": {
        "jobId": job["jobId"], "status": state, "approximatePercentComplete": 0 if state == JOB_RUNNING else 100,
        "runtime": _runtime((ended - parse_timestamp(job["createDate"])).total_seconds())}}
    if state in (JOB_COMPLETE, JOB_FAILED):
        rows = job["rows"]
        ok, failed = (rows, 0) if state == JOB_COMPLETE else (0, rows)
        wire["jobCompletionStatistics"] = {
            "dataSourcePumpStatistics": {job["datasourceId"]: {"failed": failed, "pumpTimeSeconds": 0, "read": rows,
                                                               "successful": ok}},
            "failed": failed,
            "fillingEsStatistics": {"added": ok, "deleted": 0, "failed": failed, "updated": 0},
            "successful": ok, "updated": 0, "health": dict(JOB_HEALTH)}
    return wire
