"""Bearer tokens and scopes: 401 for a missing or unknown token, 403 ``insufficient_scope`` for a missing scope."""

from __future__ import annotations

from typing import Any

from flask import request

from . import errors, lookup

EDIT_SCOPE = "data.edit"


def viewer() -> dict[str, Any] | None:
    """The calling user, or None for an anonymous call (public content stays readable without a token)."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise errors.unauthenticated()
    user = lookup.user_by_token(token)
    if user is None:
        raise errors.unauthenticated()
    return user


def require_viewer() -> dict[str, Any]:
    user = viewer()
    if user is None:
        raise errors.unauthenticated()
    return user


def require_scope(scope: str = EDIT_SCOPE) -> dict[str, Any]:
    """A signed-in caller whose token carries ``scope`` (every POST/PATCH/DELETE needs credentials)."""
    user = require_viewer()
    if scope not in user.get("scopes", []):
        raise errors.insufficient_scope(scope)
    return user
