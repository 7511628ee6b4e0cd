"""Who is calling (the raw token header) and what they may do (``ckan/authz.py`` and the auth functions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request

from emulator import context
from emulator.providers.base import Record

from . import lookup, quirks
from .errors import NotAuthorized, NotFound
from .settings import ROLE_PERMISSIONS


@dataclass(frozen=True)
class Caller:
    user: Record | None

    @property
    def name(self) -> str:
        """The name CKAN puts in messages: ``""`` for anonymous (hence "User  not authorized")."""
        return self.user["name"] if self.user else ""

    @property
    def id(self) -> str | None:
        return self.user.get("id") if self.user else None

    @property
    def sysadmin(self) -> bool:
        return bool(self.user and self.user.get("sysadmin"))

    @property
    def anonymous(self) -> bool:
        return self.user is None


ANONYMOUS = Caller(None)


def current_caller() -> Caller:
    """The whole header value is the token: no ``Bearer`` stripping; unknown tokens are anonymous."""
    header = str(context.config().get("apitoken_header_name") or "Authorization")
    return Caller(lookup.user_by_token(request.headers.get(header)))


def setting(name: str) -> bool:
    value = context.config().get(f"ckan.auth.{name}")
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)


def capacity_in(group: Record, caller: Caller) -> str | None:
    if caller.anonymous:
        return None
    for member in group.get("users") or []:
        if member.get("name") == caller.name:
            return member.get("capacity")
    return None


def has_permission(group: Record | None, caller: Caller, permission: str) -> bool:
    """``has_user_permission_for_group_or_org``."""
    if group is None:
        return False
    if caller.sysadmin:
        return True
    return permission in ROLE_PERMISSIONS.get(capacity_in(group, caller) or "", frozenset())


def has_permission_for_some_org(caller: Caller, permission: str) -> bool:
    return any(has_permission(org, caller, permission) for org in context.table("organizations").all()
               if org.get("state", "active") == "active")


def may_create_unowned(caller: Caller) -> bool:
    """check1 of ``package_create``/``package_update`` auth."""
    options = ["create_dataset_if_not_in_organization", "create_unowned_dataset"]
    if caller.anonymous:
        return all(setting(o) for o in ["anon_create_dataset", *options])
    return all(setting(o) for o in options) or has_permission_for_some_org(caller, "create_dataset")


def _group_refs(groups: Any) -> list[Any]:
    if isinstance(groups, dict | list | str):
        return list(groups)
    return []


def groups_allowed(caller: Caller, data: dict[str, Any], current_groups: tuple[str, ...] = ()) -> bool:
    """``_check_group_auth``: unknown group -> 404; each new group needs ``manage_group``."""
    if not data:
        return True
    found: dict[str, Record] = {}
    groups = data.get("groups", [])
    quirks.groups_not_iterable(groups)
    for blob in _group_refs(groups):
        if isinstance(blob, dict):
            ref = blob.get("id") or blob.get("name")
            if not ref:
                continue
        else:
            ref = blob
        group = lookup.group_or_org(ref)
        if group is None:
            raise NotFound("Group was not found.")
        found[group["id"]] = group
    return all(has_permission(g, caller, "manage_group") for gid, g in found.items() if gid not in current_groups)


def check_package_create(caller: Caller, data: dict[str, Any]) -> None:
    if caller.sysadmin:
        return
    if not may_create_unowned(caller):
        raise NotAuthorized(f"User {caller.name} not authorized to create packages")
    if not groups_allowed(caller, data):
        raise NotAuthorized(f"User {caller.name} not authorized to edit these groups")
    org_ref = data.get("owner_org")
    if org_ref and not has_permission(lookup.group_or_org(org_ref), caller, "create_dataset"):
        raise NotAuthorized(f"User {caller.name} not authorized to add dataset to this organization")


def check_package_update(caller: Caller, package: Record, data: dict[str, Any]) -> None:
    """``package_update`` auth (``package_delete`` and ``package_patch`` defer to it)."""
    if caller.sysadmin:
        return
    if package.get("owner_org"):
        allowed = has_permission(lookup.group_by_id(package["owner_org"]), caller, "update_dataset")
    else:
        allowed = may_create_unowned(caller)
    if not allowed:
        raise NotAuthorized(f"User {caller.name} not authorized to edit package {package['id']}")
    if not groups_allowed(caller, data, tuple(package.get("groups") or ())):
        raise NotAuthorized(f"User {caller.name} not authorized to edit these groups")


def can_read(caller: Caller, package: Record) -> bool:
    """Active public datasets are visible to all; others to sysadmins, org members, or the creator."""
    if caller.sysadmin:
        return True
    if package.get("state") == "active" and not package.get("private"):
        return True
    if package.get("owner_org"):
        return has_permission(lookup.group_by_id(package["owner_org"]), caller, "read")
    return bool(caller.id) and package.get("creator_user_id") == caller.id


def check_package_show(caller: Caller, package: Record) -> None:
    if not can_read(caller, package):
        raise NotAuthorized(f"User {caller.name} not authorized to read package {package['id']}")
