"""navl's flattening pass: structural errors (``DataError`` -> 400 Integrity Error) and junk keys."""

from __future__ import annotations

from typing import Any

from .errors import IntegrityError

SUBSCHEMAS = ("resources", "tags", "extras", "groups", "relationships_as_object", "relationships_as_subject")

FlatKey = tuple[Any, ...]


class DataError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def flatten(data: dict[str, Any], prefix: FlatKey = ()) -> dict[FlatKey, Any]:
    flat: dict[FlatKey, Any] = {}
    for key, value in data.items():
        path = (*prefix, key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for number, item in enumerate(value):
                if not isinstance(item, dict):
                    raise DataError("Values in lists need to be dicts")
                flat.update(flatten(item, (*path, number)))
        else:
            flat[path] = value
    return flat


def check(data: dict[str, Any]) -> list[FlatKey]:
    """Raise the Integrity Error CKAN gives for a misshapen body; return the keys navl files as junk."""
    try:
        flat = flatten(data)
        junk: list[FlatKey] = []
        for key, value in flat.items():
            if len(key) == 1:
                # Anything but a list of objects, even null or "", except the empty list.
                if key[0] in SUBSCHEMAS and value != []:
                    raise DataError(f"Only lists of dicts can be placed against subschema {key!r}, "
                                    f"not {type(value)}")
            elif not (len(key) == 3 and key[0] in SUBSCHEMAS):
                junk.append(key)
        return junk
    except DataError as exc:
        raise IntegrityError(exc.message) from None


def junk_message(junk: list[FlatKey]) -> str:
    return f"The input field {junk!r} was not expected."
