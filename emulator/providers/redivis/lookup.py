"""Finding users, organizations and datasets in the namespace (names compare case-insensitively)."""

from __future__ import annotations

from typing import Any

from emulator import context

Record = dict[str, Any]
USER, ORGANIZATION = "user", "organization"


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


def can_edit(viewer: Record | None, kind: str, owner_record: Record) -> bool:
    """The owner itself, or an administrator of the owning organization."""
    if viewer is None:
        return False
    me = viewer["name"].lower()
    if kind == USER:
        return owner_record["name"].lower() == me
    return any(admin.lower() == me for admin in owner_record.get("admins", []))
