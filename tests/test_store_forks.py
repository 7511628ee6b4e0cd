"""Store forks: a group of tables reads another store's until written (copy on write), in memory and durably."""

from __future__ import annotations

import pytest
from tinydb import TinyDB

from emulator.store import Store, StoreError


def key_of(table: str, record: dict) -> str:
    return record["id"]


def world() -> Store:
    base = Store(None, key_of)
    base.put("_world/p/things", {"id": "a", "colour": "red"}, "a")
    base.put("_world/p/things", {"id": "b", "colour": "blue"}, "b")
    base.put("_world/p/others", {"id": "o"}, "o")
    base.put("_world/q/things", {"id": "q"}, "q")
    return base


def forked(path=None) -> tuple[Store, Store]:
    base, store = world(), Store(path, key_of, idle_compact=None)
    store.fork("ns/p", base, "_world/p")
    return base, store


def test_a_forked_group_reads_the_base_and_shares_its_records():
    base, store = forked()
    assert store.records("ns/p/things") == [{"id": "a", "colour": "red"}, {"id": "b", "colour": "blue"}]
    assert store.get("ns/p/things", "a") is base.get("_world/p/things", "a")  # nothing was copied
    assert store.find("ns/p/things", {"colour": "blue"}) == [{"id": "b", "colour": "blue"}]
    assert store.count("ns/p/others") == 1
    assert sorted(store.tables("ns/")) == ["ns/p/others", "ns/p/things"]
    assert store.records("ns/q/things") == []  # another group: not forked


def test_a_write_copies_only_the_table_written_and_never_changes_the_base():
    base, store = forked()
    store.put("ns/p/things", {"id": "c", "colour": "red"}, "c")
    assert [r["id"] for r in store.find("ns/p/things", {"colour": "red"})] == ["a", "c"]
    assert store.get("ns/p/others", "o") is base.get("_world/p/others", "o")  # still read through
    assert store.delete("ns/p/others", "o") and store.records("ns/p/others") == []
    assert not store.delete("ns/p/others", "o")
    assert [r["id"] for r in base.records("_world/p/things")] == ["a", "b"]
    assert base.records("_world/p/others") == [{"id": "o"}]


def test_a_base_is_frozen_and_a_copy_of_it_changes_without_touching_forks():
    base, store = forked()
    with pytest.raises(StoreError, match="base of forks"):
        base.put("_world/p/things", {"id": "z"}, "z")
    with pytest.raises(StoreError, match="base of forks"):
        base.drop("")
    changed = base.copy()
    changed.put("_world/p/things", {"id": "z"}, "z")
    changed.delete("_world/p/things", "a")
    assert [r["id"] for r in changed.records("_world/p/things")] == ["b", "z"]
    assert [r["id"] for r in store.records("ns/p/things")] == ["a", "b"]


def test_drop_removes_the_fork_of_the_groups_under_it():
    _, store = forked()
    store.put("ns/p/things", {"id": "c"}, "c")
    store.drop("ns/p/")
    assert store.records("ns/p/things") == [] and store.records("ns/p/others") == [] and store.tables() == []


def test_a_durable_fork_survives_a_restart_with_every_write_and_delete(tmp_path):
    path = tmp_path / "state.json"
    _, store = forked(path)
    store.put("ns/p/things", {"id": "c"}, "c")
    store.delete("ns/p/things", "a")
    store._file_lock.release()  # a crash: only the log holds the state

    again = Store(path, key_of, idle_compact=None)
    assert [r["id"] for r in again.records("ns/p/things")] == ["b", "c"]
    assert again.records("ns/p/others") == [{"id": "o"}]
    again.close()


def test_a_compaction_writes_what_a_fork_reads_and_a_drop_is_durable(tmp_path):
    path = tmp_path / "state.json"
    _, store = forked(path)
    store.fork("other/p", world(), "_world/p")
    store.put("ns/p/things", {"id": "c"}, "c")
    assert store.compact(wait=True)
    with TinyDB(path, access_mode="r") as db:  # the snapshot alone, as a plain TinyDB reader sees it
        assert [d["id"] for d in db.table("ns/p/things").all()] == ["a", "b", "c"]
        assert db.table("ns/p/others").all() == [{"id": "o"}]
        assert [d["id"] for d in db.table("other/p/things").all()] == ["a", "b"]
    store.drop("other/")
    store.close()

    again = Store(path, key_of, idle_compact=None)
    assert sorted(again.tables()) == ["ns/p/others", "ns/p/things"]
    again.close()


def ids(store: Store, table: str) -> list[str]:
    return [r["id"] for r in store.records(table)]


@pytest.mark.parametrize("durable", [False, True])
def test_a_fork_inside_a_forked_group_takes_it_over_and_a_drop_under_a_fork_stays_empty(tmp_path, durable):
    path = tmp_path / "state.json" if durable else None
    base, store = world(), Store(path, key_of, idle_compact=None)
    store.fork("ns", base, "_world")
    store.put("ns/p/things", {"id": "c"}, "c")
    newer = base.copy()
    newer.put("_world/p/things", {"id": "n"}, "n")
    newer.delete("_world/p/things", "a")
    store.fork("ns/p", newer, "_world/p")  # the written table too goes back to the (newer) base
    assert ids(store, "ns/p/things") == ["b", "n"] and ids(store, "ns/q/things") == ["q"]
    store.fork("ns/q", newer, "_world/q")
    store.drop("ns/p/")
    assert store.records("ns/p/things") == [] and store.records("ns/p/others") == []
    assert ids(store, "ns/q/things") == ["q"] and store.tables() == ["ns/q/things"]
    if durable:
        store._file_lock.release()  # a crash: only the log holds the state
        again = Store(path, key_of, idle_compact=None)
        assert again.tables() == ["ns/q/things"] and ids(again, "ns/q/things") == ["q"]
        again.close()
