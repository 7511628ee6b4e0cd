"""``_get_request_data`` of CKAN's action view: form, legacy single-field JSON, query string or JSON body."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import UnsupportedMediaType

from emulator import jsontext

from . import quirks
from .errors import BadRequest, HtmlError

#: repr() of the exception Flask raises for undecodable JSON, as CKAN embeds it in its message.
FLASK_JSON_ERROR_REPR = "<BadRequest '400: Bad Request'>"
#: The only bodies werkzeug's form parser reads; for any other type ``form`` and ``files`` are empty, so
#: not touching them skips building the parser on every JSON request.
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


class Upload(str):
    """A file part of a multipart body, as an action sees CKAN's ``FileStorage`` value.

    As text it is that object's repr (what a key holding it shows wherever the body is echoed); ``filename``
    and ``content`` are what the resource actions store. Only a multipart body can make one.
    """

    filename: str
    content: bytes

    def __new__(cls, upload: FileStorage) -> Upload:
        text = super().__new__(cls, repr(upload))
        text.filename = upload.filename or ""
        text.content = upload.read()
        return text


def _mixed(multi: MultiDict) -> dict[str, Any]:
    """One value stays a string; a repeated key becomes a list of strings."""
    return {key: values[0] if len(values) == 1 else values for key, values in multi.to_dict(flat=False).items()}


def _json_error(message: str) -> BadRequest:
    return BadRequest(f"JSON Error: {message}")


def _loads(text: str | bytes) -> Any:
    """Python's json, as CKAN reads bodies: NaN and Infinity are floats its validators turn into strings.

    A lone surrogate is one of CKAN's own 500s (see quirks).
    """
    try:
        return jsontext.loads(text, nan=True)
    except jsontext.Unportable:
        quirks.lone_surrogate()


def parse(side_effect_free: bool) -> dict[str, Any]:
    if request.method == "GET" and not side_effect_free:
        raise _json_error("Invalid request. Please use POST method for your request")
    data: Any = {}
    is_form = request.mimetype in FORM_MIMETYPES
    if is_form and request.form:
        first_values = list(request.form.values())
        if len(first_values) == 1 and first_values[0] in ("1", ""):
            # jQuery-style legacy posts send the JSON document as the single field's name.
            try:
                data = _loads(next(iter(request.form.keys())))
            except ValueError as exc:
                raise _json_error(f"Error decoding JSON data. Error: {exc!r} "
                                  "JSON data extracted from the request: {}") from None
        else:
            data = _mixed(request.form)
    elif side_effect_free and request.args:
        data = _mixed(request.args)
    elif request.get_data(cache=True) and request.mimetype != "multipart/form-data":
        try:
            if not request.is_json:
                request.on_json_loading_failed(None)  # werkzeug's 415, as get_json raises it
            data = _loads(request.get_data(cache=True))
        except UnsupportedMediaType as exc:
            raise HtmlError(415, exc.description) from None
        except (ValueError, RecursionError):
            raise _json_error(f"Error decoding JSON data. Error: {FLASK_JSON_ERROR_REPR} "
                              "JSON data extracted from the request: {}") from None
    if not isinstance(data, dict):
        raise _json_error(f"Request data JSON decoded to {data!r} but it needs to be a dictionary.")
    if is_form:
        for key, upload in request.files.items(multi=True):
            data[key] = Upload(upload)
    return data
