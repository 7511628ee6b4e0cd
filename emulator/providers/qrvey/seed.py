"""Seeded records: checked, and completed with what Qrvey would have generated."""

from __future__ import annotations

from typing import Any

from emulator.providers.base import Record, SeedError

from . import model
from .ids import parse_timestamp, short_id, timestamp, uuid
from .settings import FAILED, LOADED, LOADING, STATUSES

JOB_LOAD_STATES = (LOADING, LOADED, FAILED)  # stored as a load's states; the wire says Running/Complete/Failed


def _require(record: Record, *names: str) -> None:
    for name in names:
        if not isinstance(record.get(name), str) or not record[name]:
            raise SeedError(f"needs a non-empty string {name!r}")


def _is_timestamp(value: Any) -> bool:
    try:
        parse_timestamp(value)
    except (TypeError, ValueError, AttributeError):
        return False
    return True


def _dataset(record: Record) -> Record:
    _require(record, "appId", "userId", "name")
    status = record.get("status", "DRAFT")
    if status not in STATUSES:
        raise SeedError(f"status must be one of {list(STATUSES)}")
    for name in ("datasources", "columns"):
        if not isinstance(record.get(name, []), list) or not all(isinstance(i, dict) for i in record.get(name, [])):
            raise SeedError(f"{name} must be a list of objects")
    if "datasetId" in record:
        _require(record, "datasetId")
    if not isinstance(record.get("rows", []), list) or not all(isinstance(r, dict) for r in record.get("rows", [])):
        raise SeedError("rows must be a list of objects")
    if not isinstance(record.get("extra", {}), dict):
        raise SeedError("extra must be an object")
    if not isinstance(record.get("connectionId"), str | None):
        raise SeedError("connectionId must be a string or null")
    for moment in ("createDate", "modifyDate"):
        if moment in record and not _is_timestamp(record[moment]):
            raise SeedError(f"{moment} must be an ISO time")
    built = model.new_dataset(record["userId"], record["appId"], record["name"], record.get("datasources", []),
                              record.get("columns", []), record.get("extra", {}), record.get("datasetId"))
    built.update({k: v for k, v in record.items() if k in built and k not in ("datasources", "columns")})
    if "connectionId" not in record and built["datasources"]:
        built["connectionId"] = built["datasources"][0].get("connectionId")
    load = built.get("load")
    if load is not None and not (isinstance(load, dict) and _is_timestamp(load.get("startedAt"))):
        raise SeedError('load must be null or {"startedAt": "<ISO time>", "reads": n, "outcome": "LOADED"}')
    if status == LOADING and not load:
        built["load"] = {"startedAt": timestamp(), "reads": 0, "outcome": LOADED}
    return built


def prepare(collection: str, record: Record) -> Record:
    if collection == "apiKeys":
        _require(record, "key")
        return record
    if collection == "users":
        return record if "userId" in record else {"userId": short_id(), **record}
    if collection == "apps":
        _require(record, "userId")
        return record if "appId" in record else {"appId": short_id(), **record}
    if collection == "connections":
        _require(record, "appId", "userId", "name", "connectorType")
        return {"connectionId": uuid(), "extra": {}, "failing": False, **record}
    if collection == "datasets":
        return _dataset(record)
    if collection == "pushJobs":
        return _push_job(record)
    return record


def _push_job(record: Record) -> Record:
    """A push job (made by the API; seedable so that an exported state loads back): a finished one by default."""
    _require(record, "jobId", "datasetId")
    rows = record.get("rows", 0)
    if type(rows) is not int or rows < 0:  # bool is an int subclass; True is no row count
        raise SeedError("rows must be a whole number")
    status = record.get("status", LOADED)
    if status not in JOB_LOAD_STATES:
        raise SeedError(f"status must be one of {list(JOB_LOAD_STATES)}")
    for moment in ("createDate", "modifyDate"):
        if moment in record and not _is_timestamp(record[moment]):
            raise SeedError(f"{moment} must be an ISO time")
    load = record.get("load")
    if load is not None and not (isinstance(load, dict) and _is_timestamp(load.get("startedAt"))):
        raise SeedError('load must be null or {"startedAt": "<ISO time>", "reads": n, "outcome": "LOADED"}')
    now = timestamp()
    job = {"userId": "", "appId": "", "datasourceId": record["datasetId"], "rows": 0, "documentUpdateMethod": "insert",
           "load": None, "createDate": now, "modifyDate": now, **record, "status": status}
    if status == LOADING and not job["load"]:
        job["load"] = {"startedAt": job["createDate"], "reads": 0, "outcome": LOADED}
    return job
