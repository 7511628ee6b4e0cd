"""Stored records -> Apify's wire representations, and the generators of new records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from emulator import context
from emulator.providers.base import Record

from .settings import DEFAULT_GENERAL_ACCESS, ID_ALPHABET, ID_LENGTH, config, public_base


def new_id() -> str:
    return context.ids().string(ID_ALPHABET, ID_LENGTH)


def timestamp(moment: datetime | None = None) -> str:
    """JavaScript's ``toISOString()``: milliseconds and ``Z``."""
    moment = moment or context.now()
    if moment.year >= 1000:  # isoformat costs a fraction of strftime, whose %Y does not pad years below 1000
        return moment.isoformat(timespec="milliseconds")[:23] + "Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def new_dataset(user_id: str, name: str | None, schema: dict[str, Any] | None) -> Record:
    now = timestamp()
    return {
        "id": new_id(), "name": name, "userId": user_id,
        "createdAt": now, "modifiedAt": now, "accessedAt": now,
        "itemCount": 0, "cleanItemCount": 0, "actId": None, "actRunId": None,
        "schema": schema, "stats": {"readCount": 0, "writeCount": 0, "storageBytes": 0}, "fields": [],
        "generalAccess": DEFAULT_GENERAL_ACCESS,
        "urlSigningSecretKey": context.ids().string(ID_ALPHABET, config()["urlSigningSecretLength"]),
    }


def dataset_urls(dataset_id: str) -> tuple[str, str]:
    """(API URL of the dataset, public URL of its items)."""
    base = f"{public_base()}/v2/datasets/{dataset_id}"
    return base, f"{base}/items"


def _head(record: Record) -> Record:
    """The keys a dataset and a list item share, in the order both start with."""
    return {
        "id": record["id"],
        "name": record.get("name"),
        "userId": record["userId"],
        "createdAt": record["createdAt"],
        "modifiedAt": record["modifiedAt"],
        "accessedAt": record["accessedAt"],
        "itemCount": record.get("itemCount", 0),
        "cleanItemCount": record.get("cleanItemCount", 0),
        "actId": record.get("actId"),
        "actRunId": record.get("actRunId"),
    }


def render_dataset(record: Record, items_url: str | None = None) -> Record:
    """The Dataset object, keys in the live API's order (``items_url``: its ``dataset_urls``' second)."""
    stats = record.get("stats") or {}
    return {
        **_head(record),
        "schema": record.get("schema"),
        "stats": {"readCount": stats.get("readCount", 0), "writeCount": stats.get("writeCount", 0),
                  "storageBytes": stats.get("storageBytes", 0)},
        "fields": record.get("fields") or [],
        "consoleUrl": f"{config()['consoleBaseUrl'].rstrip('/')}/storage/datasets/{record['id']}",
        "itemsPublicUrl": items_url if items_url is not None else dataset_urls(record["id"])[1],
        "generalAccess": record.get("generalAccess") or DEFAULT_GENERAL_ACCESS,
        "urlSigningSecretKey": record.get("urlSigningSecretKey"),
    }


def render_list_item(record: Record, username: str | None) -> Record:
    """A dataset in ``GET /v2/datasets`` (``DatasetListItem``): list stats carry inflatedBytes, not storageBytes."""
    stats = record.get("stats") or {}
    return {
        **_head(record),
        "title": record.get("title"),
        "username": username,
        "generalAccess": record.get("generalAccess") or DEFAULT_GENERAL_ACCESS,
        "stats": {"readCount": stats.get("readCount", 0), "writeCount": stats.get("writeCount", 0),
                  "inflatedBytes": stats.get("storageBytes", 0)},
    }


def is_clean(item: Record) -> bool:
    """Counted in ``cleanItemCount``: non-empty once hidden (``#``-prefixed) fields are ignored."""
    return any(not key.startswith("#") for key in item)
