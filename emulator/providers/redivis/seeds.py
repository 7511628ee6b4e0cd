"""Checking seeded records and filling what Redivis generates (ids, timestamps, versions)."""

from __future__ import annotations

from typing import Any

from emulator import context

from ..base import SeedError
from . import datasets, lookup, model, versions
from .names import ID_RE, USER_NAME_RE, escaped
from .schemas import PUBLIC_ACCESS_LEVELS

Record = dict[str, Any]


def _name(record: Record, what: str) -> str:
    name = record.get("name")
    if not isinstance(name, str) or not USER_NAME_RE.fullmatch(name):
        raise SeedError(f"a {what} needs a name of letters, digits and underscores")
    return name


def user(record: Record) -> Record:
    _name(record, "user")
    if not isinstance(record.get("token"), str) or not record["token"]:
        raise SeedError("a user needs a token (string)")
    scopes = record.get("scopes", ["public"])
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise SeedError("scopes must be a list of strings, e.g. [\"public\", \"data.edit\"]")
    return {"fullName": None, "contactEmail": None, "orcid": None, **record, "scopes": scopes}


def organization(record: Record) -> Record:
    name = _name(record, "organization")
    admins = record.get("admins", [])
    if not isinstance(admins, list) or not all(isinstance(s, str) for s in admins):
        raise SeedError("admins must be a list of user names")
    return {"fullName": name, "ror": None, **record, "admins": admins}


def dataset(record: Record) -> Record:
    if not isinstance(record.get("name"), str) or not escaped(record["name"]):
        raise SeedError("a dataset needs a name with at least one letter or digit")
    owner_name = record.get("ownerName")
    if not isinstance(owner_name, str):
        raise SeedError("a dataset needs ownerName (a user or organization name)")
    kind = record.get("ownerKind")
    if kind is None:
        found = lookup.any_owner(owner_name)
        if found is None:
            raise SeedError(f"owner {owner_name!r} is neither a seeded user nor an organization")
        kind = found[0]
    if kind not in (lookup.USER, lookup.ORGANIZATION):
        raise SeedError("ownerKind must be \"user\" or \"organization\"")
    owner = lookup.owner(kind, owner_name)
    if owner is None:
        raise SeedError(f"no {kind} named {owner_name!r} is seeded")
    owner_name = owner["name"]  # stored in the owner's own spelling: look-ups by owner are index hits
    level = record.get("publicAccessLevel", "none")
    if level not in PUBLIC_ACCESS_LEVELS:
        raise SeedError(f"publicAccessLevel must be one of {', '.join(PUBLIC_ACCESS_LEVELS)}")
    if "id" in record and not (isinstance(record["id"], str) and ID_RE.fullmatch(record["id"])):
        raise SeedError("id must look like xxxx-yyyyyyyyy over 0-9 and a-z without i, l, o, u")
    clash = next((d for d in lookup.datasets_named(kind, owner_name, record["name"])
                  if d["id"] != record.get("id")), None)
    if clash is not None:
        raise SeedError(f"{owner_name} already has a dataset named like {record['name']!r} (id {clash['id']})")
    now = model.millis(context.now())
    filled = {"id": record.get("id") or datasets.new_id(kind, owner_name), "ownerKind": kind,
              "createdAt": now, "updatedAt": now, **model.DATASET_DEFAULTS,
              "versions": [versions.new_version(0, now)], **record, "ownerName": owner_name,
              "publicAccessLevel": level}
    if filled.get("released") is True:  # seed shorthand: a dataset whose first version is out (v1.0)
        first = {**filled["versions"][0], "tag": versions.release_tag({"versions": []}), "isReleased": True,
                 "releasedAt": now}
        filled["versions"] = [first, *filled["versions"][1:]]
    filled.pop("released", None)
    # Seeds and exports may lack the derived fields (or carry stale ones): always recomputed here.
    return lookup.with_derived_fields(filled)


PREPARERS = {"users": user, "organizations": organization, "datasets": dataset}
