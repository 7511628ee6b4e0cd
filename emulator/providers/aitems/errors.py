"""The NCP API Gateway error envelope, used by the gateway and (ASSUMPTION) by AiTEMS itself."""

from __future__ import annotations

from flask import Response

from emulator import framing
from emulator.errors import PlatformError

# HTTP status -> (errorCode, message), from the gateway's published table. errorCode is a string on the wire.
GATEWAY_ERRORS: dict[int, tuple[str, str]] = {
    400: ("100", "Bad Request Exception"),
    401: ("200", "Authentication Failed"),
    403: ("230", "Forbidden"),
    404: ("300", "Not Found Exception"),
    413: ("430", "Request Entity Too Large"),
    429: ("420", "Rate Limited"),
    500: ("900", "Unexpected Error"),
    503: ("500", "Endpoint Error"),
    504: ("510", "Endpoint Timeout"),
}

MISSING_AUTH = "Authentication information are missing."  # sic: the gateway's own grammar
INVALID_AUTH = "Invalid authentication information."
URL_NOT_FOUND = "URL not found."
NOT_SUBSCRIBED = ("210", "Permission Denied", "A subscription to the API is required.")

# details for statuses the platform produces without a reason of the provider's own (ASSUMPTION wording)
DEFAULT_DETAILS: dict[int, str] = {
    404: URL_NOT_FOUND,
    413: "Request entity is too large.",
    429: "Rate limited.",
    500: "Unexpected error.",
    503: "Endpoint error.",
    504: "Endpoint timeout.",
}


class AitemsError(Exception):
    """Any failure answered in the gateway envelope; routes raise it, the blueprint renders it."""

    def __init__(self, status: int, details: str, code: str | None = None, message: str | None = None) -> None:
        super().__init__(details)
        default_code, default_message = GATEWAY_ERRORS.get(status, GATEWAY_ERRORS[500])
        self.status = status
        self.details = details
        self.code = code or default_code
        self.message = message or default_message


def bad_request(details: str) -> AitemsError:
    return AitemsError(400, details)


def not_found(details: str) -> AitemsError:
    return AitemsError(404, details)


def error_body(exc: AitemsError) -> Response:
    return framing.json({"error": {"errorCode": exc.code, "message": exc.message, "details": exc.details}},
                         exc.status)


def for_platform(error: PlatformError) -> AitemsError:
    """The gateway's error for an answer the platform makes (unknown route, wrong method, injected fault)."""
    return status_error(error.status)


def status_error(status: int) -> AitemsError:
    """The gateway's error for a status, in its stock wording."""
    if status == 405:  # the gateway matches method and path together: a wrong method is an unknown URL
        status = 404
    code, message = GATEWAY_ERRORS.get(status, GATEWAY_ERRORS[500])
    return AitemsError(status, DEFAULT_DETAILS.get(status, message + "."), code, message)
