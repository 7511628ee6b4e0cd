"""Apify's error envelope ``{"error": {"type", "message"[, "data"]}}`` and every error the emulator sends."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response, request

from emulator import framing
from emulator.errors import PlatformError

from .settings import HTTP_METHODS, SCHEMA_INVALID_MESSAGE, config


class ApifyError(Exception):
    """An API error; the blueprint's error handler renders it."""

    def __init__(self, status: int, type_: str, message: str, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.type, self.message, self.data = status, type_, message, data

    def response(self) -> Response:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return framing.json({"error": error}, self.status)


NAME_RULE = ("name can only contain letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-') "
             "but only in the middle of the string (e.g. 'my-value-1')")


def token_not_provided() -> ApifyError:
    return ApifyError(401, "token-not-provided", "Authentication token was not provided")


def user_or_token_not_found() -> ApifyError:
    return ApifyError(401, "user-or-token-not-found", "User was not found or authentication token is not valid")


def insufficient_permissions() -> ApifyError:
    return ApifyError(403, "insufficient-permissions",
                      "Insufficient permissions for the dataset. Make sure you're passing a correct API token "
                      "and that it has the required permissions.")


def dataset_not_found() -> ApifyError:
    return ApifyError(404, "record-not-found", "Dataset was not found")


def page_not_found() -> ApifyError:
    return ApifyError(404, "page-not-found",
                      "We have bad news: there is no API endpoint at this URL. Did you specify it correctly?")


def method_not_allowed(methods: Iterable[str]) -> ApifyError:
    listed = ", ".join(["OPTIONS", *[m for m in methods if m not in ("OPTIONS", "HEAD")]])
    return ApifyError(405, "method-not-allowed",
                      f"This API endpoint can only be accessed using the following HTTP methods: {listed}")


def invalid_name() -> ApifyError:
    # ASSUMPTION: one wording for pattern and length (1-63) failures, as for key-value stores.
    return ApifyError(400, "invalid-value", f"Invalid value provided in dataset: {NAME_RULE}")


def invalid_value(message: str) -> ApifyError:
    return ApifyError(400, "invalid-value", f"Invalid value provided in dataset: {message}")


def name_taken(name: str) -> ApifyError:
    # ASSUMPTION: renaming onto a name the user already uses; the live wording is unknown.
    return ApifyError(400, "invalid-value", f'Invalid value provided in dataset: name "{name}" is already used '
                      "by another dataset of this user")


def not_json_object() -> ApifyError:
    return ApifyError(400, "invalid-request", "POST data must be a JSON object")


def item_not_object() -> ApifyError:
    # ASSUMPTION: crawlee memory storage's wording.
    return ApifyError(400, "invalid-request", "Each dataset item must be a JSON object")


def invalid_parameter(name: str, expected: str) -> ApifyError:
    # ASSUMPTION: wording of query parameter errors.
    return ApifyError(400, "invalid-parameter", f'Parameter "{name}" {expected}')


def payload_too_large(limit: int, actual: int | None) -> ApifyError:
    shown = actual if actual is not None else "unknown"
    return ApifyError(413, "request-too-large",
                      f"The POST payload is too large (limit: {limit} bytes, actual length: {shown} bytes).")


def unsupported_encoding(encoding: str) -> ApifyError:
    return ApifyError(415, "unsupported-content-encoding", f'Content-Encoding "{encoding}" is not supported.')


def schema_validation(invalid_items: list[dict[str, Any]]) -> ApifyError:
    return ApifyError(400, "schema-validation-error", "Schema validation failed",
                      {"invalidItems": invalid_items})


def dataset_schema_invalid(detail: str) -> ApifyError:
    # Type and status from Apify's error list (storage.ts); the message is an ASSUMPTION (settings).
    return ApifyError(400, "dataset-schema-invalid", SCHEMA_INVALID_MESSAGE.format(detail=detail))


def rate_limited() -> ApifyError:
    return ApifyError(429, "rate-limit-exceeded", "You have exceeded the rate limit. Please try again later.")


def server_error(status: int) -> ApifyError:
    # ASSUMPTION: wording of Apify's internal errors; only sent when a test injects a fault.
    return ApifyError(status, "internal-server-error", "Internal server error")



def for_platform(error: PlatformError) -> ApifyError:
    """Apify's error for an answer the platform makes (unknown route, wrong method, refusal, fault)."""
    status, message = error.status, error.message
    if status == 404:
        return page_not_found()
    if status == 405:
        return method_not_allowed(m for m in HTTP_METHODS if m in error.allowed_methods)
    if status == 413:
        return payload_too_large(config()["payloadLimitBytes"], request.content_length)
    if status == 403:  # the platform refuses (a Host, a namespace beyond the cap) as Apify refuses access
        return ApifyError(403, "insufficient-permissions", message or "Insufficient permissions")
    if status == 429:
        return rate_limited()
    if status >= 500:
        return server_error(status)
    return ApifyError(status, "invalid-request", message or "Invalid request")
