"""Request signing schemes a provider's ``setup.json`` can declare (``"auth": {"scheme": ...}``).

A scheme signs one request just before it is sent, over the method and the path and query exactly as sent,
so the same scenarios run against the emulator and against the real service. Headers a step sets itself win:
that is how a scenario sends a wrong signature, an unknown access key or a stale timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable

Signer = Callable[[str, str, dict[str, str], dict[str, str]], dict[str, str]]

NCP_TIMESTAMP = "x-ncp-apigw-timestamp"
NCP_ACCESS_KEY = "x-ncp-iam-access-key"
NCP_SIGNATURE = "x-ncp-apigw-signature-v2"


def ncp_signature_v2(method: str, target: str, headers: dict[str, str], keys: dict[str, str]) -> dict[str, str]:
    """NAVER Cloud API Gateway signature v2: Base64(HMAC-SHA256(secret, "METHOD target\\ntimestamp\\naccessKey")).

    The signature covers the timestamp and access key actually sent, so a step that sets only one of them
    still sends a correctly signed request that differs in that one point.
    """
    given = {name.lower(): value for name, value in headers.items()}
    timestamp = given.get(NCP_TIMESTAMP, str(int(time.time() * 1000)))
    access_key = given.get(NCP_ACCESS_KEY, keys["access_key"])
    message = f"{method} {target}\n{timestamp}\n{access_key}".encode()
    digest = hmac.digest(keys["secret_key"].encode(), message, hashlib.sha256)
    signed = {NCP_TIMESTAMP: timestamp, NCP_ACCESS_KEY: access_key,
              NCP_SIGNATURE: base64.b64encode(digest).decode("ascii")}
    return {**{name: value for name, value in signed.items() if name not in given}, **headers}


# scheme -> (the token roles it needs, the signer)
SCHEMES: dict[str, tuple[tuple[str, ...], Signer]] = {
    "ncp-signature-v2": (("access_key", "secret_key"), ncp_signature_v2),
}
