"""Reading uploaded JSON files: newline-delimited (one object per line) and a JSON array of objects.

Each object is a row, its keys the variables [doc: "Tabular data", supported file types]; the types are
inferred from the values' text with the delimited rules (``variables.TypeGuess``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from emulator import jsontext
from emulator.providers.base import Record

from . import settings, variables

_BOM = b"\xef\xbb\xbf"


class _Unreadable(ValueError):
    """The file fails; the message says why."""


def _reason(exc: ValueError | RecursionError, *, line: bool) -> str:
    """Why JSON text could not be read; ``line``: name the line of the position too (not for a one-line row)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}" if line else f"{exc.msg} at column {exc.colno}"
    if isinstance(exc, RecursionError):  # Python's decoder gives up on very deep nesting
        return "values are nested too deeply"
    if isinstance(exc, jsontext.Unportable):
        return str(exc)
    return "a number has too many digits"  # the one other ValueError: int() refuses a number that long


def _lines(data: bytes) -> Iterator[tuple[int, Any]]:
    """(line number, JSON value) for each line holding more than white space."""
    for number, line in enumerate(io.BytesIO(data.removeprefix(_BOM)), start=1):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise _Unreadable(settings.MSG_UPLOAD_ENCODING) from None
        try:
            value = jsontext.loads(text)
        except (ValueError, RecursionError) as exc:
            reason = _reason(exc, line=False)
            raise _Unreadable(settings.MSG_UPLOAD_JSON_LINE.format(line=number, reason=reason)) from None
        yield number, value


def _items(data: bytes) -> Iterator[tuple[int, Any]]:
    """(item number, JSON value) for each item of the file's top-level array."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unreadable(settings.MSG_UPLOAD_ENCODING) from None
    if not text.strip():
        raise _Unreadable(settings.MSG_UPLOAD_EMPTY)
    try:
        document = jsontext.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _Unreadable(settings.MSG_UPLOAD_JSON.format(reason=_reason(exc, line=True))) from None
    if not isinstance(document, list):
        raise _Unreadable(settings.MSG_UPLOAD_JSON_ARRAY)
    yield from enumerate(document, start=1)


class _Columns:
    """The variables met so far, in the order first met, with a type guess each."""

    def __init__(self) -> None:
        self.by_key: dict[str, tuple[str, variables.TypeGuess]] = {}  # key -> (variable name, its type guess)
        self.key_by_name: dict[str, str] = {}  # folded variable name -> the key that gave it

    def add(self, record: Record) -> None:
        for key, value in record.items():
            column = self.by_key.get(key) or self._new(key)
            column[1].add(variables.text_of(value))

    def _new(self, key: str) -> tuple[str, variables.TypeGuess]:
        name = variables.variable_name(key, len(self.by_key))
        earlier = self.key_by_name.get(name.lower())
        if earlier is not None:
            raise _Unreadable(settings.MSG_UPLOAD_DUPLICATE_KEY.format(name=name, first=earlier, second=key))
        if len(self.by_key) == settings.MAX_VARIABLES:
            raise _Unreadable(settings.MSG_UPLOAD_TOO_MANY_VARIABLES.format(limit=settings.MAX_VARIABLES))
        self.key_by_name[name.lower()] = key
        self.by_key[key] = column = (name, variables.TypeGuess())
        return column

    def variables(self) -> list[Record]:
        return [{"name": name, "type": guess.result()} for name, guess in self.by_key.values()]


def _parse(rows: Iterator[tuple[int, Any]], not_an_object: str) -> variables.Parsed:
    """One pass over the rows, keeping a type guess per variable rather than the rows."""
    columns, num_rows = _Columns(), 0
    try:
        for number, row in rows:
            if not isinstance(row, dict):
                raise _Unreadable(not_an_object.format(number=number))
            columns.add(row)
            num_rows += 1
    except _Unreadable as exc:
        return variables.Parsed(error=str(exc))
    if num_rows == 0:
        return variables.Parsed(error=settings.MSG_UPLOAD_EMPTY)
    return variables.Parsed(num_rows=num_rows, variables=columns.variables())


def parse_ndjson(data: bytes, options: Record) -> variables.Parsed:
    """A newline-delimited JSON file: one object per line (blank lines skipped)."""
    return _parse(_lines(data), settings.MSG_UPLOAD_JSON_LINE_OBJECT)


def parse_json(data: bytes, options: Record) -> variables.Parsed:
    """A JSON file: an array of objects, one per row. Read whole, as its format requires."""
    return _parse(_items(data), settings.MSG_UPLOAD_JSON_ITEM)
