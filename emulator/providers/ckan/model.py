"""Stored records -> CKAN's wire dicts (``package_dictize`` + the show schema), and validated input -> record.

A stored package keeps CKAN's columns plus ``resources`` (dicts with their extras merged),
``tags`` (names), ``extras`` ({key: value}) and ``groups`` (group ids).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from emulator import context
from emulator.providers.base import Record

from . import lookup, quirks
from .auth import Caller, has_permission
from .licenses import license_fields
from .settings import MODIFIED_AFTER_CREATED
from .uploads import munge_filename

PACKAGE_TEXT_FIELDS = ("author", "author_email", "license_id", "maintainer", "maintainer_email", "notes",
                       "url", "version")
RESOURCE_COLUMNS = ("cache_last_updated", "cache_url", "created", "description", "format", "hash", "id",
                    "last_modified", "metadata_modified", "mimetype", "mimetype_inner", "name", "package_id",
                    "position", "resource_type", "size", "state", "url", "url_type")
#: Columns an update clears when it omits them (``remove_if_not_provided``); the others keep their value.
CLEARED_IF_OMITTED = {"url": "", "description": None, "resource_type": None, "mimetype": None, "mimetype_inner": None}
EMPTY_LIST_ORDER = ("resources", "tags", "extras", "groups", "relationships_as_subject", "relationships_as_object")
SORTED_LISTS = tuple(sorted(EMPTY_LIST_ORDER))


def timestamp(at: datetime) -> str:
    """Naive UTC ``isoformat()``, as CKAN stores ``utcnow()``."""
    return at.replace(tzinfo=None).isoformat()


def site_url() -> str:
    return str(context.config().get("site_url") or context.base_url()).rstrip("/")


def help_url(action: str) -> str:
    return f"{site_url()}/api/3/action/help_show?name={action}"


# ---- wire ----------------------------------------------------------------------------------------------


def organization_dict(org: Record) -> dict[str, Any]:
    is_org = org.get("is_organization", True)
    return {
        "id": org["id"],
        "name": org["name"],
        "title": org.get("title") or "",
        "type": "organization" if is_org else "group",
        "description": org.get("description") or "",
        "image_url": org.get("image_url") or "",
        "created": org.get("created"),
        "is_organization": is_org,
        "approval_status": org.get("approval_status", "approved"),
        "state": org.get("state", "active"),
    }


def group_dict(group: Record) -> dict[str, Any]:
    return {
        "description": group.get("description") or "",
        "display_name": group.get("title") or group["name"],
        "id": group["id"],
        "image_display_url": group.get("image_url") or "",
        "name": group["name"],
        "title": group.get("title") or "",
    }


def resource_dict(resource: Record, package_id: str) -> dict[str, Any]:
    out = {column: resource.get(column) for column in RESOURCE_COLUMNS}
    out.update({k: val for k, val in resource.items() if k not in out})
    out["package_id"] = package_id
    out["hash"] = out["hash"] if out["hash"] is not None else ""
    out["format"] = out["format"] if out["format"] is not None else ""
    out["state"] = out["state"] or "active"
    url = out["url"] or ""
    if out.get("url_type") == "upload":  # even an empty url: its munged name is "___"
        filename = munge_filename(url.rsplit("/", 1)[-1])
        url = f"{site_url()}/dataset/{package_id}/resource/{out['id']}/download/{filename}"
    elif url and not urlparse(url).scheme:
        url = "http://" + url.lstrip("/")
    out["url"] = url
    return dict(sorted(out.items()))


def tag_dict(name: str) -> dict[str, Any]:
    tag = context.table("tags").get(name)
    return {"display_name": name, "id": tag["id"] if tag else None, "name": name, "state": "active",
            "vocabulary_id": None}


def package_dict(pkg: Record, include_plugin_data: bool = False) -> dict[str, Any]:
    """What ``package_show`` returns, keys in CKAN's order (§4.3): the columns alphabetically (written in
    that order rather than sorted on every call), then the non-empty lists alphabetically, then the empty ones.
    """
    org = lookup.group_by_id(pkg["owner_org"]) if pkg.get("owner_org") else None
    groups = [group_dict(g) for gid in pkg.get("groups") or [] if (g := lookup.group(gid)) is not None]
    plugin_data = pkg.get("plugin_data") if include_plugin_data else None
    out: dict[str, Any] = {
        "author": pkg.get("author"),
        "author_email": pkg.get("author_email"),
        "creator_user_id": pkg.get("creator_user_id"),
        "id": pkg["id"],
        **license_fields(pkg.get("license_id")),
        "maintainer": pkg.get("maintainer"),
        "maintainer_email": pkg.get("maintainer_email"),
        "metadata_created": pkg.get("metadata_created"),
        "metadata_modified": pkg.get("metadata_modified"),
        "name": pkg["name"],
        "notes": pkg.get("notes"),
        "num_resources": len(pkg.get("resources") or []),
        "num_tags": len(pkg.get("tags") or []),
        "organization": organization_dict(org) if org else None,
        "owner_org": pkg.get("owner_org"),
        **({"plugin_data": plugin_data} if plugin_data is not None else {}),
        "private": bool(pkg.get("private")),
        "state": pkg.get("state", "active"),
        "title": pkg.get("title") or pkg["name"],
        "type": pkg.get("type") or "dataset",
        "url": pkg.get("url"),
        "version": pkg.get("version"),
    }
    lists: dict[str, list[Any]] = {
        "resources": [resource_dict(r, pkg["id"]) for r in pkg.get("resources") or []],
        "tags": [tag_dict(name) for name in sorted(pkg.get("tags") or [])],
        "extras": [{"key": k, "value": val} for k, val in sorted((pkg.get("extras") or {}).items())],
        "groups": sorted(groups, key=lambda g: g["display_name"]),
        "relationships_as_subject": [],
        "relationships_as_object": [],
    }
    out.update({k: lists[k] for k in SORTED_LISTS if lists[k]})
    out.update({k: lists[k] for k in EMPTY_LIST_ORDER if not lists[k]})
    return out


# ---- record --------------------------------------------------------------------------------------------


def ensure_tag(name: str) -> None:
    """Tag ids are global per name: the first dataset to use a name creates it."""
    table = context.table("tags")
    if table.get(name) is None:
        table.put({"name": name, "id": context.ids().uuid4()})


def _resources(items: list[dict[str, Any]], package_id: str, old: list[Record], now: datetime) -> list[Record]:
    previous = {r.get("id"): r for r in old}
    out = []
    for position, item in enumerate(items):
        earlier = previous.get(item.get("id")) if item.get("id") else None
        if earlier:
            # Only the columns are kept: resource extras are replaced by those given.
            record = {column: earlier.get(column) for column in RESOURCE_COLUMNS} | CLEARED_IF_OMITTED
        else:
            record = {column: None for column in RESOURCE_COLUMNS}
            record.update({"hash": "", "url": "", "format": "", "created": timestamp(now),
                           "metadata_modified": timestamp(now)})
        record.update(item)
        if record.get("url_type") == "upload" and record.get("url"):
            record["url"] = record["url"].rsplit("/")[-1]  # an uploaded file's url is kept as its file name
        record.update({"id": item.get("id") or context.ids().uuid4(), "package_id": package_id,
                       "position": position, "state": "active"})
        out.append(record)
    return out


def _group_ids(refs: list[dict[str, Any]], caller: Caller, old: list[str]) -> list[str]:
    """``package_membership_list_save``: a membership is added or removed only if the caller may read the group."""
    wanted: list[str] = []
    for ref in refs:
        group = lookup.group(ref.get("id")) or lookup.group(ref.get("name"))
        if group is not None and group["id"] not in wanted:
            wanted.append(group["id"])

    def may_read(group_id: str) -> bool:
        return has_permission(lookup.group_by_id(group_id), caller, "read")

    kept = [gid for gid in old if gid in wanted or not may_read(gid)]
    return kept + [gid for gid in wanted if gid not in kept and may_read(gid)]


def build_package(valid: dict[str, Any], caller: Caller, existing: Record | None) -> Record:
    """The stored dataset for validated input (new, or replacing ``existing`` on update)."""
    now = context.now()
    package_id = existing["id"] if existing else valid.get("id") or context.ids().uuid4()
    tags = list(dict.fromkeys([t["name"] for t in valid.get("tags", [])] + valid.get("tag_string", [])))
    for name in tags:
        ensure_tag(name)
    extras = {e["key"]: quirks.extras_value(e["value"]) for e in valid.get("extras", [])
              if not e.get("deleted") and e.get("value") is not None}
    # An update may leave out name, owner_org and private: they keep their value.
    kept = existing or {}
    name = valid.get("name", kept.get("name"))
    record: Record = {
        "id": package_id,
        "name": name,
        "title": (valid.get("title") or name).strip(),
        **{f: valid.get(f) for f in PACKAGE_TEXT_FIELDS},
        "state": valid.get("state", existing.get("state", "active") if existing else "active"),
        "type": valid.get("type") or "dataset",
        "owner_org": (valid["owner_org"] if "owner_org" in valid else kept.get("owner_org")) or None,
        "private": bool(valid.get("private", kept.get("private", False))),
        "creator_user_id": existing.get("creator_user_id") if existing else caller.id,
        "metadata_created": existing["metadata_created"] if existing else timestamp(now),
        "metadata_modified": timestamp(now + MODIFIED_AFTER_CREATED),
        "resources": _resources(valid.get("resources", []), package_id,
                                existing.get("resources", []) if existing else [], now),
        "tags": tags,
        "extras": {str(k): val if isinstance(val, str) else _text(val) for k, val in extras.items()},
        "groups": _group_ids(valid.get("groups", []), caller, existing.get("groups", []) if existing else []),
    }
    # A resource an update leaves out is a deleted row in CKAN: its id still resolves (to "not found").
    kept_ids = {r["id"] for r in record["resources"]}
    removed = [r["id"] for r in kept.get("resources", []) if r["id"] not in kept_ids]
    if removed or kept.get("deleted_resources"):
        record["deleted_resources"] = [*kept.get("deleted_resources", []), *removed]
    if valid.get("plugin_data"):  # an empty object is not stored
        record["plugin_data"] = valid["plugin_data"]
    elif existing and "plugin_data" in existing:
        record["plugin_data"] = existing["plugin_data"]
    return record


def _text(value: Any) -> str:
    """An extra's non-string value as JSON text (NaN is "NaN", as observed; ``unicode_safe`` gives "nan")."""
    return json.dumps(value, sort_keys=True)
