"""State of every namespace, provider and collection, persisted as a TinyDB JSON file.

Layout: one TinyDB table per ``<namespace>/<provider>/<collection>``; documents carry TinyDB's integer
ids, so ``tinydb.TinyDB(path).table(name).all()`` reads the file as it is.

Why not TinyDB's own write path: ``JSONStorage`` rewrites the whole file and ``Table`` rebuilds the whole
table dict on every insert, so a write costs O(records). Here the tables live in memory, every write is
one appended line in a write-ahead log (fsynced, with group commit: one fsync covers every line written
before it), and the log is folded into the TinyDB file by a background compaction that writes a new
file and atomically renames it over the old one. A crash at any moment leaves the last snapshot plus a
log whose complete lines hold every acknowledged write.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb.storages import JSONStorage

Record = dict[str, Any]
KeyFn = Callable[[str, Record], str]

META_TABLE = "_emulator"  # holds which log generation the snapshot already contains


class StoreError(Exception):
    """The state file cannot be used (invalid, or owned by another running server)."""


class Store:
    """In-memory tables with an optional durable log and TinyDB snapshot on disk.

    ``key_of(table, record)`` gives a record's key within its table; the store indexes records by it.
    Readers must treat returned records as immutable: build a new dict and ``put`` it.
    """

    def __init__(self, path: str | Path | None, key_of: KeyFn, durable: bool = True,
                 compact_every: int = 50_000) -> None:
        self.key_of = key_of
        self.lock = threading.RLock()
        self.durable = durable
        self.compact_every = compact_every
        self._tables: dict[str, dict[str, Record]] = {}  # table -> key -> record (insertion ordered)
        self._doc_ids: dict[str, dict[str, int]] = {}  # table -> key -> TinyDB document id
        self._next_id: dict[str, int] = {}
        self.path = Path(path) if path else None
        self._log = None
        if self.path:
            self._open(self.path)

    # ---- persistence ---------------------------------------------------------------------------

    def _open(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file_lock = FileLock(str(path) + ".lock")
        try:
            self._file_lock.acquire(timeout=0)
        except Timeout:
            raise StoreError(f"state file {path} is in use by another running emulator") from None
        try:
            self._generation = self._load(path)
        except StoreError:
            self._file_lock.release()
            raise
        self._written = self._synced = 0
        self._sync_lock = threading.Lock()
        self._compacting = threading.Lock()
        self._log_lines = 0
        self._log = open(self._log_path(self._generation), "a", encoding="utf-8")  # noqa: SIM115

    def _log_path(self, generation: int) -> Path:
        assert self.path
        return self.path.with_name(f"{self.path.name}.log.{generation}")

    def _load(self, path: Path) -> int:
        generation = 0
        if path.exists() and path.stat().st_size:
            try:
                raw = JSONStorage(str(path), access_mode="r").read() or {}
            except (ValueError, UnicodeDecodeError) as exc:
                raise StoreError(f"state file {path} is not a valid TinyDB JSON file: {exc}") from None
            if not isinstance(raw, dict) or not all(isinstance(t, dict) for t in raw.values()):
                raise StoreError(f"state file {path} is not a valid TinyDB JSON file")
            meta = raw.pop(META_TABLE, {})
            generation = int(next(iter(meta.values()), {}).get("generation", 0))
            for table, docs in raw.items():
                for doc_id, record in docs.items():
                    self._apply(table, None, record, int(doc_id))
        # Logs of this generation and later were not yet folded into the snapshot.
        for log in sorted(path.parent.glob(path.name + ".log.*"), key=lambda p: int(p.suffix[1:])):
            if int(log.suffix[1:]) < generation:
                log.unlink()
                continue
            generation = int(log.suffix[1:])
            self._replay(log)
        return generation

    def _replay(self, log: Path) -> None:
        with open(log, encoding="utf-8") as fh:
            for line in fh:
                try:
                    entry = json.loads(line)
                except ValueError:
                    break  # a torn last line: the write was never acknowledged
                if "drop" in entry:
                    self._drop(entry["drop"])
                else:
                    self._apply(entry["t"], entry["k"], entry.get("r"), None)

    def _sync(self, seq: int, log) -> None:
        with self._sync_lock:  # whoever holds it syncs for everyone queued behind
            if self._synced >= seq:
                return
            with self.lock:
                upto = self._written
                log.flush()
            os.fsync(log.fileno())
            self._synced = upto

    def compact(self, wait: bool = False) -> None:
        """Fold the log into a new TinyDB snapshot, atomically replacing the old file.

        Without ``wait`` it returns at once when another compaction is running.
        """
        if not self._log or not self._compacting.acquire(blocking=wait):
            return
        try:
            with self.lock:
                if not self._log:  # closed meanwhile
                    return
                self._log.flush()
                os.fsync(self._log.fileno())
                old_log = self._log
                self._generation += 1
                self._log = open(self._log_path(self._generation), "a", encoding="utf-8")  # noqa: SIM115
                self._log_lines = 0
                snapshot = {t: dict(docs) for t, docs in self._tables.items() if docs}
                doc_ids = {t: dict(ids) for t, ids in self._doc_ids.items()}
            old_log.close()
            data = {META_TABLE: {"1": {"generation": self._generation}}}
            for table, docs in snapshot.items():
                ids = doc_ids[table]
                data[table] = {str(ids[k]): rec for k, rec in docs.items()}
            self._write_snapshot(data)
            for log in self.path.parent.glob(self.path.name + ".log.*"):
                if int(log.suffix[1:]) < self._generation:
                    log.unlink()
        finally:
            self._compacting.release()

    def _write_snapshot(self, data: dict) -> None:
        assert self.path
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        storage = JSONStorage(str(tmp), access_mode="r+")
        try:
            storage.write(data)
            os.fsync(storage._handle.fileno())
        finally:
            storage.close()
        os.replace(tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def close(self) -> None:
        if self._log:
            self.compact(wait=True)
            self._log.close()
            self._log_path(self._generation).unlink(missing_ok=True)
            self._log = None
            self._file_lock.release()

    # ---- in-memory tables ----------------------------------------------------------------------

    def _apply(self, table: str, key: str | None, record: Record | None, doc_id: int | None) -> None:
        if record is not None and key is None:
            key = self.key_of(table, record)
        docs = self._tables.setdefault(table, {})
        ids = self._doc_ids.setdefault(table, {})
        if record is None:
            docs.pop(key, None)
            ids.pop(key, None)
            return
        if key not in ids:
            ids[key] = doc_id if doc_id is not None else self._next_id.get(table, 1)
        self._next_id[table] = max(self._next_id.get(table, 1), ids[key] + 1)
        docs[key] = record

    def _drop(self, table: str) -> None:
        self._tables.pop(table, None)
        self._doc_ids.pop(table, None)
        self._next_id.pop(table, None)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the store lock across a read-check-write sequence (e.g. get-or-create)."""
        with self.lock:
            yield

    def get(self, table: str, key: str) -> Record | None:
        return self._tables.get(table, {}).get(key)

    def records(self, table: str) -> list[Record]:
        with self.lock:
            return list(self._tables.get(table, {}).values())

    def count(self, table: str) -> int:
        return len(self._tables.get(table, {}))

    def tables(self, prefix: str = "") -> list[str]:
        with self.lock:
            return [t for t, docs in self._tables.items() if t.startswith(prefix) and docs]

    def put(self, table: str, record: Record) -> Record:
        """Insert or replace a record (by its key); returns the stored copy."""
        text = json.dumps(record)
        stored = json.loads(text)  # the store never shares a dict with its caller
        key = self.key_of(table, stored)
        with self.lock:
            self._apply(table, key, stored, None)
            pending = {"t": table, "k": key, "r": stored}
            if self._log:
                self._append_locked(pending)
        self._wait(pending)
        return stored

    def delete(self, table: str, key: str) -> bool:
        with self.lock:
            if key not in self._tables.get(table, {}):
                return False
            self._apply(table, key, None, None)
            pending = {"t": table, "k": key}
            if self._log:
                self._append_locked(pending)
        self._wait(pending)
        return True

    def drop(self, prefix: str) -> None:
        """Remove every table whose name starts with ``prefix``."""
        with self.lock:
            pending = None
            for table in [t for t in self._tables if t.startswith(prefix)]:
                self._drop(table)
                pending = {"drop": table}
                if self._log:
                    self._append_locked(pending)
        if pending:
            self._wait(pending)

    # Writes are appended to the log inside the store lock (so log order is apply order) and
    # synced outside it (so one fsync serves every writer that queued up meanwhile).
    def _append_locked(self, entry: dict) -> None:
        self._log.write(json.dumps(entry, separators=(",", ":")) + "\n")
        self._written += 1
        self._log_lines += 1
        entry["_seq"] = self._written
        entry["_log"] = self._log

    def _wait(self, entry: dict) -> None:
        seq, log = entry.pop("_seq", None), entry.pop("_log", None)
        if seq is None:
            return
        if self.durable:
            try:
                self._sync(seq, log)
            except ValueError:  # the log was rotated and closed by a compaction: it was synced then
                pass
        if self._log_lines >= self.compact_every:
            threading.Thread(target=self.compact, daemon=True).start()
