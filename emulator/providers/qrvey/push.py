"""The Push API: rows pushed into a dataset, the columns they bring, and the load that indexes them."""

from __future__ import annotations

from emulator import context
from emulator.providers.base import Record

from . import jobs, lifecycle, model
from .errors import QrveyError
from .settings import PUSH_DATASET_MISMATCH, PUSHED_COLUMN_TYPES


def _new_columns(record: Record, rows: list[Record]) -> list[Record]:
    """A column for each key no column has yet, typed by its first non-null value, in order of appearance."""
    known = {c.get("origColumnSourceName") or c.get("columnName") for c in record.get("columns") or []}
    added: list[Record] = []
    for row in rows:
        for key, value in row.items():
            if key in known or value is None:
                continue
            known.add(key)
            kind = PUSHED_COLUMN_TYPES.get(type(value), "STRING")
            added.append(model.complete_column(
                {"columnName": key, "columnType": kind, "origColumnType": kind}, dataset=record["datasetId"],
                app=record["appId"], user=record["userId"], connection=record.get("connectionId")))
    return added


def push(record: Record, body: Record) -> Record:
    """Store the rows (inside the caller's transaction) and start the load; the answer names the job."""
    if body["datasetId"] != record["datasetId"]:
        raise QrveyError(400, PUSH_DATASET_MISMATCH)
    rows = body["data"]
    pushed = {**record, "columns": [*(record.get("columns") or []), *_new_columns(record, rows)],
              "rows": [*(record.get("rows") or []), *rows]}
    loading = context.table("datasets").put(lifecycle.start(pushed))
    job = jobs.start(loading, len(rows), body.get("documentUpdateMethod") or "insert")
    return {"jobId": job["jobId"]}
