"""Checking seeded records and filling what Apify generates (ids, timestamps, counters)."""

from __future__ import annotations

from emulator import context
from emulator.providers.base import Record

from .. import rules
from ..base import SeedError
from . import item_schema
from .errors import ApifyError
from .model import is_clean, new_dataset, new_id
from .settings import GENERAL_ACCESS, ID_RE, NAME_MAX_LENGTH, NAME_RE

_COUNT = rules.whole(0, 10**15)
#: What the stored fields of a seeded dataset may hold (the rest are checked above or generated).
DATASET_FIELDS: dict[str, rules.Rule] = {
    "createdAt": rules.text(), "modifiedAt": rules.text(), "accessedAt": rules.text(),
    "itemCount": _COUNT, "cleanItemCount": _COUNT,
    "actId": rules.text(nullable=True), "actRunId": rules.text(nullable=True),
    "schema": rules.mapping(nullable=True),
    "stats": (lambda v: isinstance(v, dict) and all(_COUNT[0](n) for n in v.values()), "an object of counts"),
    "fields": rules.listed(rules.text()),
    "urlSigningSecretKey": rules.text(),
}


def _check_id(record: Record, field: str) -> None:
    value = record.get(field)
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise SeedError(f"{field} must be 17 characters of [a-zA-Z0-9], got {value!r}")


def prepare_user(record: Record) -> Record:
    for field in ("username", "token"):
        if not isinstance(record.get(field), str) or not record[field]:
            raise SeedError(f"a user needs a non-empty string {field!r}")
    record = {"id": record.get("id") or new_id(), **{k: v for k, v in record.items() if k != "id"}}
    _check_id(record, "id")
    return record


def _stored_items(dataset_id: str) -> list[Record]:
    """The dataset's items already in the table, positions 0, 1, ... without gaps."""
    items, table = [], context.table("items")
    while (row := table.get(dataset_id, len(items))) is not None:
        items.append(row["item"])
    return items


def prepare_dataset(record: Record) -> Record:
    _check_id(record, "userId")
    name = record.get("name")
    if name is not None and (not isinstance(name, str) or len(name) > NAME_MAX_LENGTH or not NAME_RE.fullmatch(name)):
        raise SeedError(f"name {name!r} is not a valid Apify dataset name")
    if record.get("generalAccess", GENERAL_ACCESS[2]) not in GENERAL_ACCESS:
        raise SeedError(f"generalAccess must be one of {list(GENERAL_ACCESS)}")
    problem = rules.field_problem(DATASET_FIELDS, record)
    if problem:
        raise SeedError(problem)
    try:
        item_schema.check(record.get("schema"))
    except ApifyError as exc:
        raise SeedError(exc.message) from None
    prepared = {**new_dataset(record["userId"], name, record.get("schema")), **record}
    _check_id(prepared, "id")
    for moment in ("modifiedAt", "accessedAt"):
        if moment not in record:
            prepared[moment] = prepared["createdAt"]
    if "itemCount" not in record:
        items = _stored_items(prepared["id"])
        prepared["itemCount"] = len(items)
        prepared["cleanItemCount"] = sum(1 for item in items if is_clean(item))
    return prepared


def prepare_item(record: Record) -> Record:
    if not isinstance(record.get("datasetId"), str):
        raise SeedError("an item needs the 'datasetId' of its dataset")
    if not isinstance(record.get("item"), dict):
        raise SeedError("an item needs 'item', the JSON object stored in the dataset")
    datasets = context.table("datasets")
    dataset = datasets.get(record["datasetId"])
    index = record.get("index")
    if index is None:
        index = dataset["itemCount"] if dataset else len(_stored_items(record["datasetId"]))
    if not isinstance(index, int) or index < 0:
        raise SeedError("index must be a non-negative integer (the item's position, from 0)")
    if dataset is not None and index >= dataset.get("itemCount", 0):
        # Keep the dataset's counters true to its items when items are seeded after it.
        datasets.put({**dataset, "itemCount": index + 1,
                      "cleanItemCount": dataset.get("cleanItemCount", 0) + int(is_clean(record["item"]))})
    return {"datasetId": record["datasetId"], "index": index, "item": record["item"]}


PREPARERS = {"users": prepare_user, "datasets": prepare_dataset, "items": prepare_item}
