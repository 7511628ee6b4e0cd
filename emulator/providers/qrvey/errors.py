"""Qrvey's error envelope and the API Gateway answers that sit in front of it."""

from __future__ import annotations

from flask import Response, jsonify

from emulator import context
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
    response = jsonify({
        "status": "error",
        "date": _epoch_seconds(),
        "errors": [{"message": message, "messageDetails": True, "stack": f"Error: {message}\n{STACK_FRAME}"}],
    })
    response.status_code = status
    return response


def gateway(status: int, message: str, error_type: str) -> Response:
    response = jsonify({"message": message})
    response.status_code = status
    response.headers["x-amzn-ErrorType"] = error_type
    return response
