"""Seeded CKAN records: checked, with what CKAN generates (ids, timestamps) filled in, wire shapes accepted."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from emulator import context
from emulator.providers import rules
from emulator.providers.base import Record, SeedError

from .model import PACKAGE_TEXT_FIELDS, RESOURCE_COLUMNS, ensure_tag, timestamp

CAPACITIES = ("admin", "editor", "member")
_TEXT = rules.text(nullable=True)
#: What the stored columns of a seeded package and of its resources may hold (the lists are checked below).
PACKAGE_FIELDS: dict[str, rules.Rule] = {
    **dict.fromkeys(PACKAGE_TEXT_FIELDS, _TEXT),
    **dict.fromkeys(("id", "title", "type", "metadata_created", "metadata_modified"), rules.text()),
    "owner_org": _TEXT, "creator_user_id": _TEXT, "private": rules.boolean(),
    "state": rules.one_of("active", "deleted", "draft"), "plugin_data": rules.mapping(nullable=True),
}
RESOURCE_FIELDS: dict[str, rules.Rule] = {
    **dict.fromkeys(set(RESOURCE_COLUMNS) - {"position", "size"}, _TEXT), "position": rules.whole(0, 10**9),
    "size": (lambda v: v is None or rules.whole(0, 2**63)[0](v), "null or a whole number of bytes"),
}


def prepare(collection: str, record: Record) -> Record:
    """The stored form of a seeded record (``Provider.prepare_seed``)."""
    record = dict(record)
    if collection in ("users", "organizations", "groups", "tags"):
        if not isinstance(record.get("name"), str) or not record["name"]:
            raise SeedError(f"a {collection[:-1]} needs a non-empty string 'name'")
        record.setdefault("id", context.ids().uuid4())
    if collection == "users":
        record.setdefault("sysadmin", False)
        record.setdefault("created", timestamp(context.now()))
    if collection in ("organizations", "groups"):
        record.setdefault("created", timestamp(context.now()))
        record.setdefault("title", "")
        record.setdefault("users", [])
        if not _list_of(record["users"], lambda m: _has_text(m, "name") and m.get("capacity") in CAPACITIES):
            raise SeedError(f"users must be a list of members, each with a 'name' and a 'capacity' in "
                            f"{list(CAPACITIES)}")
    if collection == "packages":
        record = _seed_package(record)
    if collection == "uploads":
        _check_upload(record)
    return record


def _seed_package(record: Record) -> Record:
    if not isinstance(record.get("name"), str) or not record["name"]:
        raise SeedError("a package needs a non-empty string 'name'")
    now = timestamp(context.now())
    record.setdefault("id", context.ids().uuid4())
    for key, default in (("title", record["name"]), ("state", "active"), ("type", "dataset"),
                         ("private", False), ("owner_org", None), ("metadata_created", now),
                         ("metadata_modified", now), ("resources", []), ("tags", []), ("extras", {}),
                         ("groups", [])):
        record.setdefault(key, default)
    # Accept the wire shapes too, so a dataset copied from a package_show answer seeds as-is.
    if not _list_of(record["tags"], lambda t: isinstance(t, str) or _has_text(t, "name")):
        raise SeedError('tags must be a list of names or of {"name": ...}')
    record["tags"] = [t["name"] if isinstance(t, dict) else t for t in record["tags"]]
    if _list_of(record["extras"], lambda e: _has_text(e, "key") and "value" in e):
        record["extras"] = {e["key"]: e["value"] for e in record["extras"]}
    if not isinstance(record["extras"], dict):
        raise SeedError('extras must be an object {key: value} or a list of {"key": ..., "value": ...}')
    if not _list_of(record["groups"], lambda g: isinstance(g, str) or _has_text(g, "id")):
        raise SeedError('groups must be a list of group ids or of {"id": ...}')
    record["groups"] = [g["id"] if isinstance(g, dict) else g for g in record["groups"]]
    if not _list_of(record["resources"], lambda r: isinstance(r, dict)):
        raise SeedError("resources must be a list of objects")
    problem = rules.field_problem(PACKAGE_FIELDS, record) or next(
        filter(None, (rules.field_problem(RESOURCE_FIELDS, r) for r in record["resources"])), None)
    if problem:
        raise SeedError(problem)
    for name in record["tags"]:
        ensure_tag(name)
    return record


def _check_upload(record: Record) -> None:
    """An uploaded file's bytes: ``{"id": <resource id>, "content": <base64>}``."""
    if not _has_text(record, "id") or not _has_text(record, "content"):
        raise SeedError('an upload needs a string "id" (the resource id) and base64 "content"')
    try:
        base64.b64decode(record["content"], validate=True)
    except binascii.Error:
        raise SeedError("an upload's content must be base64") from None


def _list_of(value: object, each: Callable[[object], bool]) -> bool:
    return isinstance(value, list) and all(each(item) for item in value)


def _has_text(value: object, key: str) -> bool:
    return isinstance(value, dict) and isinstance(value.get(key), str)
