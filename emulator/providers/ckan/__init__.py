"""CKAN 2.11.5: ``package_create`` and the actions a client calls next (show, list, delete, patch)."""

from __future__ import annotations

import re
from collections.abc import Callable

from apispec import APISpec
from flask import Blueprint, Response

from emulator import context
from emulator.providers import rules
from emulator.providers.base import Provider, Record, SeedError

from . import routes
from .errors import BadRequest, InternalError, NotAuthorized, html_response, render
from .model import PACKAGE_TEXT_FIELDS, RESOURCE_COLUMNS, ensure_tag, help_url, timestamp
from .openapi import add_paths
from .settings import CONFIG_DEFAULTS, CONFIG_RULES

ACTION_PATH = re.compile(r"^/api/(?:3/)?action/([^/]+)$")
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


class CkanProvider(Provider):
    name = "ckan"
    title = "CKAN 2.11 action API"
    collections = {
        "users": ("name",),
        "organizations": ("name",),
        "groups": ("name",),
        "packages": ("id",),
        "tags": ("name",),
        "config": (),
    }
    config_defaults = dict(CONFIG_DEFAULTS)
    config_rules = CONFIG_RULES
    secret_headers = ("X-CKAN-API-Key",)  # what ckanapi sends beside Authorization

    def blueprint(self) -> Blueprint:
        return routes.blueprint()

    def error_response(self, status: int, message: str | None = None) -> Response:
        """A 500 inside an action keeps the JSON envelope; everything else is Flask's HTML page in CKAN."""
        match = ACTION_PATH.match(context.provider_path())
        if status == 500 and match:
            return render(InternalError(), help_url(match.group(1)))
        if status == 403 and match:  # a refusal inside an action is CKAN's Authorization Error, message kept
            return render(NotAuthorized(message or ""), help_url(match.group(1)))
        if status == 400:
            return render(BadRequest(message or "Bad Request"), None)
        return html_response(status)

    def openapi(self, spec: APISpec) -> None:
        add_paths(spec)

    def prepare_seed(self, collection: str, record: Record) -> Record:
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


def _list_of(value: object, each: Callable[[object], bool]) -> bool:
    return isinstance(value, list) and all(each(item) for item in value)


def _has_text(value: object, key: str) -> bool:
    return isinstance(value, dict) and isinstance(value.get(key), str)


def create() -> Provider:
    return CkanProvider()
