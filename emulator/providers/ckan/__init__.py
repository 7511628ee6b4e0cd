"""CKAN 2.11.5: ``package_create`` and the actions a client calls next (show, list, delete, patch)."""

from __future__ import annotations

import re

from apispec import APISpec
from flask import Blueprint, Response

from emulator import context
from emulator.providers.base import Provider, Record, SeedError

from . import routes
from .errors import BadRequest, InternalError, NotAuthorized, html_response, render
from .model import ensure_tag, help_url, timestamp
from .openapi import add_paths
from .settings import CONFIG_DEFAULTS

ACTION_PATH = re.compile(r"^/api/(?:3/)?action/([^/]+)$")
CAPACITIES = ("admin", "editor", "member")


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
            for member in record["users"]:
                if not isinstance(member, dict) or member.get("capacity") not in CAPACITIES:
                    raise SeedError(f"each member needs a 'name' and a 'capacity' in {list(CAPACITIES)}")
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
    record["tags"] = [t["name"] if isinstance(t, dict) else t for t in record["tags"]]
    if isinstance(record["extras"], list):
        record["extras"] = {e["key"]: e["value"] for e in record["extras"]}
    record["groups"] = [g["id"] if isinstance(g, dict) else g for g in record["groups"]]
    for name in record["tags"]:
        ensure_tag(name)
    return record


def create() -> Provider:
    return CkanProvider()
