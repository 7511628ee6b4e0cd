"""Seed records: checked with the API's own rules, completed with what the service generates."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError

from emulator import context

from . import model, schemas, settings
from .lifecycle import WAITING

ID_RE = re.compile(r"[a-z0-9]{11}")
STATUSES = ("enable", "waiting", "processing", "upload_failed", "disable", "deleting", "learnable")


def _date(record: dict[str, Any], key: str, default: str) -> str:
    value = record.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string YYYY-MM-DDTHH:MM:SS.mmm")
    model.parse_date(value)
    return value


def _reads(record: dict[str, Any]) -> int:
    """How often the record was read while pending (the "reads" status mode counts them)."""
    reads = record.get("reads", 0)
    if isinstance(reads, bool) or not isinstance(reads, int) or reads < 0:
        raise ValueError("reads must be a non-negative integer")
    return reads


def _validated(schema: Any, record: dict[str, Any]) -> dict[str, Any]:
    try:
        return schema.load(record)
    except ValidationError as exc:
        raise ValueError(schemas.first_message(schema, exc.messages)) from None


def _credential(record: dict[str, Any]) -> dict[str, Any]:
    for key in ("accessKey", "secretKey"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise ValueError(f"a credential needs a non-empty string {key}")
    return {"accessKey": record["accessKey"], "secretKey": record["secretKey"]}


def _schema(record: dict[str, Any]) -> dict[str, Any]:
    values = _validated(schemas.SchemaCreate(), record)
    return {"name": values["name"], "datasetType": values["datasetType"], "fields": values["field_list"],
            "description": values["description"], "createdDate": _date(record, "createdDate", model.now_date())}


def _dataset(record: dict[str, Any]) -> dict[str, Any]:
    values = _validated(schemas.DatasetCreate(), {"description": "", **record})
    dataset_id = record.get("datasetId") or model.new_id()
    if not isinstance(dataset_id, str) or not ID_RE.fullmatch(dataset_id):
        raise ValueError("datasetId must be 11 characters of [a-z0-9]")
    status = record.get("status", WAITING)
    if status not in STATUSES:
        raise ValueError(f"status must be one of {list(STATUSES)}")
    services = record.get("connectedServices", [])
    if not isinstance(services, list) or not all(
            isinstance(s, dict) and isinstance(s.get("serviceId"), str) and isinstance(s.get("name"), str)
            for s in services):
        raise ValueError("connectedServices must be a list of {serviceId, name}")
    reads = _reads(record)
    created = _date(record, "createdDate", model.now_date())
    return {"datasetId": dataset_id, **values, "status": status, "connectedServices": services,
            "createdDate": created, "updatedDate": _date(record, "updatedDate", created), "reads": reads}


def _service(record: dict[str, Any]) -> dict[str, Any]:
    values = _validated(schemas.ServiceCreate(), record)
    service_id = record.get("serviceId") or model.new_id()
    if not isinstance(service_id, str) or not ID_RE.fullmatch(service_id):
        raise ValueError("serviceId must be 11 characters of [a-z0-9]")
    status = record.get("status", settings.SERVICE_CREATED)
    if status not in settings.SERVICE_STATUSES:
        raise ValueError(f"status must be one of {list(settings.SERVICE_STATUSES)}")
    dataset_ids = record.get("datasetIds", [])
    if not isinstance(dataset_ids, list) or not all(isinstance(i, str) for i in dataset_ids):
        raise ValueError("datasetIds must be a list of dataset IDs")
    reads = _reads(record)
    hp_config = record.get("hpConfig", settings.SERVICE_HP_CONFIG)
    if not isinstance(hp_config, dict):
        raise ValueError("hpConfig must be an object")
    created = _date(record, "createdDate", model.now_date())
    return {"serviceId": service_id, **values, "status": status, "datasetIds": dataset_ids, "hpConfig": hp_config,
            "createdDate": created, "updatedDate": _date(record, "updatedDate", created),
            "linkedDate": _date(record, "linkedDate", created), "reads": reads}


PREPARERS = {"credentials": _credential, "schemas": _schema, "datasets": _dataset, "services": _service,
             "config": lambda record: record}


def prepare(collection: str, record: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a seeded record; raises ValueError saying why it is unusable."""
    context.namespace()  # seeding always runs bound to a namespace; fail loudly otherwise
    return PREPARERS[collection](record)
