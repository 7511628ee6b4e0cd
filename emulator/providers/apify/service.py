"""What each dataset operation does to the namespace's tables (users, datasets, items)."""

from __future__ import annotations

import json
from typing import Any

from emulator import context
from emulator.providers.base import Record

from . import errors
from .auth import may_read_anonymously, valid_signature
from .item_schema import invalid_items
from .model import is_clean, new_dataset, timestamp
from .settings import UNLIMITED_ITEMS, config


def _datasets():
    return context.table("datasets")


def _items():
    return context.table("items")


def find_by_name(user_id: str, name: str) -> Record | None:
    # ASSUMPTION: names match exactly (case-sensitive); the live API's collation is unknown.
    return _datasets().first(userId=user_id, name=name)


def resolve(ref: str, user: Record | None, *, write: bool, signature: str | None = None) -> Record:
    """The dataset an id, ``~name`` or ``username~name`` refers to, if ``user`` may use it."""
    by_name = "~" in ref
    if by_name:
        username, _, name = ref.partition("~")
        if username:
            owner = context.table("users").first(username=username)
        elif user is None:
            raise errors.token_not_provided()
        else:
            owner = user
        dataset = find_by_name(owner["id"], name) if owner else None
    else:
        dataset = _datasets().get(ref)
    if dataset is None:
        raise errors.dataset_not_found()
    if user is not None and dataset["userId"] == user["id"]:
        return dataset
    if not write and (may_read_anonymously(dataset, by_name) or valid_signature(dataset, signature)):
        return dataset
    if user is None:
        raise errors.token_not_provided()
    raise errors.insufficient_permissions()


def get_or_create(user: Record, name: str | None, schema: dict[str, Any] | None) -> tuple[Record, bool]:
    """(dataset, created): one dataset per (user, name) however many callers race for it."""
    with context.transaction():
        if name is not None:
            existing = find_by_name(user["id"], name)
            if existing is not None:
                return _datasets().put({**existing, "accessedAt": timestamp()}), False
        return _datasets().put(new_dataset(user["id"], name, schema)), True


def touch(dataset: Record, reads: int = 0) -> Record:
    with context.transaction():
        current = _datasets().get(dataset["id"]) or dataset
        stats = dict(current.get("stats") or {})
        stats["readCount"] = stats.get("readCount", 0) + reads
        return _datasets().put({**current, "accessedAt": timestamp(), "stats": stats})


def update(ref: str, user: Record, changes: dict[str, Any]) -> Record:
    with context.transaction():
        dataset = resolve(ref, user, write=True)
        name = changes.get("name", dataset.get("name"))
        if name is not None and name != dataset.get("name"):
            other = find_by_name(dataset["userId"], name)
            if other is not None and other["id"] != dataset["id"]:
                raise errors.name_taken(name)
        return _datasets().put({**dataset, **changes, "modifiedAt": timestamp()})


def delete(ref: str, user: Record) -> None:
    with context.transaction():
        dataset = resolve(ref, user, write=True)
        for index in range(dataset.get("itemCount", 0)):
            _items().delete(dataset["id"], index)
        _datasets().delete(dataset["id"])


def push(ref: str, user: Record, payload: Any) -> Record:
    """Append an object or an array of objects; counts, stats and ``modifiedAt`` follow."""
    batch = payload if isinstance(payload, list) else [payload]
    if not all(isinstance(item, dict) for item in batch):
        raise errors.item_not_object()
    with context.transaction():
        dataset = resolve(ref, user, write=True)
        invalid = invalid_items(dataset.get("schema"), batch)
        if invalid:  # "the entire request will be discarded" (Apify docs, dataset validation)
            raise errors.schema_validation(invalid)
        start = dataset.get("itemCount", 0)
        for offset, item in enumerate(batch):
            _items().put({"datasetId": dataset["id"], "index": start + offset, "item": item})
        stats = dict(dataset.get("stats") or {})
        stats["writeCount"] = stats.get("writeCount", 0) + len(batch)
        stats["storageBytes"] = stats.get("storageBytes", 0) + sum(
            len(json.dumps(item, separators=(",", ":"), ensure_ascii=False).encode()) for item in batch)
        now = timestamp()
        return _datasets().put({
            **dataset, "itemCount": start + len(batch),
            "cleanItemCount": dataset.get("cleanItemCount", 0) + sum(1 for item in batch if is_clean(item)),
            "stats": stats, "modifiedAt": now, "accessedAt": now})


def page_rows(dataset: Record, offset: int, limit: int | None, desc: bool) -> list[Record]:
    """Stored items of one page, newest first when ``desc`` (the offset then counts from the end)."""
    total = dataset.get("itemCount", 0)
    count = max(0, min(total - offset, limit if limit is not None else UNLIMITED_ITEMS))
    positions = range(total - 1 - offset, total - 1 - offset - count, -1) if desc else range(offset, offset + count)
    rows = (_items().get(dataset["id"], index) for index in positions)
    return [row["item"] for row in rows if row is not None]


def list_datasets(user: Record, query: dict[str, Any]) -> dict[str, Any]:
    limit_max = config()["listLimit"]
    offset = query.get("offset", 0)
    limit = min(query.get("limit") or limit_max, limit_max)
    desc, unnamed = query.get("desc", False), query.get("unnamed", False)
    # Unnamed datasets are listed only once they hold an item (apify-docs issue #1275); nothing is shared.
    mine = [] if query.get("ownership") == "sharedWithMe" else [
        d for d in _datasets().find(userId=user["id"])
        if d.get("name") is not None or (unnamed and d.get("itemCount", 0) > 0)]
    mine.sort(key=lambda d: d["createdAt"])
    if desc:
        mine.reverse()
    return {"total": len(mine), "offset": offset, "limit": limit, "desc": desc, "unnamed": unnamed,
            "page": mine[offset:offset + limit]}
