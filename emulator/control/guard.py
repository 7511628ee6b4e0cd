"""Who may talk to the emulator, checked before every request.

- ``Host``: only names that cannot be rebound to this server by someone else's DNS. A page on ``evil.example``
  whose name is re-pointed at 127.0.0.1 (DNS rebinding) reaches this server as its own origin; its requests
  still say ``Host: evil.example``. IP literals and ``localhost`` cannot be rebound; other names are served only
  when the user named them (``--public-url``, ``--allow-host``). Applies to control and provider routes alike:
  provider data holds the same tokens.
- ``/_emulator`` (control API and dashboard): loopback callers only unless allowed, the control token when one
  is set, no call from another site's page (``Sec-Fetch-Site``, ``Origin``), and state-changing calls take JSON
  bodies only, which a cross-site form or ``no-cors`` fetch cannot send.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from flask import Response, request

from ..config import Settings
from ..platform import Platform
from .routes import control_error

TOKEN_HEADER = "X-Emulator-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
#: Sec-Fetch-Site values of a request the user made on this server's own pages, or typed in (``none``).
OWN_SITE = {"same-origin", "none"}


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def host_name(host: str) -> str:
    """The name in a ``Host`` header, without port or IPv6 brackets, lower case; "" if there is none."""
    try:
        return urlsplit(f"//{host}").hostname or ""
    except ValueError:  # e.g. an unclosed "[": no name, so none that is served
        return ""


def allowed_hosts(settings: Settings) -> set[str]:
    names = {"localhost", settings.host.lower(), *(h.lower() for h in settings.allow_hosts)}
    if settings.public_url:
        names.add(host_name(urlsplit(settings.public_url).netloc))
    return names


def host_allowed(name: str, allowed: set[str]) -> bool:
    if name in allowed or "*" in allowed or name.endswith(".localhost"):  # browsers resolve *.localhost to loopback
        return True
    try:
        ipaddress.ip_address(name)  # an address is not a name: nothing to rebind
        return True
    except ValueError:
        return False


def cross_site_refusal(settings: Settings) -> tuple[int, str] | None:
    """Why this /_emulator request is refused as coming from another site's page (status, message), or None."""
    req = request
    fetch_site = req.headers.get("Sec-Fetch-Site")
    # Following a link to the dashboard is fine: a top-level navigation cannot read or post anything.
    navigation = req.method == "GET" and req.headers.get("Sec-Fetch-Mode") == "navigate"
    if fetch_site is not None and fetch_site not in OWN_SITE and not navigation:
        return 403, f"the control API refuses calls from other sites' pages (Sec-Fetch-Site: {fetch_site})"
    origin = req.headers.get("Origin")
    public = urlsplit(settings.base_url())
    own = {f"{req.scheme}://{req.host}", f"{public.scheme}://{public.netloc}"}  # https behind a proxy too
    if origin is not None and origin not in own and not navigation:
        return 403, f"the control API refuses calls from other origins (Origin: {origin})"
    if req.method not in SAFE_METHODS and (req.content_length or req.mimetype) and not req.is_json:
        # An HTML form or a no-cors fetch cannot send application/json: this closes both to other sites.
        return 415, "the control API takes JSON bodies only: send Content-Type: application/json"
    return None


def host_refusal(allowed: set[str]) -> str | None:
    """Why this request's Host is not served, or None. HTTP/1.0 clients may send none: nothing to check."""
    host = request.environ.get("HTTP_HOST")
    if host is None or host_allowed(host_name(host), allowed):
        return None
    return (f"Host {host!r} is not served here: use localhost or an IP address, or start the emulator "
            f"with --allow-host {host_name(host) or 'NAME'} (or a --public-url with that host)")


def check(platform: Platform, allowed: set[str]) -> Response | None:
    """Run before every request; answers for the /_emulator requests it refuses. (The pipeline checks the Host
    of provider requests, once the provider can answer in its own envelope; other paths are all 404s.)"""
    if not request.path.startswith("/_emulator"):
        return None
    refusal = host_refusal(allowed)
    if refusal:
        return control_error(403, refusal)
    settings = platform.settings
    if not settings.control_remote and not is_loopback(request.remote_addr):
        return control_error(403, "the control API answers loopback callers only (serve with --control-remote)")
    if settings.control_token:
        given = request.headers.get(TOKEN_HEADER) or request.args.get("token") or ""
        if not hmac.compare_digest(given.encode(), settings.control_token.encode()):
            return control_error(401, f"the control API needs the control token in the {TOKEN_HEADER} header")
    refusal = cross_site_refusal(settings)
    return control_error(*refusal) if refusal else None
