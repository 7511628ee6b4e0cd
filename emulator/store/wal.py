"""The write-ahead log: one JSON line per write, in files ``<state file>.log.<generation>``.

A line is ``{"t": table, "k": key, "i": TinyDB doc id, "r": record}`` (a put), the same without ``r``
(a delete), or ``{"drop": table}``. Lines are only appended, and a write is acknowledged once its line
is fsynced; a log is complete before the next generation's log is created. So after a crash the only
line that may be incomplete is the last line of the newest log: a write that was never acknowledged.
Any other line that is not a well-formed entry is damage, never a reason to stop reading quietly.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def put_line(table: str, key: str, doc_id: int, record_json: str) -> str:
    return f'{{"t":{json.dumps(table)},"k":{json.dumps(key)},"i":{doc_id},"r":{record_json}}}\n'


def delete_line(table: str, key: str, doc_id: int) -> str:
    return f'{{"t":{json.dumps(table)},"k":{json.dumps(key)},"i":{doc_id}}}\n'


def drop_line(table: str) -> str:
    return f'{{"drop":{json.dumps(table)}}}\n'


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
    """Reads one log; after ``entries()``: ``damaged`` line numbers (when told to go on), and ``torn``,
    the byte length of the complete lines when the newest log ends in an incomplete one."""

    def __init__(self, path: Path, newest: bool) -> None:
        self.path, self.newest = path, newest
        self.damaged: list[int] = []
        self.torn: int | None = None

    def entries(self, go_on: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(line number, entry)`` of every well-formed line; a damaged line raises ``DamagedFile``,
        or with ``go_on`` is left out and its number recorded."""
        offset = 0
        with open(self.path, "rb") as fh:
            for number, line in enumerate(fh, 1):
                if not line.endswith(b"\n"):  # the last line of the file
                    if self.newest:
                        self.torn = offset  # a torn write: never acknowledged
                        return
                    reason = "an incomplete line in a log that was complete when the next one began"
                else:
                    try:
                        entry = RECORD_DECODER.decode(line.decode())
                    except UnicodeDecodeError:
                        reason = "not valid UTF-8"
                    except json.JSONDecodeError as exc:
                        reason = f"not valid JSON ({exc.msg})"
                    else:
                        reason = None if _well_formed(entry) else "not a log entry"
                offset += len(line)
                if reason is None:
                    yield number, entry
                elif go_on:
                    self.damaged.append(number)
                else:
                    raise DamagedFile(self.path, number, reason)
