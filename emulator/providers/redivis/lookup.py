"""Finding users, organizations and datasets in the namespace (names compare case-insensitively)."""

from __future__ import annotations

from collections.abc import Callable

from emulator import context
from emulator.providers.base import Record

from .names import escaped

USER, ORGANIZATION = "user", "organization"

# Derived fields a stored dataset carries so that finding one by name or reference id is an index hit
# (the store indexes stored values, not computed ones). Never rendered; recomputed on every write.
NAME_KEY = "escapedName"  # escaped(name): an owner's names are unique in this form
REFERENCE_ID = "referenceId"  # the id's first four characters: unique among an owner's datasets
DERIVED: dict[str, Callable[[Record], str]] = {
    NAME_KEY: lambda dataset: escaped(dataset["name"]),
    REFERENCE_ID: lambda dataset: dataset["id"][:4],
}


def _by_name(collection: str, name: str) -> Record | None:
    table = context.table(collection)
    exact = table.get(name)
    if exact is not None:
        return exact
    folded = name.lower()
    return next((r for r in table.all() if r["name"].lower() == folded), None)


def user(name: str) -> Record | None:
    return _by_name("users", name)


def organization(name: str) -> Record | None:
    return _by_name("organizations", name)


def owner(kind: str, name: str) -> Record | None:
    return user(name) if kind == USER else organization(name)


def owner_of(dataset: Record) -> Record | None:
    return owner(dataset["ownerKind"], dataset["ownerName"])


def any_owner(name: str) -> tuple[str, Record] | None:
    """The user or organization of that name (Redivis names are unique across both)."""
    found = organization(name)
    if found is not None:
        return ORGANIZATION, found
    found = user(name)
    return (USER, found) if found is not None else None


def user_by_token(token: str) -> Record | None:
    return context.table("users").first(token=token)


def datasets_of(kind: str, name: str) -> list[Record]:
    """The owner's datasets; stored ``ownerName`` is always the owner's own spelling, so this is an index hit."""
    found = owner(kind, name)
    if found is None:
        return []
    return context.table("datasets").find(ownerKind=kind, ownerName=found["name"])


def with_derived_fields(dataset: Record) -> Record:
    """The record as stored: its derived fields computed afresh from its name and id."""
    record = dict(dataset)
    for field, derive in DERIVED.items():
        record[field] = derive(dataset)
    return record


def _datasets_where(kind: str, owner_name: str, field: str, value: str) -> list[Record]:
    """The owner's datasets (``owner_name`` in the owner's own spelling) whose derived field has that value.

    Records without the field (a state file written before it existed) are found too, by computing it:
    only for an owner that has such records does this read all of the owner's datasets.
    """
    table = context.table("datasets")
    if table.first(ownerKind=kind, ownerName=owner_name, **{field: None}) is None:
        return table.find(ownerKind=kind, ownerName=owner_name, **{field: value})
    return [d for d in table.find(ownerKind=kind, ownerName=owner_name)
            if DERIVED[field](d) == value]


def datasets_named(kind: str, owner_name: str, name: str) -> list[Record]:
    """The owner's datasets whose name escapes like ``name`` (at most one: names are unique per owner)."""
    return _datasets_where(kind, owner_name, NAME_KEY, escaped(name))


def datasets_with_reference_id(kind: str, owner_name: str, reference_id: str) -> list[Record]:
    """The owner's datasets whose id starts with ``reference_id`` (seeded ids may share one), oldest first."""
    return _datasets_where(kind, owner_name, REFERENCE_ID, reference_id)


def can_edit(viewer: Record | None, kind: str, owner_record: Record) -> bool:
    """The owner itself, or an administrator of the owning organization."""
    if viewer is None:
        return False
    me = viewer["name"].lower()
    if kind == USER:
        return owner_record["name"].lower() == me
    return any(admin.lower() == me for admin in owner_record.get("admins", []))
