"""Stored records -> wire representations (key order as the documentation lists the fields)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from emulator import context

from . import settings

KST = timezone(timedelta(hours=9))  # ASSUMPTION: dates are Korea Standard Time, sent without a zone
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"
ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
ID_LENGTH = 11
DATASET_LIST_ACTION = "View/getDatasetDetail"  # ASSUMPTION, by analogy with the schema list
SCHEMA_LIST_ACTION = "View/getSchemaDetail"
SERVICE_LIST_ACTION = "View/getServiceDetail"  # ASSUMPTION, by analogy with the schema list


def wire_date(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.mmm`` in KST, no zone suffix."""
    local = moment.astimezone(KST)
    if local.year < 1000:  # strftime writes such a year as the C library does, isoformat pads it to four digits
        return local.strftime(DATE_FORMAT)[:-3]
    # the same text at half strftime's cost: isoformat also cuts (not rounds) microseconds to milliseconds
    return local.isoformat(timespec="milliseconds")[:23]


def parse_date(text: str) -> datetime:
    """The inverse of ``wire_date``; raises ValueError on anything else."""
    if len(text) != 23:
        raise ValueError(f"{text!r} is not YYYY-MM-DDTHH:MM:SS.mmm")
    return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=KST)


def now_date() -> str:
    return wire_date(context.now())


def new_id() -> str:
    return context.ids().string(ID_ALPHABET, ID_LENGTH)


def dataset(record: dict[str, Any], status: str | None = None) -> dict[str, Any]:
    os_info = record["osInfo"]
    return {
        "datasetId": record["datasetId"],
        "type": record["type"],
        "name": record["name"],
        "description": record["description"],
        "schemaName": record["schemaName"],
        "status": status or record["status"],
        "osInfo": {"region": os_info["region"], "bucket": os_info["bucket"], "key": os_info["key"]},
        settings.revision().connected_key: [{"serviceId": s["serviceId"], "name": s["name"]}
                                            for s in record["connectedServices"]],
        "createdDate": record["createdDate"],
        "updatedDate": record["updatedDate"],
    }


def dataset_item(record: dict[str, Any], status: str) -> dict[str, Any]:
    return {
        "datasetId": record["datasetId"],
        "type": record["type"],
        "name": record["name"],
        "status": status,
        "createdDate": record["createdDate"],
        "actionName": DATASET_LIST_ACTION,
        "permission": "Allow",
    }


def service(record: dict[str, Any], datasets: list[dict[str, Any]]) -> dict[str, Any]:
    """The fields in the documentation's order; ``datasets`` are the linked dataset records, each shown as
    {datasetId, type, name} (only datasetId is documented: ASSUMPTION)."""
    return {
        "serviceId": record["serviceId"],
        "name": record["name"],
        "description": record["description"],
        "status": record["status"],
        "datasets": [{"datasetId": d["datasetId"], "type": d["type"], "name": d["name"]} for d in datasets],
        "hpConfig": dict(record["hpConfig"]),
        "infers": [],  # no training is emulated, so there is never a training result
        "createdDate": record["createdDate"],
        "updatedDate": record["updatedDate"],
        "type": record["type"],
    }


def service_item(record: dict[str, Any], status: str) -> dict[str, Any]:
    return {
        "serviceId": record["serviceId"],
        "name": record["name"],
        "status": status,
        "createdDate": record["createdDate"],
        "updatedDate": record["updatedDate"],
        "actionName": SERVICE_LIST_ACTION,
        "permission": "Allow",
    }


def schema_field(field: dict[str, Any]) -> dict[str, Any]:
    wire = {"name": field["name"], "type": list(field["type"])}
    if field.get("categorical"):  # documented: "not displayed when false"
        wire["categorical"] = True
    return wire


def schema(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "datasetType": record["datasetType"],
        "name": record["name"],
        "fields": [schema_field(f) for f in record["fields"]],
        "description": record["description"],
        "createdDate": record["createdDate"],
    }


def schema_item(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "datasetType": record["datasetType"],
        "name": record["name"],
        "createdDate": record["createdDate"],
        "actionName": SCHEMA_LIST_ACTION,
        "permission": "Allow",
    }


def page(key: str, items: list[dict[str, Any]], offset: int, limit: int) -> dict[str, Any]:
    return {key: items[offset:offset + limit], "offset": offset, "limit": limit}
