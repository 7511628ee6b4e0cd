"""The snapshot: the state file as TinyDB stores it, written and read through a TinyDB ``Storage``.

Layout: TinyDB's JSON document ``{table: {"<doc id>": record}}``, one document per line and the braces
that open and close a table on lines of their own, so a damaged byte can be named by its line and every
other line can still be read. Plain ``TinyDB(path)`` reads the file as it is.

Its checksum sits beside it, in ``<state file>.checksum`` (TinyDB's document has no room for it): the
CRC-32 of the file's bytes, one per line as 8 hex digits, each one a file the server wrote and accepts.
A snapshot that parses but matches none was changed after the server wrote it: damage, as a line that
does not parse. No checksum file (a state of an earlier version, or a file made with TinyDB): nothing to
check, the snapshot loads as it is. How a crash at any step never makes a good snapshot look changed:
see ``SnapshotStorage.write``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from tinydb.storages import Storage

from .errors import ChangedFile, DamagedFile

META_TABLE = "_emulator"  # holds which log generation the snapshot already contains
CHUNK = 256  # documents serialised between two yields of the GIL while writing

Document = dict[str, dict[str, Any]]


class SnapshotStorage(Storage):
    """A TinyDB storage that replaces its file atomically (a new file, fsynced, renamed over the old one)
    and refuses a damaged file with the line of the damage instead of reading past it, or one that does not
    match its checksum."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.checksums = self.path.with_name(self.path.name + ".checksum")
        self.checksum: int | None = None  # of the file as this storage last read or wrote it

    def read(self, verify: bool = True) -> Document | None:
        """The document; a damaged line raises ``DamagedFile``, and (with ``verify``) a file that does not
        match its checksum ``ChangedFile``."""
        try:
            text = self.path.read_bytes()
        except FileNotFoundError:
            return None
        self.checksum = zlib.crc32(text)
        data = None
        if text.strip():
            try:
                data = json.loads(text)
            except ValueError as exc:  # also UnicodeDecodeError
                raise self._damage(text, exc) from None
            if not _is_document(data):
                raise self._damage(text, None)
        if verify:
            self._verify()
        return data

    def tables(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``read()`` one table at a time, each parsed when it is reached: a reader that keeps less than the whole
        document (records equal to ones it holds) never holds all of it. A table named twice comes twice (the
        last counts, as in ``read``). ``DamagedFile`` as from ``read``, possibly after some tables; ``ChangedFile``
        after the last one."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        self.checksum = zlib.crc32(raw)
        if raw and not raw.isspace():  # not strip(): a copy of a big file, once freed, makes malloc keep more
            try:
                for table, docs in _members(raw.decode(json.detect_encoding(raw), "surrogatepass")):
                    if not (isinstance(docs, dict) and all(_is_doc(table, i, doc) for i, doc in docs.items())):
                        raise self._damage(raw, None)
                    yield table, docs
            except ValueError:  # also UnicodeDecodeError: read() says where the damage is, in its words
                yield from (self.read() or {}).items()
                return
        self._verify()  # after the parse: a line that does not parse is named by its line

    def write(self, data: Mapping[str, Mapping[str, Any]]) -> None:
        """Write the document piece by piece, yielding the GIL between chunks.

        A single ``json.dumps`` of 100k records holds the GIL for about a second, which would stall
        every request; per-document encoding with a yield every few hundred documents does not.
        """
        tmp = self.path.with_name(self.path.name + ".tmp")
        dumps = json.dumps
        try:
            with open(tmp, "wb") as raw:
                fh = _Summed(raw)
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
                raw.flush()
                os.fsync(raw.fileno())
            # The checksum file accepts the old snapshot and the new one before the new one takes the
            # name, and only the new one after: whichever step a crash interrupts, the snapshot on disk
            # (old or new) is one the checksum file accepts, and a missing snapshot is never checked.
            if self.checksum is None and self.path.exists():  # a file this storage has not read
                self.checksum = zlib.crc32(self.path.read_bytes())
            self._record([self.checksum, fh.checksum])
            _sync_folder(self.path.parent)  # the new checksum is on disk before the new snapshot can be
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        _sync_folder(self.path.parent)
        self.checksum = fh.checksum
        self._record([fh.checksum])  # a crash that loses this leaves a checksum file that accepts the new snapshot too

    def _verify(self) -> None:
        """Raise ``ChangedFile`` if the file last read does not match its checksum.

        Read after the snapshot: a compaction records a new checksum before the snapshot it belongs to, so a
        reader that raced it finds the snapshot replaced (and reads again), never a false mismatch.
        """
        if self.checksum not in self._accepted(self.checksum):
            raise ChangedFile(self.path, self.checksums)

    def _accepted(self, checksum: int) -> set[int]:
        """The checksums the server wrote the snapshot with; without a checksum file, ``checksum`` itself."""
        try:
            lines = self.checksums.read_bytes().split(b"\n")
        except FileNotFoundError:
            return {checksum}
        if lines[-1] == b"":
            lines.pop()
        for number, line in enumerate(lines, 1):
            if not re.fullmatch(rb"[0-9a-f]{8}", line):
                raise DamagedFile(self.checksums, number, "not a checksum")
        return {int(line, 16) for line in lines}

    def _record(self, checksums: list[int | None]) -> None:
        """Replace the checksum file atomically, its content fsynced before it takes the name."""
        tmp = self.checksums.with_name(self.checksums.name + ".tmp")
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write("".join(f"{checksum:08x}\n" for checksum in dict.fromkeys(checksums) if checksum is not None))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.checksums)

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


class _Summed:
    """A binary file written as text, keeping the CRC-32 of the bytes written."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.checksum = raw, 0

    def write(self, text: str) -> None:
        data = text.encode()
        self.checksum = zlib.crc32(data, self.checksum)
        self.raw.write(data)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
