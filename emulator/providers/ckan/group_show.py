"""``organization_show`` and ``group_show`` (``_group_or_org_show`` in ``ckan/logic/action/get.py``), as
``group_dictize`` builds them and ``default_show_group_schema`` reorders and trims them."""

from __future__ import annotations

import hashlib
from typing import Any

from emulator import context
from emulator.providers.base import Record

from . import auth, lookup, model, quirks, search
from .auth import Caller
from .errors import NotAuthorized, NotFound, ValidationError
from .service import get_or_bust

#: ``group_dictize``'s list fields in the order it adds them (empty lists keep this order, after the others).
LIST_ORDER = ("extras", "packages", "tags", "groups", "users")
#: Lists a dataset of ``packages`` loses: the show schema's ``packages`` sub-schema only keeps scalar keys,
#: so navl files non-empty lists inside them as junk (observed on 2.11.5 through its own validator).
DATASET_LISTS = ("extras", "groups", "relationships_as_object", "relationships_as_subject", "resources", "tags")


def _flag(data: dict[str, Any], key: str, default: bool) -> bool:
    """``asbool`` inside the action's ``try``: an unknown word is a Validation Error."""
    value = data.get(key, default)
    if isinstance(value, str):
        word = value.strip().lower()
        if word not in (*quirks.TRUTHY, *quirks.FALSY):
            raise ValidationError({"message": "Parameter is not an bool"})
        return word in quirks.TRUTHY
    return bool(value)


def _strict_flag(data: dict[str, Any], key: str, default: bool) -> bool:
    """``asbool`` outside the ``try`` (``include_datasets``, ``include_dataset_count``): CKAN's 500."""
    value = data.get(key, default)
    quirks.bool_text(value)
    return value.strip().lower() in quirks.TRUTHY if isinstance(value, str) else bool(value)


def _user_dict(user: Record, capacity: str) -> dict[str, Any]:
    """``user_dictize`` with capacity, as a member list shows it (no e-mail, api key or password)."""
    email = (user.get("email") or "").strip().lower()
    fullname = user.get("fullname")
    created_public = sum(1 for p in context.table("packages").all()
                         if p.get("creator_user_id") == user.get("id") and p.get("state") == "active"
                         and not p.get("private"))
    return {"about": user.get("about"), "activity_streams_email_notifications": False, "capacity": capacity,
            "created": user.get("created"), "display_name": fullname if (fullname or "").strip() else user["name"],
            "email_hash": hashlib.md5(email.encode()).hexdigest(), "fullname": fullname, "id": user.get("id"),
            "image_display_url": user.get("image_url"), "image_url": user.get("image_url"),
            "last_active": user.get("last_active"), "name": user["name"],
            "number_created_packages": created_public, "state": user.get("state", "active"),
            "sysadmin": bool(user.get("sysadmin"))}


def _members(group: Record) -> list[dict[str, Any]]:
    users = []
    for member in group.get("users") or []:
        user = lookup.user_by_name(member.get("name") or "")
        if user is not None:
            users.append(_user_dict(user, member.get("capacity")))
    return sorted(users, key=lambda u: u["name"])


def _listed_dataset(pkg: dict[str, Any]) -> dict[str, Any]:
    kept = {k: val for k, val in pkg.items() if k not in DATASET_LISTS or val == []}
    return dict(sorted(kept.items()))


def _datasets(caller: Caller, group: Record, is_org: bool, just_the_count: bool) -> tuple[int, list[Any]]:
    """``get_packages_for_this_group``: a package_search by the caller over the group's datasets."""
    query: dict[str, Any] = {"facet": "false", "rows": 10}
    if is_org:
        query["fq"] = f'+owner_org:"{group["id"]}"'
        if auth.has_permission(group, caller, "read"):
            query["include_private"] = True
    else:
        query["fq"] = f'+groups:"{group["name"]}"'
    if just_the_count:
        query["rows"] = 0
    found = search.search(caller, query)
    return found["count"], found["results"]


def dataset_count(caller: Caller, group: Record, is_org: bool) -> int:
    return _datasets(caller, group, is_org, just_the_count=True)[0]


def _show(caller: Caller, data: dict[str, Any], is_org: bool) -> dict[str, Any]:
    ref = get_or_bust(data, "id")
    if ref:  # Group.get: nothing for a falsy reference; any other non-text one is an invalid SQL comparison
        quirks.package_ref_not_text(ref)
    group = lookup.group_or_org(ref)
    found_is_org = group is not None and lookup.organization(ref) is not None
    if _strict_flag(data, "include_datasets", False):
        packages_field: str | None = "datasets"
    elif _strict_flag(data, "include_dataset_count", True):
        packages_field = "dataset_count"
    else:
        packages_field = None
    flags = {key: _flag(data, f"include_{key}", default) for key, default in (
        ("tags", True), ("users", True), ("groups", True), ("extras", True), ("followers", True),
        ("member_count", False))}
    if group is None or found_is_org != is_org:
        raise NotFound()
    if group.get("state", "active") != "active" and not auth.has_permission(group, caller, "read"):
        raise NotAuthorized(f"User {caller.name} not authorized to read group {group['id']}")
    title = group.get("title") or ""
    image_url = group.get("image_url") or ""
    # An uploaded image (a bare file name) is served from the site's upload folder.
    shown_image = image_url if not image_url or image_url.startswith("http") else \
        f"{model.site_url()}/uploads/group/{image_url}"
    out: dict[str, Any] = {
        "approval_status": group.get("approval_status", "approved"), "created": group.get("created"),
        "description": group.get("description") or "", "display_name": title or group["name"], "id": group["id"],
        "image_display_url": shown_image, "image_url": image_url, "is_organization": is_org,
    }
    lists: dict[str, list[Any]] = {}
    if flags["extras"]:
        extras = group.get("extras") or {}
        pairs = extras.items() if isinstance(extras, dict) else ((e.get("key"), e.get("value")) for e in extras
                                                                      if isinstance(e, dict))
        lists["extras"] = [{"key": k, "value": val} for k, val in sorted(pairs, key=lambda kv: str(kv[0]))]
    if flags["member_count"]:
        out["member_count"] = len(group.get("users") or [])
    out.update({"name": group["name"], "num_followers": 0})
    if packages_field:
        count, packages = _datasets(caller, group, is_org, packages_field == "dataset_count")
        if packages_field == "datasets":
            lists["packages"] = [_listed_dataset(p) for p in packages]
        out["package_count"] = count
    out.update({"state": group.get("state", "active"), "title": title,
                "type": "organization" if is_org else "group"})
    if flags["tags"]:
        lists["tags"] = []
    if flags["groups"]:
        lists["groups"] = []
    if flags["users"]:
        lists["users"] = _members(group)
    out.update({k: lists[k] for k in sorted(lists) if lists[k]})
    out.update({k: lists[k] for k in LIST_ORDER if k in lists and not lists[k]})
    return out


def organization_show(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    return _show(caller, data, is_org=True)


def group_show(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    return _show(caller, data, is_org=False)
