"""The store: in-memory tables, a write-ahead log on disk, and a TinyDB snapshot folded from it.

Why not TinyDB's own write path: ``JSONStorage`` rewrites the whole file and ``Table`` rebuilds the whole
table dict on every insert, so a write costs O(records). Here the tables live in memory, every write is
one appended line in a write-ahead log (fsynced, with group commit: one fsync covers every line written
before it), and the log is folded into the TinyDB file by a background compaction that writes it
through a TinyDB storage (``SnapshotStorage``: a new file, atomically renamed over the old one). A
crash at any moment leaves the last snapshot plus logs whose complete lines hold every acknowledged
write; a damaged line anywhere else stops start-up (``state.load``) instead of being read past.

Who waits for the fsync: the writer's thread, so a request is answered only once its writes are on
disk; while it waits, the next fsync is already collecting the lines of every other writer.

Costs: a write is O(size of the record) plus its share of one fsync. Compaction runs when the log holds
as many lines as the store holds records (at least ``compact_every``), so its cost per write is
amortised O(1) too; it serialises record by record and yields between chunks, so requests keep being
served while it runs. A compaction that fails (a read-only folder, a full disk) changes nothing the
next start needs: the logs keep every write, and it is retried with a growing pause.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .. import jsontext
from . import state, wal
from .errors import StoreError
from .snapshot import META_TABLE
from .tables import RECORD_DECODER, KeyFn, Record, Tables

log = logging.getLogger("emulator")

# The environment variables let tests make compactions frequent, or rare, in a server subprocess.
IDLE_COMPACT_SECONDS = float(os.environ.get("EMULATOR_IDLE_COMPACT_SECONDS", "1"))  # fold once writes pause
COMPACT_EVERY = 50_000  # log lines before a compaction, when the store holds fewer records than that
RELAXED_BATCH = 32  # without durability, log lines queued before they are handed to the OS
RETRY_PAUSE_MAX = 30.0  # seconds between two attempts of a compaction that keeps failing


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
    Tables are named ``<group>/<name>``; a group can be forked from another store (``fork``): its tables
    read that store's until they are first written.
    With ``durable`` a write returns only once its log line is fsynced; without it, lines are handed to
    the OS in batches of ``RELAXED_BATCH`` or on compaction (a crash of the process may lose the last writes).
    With ``repair`` a damaged state is not refused: every readable line is kept, the damaged files are
    moved aside, and ``repaired`` says what was done.
    """

    def __init__(self, path: str | Path | None, key_of: KeyFn, durable: bool = True,
                 compact_every: int | None = None, idle_compact: float | None = IDLE_COMPACT_SECONDS,
                 repair: bool = False) -> None:
        self.lock = threading.RLock()
        self.durable = durable
        self.compact_every = compact_every or int(os.environ.get("EMULATOR_COMPACT_EVERY", COMPACT_EVERY))
        self._key_of = key_of
        self._tables = Tables()
        # group -> (base store, base group): tables of the group that this store does not hold read the base's
        self._forks: dict[str, tuple[Store, str]] = {}
        self.frozen = False  # a base of forks: it must not change (see fork)
        self._local = threading.local()  # per thread: depth of nested transactions
        self._written = 0
        self._pending: list[str] = []  # log lines applied but not yet written to the log file
        self.path: Path | None = None
        self.repaired: list[str] = []
        self._log = None
        self._closed = threading.Event()
        if path:
            self._open(Path(path), idle_compact, repair)

    # ---- opening: the folder, the lock, the state on disk ---------------------------------------

    def _open(self, given: Path, idle_compact: float | None, repair: bool) -> None:
        # Through symlinks: the lock, the logs and the snapshot belong beside the real file (and a
        # snapshot renamed over a symlink would replace the link).
        self.path = path = given.resolve()
        if path.is_dir():
            raise StoreError(f"state file {given} is a folder")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder {path.parent} for state file {given}: {exc.strerror}") from None
        self._file_lock = _lock(path, given)
        try:
            loaded = state.load(path, self._tables, self._key_of, repair)
            if loaded.torn:  # cut it, or the next line appended would be glued to it and lost
                with open(loaded.torn[0], "r+b") as fh:
                    fh.truncate(loaded.torn[1])
                    os.fsync(fh.fileno())
            for stale in loaded.stale:
                stale.unlink()
            self._generation = loaded.generation
            self._line_number = loaded.lines  # in the newest log: the next line appended is one more
            if self._line_number is None:  # a log of the previous version, without checksums: not appended to
                self._generation, self._line_number = self._generation + 1, 0
            self._snapshot = loaded.snapshot
            self._log = open(wal.path_of(path, self._generation), "a", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            self._file_lock.release()
            raise StoreError(f"cannot use state file {given}: {exc.strerror} ({exc.filename})") from None
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
        self._compact_failures = 0
        self._retry_at = 0.0  # no compaction attempt before this (monotonic) time
        self._behind = False  # the snapshot lacks writes the logs hold: compact even without new writes
        self._sync_failure: OSError | None = None  # sticky: after a failed write the log is in doubt
        if loaded.damaged:
            self._repair(given, loaded.damaged)
        if idle_compact:
            threading.Thread(target=self._idle_compactor, args=(idle_compact,), name="store-compactor",
                             daemon=True).start()

    def _repair(self, given: Path, damaged: dict[Path, list[int]]) -> None:
        """Keep what was read: move the damaged files aside (a second name first, so that no moment
        leaves their bytes nowhere), then write everything read into a new snapshot and logs."""
        try:
            aside = {damaged_file: _link_aside(damaged_file) for damaged_file in damaged}
        except OSError as exc:
            self.close()
            raise StoreError(f"cannot move a damaged file of {given} aside: {exc.strerror} ({exc.filename})") from None
        # The compaction replaces a damaged snapshot and removes every log it has read, the damaged
        # ones too (a damaged log holds a line, so the compaction starts a new one).
        if not self.compact(wait=True):
            self.close()
            raise StoreError(f"cannot write the repaired state file {given}; see the error above")
        lines = "; ".join(f"{f.name} line{'s' if len(n) > 1 else ''} {', '.join(map(str, n[:5]))}"
                          f"{', ...' if len(n) > 5 else ''}" for f, n in damaged.items() if n)
        changed = "; ".join(f"{f.name} changed after the server wrote it, kept as it reads now"
                            for f, n in damaged.items() if not n)
        self.repaired = [
            f"repaired {given}: kept {self._tables.records} records, every readable line"
            + "".join(f"; {part}" for part in (lines and f"left out {lines}", changed) if part),
            "moved aside, not deleted: " + ", ".join(f"{f.name} -> {a.name}" for f, a in aside.items()),
        ]

    # ---- the log: group commit ------------------------------------------------------------------

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
            self._check_log()
            with self.lock:
                log_file = self._log
                if log_file is None:  # closed: close() synced everything
                    return
                lines, self._pending = self._pending, []
                upto = self._written
            # Lines of earlier generations were written and fsynced when their log was rotated (while
            # owning the log), so writing and syncing the current log covers every line up to ``upto``.
            try:
                if lines:
                    log_file.write("".join(lines))
                    log_file.flush()
                if fsync:
                    os.fsync(log_file.fileno())
            except OSError as exc:
                self._log_failed(exc)
                raise
            self._synced = upto

    def _check_log(self) -> None:
        if self._sync_failure is not None:
            raise StoreError(f"the state log can no longer be written: {self._sync_failure}")

    def _log_failed(self, exc: OSError) -> None:
        """A write to the log failed: it may end in part of a line, so nothing more is appended to it."""
        if self._sync_failure is None:
            log.error("cannot write the state log, durable writes now fail: %s", exc)
            self._sync_failure = exc

    def _flush_locked(self) -> None:
        """Owning the log and under the lock: the pending lines into the current log, fsynced."""
        assert self._log
        self._check_log()
        try:
            self._log.write("".join(self._pending))
            self._log.flush()
            os.fsync(self._log.fileno())
        except OSError as exc:
            self._log_failed(exc)
            raise
        self._pending.clear()
        self._synced = self._written

    # ---- compaction: the log folded into the TinyDB snapshot --------------------------------------

    def compact(self, wait: bool = False) -> bool:
        """Fold the logs into a new TinyDB snapshot, atomically replacing the old file.

        Without ``wait`` it returns at once when another compaction is running. False when it could not
        run or failed; a failure is logged and changes nothing the next start needs (the logs keep
        every write), and the idle compactor retries after a pause that grows up to RETRY_PAUSE_MAX.
        """
        if not self._log or not self._compacting.acquire(blocking=wait):
            return False
        started = time.monotonic()
        try:
            with self._owning_log(), self.lock:
                if not self._log or self._sync_failure is not None:  # closed, or the log is in doubt
                    return False
                self._flush_locked()
                # An empty current log needs no successor: the snapshot can take its generation.
                if os.fstat(self._log.fileno()).st_size:
                    # The next log first: if it cannot be created, nothing has changed.
                    new_log = open(wal.path_of(self.path, self._generation + 1), "a", encoding="utf-8")  # noqa: SIM115
                    self._log.close()
                    self._log, self._generation, self._line_number = new_log, self._generation + 1, 0
                self._log_lines = 0
                generation = self._generation
                tables = self._tables.copy() + self._forked_tables()
            self._behind = True
            # Outside the lock, from shallow copies (records are immutable once stored): writers go on.
            document = {META_TABLE: {"1": {"generation": generation}}}
            document.update((table, {str(ids[key]): record for key, record in docs.items()})
                            for table, docs, ids in tables)
            self._snapshot.write(document)
            self._behind = False
            for number, old_log in wal.logs(self.path):
                if number < generation:
                    old_log.unlink(missing_ok=True)
        except (OSError, StoreError) as exc:
            self._compact_failures += 1
            pause = min(RETRY_PAUSE_MAX, 2.0 ** (self._compact_failures - 1))
            self._retry_at = time.monotonic() + pause
            log.error("cannot compact the state file %s (every write is kept in its log; retrying in %.0f s): %s",
                      self.path, pause, exc)
            return False
        finally:
            self._compact_queued = False
            self._compact_cost = time.monotonic() - started
            self._compacting.release()
        if self._compact_failures:
            log.warning("compacted the state file %s again after %d failed attempts", self.path,
                        self._compact_failures)
            self._compact_failures = 0
        return True

    def _idle_compactor(self, idle: float) -> None:
        """Keep the TinyDB file current: compact once writes pause, at most ~10% of the time."""
        while not self._closed.wait(idle / 2):
            quiet = time.monotonic() - self._last_write
            if ((self._log_lines or self._behind) and quiet >= max(idle, 10 * self._compact_cost)
                    and time.monotonic() >= self._retry_at):
                try:
                    self.compact()
                except Exception:  # a bug must not end the thread that keeps the file current
                    log.exception("compaction of %s failed", self.path)

    def close(self) -> None:
        """Fold the logs into the snapshot if possible, write what is pending, release the file."""
        self._closed.set()
        if not self._log:
            return
        self.compact(wait=True)
        with self._owning_log(), self.lock:
            with contextlib.suppress(OSError, StoreError):  # _log_failed has said why
                self._flush_locked()
            with contextlib.suppress(OSError):
                self._log.close()
            if not self._log_lines and self._sync_failure is None:  # else the log keeps writes
                wal.path_of(self.path, self._generation).unlink(missing_ok=True)
            self._log = None
        self._file_lock.release()

    # ---- reads -------------------------------------------------------------------------------

    def transaction(self) -> Transaction:
        """Hold the store lock across a read-check-write sequence (e.g. get-or-create).

        Writes inside it are synced when the outermost transaction ends, outside the lock: an fsync
        under the lock would serialise every writer behind it and defeat group commit. What the
        transaction saw is synced too, so nobody acknowledges a record that is not yet on disk.
        """
        return Transaction(self)

    def get(self, table: str, key: str) -> Record | None:
        return self._docs(table).get(key)

    def records(self, table: str) -> list[Record]:
        with self.lock:
            return list(self._docs(table).values())

    def find(self, table: str, equals: dict[str, Any], limit: int | None = None) -> list[Record]:
        """Records whose fields equal ``equals`` (a missing field equals None), in table order, through
        secondary indexes: after the first look-up on a set of fields, O(matches) at any table size."""
        base = self._base(table)
        if base is not None:  # the base's indexes serve every fork of it
            return base[0].find(base[1], equals, limit)
        # No lock: a thread preempted while holding it would stall every reader (see Tables.apply).
        found = self._tables.find(table, equals, self.lock) if equals else self.records(table)
        return found if limit is None else found[:limit]

    def count(self, table: str) -> int:
        return len(self._docs(table))

    def tables(self, prefix: str = "") -> list[str]:
        with self.lock:
            held = [t for t, docs in self._tables.docs.items() if t.startswith(prefix) and docs]
            return held + [t for t, _docs, _ids in self._forked_tables(prefix)]

    # ---- forks: groups of tables that read another store's until written ---------------------------

    def fork(self, group: str, base: Store, base_group: str) -> None:
        """From now on the tables ``<group>/<name>`` are those of ``base``'s ``<base_group>/<name>``.

        What this store held in the group is dropped, and each table of the group reads the base's until it
        is first written (``put``, ``delete``), which copies that one table (shallow: records are
        immutable) into this store. So a group that is only read costs no records. A fork of a group
        inside a forked one (``ns/p`` in ``ns``) takes its tables over.

        ``base`` is frozen from now on: it refuses writes, and whoever needs it changed changes a
        ``copy()``. A durable store logs the base's records as puts into the group's tables, so the log
        holds what the group holds and a restart gives the same answers (from tables of its own).
        """
        base._freeze_as_base()
        with self.lock:
            self._check_writable()
            seq = self._drop_locked(f"{group}/")
            self._forks[group] = (base, base_group)
            if self._log:
                for table, docs, ids in self._forked_tables(f"{group}/"):
                    for key, record in docs.items():
                        seq = self._append_locked(wal.put_line(table, key, ids[key], jsontext.dumps(record)))
        self._wait(seq)

    def share(self, groups: Iterable[str], base: Store, base_group: str) -> None:
        """At start-up: let each group's tables that hold exactly what ``base``'s hold read the base's again, as
        after ``fork`` (groups do not nest; no group of this store reads a base yet).

        A durable store logs a fork as the base's records put into the group's tables, so a restart loads a copy
        of them into every forked group, and a long-lived server would grow with every namespace it ever made.
        Sharing gives that memory back without changing an answer, and logs nothing: the log holds what the
        group holds, before as after. A table is shared only when its keys, document ids and records, field
        order and types included, are the base's; every other table stays the group's own, and a table of the
        base that a group does not hold (it emptied or dropped it, or forked another world) is held empty, so
        the base's records do not show through it. ``base`` is frozen, as by ``fork``.
        """
        base_prefix = f"{base_group}/"
        # Tables compare as lists of (key, record), by == and then by repr: == takes 1 for 1.0 and True and
        # ignores the order of keys and fields, which answers show; reprs of JSON values differ where texts do.
        shown = [(t[len(base_prefix):], items, repr(items), base._tables.doc_ids[t])
                 for t, docs in base._tables.docs.items() if docs and t.startswith(base_prefix)
                 for items in [list(docs.items())]]
        fork = (base, base_group)  # one for every group: a namespace that shares costs little more than its name
        with self.lock:
            if self._forks:
                raise ValueError("share is a start-up step: groups of this store already read a base")
            base._freeze_as_base()
            for group in groups:
                for name, base_items, base_repr, base_ids in shown:
                    table = f"{group}/{name}"
                    docs = self._tables.docs.get(table)
                    if docs is None:
                        self._tables.adopt(table, {}, {})
                    elif (self._tables.doc_ids[table] == base_ids and (items := list(docs.items())) == base_items
                          and repr(items) == base_repr):
                        self._tables.drop(table)
                self._forks[group] = fork
            self._tables.shrink()

    def copy(self) -> Store:
        """A store in memory holding the same records (shared: they are immutable) and forks, free to change."""
        clone = Store(None, self._key_of)
        with self.lock:
            clone._tables = self._tables.clone()
            clone._forks = dict(self._forks)
        return clone

    def _base(self, table: str) -> tuple[Store, str] | None:
        """The base store and table that ``table`` reads: when this store does not hold it and the
        nearest group above it is forked."""
        if not self._forks or table in self._tables.docs:
            return None
        group, name = table, ""
        while True:
            group, sep, last = group.rpartition("/")
            if not sep:
                return None
            name = f"{last}/{name}" if name else last
            fork = self._forks.get(group)
            if fork is not None:
                return fork[0], f"{fork[1]}/{name}"

    def _docs(self, table: str) -> dict[str, Record]:
        store, name = self._base(table) or (self, table)
        return store._tables.docs.get(name, {})

    def _hold(self, table: str) -> None:
        """Under the lock, before a write: a table that reads a base becomes a copy of it."""
        base = self._base(table)
        if base is not None:
            store, name = base
            self._tables.adopt(table, dict(store._tables.docs.get(name, {})),
                               dict(store._tables.doc_ids.get(name, {})))

    def _forked_tables(self, prefix: str = "") -> list[tuple[str, dict[str, Record], dict[str, int]]]:
        """``(table, records, document ids)`` of the non-empty tables under ``prefix`` that read a base.
        The records are the base's own dicts: a base never changes."""
        found = []
        for group, (base, base_group) in self._forks.items():
            if not (f"{group}/".startswith(prefix) or prefix.startswith(f"{group}/")):
                continue
            for base_table, docs in base._tables.docs.items():
                if docs and base_table.startswith(f"{base_group}/"):
                    table = group + base_table[len(base_group):]
                    if table.startswith(prefix) and self._base(table) == (base, base_table):
                        found.append((table, docs, base._tables.doc_ids[base_table]))
        return found

    def _freeze_as_base(self) -> None:
        """Become a base of forks (``fork``, ``share``): refuse writes from now on."""
        if self._forks:
            raise ValueError("a base must hold its tables itself: forks are not followed through it")
        self.frozen = True

    def _check_writable(self) -> None:
        if self.frozen:
            raise StoreError("this store is the base of forks and cannot change: change a copy()")

    # ---- writes ------------------------------------------------------------------------------

    def put(self, table: str, record: Record, key: str) -> Record:
        """Insert or replace the record under ``key``; returns the stored copy.

        Raises ``Unportable``, storing nothing, for a record JSON cannot carry (NaN, a lone surrogate): it would
        break every answer that holds it, and the log line it makes would break every restart.
        """
        text = jsontext.dumps(record)
        stored = RECORD_DECODER.decode(text)  # the store never shares a dict with its caller
        with self.lock:
            self._check_writable()
            self._hold(table)
            doc_id = self._tables.apply(table, key, stored)
            seq = self._append_locked(wal.put_line(table, key, doc_id, text))
        self._wait(seq)
        return stored

    def delete(self, table: str, key: str) -> bool:
        with self.lock:
            self._check_writable()
            if key not in self._docs(table):
                return False
            self._hold(table)
            doc_id = self._tables.apply(table, key, None)
            seq = self._append_locked(wal.delete_line(table, key, doc_id))
        self._wait(seq)
        return True

    def drop(self, prefix: str) -> None:
        """Empty every table whose name starts with ``prefix``, and end the forks of the groups under it."""
        with self.lock:
            self._check_writable()
            seq = self._drop_locked(prefix)
            for table, _docs, _ids in self._forked_tables(prefix):  # a broader group's fork shows them again:
                self._tables.adopt(table, {}, {})  # they stay empty
        self._wait(seq)

    def _drop_locked(self, prefix: str) -> int | None:
        gone = [t for t in self._tables.docs if t.startswith(prefix)]
        logged = gone + [t for t, _docs, _ids in self._forked_tables(prefix)]  # their records are in the log
        for table in gone:
            self._tables.drop(table)
        for group in [g for g in self._forks if f"{g}/".startswith(prefix)]:
            del self._forks[group]
        seq = None
        for table in logged:
            seq = self._append_locked(wal.drop_line(table))
        return seq

    # Log lines are queued inside the store lock (so log order is apply order) and written and
    # synced outside it (so one write and one fsync serve every writer that queued up meanwhile).
    def _append_locked(self, entry: str) -> int | None:
        if not self._log:
            return None
        self._line_number += 1
        self._pending.append(wal.framed(entry, self._line_number))
        self._written += 1
        self._log_lines += 1
        self._last_write = time.monotonic()
        return self._written

    def _wait(self, seq: int | None) -> None:
        if seq is None or getattr(self._local, "depth", 0):
            return  # inside a transaction: synced when it ends
        if self.durable:
            self._check_log()
            self._sync(seq)
        elif len(self._pending) >= RELAXED_BATCH:
            self._sync(seq, fsync=False)
        # Compact when the log is as long as the data (at least compact_every lines): each compaction
        # rewrites n records after >= n writes, so its cost per write stays constant as the store grows.
        if (self._log_lines >= max(self.compact_every, self._tables.records) and not self._compact_queued
                and time.monotonic() >= self._retry_at):
            self._compact_queued = True
            threading.Thread(target=self.compact, name="store-compaction", daemon=True).start()


def _lock(path: Path, given: Path) -> FileLock:
    """Hold the state file's lock, or say truly why not."""
    lock_path = path.with_name(path.name + ".lock")
    existed = lock_path.exists()
    try:  # filelock reports a lock file it cannot create as a lock held by another process
        os.close(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and not existed:
            raise StoreError(f"cannot write in the folder {path.parent} of state file {given}: "
                             f"{exc.strerror}") from None
        verb = "open" if existed else "create"
        raise StoreError(f"cannot {verb} the lock file {lock_path}: {exc.strerror}") from None
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        where = "" if path == given.absolute() else f" (which is {path})"
        raise StoreError(f"state file {given}{where} is in use by another running emulator") from None
    except OSError as exc:
        raise StoreError(f"cannot lock {lock_path}: {exc.strerror}") from None
    return lock


def _link_aside(damaged: Path) -> Path:
    """A second name for a damaged file, ``<name>.damaged[.N]``, never overwriting an earlier one."""
    for n in range(1000):
        target = damaged.with_name(f"{damaged.name}.damaged{f'.{n}' if n else ''}")
        try:
            os.link(damaged, target)
            return target
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "too many damaged copies", str(damaged))
