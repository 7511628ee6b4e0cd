"""``dataset_purge`` (``ckan/logic/action/delete.py``): a dataset removed for good, sysadmins only."""

from __future__ import annotations

from typing import Any

from emulator import context

from . import lookup, quirks
from .auth import Caller
from .errors import NotAuthorized, NotFound
from .service import get_or_bust


def dataset_purge(caller: Caller, data: dict[str, Any]) -> None:
    ref = get_or_bust(data, "id")
    if ref:  # Package.get: nothing for a falsy reference; any other non-text one is an invalid SQL comparison
        quirks.package_ref_not_text(ref)
    package = lookup.package(ref)
    if package is None:
        raise NotFound("Dataset was not found")
    if not caller.sysadmin:
        raise NotAuthorized()  # the auth function refuses everyone, without a message
    with context.transaction():
        context.table("packages").delete(package["id"])
        # Its memberships, resources and uploaded files go with it; the tags (shared by name) stay.
        for resource in package.get("resources") or []:
            context.table("uploads").delete(resource["id"])
    return None
