"""Store: durable writes through the log, snapshots TinyDB can read, crash leftovers, one writer."""

from __future__ import annotations

import json

import pytest
from tinydb import TinyDB

from emulator.store import Store, StoreError


def key_of(table: str, record: dict) -> str:
    return record["id"]


def open_store(path, **kw) -> Store:
    return Store(path, key_of, **kw)


def test_records_survive_reopen(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path)
    store.put("ns/p/things", {"id": "a", "v": 1})
    store.put("ns/p/things", {"id": "b", "v": 2})
    store.put("ns/p/things", {"id": "a", "v": 3})
    store.delete("ns/p/things", "b")
    store.close()

    again = open_store(path)
    assert again.records("ns/p/things") == [{"id": "a", "v": 3}]
    again.close()


def test_unclosed_store_is_recovered_from_its_log(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path)
    for i in range(5):
        store.put("ns/p/things", {"id": str(i)})
    store._file_lock.release()  # as if the process had died: no close, no compaction

    again = open_store(path)
    assert [r["id"] for r in again.records("ns/p/things")] == ["0", "1", "2", "3", "4"]
    again.close()


def test_a_torn_last_log_line_is_ignored(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path)
    store.put("ns/p/things", {"id": "kept"})
    store._file_lock.release()
    with open(store._log_path(store._generation), "a") as log:
        log.write('{"t":"ns/p/things","k":"torn","r":{"id":"to')  # kill -9 in the middle of a write

    again = open_store(path)
    assert again.records("ns/p/things") == [{"id": "kept"}]
    again.close()


def test_compaction_writes_a_tinydb_file_and_removes_old_logs(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path, compact_every=10**9)
    store.put("ns/p/things", {"id": "x", "n": 1})
    store.put("ns/p/other", {"id": "y"})
    store.compact()
    store.put("ns/p/things", {"id": "z"})
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
        store.put("ns/p/things", {"id": str(i)})
    store.close()
    assert [r["id"] for r in open_store(path).records("ns/p/things")] == [str(i) for i in range(7)]


def test_drop_removes_tables_by_prefix_durably(tmp_path):
    path = tmp_path / "state.json"
    store = open_store(path)
    store.put("a/p/things", {"id": "1"})
    store.put("b/p/things", {"id": "2"})
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
    with pytest.raises(StoreError, match="not a valid TinyDB JSON file"):
        open_store(path)
    open_store(tmp_path / "other.json").close()  # the lock of the refused file was released
    path.write_text(json.dumps({}))
    open_store(path).close()


def test_stored_records_are_not_shared_with_the_caller(tmp_path):
    store = open_store(None)
    record = {"id": "a", "tags": ["x"]}
    store.put("ns/p/things", record)
    record["tags"].append("y")
    assert store.get("ns/p/things", "a") == {"id": "a", "tags": ["x"]}
