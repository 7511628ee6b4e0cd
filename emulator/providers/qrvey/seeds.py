"""Seeded records: checked, and completed with what Qrvey would have generated."""

from __future__ import annotations

from typing import Any

from emulator.providers.base import SeedError

from . import model
from .ids import short_id, timestamp, uuid
from .settings import AUTH_MODES, LOAD_MODES, LOADED, LOADING, STATUSES

Record = dict[str, Any]


def _require(record: Record, *names: str) -> None:
    for name in names:
        if not isinstance(record.get(name), str) or not record[name]:
            raise SeedError(f"needs a non-empty string {name!r}")


def _config(record: Record) -> Record:
    if "authFailure" in record and record["authFailure"] not in AUTH_MODES:
        raise SeedError(f"authFailure must be one of {list(AUTH_MODES)}")
    if "loadMode" in record and record["loadMode"] not in LOAD_MODES:
        raise SeedError(f"loadMode must be one of {list(LOAD_MODES)}")
    reads = record.get("loadAfterReads", 1)
    if isinstance(reads, bool) or not isinstance(reads, int) or reads < 1:
        raise SeedError("loadAfterReads must be an integer >= 1")
    seconds = record.get("loadAfterSeconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        raise SeedError("loadAfterSeconds must be a number >= 0")
    return record


def _dataset(record: Record) -> Record:
    _require(record, "appId", "userId", "name")
    status = record.get("status", "DRAFT")
    if status not in STATUSES:
        raise SeedError(f"status must be one of {list(STATUSES)}")
    for name in ("datasources", "columns"):
        if not isinstance(record.get(name, []), list) or not all(isinstance(i, dict) for i in record.get(name, [])):
            raise SeedError(f"{name} must be a list of objects")
    built = model.new_dataset(record["userId"], record["appId"], record["name"], record.get("datasources", []),
                              record.get("columns", []), record.get("extra", {}), record.get("datasetId"))
    built.update({k: v for k, v in record.items() if k in built and k not in ("datasources", "columns")})
    if "connectionId" not in record and built["datasources"]:
        built["connectionId"] = built["datasources"][0].get("connectionId")
    if status == LOADING and not built.get("load"):
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
    if collection == "config":
        return _config(record)
    return record
