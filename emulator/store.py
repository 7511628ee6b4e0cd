"""State of every namespace, provider and collection, persisted as a TinyDB JSON file.

Layout: one TinyDB table per ``<namespace>/<provider>/<collection>``; documents carry TinyDB's integer
ids, so ``tinydb.TinyDB(path).table(name).all()`` reads the file as it is.

Why not TinyDB's own write path: ``JSONStorage`` rewrites the whole file and ``Table`` rebuilds the whole
table dict on every insert, so a write costs O(records). Here the tables live in memory, every write is
one appended line in a write-ahead log (fsynced, with group commit: one fsync covers every line written
before it), and the log is folded into the TinyDB file by a background compaction that writes a new
file and atomically renames it over the old one. A crash at any moment leaves the last snapshot plus a
log whose complete lines hold every acknowledged write.

Who waits for the fsync: the writer's thread, so a request is answered only once its writes are on
disk; while it waits, the next fsync is already collecting the lines of every other writer.

Costs: a write is O(size of the record) plus its share of one fsync. Compaction runs when the log holds
as many lines as the store holds records (at least ``compact_every``), so its cost per write is
amortised O(1) too; it serialises record by record and yields between chunks, so requests keep being
served while it runs. Equality look-ups (``find``/``first``) use secondary indexes built on first use and
maintained on every write, so a get-or-create by name does not scan the table.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

log = logging.getLogger("emulator")

Record = dict[str, Any]
KeyFn = Callable[[str, Record], str]

META_TABLE = "_emulator"  # holds which log generation the snapshot already contains
IDLE_COMPACT_SECONDS = 1.0  # fold the log into the TinyDB file once writes pause this long
COMPACT_EVERY = 50_000  # log lines before a compaction, when the store holds fewer records than that
COMPACT_CHUNK = 256  # records serialised between two yields of the GIL during a compaction
RELAXED_BATCH = 32  # without durability, log lines queued before they are handed to the OS


class StoreError(Exception):
    """The state file cannot be used (invalid, or owned by another running server)."""


def _index_value(value: Any) -> Hashable:
    """A hashable stand-in for a field value that compares like ``==`` does on the original."""
    try:
        hash(value)
        return value
    except TypeError:  # lists and dicts: equal values have equal canonical JSON
        return ("\0json", json.dumps(value, sort_keys=True, default=str))


class Transaction:
    """``Store.transaction()``; a class rather than a generator because providers open one per write."""

    __slots__ = ("store",)

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> None:
        store = self.store
        store.lock.acquire()
        local = store._local
        local.depth = getattr(local, "depth", 0) + 1

    def __exit__(self, exc_type, exc, tb) -> None:
        store = self.store
        local = store._local
        local.depth -= 1
        seen = store._written if store._log else None
        store.lock.release()
        if exc_type is None and not local.depth:
            store._wait(seen)


class Store:
    """In-memory tables with an optional durable log and TinyDB snapshot on disk.

    Records are stored under the key their writer gives; ``key_of(table, record)`` finds the key of a
    record read back from the TinyDB snapshot, which keeps records without their keys.
    Readers must treat returned records as immutable: build a new dict and ``put`` it.
    With ``durable`` a write returns only once its log line is fsynced; without it, lines are handed to
    the OS in batches of ``RELAXED_BATCH`` or on compaction (a crash of the process may lose the last writes).
    """

    def __init__(self, path: str | Path | None, key_of: KeyFn, durable: bool = True,
                 compact_every: int | None = None, idle_compact: float | None = IDLE_COMPACT_SECONDS) -> None:
        self.key_of = key_of
        self.lock = threading.RLock()
        self.durable = durable
        # The environment variable lets a crash test make compactions frequent in a server subprocess.
        self.compact_every = compact_every or int(os.environ.get("EMULATOR_COMPACT_EVERY", COMPACT_EVERY))
        self._tables: dict[str, dict[str, Record]] = {}  # table -> key -> record (insertion ordered)
        self._doc_ids: dict[str, dict[str, int]] = {}  # table -> key -> TinyDB document id
        self._next_id: dict[str, int] = {}
        # table -> field names -> value tuple -> {key: None}; built on first find(), kept up to date by _apply
        self._indexes: dict[str, dict[tuple[str, ...], dict[tuple, dict[str, None]]]] = {}
        self._records = 0
        self._local = threading.local()  # per thread: depth of nested transactions
        self._written = 0
        self._pending: list[str] = []  # log lines applied but not yet written to the log file
        self.path = Path(path) if path else None
        self._log = None
        self._closed = threading.Event()
        if self.path:
            self._open(self.path, idle_compact)

    # ---- persistence ---------------------------------------------------------------------------

    def _open(self, path: Path, idle_compact: float | None) -> None:
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
        self._written = self._synced = 0  # log lines written / known to be on disk, across generations
        # One owner of the log file at a time (a sync, a rotation or the close); the others wait on the
        # condition, and a sync that finishes wakes them all at once, see _sync.
        self._log_owned = False
        self._log_free = threading.Condition(threading.Lock())
        self._compacting = threading.Lock()
        self._compact_queued = False
        self._log_lines = 0
        self._last_write = time.monotonic()
        self._compact_cost = 0.0
        self._log = open(self._log_path(self._generation), "a", encoding="utf-8")  # noqa: SIM115
        self._sync_failure: OSError | None = None  # sticky: after a failed write the log is in doubt
        if idle_compact:
            threading.Thread(target=self._idle_compactor, args=(idle_compact,), name="store-compactor",
                             daemon=True).start()

    def _log_path(self, generation: int) -> Path:
        assert self.path
        return self.path.with_name(f"{self.path.name}.log.{generation}")

    def _logs(self) -> list[tuple[int, Path]]:
        assert self.path
        found = []
        for log in self.path.parent.glob(self.path.name + ".log.*"):
            if log.suffix[1:].isdigit():
                found.append((int(log.suffix[1:]), log))
        return sorted(found)

    def _load(self, path: Path) -> int:
        generation = 0
        if path.exists() and path.stat().st_size:
            try:
                with open(path, encoding="utf-8") as fh:
                    raw = json.load(fh)
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
        for number, log in self._logs():
            if number < generation:
                log.unlink()
                continue
            generation = number
            self._replay(log)
        return generation

    def _replay(self, log: Path) -> None:
        good = 0  # byte offset after the last complete line
        with open(log, "rb") as fh:
            for line in fh:
                try:
                    if not line.endswith(b"\n"):
                        raise ValueError("no line end")
                    entry = json.loads(line)
                except ValueError:
                    break  # a torn last line: the write was never acknowledged
                good += len(line)
                if "drop" in entry:
                    self._drop(entry["drop"])
                else:
                    self._apply(entry["t"], entry["k"], entry.get("r"), None)
        if good < log.stat().st_size:
            # Cut the torn tail, or the next line appended after a restart would be glued to it and lost.
            with open(log, "r+b") as fh:
                fh.truncate(good)
                os.fsync(fh.fileno())

    @contextmanager
    def _owning_log(self, done: Callable[[], bool] = lambda: False) -> Iterator[bool]:
        """Own the log file, or yield False without owning it once ``done()`` holds."""
        with self._log_free:
            while self._log_owned and not done():
                self._log_free.wait()
            owner = not done()
            if owner:
                self._log_owned = True
        if not owner:
            yield False
            return
        try:
            yield True
        finally:
            with self._log_free:
                self._log_owned = False
                self._log_free.notify_all()

    def _sync(self, seq: int, fsync: bool = True) -> None:
        """Write the pending log lines and (with ``fsync``) make them durable, for every writer queued so far.

        The write and the fsync run outside the store lock: both release the GIL, and a writer that
        blocked on the store lock meanwhile would wait for the disk instead of applying its record.
        Waiters sleep on a condition that the syncer notifies as a whole: with a plain lock they would
        wake one after another, each needing the GIL first, while the next sync waited behind them.
        """
        with self._owning_log(lambda: self._synced >= seq) as owner:
            if not owner:
                return
            with self.lock:
                file = self._log
                if file is None:  # closed: close() synced everything
                    return
                self._check_log()
                lines, self._pending = self._pending, []
                upto = self._written
            # Lines of earlier generations were written and fsynced when their log was rotated (while
            # owning the log), so writing and syncing the current log covers every line up to ``upto``.
            try:
                if lines:
                    file.write("".join(lines))
                    file.flush()
                if fsync:
                    os.fsync(file.fileno())
            except OSError as exc:  # a full or failing disk: no write is acknowledged from now on
                log.error("cannot write the state log, durable writes now fail: %s", exc)
                self._sync_failure = exc
                self._check_log()
            self._synced = upto

    def _check_log(self) -> None:
        if self._sync_failure is not None:
            raise StoreError(f"the state log can no longer be written: {self._sync_failure}")

    def _write_pending_locked(self) -> None:
        """Under both locks: the pending lines into the current log (compaction and close)."""
        assert self._log
        self._log.write("".join(self._pending))
        self._pending.clear()
        self._log.flush()

    def compact(self, wait: bool = False) -> None:
        """Fold the log into a new TinyDB snapshot, atomically replacing the old file.

        Without ``wait`` it returns at once when another compaction is running.
        """
        if not self._log or not self._compacting.acquire(blocking=wait):
            return
        started = time.monotonic()
        try:
            with self._owning_log(), self.lock:
                if not self._log:  # closed meanwhile
                    return
                self._write_pending_locked()
                os.fsync(self._log.fileno())
                self._synced = self._written
                old_log = self._log
                self._generation += 1
                generation = self._generation
                self._log = open(self._log_path(generation), "a", encoding="utf-8")  # noqa: SIM115
                self._log_lines = 0
                # Shallow copies: records are immutable once stored, so the snapshot can be written
                # outside the lock while writers go on.
                snapshot = [(t, dict(docs), dict(self._doc_ids[t])) for t, docs in self._tables.items() if docs]
                old_log.close()
            self._write_snapshot(generation, snapshot)
            for number, log in self._logs():
                if number < generation:
                    log.unlink(missing_ok=True)
        finally:
            self._compact_queued = False
            self._compact_cost = time.monotonic() - started
            self._compacting.release()

    def _write_snapshot(self, generation: int, snapshot: list[tuple[str, dict[str, Record], dict[str, int]]]) -> None:
        """Write the TinyDB JSON document piece by piece, yielding the GIL between chunks.

        A single ``json.dumps`` of 100k records holds the GIL for about a second, which would stall
        every request; per-record encoding with a yield every few hundred records does not.
        """
        assert self.path
        tmp = self.path.with_name(self.path.name + ".tmp")
        dumps = json.dumps
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(f'{{{dumps(META_TABLE)}: {{"1": {{"generation": {generation}}}}}')
            for table, docs, ids in snapshot:
                fh.write(f", {dumps(table)}: {{")
                chunk: list[str] = []
                for n, (key, record) in enumerate(docs.items()):
                    chunk.append(f'{", " if n else ""}"{ids[key]}": {dumps(record)}')
                    if len(chunk) >= COMPACT_CHUNK:
                        fh.write("".join(chunk))
                        chunk.clear()
                        time.sleep(0)  # let request threads run
                fh.write("".join(chunk) + "}")
            fh.write("}")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _idle_compactor(self, idle: float) -> None:
        """Keep the TinyDB file current: compact once writes pause, at most ~10% of the time."""
        while not self._closed.wait(idle / 2):
            quiet = time.monotonic() - self._last_write
            if self._log_lines and quiet >= max(idle, 10 * self._compact_cost):
                self.compact()

    def close(self) -> None:
        self._closed.set()
        if self._log:
            self.compact(wait=True)
            with self._owning_log(), self.lock:
                self._write_pending_locked()
                os.fsync(self._log.fileno())
                self._log.close()
                if not self._log_lines:  # else writes came in after the compaction: the log keeps them
                    self._log_path(self._generation).unlink(missing_ok=True)
                self._log = None
                self._synced = self._written
            self._file_lock.release()

    # ---- in-memory tables ----------------------------------------------------------------------

    def _apply(self, table: str, key: str | None, record: Record | None, doc_id: int | None) -> None:
        # Under the lock, but readers of find() take no lock: the order of steps below keeps every
        # stored record reachable through its index at every moment (the reader checks the record).
        if record is not None and key is None:
            key = self.key_of(table, record)
        docs = self._tables.setdefault(table, {})
        ids = self._doc_ids.setdefault(table, {})
        old = docs.get(key)
        indexes = self._indexes.get(table)
        if record is None:
            if old is not None:
                self._records -= 1
            docs.pop(key, None)
            ids.pop(key, None)
        else:
            if key not in ids:
                ids[key] = doc_id if doc_id is not None else self._next_id.get(table, 1)
            self._next_id[table] = max(self._next_id.get(table, 1), ids[key] + 1)
            if old is None:
                self._records += 1
            docs[key] = record
        if not indexes:
            return
        for fields, index in indexes.items():
            new = None if record is None else tuple(_index_value(record.get(f)) for f in fields)
            if new is not None:
                index.setdefault(new, {})[key] = None
            gone = None if old is None else tuple(_index_value(old.get(f)) for f in fields)
            if gone is not None and gone != new:
                bucket = index.get(gone)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del index[gone]

    def _drop(self, table: str) -> None:
        self._records -= len(self._tables.pop(table, {}))
        self._doc_ids.pop(table, None)
        self._next_id.pop(table, None)
        self._indexes.pop(table, None)

    def transaction(self) -> Transaction:
        """Hold the store lock across a read-check-write sequence (e.g. get-or-create).

        Writes inside it are synced when the outermost transaction ends, outside the lock: an fsync
        under the lock would serialise every writer behind it and defeat group commit. What the
        transaction saw is synced too, so nobody acknowledges a record that is not yet on disk.
        """
        return Transaction(self)

    def get(self, table: str, key: str) -> Record | None:
        return self._tables.get(table, {}).get(key)

    def records(self, table: str) -> list[Record]:
        with self.lock:
            return list(self._tables.get(table, {}).values())

    def find(self, table: str, equals: dict[str, Any], limit: int | None = None) -> list[Record]:
        """Records whose fields equal ``equals`` (a missing field equals None), in table order.

        The first look-up on a set of field names builds an index (one pass); later ones cost
        O(matches), whatever the size of the table.
        """
        if not equals:
            found = self.records(table)
            return found if limit is None else found[:limit]
        fields = tuple(sorted(equals))
        # No lock: a thread preempted while holding it would stall every reader (see _apply's order).
        docs = self._tables.get(table)
        if not docs:
            return []
        index = self._indexes.get(table, {}).get(fields)
        if index is None:
            index = self._build_index(table, fields)
        bucket = index.get(tuple(_index_value(equals[f]) for f in fields))
        if not bucket:
            return []
        keys = list(bucket)
        if len(keys) > 1:
            # Buckets fill in write order; the table's order is the order of first insertion,
            # which is the order of TinyDB document ids.
            ids = self._doc_ids.get(table, {})
            keys.sort(key=lambda k: ids.get(k, 0))
        # The index compares canonical values; the record itself has the last word (it may also have
        # changed or gone since the bucket was read).
        found = []
        for key in keys:
            record = docs.get(key)
            if record is not None and all(record.get(f) == v for f, v in equals.items()):
                found.append(record)
        return found if limit is None else found[:limit]

    def _build_index(self, table: str, fields: tuple[str, ...]) -> dict[tuple, dict[str, None]]:
        """Index a table by ``fields`` under the lock, and publish it only once it is complete."""
        with self.lock:
            indexes = self._indexes.setdefault(table, {})
            index = indexes.get(fields)
            if index is None:
                index = {}
                for key, record in self._tables.get(table, {}).items():
                    index.setdefault(tuple(_index_value(record.get(f)) for f in fields), {})[key] = None
                indexes[fields] = index
            return index

    def count(self, table: str) -> int:
        return len(self._tables.get(table, {}))

    def tables(self, prefix: str = "") -> list[str]:
        with self.lock:
            return [t for t, docs in self._tables.items() if t.startswith(prefix) and docs]

    def put(self, table: str, record: Record, key: str) -> Record:
        """Insert or replace the record under ``key``; returns the stored copy."""
        text = json.dumps(record)
        stored = json.loads(text)  # the store never shares a dict with its caller
        with self.lock:
            self._apply(table, key, stored, None)
            seq = self._append_locked(f'{{"t":{json.dumps(table)},"k":{json.dumps(key)},"r":{text}}}\n')
        self._wait(seq)
        return stored

    def delete(self, table: str, key: str) -> bool:
        with self.lock:
            if key not in self._tables.get(table, {}):
                return False
            self._apply(table, key, None, None)
            seq = self._append_locked(json.dumps({"t": table, "k": key}, separators=(",", ":")) + "\n")
        self._wait(seq)
        return True

    def drop(self, prefix: str) -> None:
        """Remove every table whose name starts with ``prefix``."""
        seq = None
        with self.lock:
            for table in [t for t in self._tables if t.startswith(prefix)]:
                self._drop(table)
                seq = self._append_locked(json.dumps({"drop": table}, separators=(",", ":")) + "\n")
        self._wait(seq)

    # Log lines are queued inside the store lock (so log order is apply order) and written and
    # synced outside it (so one write and one fsync serve every writer that queued up meanwhile).
    def _append_locked(self, line: str) -> int | None:
        if not self._log:
            return None
        self._pending.append(line)
        self._written += 1
        self._log_lines += 1
        self._last_write = time.monotonic()
        return self._written

    def _wait(self, seq: int | None) -> None:
        if seq is None or getattr(self._local, "depth", 0):
            return  # inside a transaction: synced when it ends
        if self.durable:
            self._sync(seq)
        elif len(self._pending) >= RELAXED_BATCH:
            self._sync(seq, fsync=False)
        # Compact when the log is as long as the data (at least compact_every lines): each compaction
        # rewrites n records after >= n writes, so its cost per write stays constant as the store grows.
        if self._log_lines >= max(self.compact_every, self._records) and not self._compact_queued:
            self._compact_queued = True
            threading.Thread(target=self.compact, name="store-compaction", daemon=True).start()
