"""Who is calling (token from ``Authorization: Bearer`` or ``?token=``) and what they may do with a dataset."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import string

from flask import request

from emulator import context
from emulator.providers.base import Record

from . import errors

_BASE62 = string.digits + string.ascii_letters
_READ_BY_ID = {"ANYONE_WITH_ID_CAN_READ", "ANYONE_WITH_NAME_CAN_READ"}


def request_token() -> str | None:
    header = request.environ.get("HTTP_AUTHORIZATION", "")  # what request.headers reads, without its look-ups
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.args.get("token") or None


def authenticate(required: bool = True) -> Record | None:
    """The calling user; 401 for an unknown token, and for a missing one when ``required``."""
    token = request_token()
    if token is None:
        if required:
            raise errors.token_not_provided()
        return None
    user = context.table("users").first(token=token)
    if user is None:
        raise errors.user_or_token_not_found()
    return user


def may_read_anonymously(dataset: Record, by_name: bool) -> bool:
    """What ``generalAccess`` opens to callers who do not own the dataset (ASSUMPTION: FOLLOW_USER_SETTING
    follows a private account setting, so it opens nothing)."""
    access = dataset.get("generalAccess")
    if by_name:
        return access == "ANYONE_WITH_NAME_CAN_READ"
    return access in _READ_BY_ID


def _base62(number: int) -> str:
    digits = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(_BASE62[rest])
    return "".join(reversed(digits)) or _BASE62[0]


def valid_signature(dataset: Record, signature: str | None) -> bool:
    """Apify's storage content signature: base64url of ``<version>.<expiresAtMillis>.<hmac>``, where the
    HMAC-SHA256 (hex, first 30 chars, base62) signs ``<version>.<expiresAtMillis>.<datasetId>`` with the
    dataset's ``urlSigningSecretKey``; ``expiresAt`` 0 never expires."""
    secret = dataset.get("urlSigningSecretKey")
    if not signature or not secret:
        return False
    try:
        padded = signature + "=" * (-len(signature) % 4)
        version, expires_at, mac = base64.urlsafe_b64decode(padded).decode().split(".")
        expires = int(expires_at)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    digest = hmac.new(secret.encode(), f"{version}.{expires_at}.{dataset['id']}".encode(), hashlib.sha256)
    expected = _base62(int(digest.hexdigest()[:30], 16))
    if not hmac.compare_digest(expected, mac):
        return False
    return expires == 0 or expires > context.now().timestamp() * 1000
