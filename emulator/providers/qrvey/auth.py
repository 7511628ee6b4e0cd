"""The instance API key in x-api-key, checked before routing and validation as API Gateway does."""

from __future__ import annotations

from flask import request

from emulator import context

from .errors import GatewayError, QrveyError, missing_route
from .settings import AUTH_ENVELOPE, effective

API_KEY_HEADER = "x-api-key"  # header names are case-insensitive (the Rails client sends X-Api-Key)


def key_is_valid() -> bool:
    key = request.headers.get(API_KEY_HEADER)
    return bool(key) and context.table("apiKeys").get(key) is not None


def auth_failure() -> GatewayError | QrveyError:
    if effective(context.config())["authFailure"] == AUTH_ENVELOPE:
        return QrveyError(401, "Unauthorized")
    return GatewayError(403, "Forbidden", "ForbiddenException")


def check_api_key() -> None:
    """Raise the configured auth failure unless the request carries a known instance key."""
    if not key_is_valid():
        raise auth_failure()


def unknown_route() -> GatewayError | QrveyError:
    """API Gateway checks the key first, then answers an unknown resource or method itself."""
    return missing_route() if key_is_valid() else auth_failure()
