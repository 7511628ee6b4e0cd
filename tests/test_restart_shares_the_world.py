"""After a durable restart, namespaces read the world again where they hold exactly what it holds (copy on write,
as before the restart), every answer stays what it was, and nothing on disk changes."""

from __future__ import annotations

import json

import pytest
import requests
from aitems.aitems_signer import AitemsClient
from serve_process import APIFY, files, start, stop
from tinydb import TinyDB

from emulator.app import create_app
from emulator.config import Settings
from emulator.store import Store
from emulator.store.snapshot import SnapshotStorage

# ---- the store: Store.share -----------------------------------------------------------------------

GROUPS = ["ro", "changed", "deleted", "emptied"]
TABLES = ["p/things", "p/others", "q/things"]


def key_of(table: str, record: dict) -> str:
    return record["id"]


def world(things: list[dict] | None = None, q: bool = False) -> Store:
    base = Store(None, key_of)
    for record in things or [{"id": "a", "colour": "red"}, {"id": "b", "colour": "blue"}]:
        base.put("_world/p/things", record, record["id"])
    base.put("_world/p/others", {"id": "o"}, "o")
    if q:  # a table the namespaces' world did not have
        base.put("_world/q/things", {"id": "q"}, "q")
    return base


def made(path) -> Store:
    """A durable store whose namespaces forked the world and then: nothing, changed a record, deleted one,
    emptied a table."""
    store = Store(path, key_of, idle_compact=None)
    base = world()
    for group in GROUPS:
        store.fork(group, base, "_world")
    store.put("changed/p/things", {"id": "a", "colour": "green"}, "a")
    store.delete("deleted/p/things", "b")
    store.delete("emptied/p/others", "o")
    return store


def answers(store: Store) -> dict[str, str]:
    """Every table of every namespace as JSON text: field order and types included."""
    return {f"{g}/{t}": json.dumps(store.records(f"{g}/{t}")) for g in GROUPS for t in TABLES}


def restarted(path, base: Store) -> Store:
    store = Store(path, key_of, idle_compact=None)
    store.share(GROUPS, base, "_world")
    return store


@pytest.mark.parametrize("stop_how", ["closed", "crashed"])
def test_tables_that_hold_the_worlds_records_read_them_again_and_every_answer_stays(tmp_path, stop_how):
    path = tmp_path / "state.json"
    store = made(path)
    before = answers(store)
    if stop_how == "closed":  # a snapshot holds the state
        store.close()
    else:  # only the logs do
        store._file_lock.release()
    base = world(q=True)
    again = restarted(path, base)
    assert answers(again) == before
    assert again.get("ro/p/things", "a") is base.get("_world/p/things", "a")  # the world's, not a copy
    assert again.get("changed/p/others", "o") is base.get("_world/p/others", "o")  # a table it did not write
    assert again.get("deleted/p/others", "o") is base.get("_world/p/others", "o")
    assert again.get("changed/p/things", "b") is not base.get("_world/p/things", "b")  # its own table
    # Emptied, or never held (q/things is new in this world): empty, whatever the world holds.
    assert again.records("emptied/p/others") == [] and again.records("ro/q/things") == []
    assert sorted(again.tables("emptied/")) == ["emptied/p/things"]
    assert again.find("ro/p/things", {"colour": "blue"}) == [{"id": "b", "colour": "blue"}]
    assert again.count("emptied/p/others") == 0 and again.find("emptied/p/others", {"id": "o"}) == []


def test_under_another_world_a_namespace_keeps_every_record_and_shares_only_equal_tables(tmp_path):
    path = tmp_path / "state.json"
    store = made(path)
    before = answers(store)
    store.close()
    base = world([{"id": "a", "colour": "red"}, {"id": "b", "colour": "black"}])
    again = restarted(path, base)
    assert answers(again) == before
    assert again.get("ro/p/things", "a") is not base.get("_world/p/things", "a")
    assert again.get("ro/p/others", "o") is base.get("_world/p/others", "o")


@pytest.mark.parametrize("theirs", [{"id": "a", "n": 1.0}, {"id": "a", "n": True}, {"n": 1, "id": "a"}])
def test_a_table_equal_only_to_python_stays_its_own(tmp_path, theirs):
    """1 == 1.0 == True and dicts compare without order, but answers show the difference."""
    path = tmp_path / "state.json"
    store = Store(path, key_of, idle_compact=None)
    base = Store(None, key_of)
    base.put("_world/p/things", {"id": "a", "n": 1}, "a")
    store.fork("ns", base, "_world")
    store.close()
    other = Store(None, key_of)
    other.put("_world/p/things", theirs, "a")
    again = Store(path, key_of, idle_compact=None)
    again.share(["ns"], other, "_world")
    assert json.dumps(again.records("ns/p/things")) == '[{"id": "a", "n": 1}]'


def test_sharing_writes_nothing_and_later_writes_copy_on_write_and_survive_restarts(tmp_path):
    path = tmp_path / "state.json"
    made(path).close()
    base = world()
    again = Store(path, key_of, idle_compact=None)
    on_disk = files(tmp_path)
    again.share(GROUPS, base, "_world")
    assert files(tmp_path) == on_disk
    assert base.frozen
    again.put("ro/p/things", {"id": "c", "colour": "red"}, "c")
    again.delete("ro/p/others", "o")
    assert [r["id"] for r in base.records("_world/p/things")] == ["a", "b"] and base.count("_world/p/others") == 1
    assert again.get("ro/p/things", "a") is base.get("_world/p/things", "a")  # the copy is shallow, as on fork
    assert again.get("changed/p/others", "o") is base.get("_world/p/others", "o")
    before = answers(again)
    again.close()
    with TinyDB(path) as db:  # the snapshot holds every namespace table, shared or not
        assert [d["id"] for d in db.table("ro/p/things").all()] == ["a", "b", "c"]
        assert db.table("changed/p/others").all() == [{"id": "o"}]
        assert db.table("ro/p/others").all() == [] and db.table("emptied/p/others").all() == []
    base = world()
    third = restarted(path, base)
    assert answers(third) == before
    assert third.get("changed/p/others", "o") is base.get("_world/p/others", "o")


@pytest.mark.parametrize("stop_how", ["closed", "crashed"])
def test_records_equal_across_namespaces_load_once_and_the_json_decides(tmp_path, stop_how):
    path = tmp_path / "state.json"
    store = Store(path, key_of, idle_compact=None)
    for group, record in (("a", {"id": "x", "n": 1}), ("b", {"id": "x", "n": 1}), ("c", {"id": "x", "n": 1.0}),
                          ("d", {"n": 1, "id": "x"})):
        store.put(f"{group}/p/things", record, "x")
    if stop_how == "closed":
        store.close()
    else:
        store._file_lock.release()
    again = Store(path, key_of, idle_compact=None)
    assert again.get("b/p/things", "x") is again.get("a/p/things", "x")
    assert [json.dumps(again.records(f"{g}/p/things")) for g in "abcd"] == [
        '[{"id": "x", "n": 1}]', '[{"id": "x", "n": 1}]', '[{"id": "x", "n": 1.0}]', '[{"n": 1, "id": "x"}]']


def test_a_snapshot_read_table_by_table_reads_as_a_whole_one(tmp_path):
    path = tmp_path / "state.json"
    store = made(path)
    store.close()
    storage = SnapshotStorage(path)
    assert dict(storage.tables()) == storage.read()
    (tmp_path / "state.json.checksum").unlink()  # a file made by hand: the server's checksum is not its
    path.write_text('{"_emulator": {"1": {"generation": 0}},\n"ns/p/things": {"1": {"id": "a"}},\n'
                    '"ns/p/things": {"2": {"id": "b"}}\n}\n')
    with TinyDB(path) as db:
        assert db.table("ns/p/things").all() == [{"id": "b"}]
    again = Store(path, key_of, idle_compact=None)
    assert again.records("ns/p/things") == [{"id": "b"}]  # named twice: the last counts, as for TinyDB


# ---- the platform: what a restarted server shares ----------------------------------------------------


def test_a_restarted_platform_shares_every_world_table_of_a_namespace_that_only_read(tmp_path):
    settings = Settings(state=tmp_path / "state.json")
    app = create_app(settings)
    assert app.test_client().get("/_ns/ro/apify/v2/datasets", headers=APIFY).status_code == 200
    app.extensions["emulator"].close()
    platform = create_app(settings).extensions["emulator"]
    try:
        shared = 0
        for name, provider in platform.providers.items():
            for collection in provider.collections:
                world_records = platform.world_table(name, collection).all()
                records = platform.table("ro", name, collection).all()
                assert len(records) == len(world_records)
                assert all(mine is theirs for mine, theirs in zip(records, world_records, strict=True))
                shared += len(records)
        assert shared >= 15  # every provider's world records, the CKAN users too (their dates are fixed)
    finally:
        platform.close()


# ---- a real server, restarted --------------------------------------------------------------------

QRVEY_CONNECTION = "/qrvey/devapi/v4/user/demoUser1/app/demoApp01/connections/84b500d7-71c8-4b1f-adf4-f1eb0000973d"
OTHER_WORLD = {"apify": {"users": [{"id": "otherUser00000000", "username": "other", "token": "apify_api_other"}]}}


def state_of(url: str) -> dict:
    """Every namespace's export, and the list of namespaces."""
    listed = requests.get(f"{url}/_emulator/namespaces", timeout=10).json()["namespaces"]
    return {"namespaces": listed, **{ns: requests.get(f"{url}/_emulator/state", params={"namespace": ns},
                                                      timeout=10).json() for ns in listed}}


def written(folder) -> dict[str, bytes]:
    """The files that hold something (a start opens an empty log to append to)."""
    return {name: data for name, data in files(folder).items() if data}


def ok(response: requests.Response) -> requests.Response:
    assert response.status_code < 300, response.text
    return response


def test_a_restarted_server_answers_as_before_and_writes_copy_on_write(tmp_path):
    state = tmp_path / "state.json"
    seed = tmp_path / "other-world.json"
    seed.write_text(json.dumps(OTHER_WORLD))
    proc, url = start("--state", str(state))
    try:
        with requests.Session() as http:
            ok(http.get(f"{url}/_ns/untouched/apify/v2/datasets", headers=APIFY, timeout=10))
            ok(http.post(f"{url}/_emulator/seed", params={"namespace": "changed"}, timeout=10, json={
                "ckan": {"organizations": [{"name": "test-org", "id": "80f5e259-b11f-4b54-880b-35745e6d6a96",
                                            "title": "Renamed"}]}}))
            ok(AitemsClient(f"{url}/_ns/deleted/aitems").call("DELETE", "/api/v1/schemas/user_schema"))
            ok(http.delete(f"{url}/_ns/emptied{QRVEY_CONNECTION}", headers={"x-api-key": "qrvey-demo-api-key"},
                           timeout=10))
            ok(http.post(f"{url}/_emulator/seed", params={"namespace": "reset"}, timeout=10,
                         json={"qrvey": {"apps": [{"appId": "app2", "userId": "demoUser1", "name": "two"}]}}))
            ok(http.post(f"{url}/_emulator/reset", params={"namespace": "reset", "provider": "qrvey"}, timeout=10))
            ok(http.get(f"{url}/_ns/gone/apify/v2/datasets", headers=APIFY, timeout=10))
            ok(http.delete(f"{url}/_emulator/namespaces/gone", timeout=10))
            ok(http.post(f"{url}/_emulator/world", json=OTHER_WORLD, timeout=10))
            ok(http.get(f"{url}/_ns/otherworld/apify/v2/datasets", headers=APIFY, timeout=10))
            ok(http.delete(f"{url}/_emulator/world", timeout=10))
        before = state_of(url)
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert "gone" not in before["namespaces"]
    assert [u["id"] for u in before["otherworld"]["apify"]["users"]][-1] == "otherUser00000000"

    on_disk = written(tmp_path)
    proc, url = start("--state", str(state))
    try:
        assert state_of(url) == before
        assert written(tmp_path) == on_disk  # a restart writes nothing
        with requests.Session() as http:  # writes after the restart copy on write, as before it
            ok(http.post(f"{url}/_ns/untouched/apify/v2/datasets", params={"name": "after"}, headers=APIFY,
                         timeout=10))
            ok(http.delete(f"{url}/_ns/changed{QRVEY_CONNECTION}", headers={"x-api-key": "qrvey-demo-api-key"},
                           timeout=10))
            ok(http.get(f"{url}/_ns/fresh/apify/v2/datasets", headers=APIFY, timeout=10))
        after = state_of(url)
        assert after["fresh"] == before["untouched"]  # the world did not change
        assert [d["name"] for d in after["untouched"]["apify"]["datasets"]] == ["after"]
        assert after["changed"]["qrvey"]["connections"] == []
    finally:
        code, err = stop(proc)
    assert code == 0, err

    proc, url = start("--state", str(state), "--seed", str(seed))  # another world: every namespace keeps its own
    try:
        assert state_of(url) == after
    finally:
        code, err = stop(proc)
    assert code == 0, err
