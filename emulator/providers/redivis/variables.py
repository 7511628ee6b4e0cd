"""Reading uploaded tables of text cells (delimited files, and the rows json_uploads and excel_uploads read):
their rows, their variables and the types inferred from the values' text; variable resources."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from emulator.providers.base import Record

from . import settings

# Checked in this order: the first type every non-empty value of a column matches wins (ASSUMPTION).
_PATTERNS = [
    ("integer", re.compile(r"^[+-]?\d{1,18}$")),
    ("float", re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")),
    ("boolean", re.compile(r"^(?:true|false)$", re.IGNORECASE)),
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("dateTime", re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")),
    ("time", re.compile(r"^\d{2}:\d{2}:\d{2}(?:\.\d+)?$")),
]
# Two uploads that disagree on a column's type: the wider type (an integer column meeting floats is float).
_WIDER = {frozenset({"integer", "float"}): "float", frozenset({"date", "dateTime"}): "dateTime"}
_NOT_NAME_CHAR = re.compile(r"[^A-Za-z0-9_]")


@dataclass
class Parsed:
    """What an upload contributes to its table, or why it failed."""

    num_rows: int = 0
    variables: list[Record] = field(default_factory=list)  # [{"name", "type"}] in column order
    error: str | None = None


def variable_name(header: str, position: int) -> str:
    """A header cell as a variable name: letters, digits and underscores, case kept (as recorded)."""
    cleaned = _NOT_NAME_CHAR.sub("_", header.strip()).strip("_")
    return cleaned or f"f{position}"


class TypeGuess:
    """A column's type, inferred one value at a time: the patterns every non-empty value so far matched."""

    __slots__ = ("candidates", "seen")

    def __init__(self) -> None:
        self.candidates, self.seen = _PATTERNS, False

    def add(self, value: str) -> None:
        if value == "" or not self.candidates:
            return
        self.seen = True
        matches = [pattern.fullmatch(value) is not None for _, pattern in self.candidates]
        if not all(matches):
            self.candidates = [candidate for candidate, match in zip(self.candidates, matches, strict=True) if match]

    def result(self) -> str:
        return self.candidates[0][0] if self.seen and self.candidates else "string"


def text_of(value: Any) -> str:
    """A typed value (JSON's, a spreadsheet cell's) as the text its type is inferred from, as a delimited
    file would write it; nested objects and arrays as their JSON text (an ASSUMPTION, see settings)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def wider(old: str, new: str) -> str:
    if old == new:
        return old
    return _WIDER.get(frozenset({old, new}), "string")


def _delimiter(first_line: str, given: str | None, file_name: str) -> str:
    if given:
        return given
    if file_name.lower().endswith((".tsv", ".tab")):
        return "\t"
    return max(",\t|;", key=first_line.count) if any(c in first_line for c in ",\t|;") else ","


def _text(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def _first_line(data: bytes) -> str | None:
    """The text's first line (up to its first newline) if the file is UTF-8 text with more than white space.

    Read in chunks, so that a large file is never held as one string besides its bytes.
    """
    first, ended, blank = "", False, True
    with _text(data) as stream:
        try:
            while chunk := stream.read(1 << 20):
                blank = blank and not chunk.strip()
                if not ended:
                    head, newline, _ = chunk.partition("\n")
                    first, ended = first + head, bool(newline)
        except UnicodeDecodeError:
            raise ValueError(settings.MSG_UPLOAD_ENCODING) from None
    if blank:
        raise ValueError(settings.MSG_UPLOAD_EMPTY)
    return first


def parse_delimited(data: bytes, options: Record, file_name: str) -> Parsed:
    """Rows and inferred variables of a delimited file; ``error`` set for a file Redivis would fail."""
    try:
        first_line = _first_line(data)
    except ValueError as exc:
        return Parsed(error=str(exc))
    with _text(data) as stream:
        reader = csv.reader(stream, delimiter=_delimiter(first_line, options.get("delimiter"), file_name),
                            quotechar=options.get("quoteCharacter") or '"',
                            escapechar=options.get("escapeCharacter") or None)
        try:
            return tabulate(reader, options)
        except csv.Error as exc:
            return Parsed(error=settings.MSG_UPLOAD_UNREADABLE.format(reason=exc))


def tabulate(rows: Iterable[list[str]], options: Record, *, trailing_cells_optional: bool = False) -> Parsed:
    """Rows of text cells (a header row first unless ``hasHeaderRow`` is false) as rows and typed variables.

    One pass over the rows, keeping a type guess per column rather than the rows: memory follows the
    number of columns, not the size of the file. Errors rank as if the whole file were read first: one the
    reader cannot read (raised by ``rows``), then too many variables, a duplicate header, a jagged row.
    ``trailing_cells_optional``: a row may stop early (a spreadsheet stores no empty trailing cells), and
    without a header the widest row gives the number of columns.
    """
    has_header = options.get("hasHeaderRow", True) is not False
    jagged_ok, skip_bad = bool(options.get("allowJaggedRows")), bool(options.get("skipBadRecords"))
    widest = jagged_ok or (trailing_cells_optional and not has_header)
    null_markers = set(options.get("nullMarkers") or [])
    header: list[str] | None = None
    guesses: list[TypeGuess] = []
    width = num_rows = number = 0  # number: of the row among the non-empty ones, the header's being 1
    jagged: str | None = None
    for row in rows:
        if not row:
            continue
        number += 1
        if header is None:
            width = len(row)
            if has_header:
                header = row
                continue
            header = []
        width = max(width, len(row)) if widest else width
        expected = len(header) if has_header else width
        short_allowed = trailing_cells_optional and len(row) < expected
        if len(row) != expected and not jagged_ok and not short_allowed:
            if not skip_bad and jagged is None:
                jagged = settings.MSG_UPLOAD_JAGGED.format(row=number, found=len(row), expected=expected)
            continue
        guesses.extend(TypeGuess() for _ in range(len(row) - len(guesses)))
        for guess, value in zip(guesses, row, strict=False):
            guess.add("" if value in null_markers else value)
        num_rows += 1
    if number == 0:
        return Parsed(error=settings.MSG_UPLOAD_EMPTY)
    if width > settings.MAX_VARIABLES:
        return Parsed(error=settings.MSG_UPLOAD_TOO_MANY_VARIABLES.format(limit=settings.MAX_VARIABLES))
    names = [variable_name(cell, i) for i, cell in enumerate((header or []) if has_header else [""] * width)]
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            return Parsed(error=settings.MSG_UPLOAD_DUPLICATE_HEADER.format(name=name))
        seen.add(name.lower())
    if jagged:
        return Parsed(error=jagged)
    guesses.extend(TypeGuess() for _ in range(len(names) - len(guesses)))
    variables = [{"name": name, "type": guess.result()} for name, guess in zip(names, guesses, strict=False)]
    return Parsed(num_rows=num_rows, variables=variables)


def merge(current: list[Record], incoming: list[Record]) -> list[Record]:
    """The table's variables after an upload: existing ones keep their place, new ones are appended."""
    merged = [dict(v) for v in current]
    by_name = {v["name"].lower(): v for v in merged}
    for variable in incoming:
        known = by_name.get(variable["name"].lower())
        if known is None:
            merged.append(dict(variable))
            by_name[variable["name"].lower()] = merged[-1]
        else:
            known["type"] = wider(known["type"], variable["type"])
    return merged


def find(variables: list[Record], name: str) -> tuple[int, Record] | None:
    folded = name.lower()
    return next(((i, v) for i, v in enumerate(variables) if v["name"].lower() == folded), None)


def resource(variable: Record, index: int, parent_uri: str, site_url: str, *, full: bool = False) -> Record:
    """The recorded variableList item; ``full`` adds what a variable get returns beyond it (ASSUMPTION)."""
    body = {"kind": "variable", "uri": f"{parent_uri}/variables/{variable['name'].lower()}",
            "url": f"{site_url}&variable={variable['name']}", "name": variable["name"], "type": variable["type"],
            "isFileId": False, "index": index, "label": variable.get("label")}
    if full:
        body.update({"description": variable.get("description"), "valueLabels": variable.get("valueLabels", [])})
    return body
