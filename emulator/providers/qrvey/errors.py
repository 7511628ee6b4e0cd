"""Qrvey's error envelope and the API Gateway answers that sit in front of it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response

from emulator import context, framing
from emulator.errors import PlatformError
from emulator.platform import DEFAULT_NAMESPACE, ControlError

from .settings import STACK_FRAME


class QrveyError(Exception):
    """An error the Qrvey service itself answers with its envelope."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message

    def response(self) -> Response:
        return envelope(self.status, self.message)


class GatewayError(Exception):
    """An error API Gateway answers before the request reaches Qrvey: a bare {"message"} body."""

    def __init__(self, status: int, message: str, error_type: str) -> None:
        super().__init__(message)
        self.status, self.message, self.error_type = status, message, error_type

    def response(self) -> Response:
        return gateway(self.status, self.message, self.error_type)


def required(field: str) -> str:
    """The one validation sentence observed from the live service."""
    return f"ValidationError: {field} is a required property but has no value when trying to save item"


def not_found(what: str) -> QrveyError:
    return QrveyError(404, f"{what} not found")


def missing_route() -> GatewayError:
    # API Gateway's answer for a resource or method it does not know, whatever the key.
    return GatewayError(403, "Missing Authentication Token", "MissingAuthenticationTokenException")


def _epoch_seconds() -> int:
    try:
        context.platform().check_namespace(context.namespace())
        return int(context.now().timestamp())
    except ControlError:  # an invalid namespace has no clock of its own
        return int(context.platform().runtime(DEFAULT_NAMESPACE).clock.now().timestamp())


def envelope(status: int, message: str) -> Response:
    return framing.json({
        "status": "error",
        "date": _epoch_seconds(),
        "errors": [{"message": message, "messageDetails": True, "stack": f"Error: {message}\n{STACK_FRAME}"}],
    }, status)


def gateway(status: int, message: str, error_type: str) -> Response:
    response = framing.json({"message": message}, status)
    response.headers["x-amzn-ErrorType"] = error_type
    return response


# API Gateway's own answers for what never reaches Qrvey's Lambda.
GATEWAY_ANSWERS = {
    413: ("Request Too Long", "RequestTooLargeException"),
    429: ("Too Many Requests", "TooManyRequestsException"),
    502: ("Internal server error", "BadGatewayException"),
    503: ("Service Unavailable", "ServiceUnavailableException"),
    504: ("Endpoint request timed out", "IntegrationTimeout"),
}


def for_platform(error: PlatformError, unknown_route: Callable[[], GatewayError | QrveyError]) -> Response:
    """The answer to an error the platform produced; ``unknown_route`` words a routing failure."""
    if error.status in (404, 405):
        if error.message is None:
            return unknown_route().response()
        return envelope(404, error.message)  # the platform's reason: the namespace in the path is unusable
    if error.status in GATEWAY_ANSWERS:
        return gateway(error.status, *GATEWAY_ANSWERS[error.status])
    return envelope(error.status, error.message or ("Internal Server Error" if error.status >= 500 else "Bad Request"))
