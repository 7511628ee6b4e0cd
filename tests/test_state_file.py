"""The state file from the outside: plain TinyDB reads what a server acknowledged, ``export`` reads it
through TinyDB without changing it, and every state path that cannot work is one line and exit 2."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import requests
from serve_process import APIFY, create, files, names, run_cli, start, stop
from tinydb import TinyDB

ERROR = "dataset-emulator: error: "


def one_line_error(*args: str) -> str:
    """Start a server that must refuse; the one line it printed, without the prefix."""
    result = run_cli("serve", "--port", "0", *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(ERROR) and result.stderr.count("\n") == 1, result.stderr
    return result.stderr[len(ERROR):].rstrip("\n")


# ---- TinyDB on the persistence path -------------------------------------------------------------


def test_plain_tinydb_reads_every_acknowledged_record_of_a_stopped_server(tmp_path):
    state = tmp_path / "state.json"
    proc, url = start("--state", str(state))
    acknowledged = {}
    try:
        with requests.Session() as session:
            for i in range(50):
                response = session.post(f"{url}/apify/v2/datasets", params={"name": f"t{i}"},
                                        headers=APIFY, timeout=10)
                assert response.status_code == 201
                acknowledged[response.json()["data"]["id"]] = f"t{i}"
            session.delete(f"{url}/apify/v2/datasets/{next(iter(acknowledged))}",
                           headers=APIFY, timeout=10).raise_for_status()
            del acknowledged[next(iter(acknowledged))]
    finally:
        code, err = stop(proc)
    assert code == 0, err
    with TinyDB(state) as db:  # TinyDB's own JSONStorage, nothing of the emulator
        stored = {doc["id"]: doc["name"] for doc in db.table("default/apify/datasets").all()}
        assert stored == acknowledged
        assert db.table("default/ckan/users").search(lambda doc: doc["name"] == "admin")


def test_export_reads_a_crashed_servers_snapshot_and_logs_through_tinydb_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("EMULATOR_IDLE_COMPACT_SECONDS", "0")
    state = tmp_path / "state.json"
    proc, url = start("--state", str(state))
    create(url, "x0", "x1")
    code, err = stop(proc)
    assert code == 0, err
    proc, url = start("--state", str(state))
    create(url, "x2")
    running = run_cli("export", "--state", str(state))  # a running server's file can be read too
    stop(proc, signal.SIGKILL)  # x2 lives only in the log now
    assert list(tmp_path.glob("state.json.log.*"))
    before = files(tmp_path)
    result = run_cli("export", "--state", str(state))
    assert result.returncode == 0, result.stderr
    assert files(tmp_path) == before
    for output in (running.stdout, result.stdout):
        assert [d["name"] for d in json.loads(output)["apify"]["datasets"]] == ["x0", "x1", "x2"]


# ---- state paths that cannot work: one line, exit 2 --------------------------------------------


def test_a_state_file_in_a_missing_folder_creates_the_folder(tmp_path):
    state = tmp_path / "new" / "deeper" / "state.json"
    proc, url = start("--state", str(state))
    create(url, "kept")
    code, err = stop(proc)
    assert code == 0, err
    with TinyDB(state, access_mode="r") as db:
        assert [d["name"] for d in db.table("default/apify/datasets").all()] == ["kept"]


def test_a_folder_that_cannot_be_created(tmp_path):
    (tmp_path / "file").write_text("")
    state = tmp_path / "file" / "sub" / "state.json"
    assert one_line_error("--state", str(state)) == (
        f"cannot create the folder {tmp_path / 'file' / 'sub'} for state file {state}: Not a directory")


def test_a_state_path_that_is_a_folder(tmp_path):
    assert one_line_error("--state", str(tmp_path)) == f"state file {tmp_path} is a folder"
    result = run_cli("export", "--state", str(tmp_path))
    assert (result.returncode, result.stderr) == (2, f"{ERROR}state file {tmp_path} is a folder\n")


def _writable(folder: Path) -> bool:
    try:
        (folder / "probe").touch()
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody can write in, root included: modes, else the immutable flag, else sysfs."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = (_writable(folder) and shutil.which("chattr") is not None
                 and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0)
    try:
        yield folder if not _writable(folder) else Path("/sys/kernel")
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_an_unwritable_folder(read_only_folder):
    assert not _writable(read_only_folder)
    state = read_only_folder / "state.json"
    message = one_line_error("--state", str(state))
    assert message.startswith(f"cannot write in the folder {read_only_folder} of state file {state}: ")
    assert message.split(": ")[-1] in {os.strerror(n) for n in (1, 13, 30)}  # EPERM, EACCES, EROFS


def test_a_lock_that_cannot_be_created_is_not_called_in_use(tmp_path):
    state = tmp_path / "state.json"
    (tmp_path / "state.json.lock").mkdir()
    assert one_line_error("--state", str(state)) == f"cannot open the lock file {state}.lock: Is a directory"


def test_a_symlink_to_a_file_another_server_holds_is_refused(tmp_path):
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    proc, url = start("--state", str(real))
    try:
        assert one_line_error("--state", str(link)) == (
            f"state file {link} (which is {real}) is in use by another running emulator")
        create(url, "still-served")
        assert "still-served" in names(url)
    finally:
        code, err = stop(proc)
    assert code == 0, err
    proc, url = start("--state", str(link))  # once free, the link reaches the same state
    try:
        assert "still-served" in names(url)
    finally:
        stop(proc)
    assert link.is_symlink(), "a snapshot renamed over the link would have replaced it"
