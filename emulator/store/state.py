"""Reading a state back: the snapshot, then the logs not yet folded into it.

``load`` fills the store's tables at start-up (strictly, or keeping every readable line for a repair);
``StateStorage`` gives any TinyDB reader the same state without a server (``export``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import wal
from .errors import ChangedFile, DamagedFile, StoreError
from .snapshot import META_TABLE, Document, SnapshotStorage, generation
from .tables import KeyFn, Record, Tables


@dataclass
class Loaded:
    snapshot: SnapshotStorage  # the storage that read the snapshot: it knows the file's checksum
    generation: int = 0  # of the newest log read: the store appends to it
    stale: list[Path] = field(default_factory=list)  # logs the snapshot already holds (an interrupted compaction)
    torn: tuple[Path, int] | None = None  # the newest log and the length of its complete lines
    # file -> lines left out (repair only); no lines: a snapshot that changed after the server wrote it, kept
    damaged: dict[Path, list[int]] = field(default_factory=dict)
    lines: int | None = 0  # of the newest log (None: a log of the previous version, see wal.LogReader.lines)


def load(path: Path, tables: Tables, key_of: KeyFn, repair: bool = False) -> Loaded:
    """Apply the snapshot and the logs to ``tables``; a damaged line raises ``DamagedFile`` unless
    ``repair``, which leaves it out and lists it in ``Loaded.damaged``. Changes no file.

    TinyDB keeps a snapshot's records without their keys: ``key_of(table, record)`` says each one's (log
    lines carry theirs)."""
    loaded = Loaded(storage := SnapshotStorage(path))
    shared = _loaded_once(tables)
    try:
        meta: Document = {}
        for table, docs in storage.tables():
            if table == META_TABLE:
                meta = {table: docs}
                continue
            if table in tables.docs:  # named twice: the last counts, as when the document is read whole
                tables.drop(table)
            _apply(tables, key_of, shared, table, docs)
        loaded.generation = generation(meta)
    except DamagedFile as damage:
        if not repair:
            raise
        for table in list(tables.docs):  # what came before the damage: read again below
            tables.drop(table)
        if damage.path == path and not isinstance(damage, ChangedFile):
            document, lines = storage.salvage()
            loaded.damaged[path] = lines or [damage.line or 1]
        else:  # it reads well but does not match its checksum, or its checksum file is damaged: kept as it reads
            document = storage.read(verify=False) or {}
            loaded.damaged[damage.path] = [] if isinstance(damage, ChangedFile) else [damage.line or 1]
        loaded.generation = generation(document)
        for table, docs in document.items():
            _apply(tables, key_of, shared, table, docs)
    logs = wal.logs(path)
    loaded.stale = [log for number, log in logs if number < loaded.generation]
    logs = [(number, log) for number, log in logs if number >= loaded.generation]
    for position, (number, log) in enumerate(logs):
        loaded.generation = number
        reader = wal.LogReader(log, newest=position == len(logs) - 1)
        for _line, entry in reader.entries(go_on=repair):
            if "drop" in entry:
                tables.drop(entry["drop"])
            else:
                record = entry.get("r")
                if record is not None:
                    record = shared(entry["t"], entry["k"], record)
                tables.apply(entry["t"], entry["k"], record, entry.get("i"))
        if reader.damaged:
            loaded.damaged[log] = reader.damaged
        if reader.torn is not None:
            loaded.torn = (log, reader.torn)
        loaded.lines = reader.lines
    return loaded


def _apply(tables: Tables, key_of: KeyFn, shared: Callable[[str, str, Record], Record], table: str,
           docs: dict[str, Record]) -> None:
    """A snapshot's table into ``tables``."""
    for doc_id, record in docs.items():
        try:
            key = key_of(table, record)
        except (LookupError, ValueError):  # a table this version does not know: kept as it is
            key = doc_id
        tables.apply(table, key, shared(table, key, record), int(doc_id))


def _loaded_once(tables: Tables) -> Callable[[str, str, Record], Record]:
    """A record as it is kept: the one already loaded under the same key into the first table of the same name
    (in another group) if they are the same JSON, else itself. Records are immutable, so they can be shared.

    Each namespace's copy of a world record is kept once: the namespaces that forked one world hold its records
    once after a restart, as before it. With the snapshot read a table at a time, a copy goes as soon as its
    table is loaded: the copies never pile up, and a restart needs no more memory than what it keeps.
    """
    first: dict[str, str] = {}  # a table's name without its group -> the first table loaded with that name
    reprs: dict[int, tuple[Record, str]] = {}  # id of a record shared -> it (so the id stays its) and its repr

    def shared(table: str, key: str, record: Record) -> Record:
        loaded = tables.docs.get(first.setdefault(table.partition("/")[2], table), {}).get(key)
        if loaded is None or loaded != record:
            return record
        # == takes 1 for 1.0 and True and ignores the order of fields, which answers show; repr does not.
        known = reprs.get(id(loaded)) or reprs.setdefault(id(loaded), (loaded, repr(loaded)))
        return loaded if repr(record) == known[1] else record

    return shared


class StateStorage(SnapshotStorage):
    """A read-only TinyDB storage of a whole state: the snapshot with the logs folded in.

    ``TinyDB(path, storage=StateStorage)`` reads what a server (running, stopped or crashed) has
    acknowledged. It takes no lock and changes nothing: a torn last line is left alone, and a
    compaction that replaces the snapshot while it reads makes it read again.
    """

    def __init__(self, path: str | Path) -> None:
        super().__init__(Path(path).resolve())  # the logs sit beside the real file, as the server sees it

    def exists(self) -> bool:
        return self.path.exists() or bool(wal.logs(self.path))

    def read(self) -> Document | None:
        for _attempt in range(10):
            before = _identity(self.path)
            try:
                document = self._read_once()
            except FileNotFoundError:  # a log removed by a compaction meanwhile
                continue
            except ChangedFile:  # a snapshot replaced while it was read is checked again
                if _identity(self.path) != before:
                    continue
                raise
            if _identity(self.path) == before:
                return document or None
        raise StoreError(f"state file {self.path} kept changing while it was read")

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise StoreError(f"state file {self.path} is read-only here: only its server writes it")

    def _read_once(self) -> Document:
        document = super().read() or {}
        logs = [(n, log) for n, log in wal.logs(self.path) if n >= generation(document)]
        for position, (_number, log) in enumerate(logs):
            for line, entry in wal.LogReader(log, newest=position == len(logs) - 1).entries():
                if "drop" in entry:
                    document.pop(entry["drop"], None)
                    continue
                if "i" not in entry:
                    raise DamagedFile(log, line, "written by an older version without document ids; "
                                                 "start `dataset-emulator serve` on it once to fold it in")
                docs = document.setdefault(entry["t"], {})
                if "r" in entry:
                    docs[str(entry["i"])] = entry["r"]
                else:
                    docs.pop(str(entry["i"]), None)
        return document


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns
