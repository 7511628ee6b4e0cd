"""Reading an uploaded delimited file: its rows, its variables and their inferred types; variable resources."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

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


def value_type(values: list[str]) -> str:
    present = [v for v in values if v != ""]
    if not present:
        return "string"
    for name, pattern in _PATTERNS:
        if all(pattern.fullmatch(v) for v in present):
            return name
    return "string"


def wider(old: str, new: str) -> str:
    if old == new:
        return old
    return _WIDER.get(frozenset({old, new}), "string")


def _delimiter(text: str, given: str | None, file_name: str) -> str:
    if given:
        return given
    if file_name.lower().endswith((".tsv", ".tab")):
        return "\t"
    first_line = text.split("\n", 1)[0]
    return max(",\t|;", key=first_line.count) if any(c in first_line for c in ",\t|;") else ","


def parse_delimited(data: bytes, options: Record, file_name: str) -> Parsed:
    """Rows and inferred variables of a delimited file; ``error`` set for a file Redivis would fail."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Parsed(error=settings.MSG_UPLOAD_ENCODING)
    if not text.strip():
        return Parsed(error=settings.MSG_UPLOAD_EMPTY)
    quote = options.get("quoteCharacter") or '"'
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, options.get("delimiter"),
                        file_name), quotechar=quote, escapechar=options.get("escapeCharacter") or None)
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        return Parsed(error=settings.MSG_UPLOAD_UNREADABLE.format(reason=exc))
    has_header = options.get("hasHeaderRow", True) is not False
    width = max(len(row) for row in rows) if options.get("allowJaggedRows") else len(rows[0])
    if width > settings.MAX_VARIABLES:
        return Parsed(error=settings.MSG_UPLOAD_TOO_MANY_VARIABLES.format(limit=settings.MAX_VARIABLES))
    header = rows[0] if has_header else [f"f{i}" for i in range(width)]
    body = rows[1:] if has_header else rows
    names = [variable_name(cell, i) for i, cell in enumerate(header)]
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            return Parsed(error=settings.MSG_UPLOAD_DUPLICATE_HEADER.format(name=name))
        seen.add(name.lower())
    kept = []
    for number, row in enumerate(body, start=2 if has_header else 1):
        if len(row) != len(names) and not options.get("allowJaggedRows"):
            if options.get("skipBadRecords"):
                continue
            return Parsed(error=settings.MSG_UPLOAD_JAGGED.format(row=number, found=len(row), expected=len(names)))
        kept.append(row + [""] * (len(names) - len(row)))
    null_markers = set(options.get("nullMarkers") or [])
    columns = [[("" if row[i] in null_markers else row[i]) for row in kept] for i in range(len(names))]
    variables = [{"name": name, "type": value_type(column)} for name, column in zip(names, columns, strict=True)]
    return Parsed(num_rows=len(kept), variables=variables)


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
