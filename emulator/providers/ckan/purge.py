"""``dataset_purge`` (``ckan/logic/action/delete.py``): a dataset removed for good, sysadmins only."""

from __future__ import annotations

from typing import Any

from emulator import context

from .actions import existing_package, get_or_bust
from .auth import Caller
from .errors import NotAuthorized, NotFound


def dataset_purge(caller: Caller, data: dict[str, Any]) -> None:
    ref = get_or_bust(data, "id")
    try:
        package = existing_package(ref)
    except NotFound:
        raise NotFound("Dataset was not found") from None
    if not caller.sysadmin:
        raise NotAuthorized()  # the auth function refuses everyone, without a message
    with context.transaction():
        context.table("packages").delete(package["id"])
        # Its memberships, resources and uploaded files go with it; the tags (shared by name) stay.
        for resource in package.get("resources") or []:
            context.table("uploads").delete(resource["id"])
    return None
