"""Store: durable writes through the log, snapshots TinyDB can read, crash leftovers, one writer."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tinydb import TinyDB

from emulator.store import ChangedFile, DamagedFile, StateStorage, Store, StoreError, wal


def key_of(table: str, record: dict) -> str:
    return record["id"]


def open_store(path, **kw) -> Store:
    kw.setdefault("idle_compact", None)  # tests that want the background compactor ask for it
    return Store(path, key_of, **kw)


def crash_mid_write(path) -> None:
    """One acknowledged record, then a process death (no close) halfway through the next log line."""
    store = open_store(path)
    store.put("ns/p/things", {"id": "kept"}, "kept")
    store._file_lock.release()
    with open(wal.path_of(store.path, store._generation), "a") as log:
        log.write('{"t":"ns/p/things","k":"torn","r":{"id":"to')


def test_records_survive_reopen(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path)
    store.put("ns/p/things", {"id": "a", "v": 1}, "a")
    store.put("ns/p/things", {"id": "b", "v": 2}, "b")
    store.put("ns/p/things", {"id": "a", "v": 3}, "a")
    store.delete("ns/p/things", "b")
    store.close()

    again = open_store(path)
    assert again.records("ns/p/things") == [{"id": "a", "v": 3}]
    again.close()


def test_unclosed_store_is_recovered_from_its_log(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path)
    for i in range(5):
        store.put("ns/p/things", {"id": str(i)}, str(i))
    store._file_lock.release()  # as if the process had died: no close, no compaction

    again = open_store(path)
    assert [r["id"] for r in again.records("ns/p/things")] == ["0", "1", "2", "3", "4"]
    again.close()


def test_a_torn_last_log_line_is_ignored(tmp_path):
    path = tmp_path / "state.json"
    crash_mid_write(path)

    again = open_store(path)
    assert again.records("ns/p/things") == [{"id": "kept"}]
    again.close()


def test_compaction_writes_a_tinydb_file_and_removes_old_logs(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path, compact_every=10**9)
    store.put("ns/p/things", {"id": "x", "n": 1}, "x")
    store.put("ns/p/other", {"id": "y"}, "y")
    store.compact()
    store.put("ns/p/things", {"id": "z"}, "z")
    logs = sorted(p.name for p in tmp_path.glob("state.json.log.*"))
    assert logs == ["state.json.log.1"]

    db = TinyDB(path)
    assert db.table("ns/p/things").all() == [{"id": "x", "n": 1}]
    assert db.table("ns/p/other").get(doc_id=1) == {"id": "y"}
    db.close()
    store.close()
    assert TinyDB(path).table("ns/p/things").all() == [{"id": "x", "n": 1}, {"id": "z"}]


def test_compaction_triggers_by_itself(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path, compact_every=3)
    for i in range(7):
        store.put("ns/p/things", {"id": str(i)}, str(i))
    store.close()
    assert [r["id"] for r in open_store(path).records("ns/p/things")] == [str(i) for i in range(7)]


def test_drop_removes_tables_by_prefix_durably(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path)
    store.put("a/p/things", {"id": "1"}, "1")
    store.put("b/p/things", {"id": "2"}, "2")
    store.drop("a/")
    assert store.tables() == ["b/p/things"]
    store._file_lock.release()
    assert open_store(path).tables() == ["b/p/things"]


def test_a_second_writer_is_refused(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path)
    with pytest.raises(StoreError, match="in use by another running emulator"):
        open_store(path)
    store.close()


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"t": [1]}'])
def test_an_invalid_state_file_is_refused(tmp_path, content):
    path = tmp_path / "state.json"
    path.write_text(content)
    with pytest.raises(StoreError, match=r"damaged state .*state\.json, line 1: not (valid JSON|a TinyDB JSON)"):
        open_store(path)
    open_store(tmp_path / "other.json").close()  # the lock of the refused file was released
    path.write_text(json.dumps({}))
    open_store(path).close()


def test_stored_records_are_not_shared_with_the_caller(tmp_path):
    store = open_store(None)
    record = {"id": "a", "tags": ["x"]}
    store.put("ns/p/things", record, "a")
    record["tags"].append("y")
    assert store.get("ns/p/things", "a") == {"id": "a", "tags": ["x"]}


# ---- durability under concurrency, indexes, O(1) writes ---------------------------------------------------


def test_a_write_after_a_torn_tail_survives(tmp_path):
    path = tmp_path / "state.json"
    crash_mid_write(path)

    again = open_store(path)
    again.put("ns/p/things", {"id": "after"}, "after")  # appended to the same log: the torn tail must be gone
    again._file_lock.release()
    assert [r["id"] for r in open_store(path).records("ns/p/things")] == ["kept", "after"]


def test_writes_in_a_transaction_are_synced_after_it_outside_the_lock(tmp_path, monkeypatch):
    store = open_store(path := tmp_path / "state.json")
    calls = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(store.lock._is_owned())  # an fsync under the lock would serialise every writer
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with store.transaction():
        store.put("ns/p/things", {"id": "a"}, "a")
        store.put("ns/p/things", {"id": "b"}, "b")
        assert calls == []  # not yet: acknowledged only when the transaction ends
    assert calls == [False]  # one fsync for both writes, without the lock
    monkeypatch.undo()
    store._file_lock.release()
    assert len(open_store(path).records("ns/p/things")) == 2


def test_find_uses_an_index_kept_current_by_every_write(tmp_path):
    store = open_store(tmp_path / "state.json")
    table = "ns/p/things"
    for i in range(6):
        store.put(table, {"id": str(i), "owner": "ab"[i % 2], "tags": ["x"] if i < 3 else ["y"]}, str(i))
    assert [r["id"] for r in store.find(table, {"owner": "a"})] == ["0", "2", "4"]
    store.put(table, {"id": "0", "owner": "b", "tags": ["x"]}, "0")  # moves buckets, keeps its table position
    store.delete(table, "2")
    store.put(table, {"id": "9", "owner": "a"}, "9")
    assert [r["id"] for r in store.find(table, {"owner": "a"})] == ["4", "9"]
    assert [r["id"] for r in store.find(table, {"owner": "b"})] == ["0", "1", "3", "5"]
    assert [r["id"] for r in store.find(table, {"tags": ["x"]})] == ["0", "1"]  # unhashable values
    assert [r["id"] for r in store.find(table, {"tags": None})] == ["9"]  # a missing field equals None
    assert [r["id"] for r in store.find(table, {"owner": "b"}, limit=2)] == ["0", "1"]
    assert store.find(table, {}) == store.records(table)
    store.drop("ns/")
    assert store.find(table, {"owner": "a"}) == []
    store.close()


def test_compaction_waits_for_as_many_writes_as_records(tmp_path):
    store = open_store(tmp_path / "state.json", compact_every=10, idle_compact=None)
    for i in range(40):
        store.put("ns/p/things", {"id": str(i)}, str(i))
    store.compact(wait=True)
    generation = store._generation
    for i in range(39):  # 40 records: 39 more writes do not compact yet, the 40th does
        store.put("ns/p/things", {"id": str(i), "v": 1}, str(i))
    assert store._generation == generation
    store.put("ns/p/things", {"id": "39", "v": 1}, "39")
    store.compact(wait=True)  # joins the one just started
    assert store._generation >= generation + 1
    store.close()


def test_the_tinydb_file_catches_up_once_writes_pause(tmp_path):
    import time

    path = tmp_path / "state.json"
    store = open_store(path, idle_compact=0.1)
    store.put("ns/p/things", {"id": "a"}, "a")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not path.exists():
        time.sleep(0.02)
    assert TinyDB(path, access_mode="r").table("ns/p/things").all() == [{"id": "a"}]
    store.close()


def test_a_write_that_lands_while_the_store_closes_stays_in_the_log(tmp_path):
    store = open_store(path := tmp_path / "state.json")
    store.put("ns/p/things", {"id": "before"}, "before")
    compact = store.compact

    def compact_then_a_late_write(wait: bool = False) -> None:
        compact(wait=wait)
        store.put("ns/p/things", {"id": "late"}, "late")  # a request thread writing after the final compaction

    store.compact = compact_then_a_late_write
    store.close()
    assert [r["id"] for r in open_store(path).records("ns/p/things")] == ["before", "late"]


# ---- damage: only a torn last line may be cut; anything else stops, or is repaired ------------------------


def killed_store_with_log(path, count: int = 5) -> Path:
    """``count`` acknowledged records in the log of a store that then died; the log's path."""
    store = open_store(path)
    for i in range(count):
        store.put("ns/p/things", {"id": str(i)}, str(i))
    store._file_lock.release()  # as if the process had died
    return wal.path_of(store.path, store._generation)


def folder_bytes(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("damage, reason", [
    (b'{"t":"ns/p/things","k":"2","i":3,"r":{"id":"2"}\n', "not valid JSON"),
    (b'{"t":"ns/p/things","k":"2","i":3,"r":{"id":"\xff"}}\n', "not valid UTF-8"),
    (b"\n", "not valid JSON"),
    (b"[1, 2]\n", "not a log entry"),
    (b'{"t":"ns/p/things","k":"2","i":0,"r":{"id":"2"}}\n', "not a log entry"),
    (b'{"t":"ns/p/things","k":"2","r":[1]}\n', "not a log entry"),
    (b'{"drop":5}\n', "not a log entry"),
])
def test_a_damaged_line_in_the_middle_of_the_log_stops_the_start_and_changes_nothing(tmp_path, damage, reason):
    log = killed_store_with_log(path := tmp_path / "state.json")
    lines = log.read_bytes().splitlines(keepends=True)
    lines[2] = damage
    log.write_bytes(b"".join(lines))
    before = folder_bytes(tmp_path)
    with pytest.raises(DamagedFile, match=f"damaged state {log}, line 3: {reason}"):
        open_store(path)
    assert folder_bytes(tmp_path) == before

    repaired = open_store(path, repair=True)
    assert [r["id"] for r in repaired.records("ns/p/things")] == ["0", "1", "3", "4"]  # before and after
    assert repaired.repaired[0].endswith(f"left out {log.name} line 3")
    repaired.close()
    assert (tmp_path / f"{log.name}.damaged").read_bytes() == before[log.name]
    assert [r["id"] for r in open_store(path).records("ns/p/things")] == ["0", "1", "3", "4"]


def test_an_incomplete_last_line_of_an_older_log_is_damage_not_a_torn_write(tmp_path):
    old = killed_store_with_log(path := tmp_path / "state.json")
    with open(old, "ab") as fh:
        fh.write(b'{"t":"ns/p/things","k":"x"')
    wal.path_of(path, 1).write_text('{"drop":"nothing"}\n')
    with pytest.raises(DamagedFile, match=f"{old}, line 6: an incomplete line"):
        open_store(path)


def test_a_damaged_table_line_of_the_snapshot_loses_only_that_table_on_repair(tmp_path):
    store = open_store(path := tmp_path / "state.json")
    for table in ("ns/p/a", "ns/p/b"):
        for i in range(3):
            store.put(table, {"id": f"{table[-1]}{i}"}, f"{table[-1]}{i}")
    store.close()
    text = path.read_text()
    path.write_text(text.replace('"ns/p/a": {', '"ns/p/a: {'))
    with pytest.raises(DamagedFile, match=f"{path}, line 5: not valid JSON"):
        open_store(path)
    repaired = open_store(path, repair=True)
    assert repaired.tables() == ["ns/p/b"] and repaired.count("ns/p/b") == 3
    repaired.close()
    assert (tmp_path / "state.json.damaged").read_text() == text.replace('"ns/p/a": {', '"ns/p/a: {')


def test_records_of_a_table_no_provider_knows_are_kept(tmp_path):
    def strict_key(table: str, record: dict) -> str:
        if not table.startswith("ns/"):
            raise KeyError(table)
        return record["id"]

    path = tmp_path / "state.json"
    path.write_text(json.dumps({"_default": {"1": {"any": "thing"}}, "ns/p/t": {"1": {"id": "a"}}}))
    store = Store(path, strict_key, idle_compact=None)
    store.put("ns/p/t", {"id": "b"}, "b")
    store.close()
    assert TinyDB(path, access_mode="r").table("_default").all() == [{"any": "thing"}]


def test_log_lines_of_an_earlier_version_without_document_ids_still_load(tmp_path):
    path = tmp_path / "state.json"
    wal.path_of(path, 0).write_text('{"t":"ns/p/things","k":"a","r":{"id":"a"}}\n{"t":"ns/p/things","k":"a"}\n'
                                    '{"t":"ns/p/things","k":"b","r":{"id":"b"}}\n')
    store = open_store(path)
    assert store.records("ns/p/things") == [{"id": "b"}]
    store.close()


# ---- a compaction that fails changes nothing the next start needs -------------------------------------------


def test_a_compaction_that_cannot_write_its_snapshot_is_retried_by_the_idle_thread(tmp_path):
    import time

    path = tmp_path / "state.json"
    (tmp_path / "state.json.tmp").mkdir()  # the snapshot's temporary file cannot be created
    store = open_store(path, idle_compact=0.05)
    store.put("ns/p/things", {"id": "a"}, "a")
    assert store.compact(wait=True) is False
    store.put("ns/p/things", {"id": "b"}, "b")  # writes go on
    (tmp_path / "state.json.tmp").rmdir()
    deadline = time.monotonic() + 10
    while not path.exists():
        assert time.monotonic() < deadline, "the idle compactor never retried"
        time.sleep(0.02)
    assert [d["id"] for d in TinyDB(path, access_mode="r").table("ns/p/things").all()] == ["a", "b"]
    store.close()


def test_a_compaction_that_cannot_start_a_new_log_changes_nothing_and_close_survives_it(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    store = open_store(path)
    store.put("ns/p/things", {"id": "a"}, "a")
    real_path_of = wal.path_of
    monkeypatch.setattr(wal, "path_of", lambda state, generation: tmp_path / "missing" / "log")
    assert store.compact(wait=True) is False
    store.put("ns/p/things", {"id": "b"}, "b")
    store.close()  # its compaction fails too: logged, and the log keeps the writes
    monkeypatch.setattr(wal, "path_of", real_path_of)
    assert not path.exists()
    assert [r["id"] for r in open_store(path).records("ns/p/things")] == ["a", "b"]


def test_repair_of_a_sound_state_changes_nothing_and_says_nothing(tmp_path):
    killed_store_with_log(path := tmp_path / "state.json")
    before = folder_bytes(tmp_path)
    store = open_store(path, repair=True)
    assert store.repaired == [] and folder_bytes(tmp_path) == before
    store.close()


# ---- checksums: damage that leaves valid JSON -----------------------------------------------------------------


@pytest.mark.parametrize("damage, reason", [
    (lambda lines: lines[0], "out of place: it was written as line 1"),  # a copy of another valid line
    (lambda lines: lines[2].split(b" ", 2)[2], "no checksum, in a log whose other lines have one"),
    (lambda lines: lines[2].replace(b'"id": "2"', b'"id": "7"'), "its checksum does not match"),
])
def test_a_valid_log_line_that_is_not_the_one_written_there_stops_the_start(tmp_path, damage, reason):
    log = killed_store_with_log(path := tmp_path / "state.json")
    lines = log.read_bytes().splitlines(keepends=True)
    lines[2] = damage(lines)
    log.write_bytes(b"".join(lines))
    with pytest.raises(DamagedFile, match=f"damaged state {log}, line 3: {reason}"):
        open_store(path)
    repaired = open_store(path, repair=True)
    assert [r["id"] for r in repaired.records("ns/p/things")] == ["0", "1", "3", "4"]
    repaired.close()


def test_a_damaged_checksum_file_or_an_emptied_snapshot_stops_the_start(tmp_path):
    store = open_store(path := tmp_path / "state.json")
    store.put("ns/p/things", {"id": "a"}, "a")
    store.close()
    checksums = tmp_path / "state.json.checksum"
    checksums.write_bytes(b"not hex\n")
    with pytest.raises(DamagedFile, match=f"damaged state {checksums}, line 1: not a checksum"):
        open_store(path)
    repaired = open_store(path, repair=True)  # the snapshot is kept as it reads, with a new checksum
    assert repaired.records("ns/p/things") == [{"id": "a"}]
    repaired.close()
    assert (tmp_path / "state.json.checksum.damaged").read_bytes() == b"not hex\n"
    open_store(path).close()
    path.write_bytes(b"")
    with pytest.raises(ChangedFile, match=f"damaged state {path}: it changed after the server wrote it"):
        open_store(path)


def test_reading_the_state_while_compactions_replace_the_snapshot_never_finds_it_changed(tmp_path):
    import threading

    store = open_store(path := tmp_path / "state.json")
    done = threading.Event()

    def compact_again_and_again() -> None:
        for i in range(200):
            store.put("ns/p/things", {"id": str(i)}, str(i))
            store.compact(wait=True)
        done.set()

    thread = threading.Thread(target=compact_again_and_again)
    thread.start()
    reads = 0
    while not done.is_set():
        StateStorage(path).read()
        reads += 1
    thread.join()
    store.close()
    assert reads > 10
