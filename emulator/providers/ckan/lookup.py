"""Look-ups in the namespace's users, organizations, groups and packages, by id or name as CKAN does."""

from __future__ import annotations

from typing import Any

from emulator import context
from emulator.providers.base import Record

from . import quirks


def _by_id_or_name(collection: str, ref: Any) -> Record | None:
    if not isinstance(ref, str) or not ref:
        return None
    quirks.nul_in_query(ref)
    table = context.table(collection)
    return table.first(id=ref) or table.get(ref)


def user_by_token(token: str | None) -> Record | None:
    if not token:
        return None
    return context.table("users").first(apikey=token)


def user_by_name(name: str) -> Record | None:
    return context.table("users").get(name) if name else None


def organization(ref: Any) -> Record | None:
    return _by_id_or_name("organizations", ref)


def group(ref: Any) -> Record | None:
    return _by_id_or_name("groups", ref)


def group_or_org(ref: Any) -> Record | None:
    """``model.Group.get``: organizations are groups too."""
    return organization(ref) or group(ref)


def group_by_id(group_id: str) -> Record | None:
    return context.table("organizations").first(id=group_id) or context.table("groups").first(id=group_id)


def package(ref: Any) -> Record | None:
    """``model.Package.get``: by id first, then by name (deleted datasets included)."""
    if not isinstance(ref, str) or not ref:
        return None
    quirks.nul_in_query(ref)
    table = context.table("packages")
    return table.get(ref) or table.first(name=ref)


def package_by_id(package_id: str) -> Record | None:
    quirks.nul_in_query(package_id)
    return context.table("packages").get(package_id)


def active_package_named(name: str) -> Record | None:
    quirks.nul_in_query(name)
    return next((p for p in context.table("packages").find(name=name) if p.get("state") != "deleted"), None)


def resource_in_other_package(resource_id: str, package_id: str | None) -> bool:
    quirks.nul_in_query(resource_id)
    for pkg in context.table("packages").all():
        if pkg["id"] != package_id and any(r.get("id") == resource_id for r in pkg.get("resources", [])):
            return True
    return False


def resource_holder(resource_id: Any) -> tuple[Record, Record | None] | None:
    """``model.Resource.get``: the dataset holding the resource, and the resource (``None`` once deleted)."""
    if not isinstance(resource_id, str) or not resource_id:
        return None
    quirks.nul_in_query(resource_id)
    for pkg in context.table("packages").all():
        resource = next((r for r in pkg.get("resources", []) if r.get("id") == resource_id), None)
        if resource is not None or resource_id in pkg.get("deleted_resources", ()):
            return pkg, resource
    return None
