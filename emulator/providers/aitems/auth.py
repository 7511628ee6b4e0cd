"""NCP API Gateway signature v2: Base64(HMAC-SHA256(secret, "{METHOD} {url}\\n{timestamp}\\n{accessKey}"))."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from urllib.parse import quote, urlsplit

from flask import request

from emulator import context

from . import settings
from .errors import INVALID_AUTH, MISSING_AUTH, NOT_SUBSCRIBED, AitemsError

TIMESTAMP_HEADER = "x-ncp-apigw-timestamp"
ACCESS_KEY_HEADER = "x-ncp-iam-access-key"
SIGNATURE_HEADER = "x-ncp-apigw-signature-v2"
MAX_SKEW_MS = 5 * 60 * 1000  # documented: more than 5 minutes off the gateway's clock is invalid
TIMESTAMP_RE = re.compile(r"[0-9]{1,16}", re.ASCII)


def sign(secret: str, method: str, url: str, timestamp: str, access_key: str) -> str:
    message = f"{method} {url}\n{timestamp}\n{access_key}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _raw_path() -> str:
    """The path exactly as the client sent it (percent-encoding intact), with namespace and mount."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        if "://" in raw.split("?", 1)[0]:  # absolute-form request target
            raw = urlsplit(raw).path
        return raw.split("?", 1)[0]
    return quote(request.script_root + request.path, safe="/:@!$&'()*+,;=-._~")


def signed_url_candidates() -> list[str]:
    """Every url a client may have signed: provider-relative (what client code signs), under the mount, as sent.

    The query string is taken exactly as sent; an empty one adds no "?".
    """
    full = _raw_path()
    mount = full[len(request.script_root):] if full.startswith(request.script_root) else full
    prefix = "/" + context.provider_name()
    relative = mount[len(prefix):] if mount.startswith(prefix) else quote(context.provider_path())
    query = request.environ.get("QUERY_STRING", "")
    suffix = "?" + query if query else ""
    return list(dict.fromkeys(path + suffix for path in (relative or "/", mount, full)))


def authenticate() -> str:
    """Check the gateway headers of the current request; returns the access key or raises the gateway's 401."""
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    access_key = request.headers.get(ACCESS_KEY_HEADER, "")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not (timestamp and access_key and signature):
        raise AitemsError(401, MISSING_AUTH)
    credential = context.table("credentials").get(access_key)
    if credential is None or not TIMESTAMP_RE.fullmatch(timestamp):
        raise AitemsError(401, INVALID_AUTH)
    now_ms = int(context.now().timestamp() * 1000)
    if abs(now_ms - int(timestamp)) > MAX_SKEW_MS:
        raise AitemsError(401, INVALID_AUTH)
    expected = [sign(credential["secretKey"], request.method, url, timestamp, access_key)
                for url in signed_url_candidates()]
    # compare every candidate, so the time taken does not tell which form matched
    if not sum(hmac.compare_digest(signature.encode(), e.encode()) for e in expected):
        raise AitemsError(401, INVALID_AUTH)
    if not settings.current()["subscribed"]:
        raise AitemsError(401, NOT_SUBSCRIBED[2], NOT_SUBSCRIBED[0], NOT_SUBSCRIBED[1])
    return access_key
