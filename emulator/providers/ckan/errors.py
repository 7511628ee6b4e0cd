"""CKAN's error answers: one exception family, rendered by one function.

Action errors use the ``{"help", "error", "success": false}`` envelope; failures before the action
runs are a bare JSON string; routing failures (404/405/415) are HTML pages, as Flask renders them in CKAN.
"""

from __future__ import annotations

from html import escape
from typing import Any

from flask import Response
from werkzeug.exceptions import default_exceptions

from emulator import framing
from emulator.errors import PlatformError

JSON_CONTENT_TYPE = "application/json;charset=utf-8"
#: What CKAN's API sends with every JSON answer (simplejson's default encoding, as ``json.dumps``'s).
JSON_HEADERS = (("Cache-Control", "public, max-age=0, must-revalidate"), ("Vary", "Cookie"))
#: Plain (non-list) error keys sort first, list sub-schema keys after them, ``__type`` last.
LIST_FIELDS = frozenset({"extras", "groups", "resources", "tags",
                         "relationships_as_object", "relationships_as_subject"})


class CkanError(Exception):
    status = 500

    def error(self) -> dict[str, Any]:
        return {"__type": "Internal Server Error", "message": "Internal Server Error"}


class InternalError(CkanError):
    """Any unexpected exception inside an action (CKAN's catch-all 500)."""


class ValidationError(CkanError):
    status = 409

    def __init__(self, error_dict: dict[str, Any]) -> None:
        super().__init__(error_dict)
        self.error_dict = error_dict

    def error(self) -> dict[str, Any]:
        return {**order_errors(self.error_dict), "__type": "Validation Error"}


class NotAuthorized(CkanError):
    status = 403

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def error(self) -> dict[str, Any]:
        text = f"Access denied: {self.message}" if self.message else "Access denied"
        return {"__type": "Authorization Error", "message": text}


class NotFound(CkanError):
    status = 404

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def error(self) -> dict[str, Any]:
        text = f"Not found: {self.message}" if self.message else "Not found"
        return {"__type": "Not Found Error", "message": text}


class IntegrityError(CkanError):
    """navl's ``DataError``: the body's structure does not fit the schema.

    ``data`` echoes the request's body (as the action left it), which the action view fills in.
    """

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.data: dict[str, Any] = {}

    def error(self) -> dict[str, Any]:
        return {"__type": "Integrity Error", "message": self.message, "data": self.data}


class BadRequest(CkanError):
    """Failure before the action runs: a 400 whose body is a bare JSON string."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class HtmlError(CkanError):
    """A routing-level failure Flask answers with CKAN's HTML error page."""

    def __init__(self, status: int, description: str | None = None) -> None:
        super().__init__(status)
        self.status, self.description = status, description


def order_errors(errors: dict[str, Any]) -> dict[str, Any]:
    """CKAN's error-dict key order: plain keys alphabetically, then list keys alphabetically."""
    plain = sorted(k for k in errors if k not in LIST_FIELDS)
    lists = sorted(k for k in errors if k in LIST_FIELDS)
    return {k: errors[k] for k in plain + lists}


def html_response(status: int, description: str | None = None) -> Response:
    known = default_exceptions.get(status)
    exc = known() if known else None
    name = exc.name if exc else "Error"
    description = description or ((exc.description or "") if exc else "")
    page = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Error {status} - CKAN</title>\n</head>\n<body>\n"
            f"<h1>{status} {escape(name)}</h1>\n<p>{escape(description)}</p>\n</body>\n</html>\n")
    return framing.body(page, status, "text/html; charset=utf-8")


def render(exc: CkanError, help_: str | None) -> Response:
    """The one place that turns a CKAN error into its wire form."""
    if isinstance(exc, HtmlError):
        return html_response(exc.status, exc.description)
    if isinstance(exc, BadRequest):
        return framing.json(f"Bad request - {exc.message}", 400)
    if help_ is None:
        return html_response(exc.status)
    return framing.json({"help": help_, "error": exc.error(), "success": False}, exc.status)


def for_platform(error: PlatformError, help_: str | None) -> Response:
    """CKAN's answer to an error the platform produced; ``help_``: the help URL of the action called, if any.

    A 500 or a refusal inside an action keeps the JSON envelope; everything else is Flask's HTML page in CKAN.
    """
    if error.status == 500 and help_:
        return render(InternalError(), help_)
    if error.status == 403 and help_:  # a refusal inside an action is CKAN's Authorization Error, message kept
        return render(NotAuthorized(error.message or ""), help_)
    if error.status == 400:
        return render(BadRequest(error.message or "Bad Request"), None)
    return html_response(error.status)
