"""Who may use /_emulator: loopback callers only unless allowed, and the control token when one is set."""

from __future__ import annotations

import hmac
import ipaddress

from flask import Response, request

from ..config import Settings
from .routes import control_error

TOKEN_HEADER = "X-Emulator-Token"


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def check(settings: Settings) -> Response | None:
    """Run before every request; answers for the control paths it refuses."""
    if not request.path.startswith("/_emulator"):
        return None
    if not settings.control_remote and not is_loopback(request.remote_addr):
        return control_error(403, "the control API answers loopback callers only (serve with --control-remote)")
    if settings.control_token:
        given = request.headers.get(TOKEN_HEADER) or request.args.get("token") or ""
        if not hmac.compare_digest(given.encode(), settings.control_token.encode()):
            return control_error(401, f"the control API needs the control token in the {TOKEN_HEADER} header")
    return None
