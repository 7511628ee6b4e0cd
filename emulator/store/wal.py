"""The write-ahead log: one line per write, in files ``<state file>.log.<generation>``.

An entry is ``{"t": table, "k": key, "i": TinyDB doc id, "r": record}`` (a put), the same without ``r``
(a delete), or ``{"drop": table}``. Lines are only appended, and a write is acknowledged once its line
is fsynced; a log is complete before the next generation's log is created. So after a crash the only
line that may be incomplete is the last line of the newest log: a write that was never acknowledged.
Any other line that is not a well-formed entry is damage, never a reason to stop reading quietly.

A line is ``<checksum> <number> <entry>``: 8 lowercase hex digits of the CRC-32 of the bytes after them
(up to the newline), the line's number in its log (1 for the first), the entry. A prefix in front keeps
the entry plain JSON up to the end of the line and the line simple to split; the number, under the
checksum, makes a valid line that was swapped, copied or moved from elsewhere as detectable as a changed
byte. Each line is checked on its own, so a repair keeps every line around a damaged one: a line whose
checksum matches and whose number is higher than the last line kept.

Logs of the previous version have no checksums. A log is in that format when none of its lines has one;
the store never appends to such a log (it starts the next generation), so in a log where any line has a
checksum, every line must have one: a damaged line cannot pass for an old one.
"""

from __future__ import annotations

import glob
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .errors import DamagedFile
from .tables import RECORD_DECODER


def path_of(state: Path, generation: int) -> Path:
    return state.with_name(f"{state.name}.log.{generation}")


def logs(state: Path) -> list[tuple[int, Path]]:
    """The logs beside a state file, oldest generation first."""
    name = re.compile(re.escape(state.name) + r"\.log\.(\d+)")
    found = []
    for log in state.parent.glob(glob.escape(state.name) + ".log.*"):
        match = name.fullmatch(log.name)
        if match:
            found.append((int(match.group(1)), log))
    return sorted(found)


PREFIX = re.compile(rb"([0-9a-f]{8}) ([1-9][0-9]*) ")  # checksum and number before an entry


def put_line(table: str, key: str, doc_id: int, record_json: str) -> str:
    """The entry of a put (``framed`` makes it a log line)."""
    return f'{{"t":{json.dumps(table)},"k":{json.dumps(key)},"i":{doc_id},"r":{record_json}}}'


def delete_line(table: str, key: str, doc_id: int) -> str:
    return f'{{"t":{json.dumps(table)},"k":{json.dumps(key)},"i":{doc_id}}}'


def drop_line(table: str) -> str:
    return f'{{"drop":{json.dumps(table)}}}'


def framed(entry: str, number: int) -> str:
    """The log line of ``entry`` as line ``number`` of its log."""
    checked = f"{number} {entry}"
    return f"{zlib.crc32(checked.encode()):08x} {checked}\n"


def _well_formed(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    if entry.keys() == {"drop"}:
        return isinstance(entry["drop"], str)
    doc_id = entry.get("i", 1)  # lines written before document ids were logged have none
    return ({"t", "k"} <= entry.keys() <= {"t", "k", "i", "r"} and isinstance(entry["t"], str)
            and isinstance(entry["k"], str) and type(doc_id) is int and doc_id > 0
            and isinstance(entry.get("r", {}), dict))


class LogReader:
    """Reads one log; after ``entries()``: ``damaged`` line numbers (when told to go on); ``torn``, the byte
    length of the complete lines when the newest log ends in an incomplete one; ``lines``, the number of
    the last line (None in a log of the previous version, which takes no new lines)."""

    def __init__(self, path: Path, newest: bool) -> None:
        self.path, self.newest = path, newest
        self.damaged: list[int] = []
        self.torn: int | None = None
        self.lines: int | None = 0

    def entries(self, go_on: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(line number, entry)`` of every well-formed line; a damaged line raises ``DamagedFile``,
        or with ``go_on`` is left out and its number recorded."""
        offset = kept = 0  # the number written in the last line kept
        with open(self.path, "rb") as fh:
            checked = not _of_previous_version(fh)
            fh.seek(0)
            for number, line in enumerate(fh, 1):
                if not line.endswith(b"\n"):  # the last line of the file
                    if self.newest:
                        self.torn = offset  # a torn write: never acknowledged
                        return
                    reason = "an incomplete line in a log that was complete when the next one began"
                else:
                    self.lines = number if checked else None
                    entry, written, reason = _entry(line, checked)
                    # A repair keeps lines around lost or merged ones, in the order they were written.
                    if written is not None and (written <= kept if go_on else written != number):
                        reason = f"out of place: it was written as line {written}"
                offset += len(line)
                if reason is None:
                    kept = written or number
                    yield number, entry
                elif go_on:
                    self.damaged.append(number)
                else:
                    raise DamagedFile(self.path, number, reason)


def _of_previous_version(fh: BinaryIO) -> bool:
    """Whether a log has lines and none with a checksum. (Not an empty log: a server may be appending to it.)"""
    lines = False
    for line in fh:
        if PREFIX.match(line):
            return False
        lines = True
    return lines


def _entry(line: bytes, checked: bool) -> tuple[Any, int | None, str | None]:
    """The entry of a complete line, the number written in it, and None; or why the line is damaged."""
    prefix = PREFIX.match(line) if checked else None
    body = line[prefix.end():-1] if prefix else line[:-1]
    try:
        entry = RECORD_DECODER.decode(body.decode())
    except UnicodeDecodeError:
        return None, None, "not valid UTF-8"
    except json.JSONDecodeError as exc:
        return None, None, f"not valid JSON ({exc.msg})"
    if not _well_formed(entry):
        return None, None, "not a log entry"
    if not checked:
        return entry, None, None
    if not prefix:
        return None, None, "no checksum, in a log whose other lines have one"
    if zlib.crc32(line[9:-1]) != int(prefix[1], 16):
        return None, None, "its checksum does not match: it changed after the server wrote it"
    return entry, int(prefix[2]), None
