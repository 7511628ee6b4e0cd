"""Read actions a client calls to find its way around a site: ``status_show``, ``organization_list``,
``group_list``, ``organization_list_for_user`` and ``tag_list`` (``ckan/logic/action/get.py``)."""

from __future__ import annotations

from typing import Any

from emulator import context
from emulator.providers.base import Record

from . import auth, lookup, model
from . import validators as v
from .auth import Caller
from .errors import NotFound, ValidationError
from .group_show import dataset_count
from .service import Action, asbool
from .settings import ROLE_PERMISSIONS, STATUS

#: ``ckan.group_and_organization_list_max`` and ``..._all_fields_max`` (CKAN's defaults).
LIST_MAX, ALL_FIELDS_MAX = 1000, 25


def status_show(caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    return {**STATUS, "site_url": model.site_url()}


def listed_group(group: Record, is_org: bool, caller: Caller) -> dict[str, Any]:
    """One group or organization of an ``all_fields`` list: CKAN calls ``organization_show``/``group_show`` for
    each, so ``package_count`` is what the caller's own search finds (an org's private datasets for members)."""
    title = group.get("title") or ""
    return {"approval_status": group.get("approval_status", "approved"), "created": group.get("created"),
            "description": group.get("description") or "", "display_name": title or group["name"],
            "id": group["id"], "image_display_url": group.get("image_url") or "",
            "image_url": group.get("image_url") or "", "is_organization": is_org, "name": group["name"],
            "num_followers": 0, "package_count": dataset_count(caller, group, is_org),
            "state": group.get("state", "active"), "title": title, "type": "organization" if is_org else "group"}


def _paging(data: dict[str, Any]) -> dict[str, int | None]:
    paging: dict[str, int | None] = {"limit": None, "offset": None}
    if not (data.get("limit") or data.get("offset")):
        return paging
    errors: dict[str, list[str]] = {}
    for key in paging:
        value, messages = v.run_chain(data.get(key, v.MISSING), [v.ignore_missing, v.natural_number_validator])
        if messages:
            errors[key] = messages
        paging[key] = None if value is v.MISSING else value
    if errors:
        raise ValidationError(errors)
    return paging


def _group_list(caller: Caller, data: dict[str, Any], collection: str) -> list[Any]:
    token = v.bind(v.Ctx(caller=caller, data=data))
    try:
        paging = _paging(data)
    finally:
        v.unbind(token)
    all_fields = asbool(data.get("all_fields", False))
    sort = str(data.get("sort") or "title").strip().split()
    field = {"packages": "package_count"}.get(sort[0], sort[0]) if sort else "title"
    descending = len(sort) > 1 and sort[1].lower() == "desc" or (field == "package_count" and len(sort) == 1)
    q = str(data.get("q") or "").strip().lower()
    is_org = collection == "organizations"
    groups = [g for g in context.table(collection).all() if g.get("state", "active") == "active"
              and (not q or any(q in (g.get(k) or "").lower() for k in ("name", "title", "description")))]

    def sort_value(group: Record) -> Any:
        if field == "package_count":  # a search per group: only when asked for
            return dataset_count(caller, group, is_org)
        return group["name"] if field == "name" else group.get("title") or ""

    groups.sort(key=lambda g: (sort_value(g), g["name"]), reverse=descending)
    limit = min(paging["limit"] or LIST_MAX, ALL_FIELDS_MAX if all_fields else LIST_MAX)
    groups = groups[paging["offset"] or 0:][:limit]
    return [listed_group(g, is_org, caller) for g in groups] if all_fields else [g["name"] for g in groups]


def organization_list(caller: Caller, data: dict[str, Any]) -> list[Any]:
    return _group_list(caller, data, "organizations")


def group_list(caller: Caller, data: dict[str, Any]) -> list[Any]:
    return _group_list(caller, data, "groups")


def organization_list_for_user(caller: Caller, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The organizations where the user (the caller, or ``id``) has ``permission`` (default manage_group)."""
    user = caller.user
    if data.get("id"):
        user = lookup.user_by_name(data["id"]) if isinstance(data["id"], str) else None
        user = user or context.table("users").first(id=data["id"])
        if user is None:
            raise NotFound()
    who = Caller(user)
    permission = data.get("permission", "manage_group")
    out = []
    for org in context.table("organizations").all():
        if org.get("state", "active") != "active":
            continue
        capacity = "admin" if who.sysadmin else auth.capacity_in(org, who)
        if capacity and (who.sysadmin or permission in ROLE_PERMISSIONS.get(capacity, ())):
            title = org.get("title") or ""
            out.append({**model.organization_dict(org), "capacity": capacity,
                        "display_name": title or org["name"], "image_display_url": org.get("image_url") or ""})
    return out


def tag_list(caller: Caller, data: dict[str, Any]) -> list[Any]:
    """Free tags in use; ``query`` (or ``q``) keeps the names containing it. CKAN's query has no order
    (a DISTINCT join): here they come by name (ASSUMPTION)."""
    query = data.get("query") or data.get("q")
    query = query.strip().lower() if isinstance(query, str) else ""
    names = sorted({t for p in context.table("packages").all() for t in p.get("tags") or []
                    if query in t.lower()})
    if data.get("all_fields"):
        return [{"id": model.tag_dict(n)["id"], "name": n, "vocabulary_id": None, "display_name": n} for n in names]
    return names


SITE_ACTIONS: dict[str, Action] = {
    name: Action(function, side_effect_free=True) for name, function in (
        ("status_show", status_show), ("organization_list", organization_list), ("group_list", group_list),
        ("organization_list_for_user", organization_list_for_user), ("tag_list", tag_list))}
