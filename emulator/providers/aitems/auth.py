"""NCP API Gateway signature v2: Base64(HMAC-SHA256(secret, "{METHOD} {url}\\n{timestamp}\\n{accessKey}"))."""

from __future__ import annotations

import hmac
import re
from binascii import b2a_base64
from urllib.parse import quote, urlsplit

from flask import Request, request

from emulator import context

from . import settings
from .errors import INVALID_AUTH, MISSING_AUTH, NOT_SUBSCRIBED, AitemsError

TIMESTAMP_HEADER = "x-ncp-apigw-timestamp"
ACCESS_KEY_HEADER = "x-ncp-iam-access-key"
SIGNATURE_HEADER = "x-ncp-apigw-signature-v2"
MAX_SKEW_MS = 5 * 60 * 1000  # documented: more than 5 minutes off the gateway's clock is invalid
TIMESTAMP_RE = re.compile(r"[0-9]{1,16}", re.ASCII)
# The same headers as WSGI environ keys: read directly, they skip a proxy and a method call per header.
ENVIRON_TIMESTAMP = "HTTP_X_NCP_APIGW_TIMESTAMP"
ENVIRON_ACCESS_KEY = "HTTP_X_NCP_IAM_ACCESS_KEY"
ENVIRON_SIGNATURE = "HTTP_X_NCP_APIGW_SIGNATURE_V2"
PATH_SAFE = "/:@!$&'()*+,;=-._~"


def sign(secret: bytes, method: str, url: str, timestamp: str, access_key: str) -> bytes:
    """The signature as ASCII bytes, ready for ``hmac.compare_digest`` with the header's."""
    message = f"{method} {url}\n{timestamp}\n{access_key}"
    return b2a_base64(hmac.digest(secret, message.encode(), "sha256"), newline=False)


def _raw_path(req: Request) -> str:
    """The path exactly as the client sent it (percent-encoding intact), with namespace and mount."""
    environ = req.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        if "://" in raw.split("?", 1)[0]:  # absolute-form request target
            raw = urlsplit(raw).path
        return raw.split("?", 1)[0]
    return quote(req.script_root + req.path, safe=PATH_SAFE)


def signed_url_candidates(req: Request) -> list[str]:
    """Every url a client may have signed: provider-relative (what client code signs), under the mount, as sent.

    The query string is taken exactly as sent; an empty one adds no "?".
    """
    full = _raw_path(req)
    root = req.script_root
    mount = full[len(root):] if full.startswith(root) else full
    prefix = "/" + context.provider_name()
    relative = mount[len(prefix):] if mount.startswith(prefix) else quote(context.provider_path())
    urls = [relative or "/"]
    if mount not in urls:
        urls.append(mount)
    if full not in urls:
        urls.append(full)
    query = req.environ.get("QUERY_STRING", "")
    return [f"{url}?{query}" for url in urls] if query else urls


def authenticate() -> str:
    """Check the gateway headers of the current request; returns the access key or raises the gateway's 401."""
    environ = request.environ
    timestamp = environ.get(ENVIRON_TIMESTAMP, "")
    access_key = environ.get(ENVIRON_ACCESS_KEY, "")
    signature = environ.get(ENVIRON_SIGNATURE, "")
    if not (timestamp and access_key and signature):
        raise AitemsError(401, MISSING_AUTH)
    credential = context.table("credentials").get(access_key)
    if credential is None or not TIMESTAMP_RE.fullmatch(timestamp):
        raise AitemsError(401, INVALID_AUTH)
    now_ms = int(context.now().timestamp() * 1000)
    if abs(now_ms - int(timestamp)) > MAX_SKEW_MS:
        raise AitemsError(401, INVALID_AUTH)
    secret, method, given = credential["secretKey"].encode(), request.method, signature.encode()
    # The first matching form ends the search. A refusal has signed every form, so its time does not depend
    # on how close the signature came to one; only an accepted request stops early, and its client knows
    # which form it signed. The comparison itself is hmac's constant-time one.
    for url in signed_url_candidates(request):
        if hmac.compare_digest(given, sign(secret, method, url, timestamp, access_key)):
            break
    else:
        raise AitemsError(401, INVALID_AUTH)
    if not settings.current()["subscribed"]:
        raise AitemsError(401, NOT_SUBSCRIBED[2], NOT_SUBSCRIBED[0], NOT_SUBSCRIBED[1])
    return access_key
