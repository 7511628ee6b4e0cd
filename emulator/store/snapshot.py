"""The snapshot: the state file as TinyDB stores it, written and read through a TinyDB ``Storage``.

Layout: TinyDB's JSON document ``{table: {"<doc id>": record}}``, one document per line and the braces
that open and close a table on lines of their own, so a damaged byte can be named by its line and every
other line can still be read. Plain ``TinyDB(path)`` reads the file as it is.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from .errors import DamagedFile

META_TABLE = "_emulator"  # holds which log generation the snapshot already contains
CHUNK = 256  # documents serialised between two yields of the GIL while writing

Document = dict[str, dict[str, Any]]


class SnapshotStorage(Storage):
    """A TinyDB storage that replaces its file atomically (a new file, fsynced, renamed over the old one)
    and refuses a damaged file with the line of the damage instead of reading past it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> Document | None:
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not text.strip():
            return None
        try:
            data = json.loads(text)
        except ValueError as exc:  # also UnicodeDecodeError
            raise self._damage(text, exc) from None
        if not _is_document(data):
            raise self._damage(text, None)
        return data

    def tables(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``read()`` one table at a time, each parsed when it is reached: a reader that keeps less than the whole
        document (records equal to ones it holds) never holds all of it. A table named twice comes twice (the
        last counts, as in ``read``). ``DamagedFile`` as from ``read``, possibly after some tables."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        if not raw or raw.isspace():  # not strip(): a copy of a big file, once freed, makes malloc keep more
            return
        try:
            for table, docs in _members(raw.decode(json.detect_encoding(raw), "surrogatepass")):
                if not (isinstance(docs, dict) and all(_is_doc(table, i, doc) for i, doc in docs.items())):
                    raise self._damage(raw, None)
                yield table, docs
        except ValueError:  # also UnicodeDecodeError: read() says where the damage is, in its words
            yield from (self.read() or {}).items()

    def write(self, data: Mapping[str, Mapping[str, Any]]) -> None:
        """Write the document piece by piece, yielding the GIL between chunks.

        A single ``json.dumps`` of 100k records holds the GIL for about a second, which would stall
        every request; per-document encoding with a yield every few hundred documents does not.
        """
        tmp = self.path.with_name(self.path.name + ".tmp")
        dumps = json.dumps
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write("{")
                for n, (table, docs) in enumerate(data.items()):
                    fh.write(f'{"," if n else ""}\n{dumps(table)}: {{')
                    chunk: list[str] = []
                    for m, (doc_id, record) in enumerate(docs.items()):
                        # TinyDB's document ids are numbers as strings: nothing to escape
                        chunk.append(f'{"," if m else ""}\n"{doc_id}": {dumps(record)}')
                        if len(chunk) >= CHUNK:
                            fh.write("".join(chunk))
                            chunk.clear()
                            time.sleep(0)  # let request threads run
                    fh.write("".join(chunk) + "\n}")
                fh.write("\n}\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def salvage(self) -> tuple[Document, list[int]]:
        """Every document that can still be read, and the numbers of the lines that cannot."""
        document: Document = {}
        damaged = []
        for line, table, doc_id, record, _reason in _scan(self.path.read_bytes()):
            if table is None:
                damaged.append(line)
            elif doc_id is None:
                document.setdefault(table, {})
            else:
                document.setdefault(table, {})[doc_id] = record
        return document, damaged

    def line_of(self, table: str) -> int:
        """The line where ``table`` begins (1 if it cannot be found)."""
        with contextlib.suppress(OSError):
            for line, name, doc_id, _record, _reason in _scan(self.path.read_bytes()):
                if name == table and doc_id is None:
                    return line
        return 1

    def _damage(self, text: bytes, error: ValueError | None) -> DamagedFile:
        for line, table, _doc_id, _record, reason in _scan(text):
            if table is None:
                return DamagedFile(self.path, line, reason)
        if isinstance(error, json.JSONDecodeError):  # damage the line scan cannot see, e.g. a lost brace
            return DamagedFile(self.path, error.lineno, f"not valid JSON ({error.msg})")
        return DamagedFile(self.path, 1, "not a TinyDB JSON document")


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace


def _members(text: str) -> Iterator[tuple[str, Any]]:
    """The members of the JSON object ``text`` is, each value parsed only when it is reached; ``ValueError``
    where the text is not one JSON object."""
    pos = _SPACE.match(text).end()
    if text[pos:pos + 1] != "{":
        raise ValueError("not a JSON object")
    pos = _SPACE.match(text, pos + 1).end()
    if text[pos:pos + 1] == "}":
        pos += 1
    else:
        while True:
            key, pos = _DECODER.raw_decode(text, pos)
            pos = _SPACE.match(text, pos).end()
            if not isinstance(key, str) or text[pos:pos + 1] != ":":
                raise ValueError("not a JSON object: a member without a name")
            value, pos = _DECODER.raw_decode(text, _SPACE.match(text, pos + 1).end())
            yield key, value
            pos = _SPACE.match(text, pos).end()
            if text[pos:pos + 1] == "}":
                pos += 1
                break
            if text[pos:pos + 1] != ",":
                raise ValueError("not a JSON object: a member not followed by , or }")
            pos = _SPACE.match(text, pos + 1).end()
    if _SPACE.match(text, pos).end() != len(text):
        raise ValueError("extra data after the JSON object")


def generation(document: Document) -> int:
    """Remove the store's own table from a document read back, and say which log generation it holds."""
    meta = document.pop(META_TABLE, None) or {}
    return max((doc["generation"] for doc in meta.values()), default=0)


def _is_document(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(docs, dict) and all(_is_doc(table, doc_id, doc) for doc_id, doc in docs.items())
        for table, docs in data.items())


def _is_doc(table: str, doc_id: str, doc: Any) -> bool:
    if table == META_TABLE:
        return isinstance(doc, dict) and type(doc.get("generation")) is int and doc["generation"] >= 0
    return doc_id.isdigit() and isinstance(doc, dict)


def _scan(text: bytes) -> Iterator[tuple[int, str | None, str | None, Any, str]]:
    """``(line, table, doc id, document, reason)`` for each line that holds a table or a document.

    A table's opening line comes with ``doc id`` None; a damaged line with ``table`` None and the
    reason. Documents of a table whose opening line is damaged are damaged too: nothing says where
    they belong.
    """
    table = None
    for number, raw in enumerate(text.split(b"\n"), 1):
        line = raw.strip().removesuffix(b",")
        if line in (b"", b"{"):
            continue
        if line == b"}":
            table = None
            continue
        opens = line.endswith(b"{")
        try:
            item = json.loads(b"{" + line + (b"}}" if opens else b"}"))
        except UnicodeDecodeError:
            yield number, None, None, None, "not valid UTF-8"
            table = None if opens else table
            continue
        except json.JSONDecodeError as exc:
            yield number, None, None, None, f"not valid JSON ({exc.msg})"
            table = None if opens else table
            continue
        if len(item) != 1:
            yield number, None, None, None, "not one TinyDB document"
            continue
        (key, value), = item.items()
        if opens:
            table = key
            yield number, table, None, None, ""
        elif table is None:
            yield number, None, None, None, "a document outside any table"
        elif not _is_doc(table, key, value):
            yield number, None, None, None, "not a TinyDB document"
        else:
            yield number, table, key, value, ""
