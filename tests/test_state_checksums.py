"""Damage that leaves valid JSON is caught by checksums (real server subprocesses, real files).

Every log line carries the CRC-32 of its bytes and its line number; the snapshot's CRC-32 sits beside it in
``PATH.checksum``. A changed digit, a changed string or a line moved elsewhere stops start-up like a line that
does not parse, and changes no file; ``serve --repair`` keeps every other line. States of the previous version
(no checksums) still load, and a crash at any step of writing a snapshot never makes it look changed.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import pytest
from serve_process import create, files, names, run_cli, start, stop
from test_state_damage import killed_with_log, refused, repaired, stopped_with
from tinydb import TinyDB

DATASETS = "default/apify/datasets"


def line_holding(lines: list[bytes], marker: bytes) -> int:
    return next(n for n, line in enumerate(lines, 1) if marker in line)


def test_a_changed_digit_in_a_log_record_stops_start_up_and_repair_keeps_every_other_write(tmp_path, monkeypatch):
    written = [f"d{i}" for i in range(40)]
    state, log = killed_with_log(tmp_path, monkeypatch, written)
    lines = log.read_bytes().split(b"\n")
    line = line_holding(lines, b'"name": "d20"')
    lines[line - 1] = lines[line - 1].replace(b'"name": "d20"', b'"name": "d21"')  # valid JSON, a valid record
    log.write_bytes(b"\n".join(lines))

    refused(state, log, line, "its checksum does not match: it changed after the server wrote it")

    printed = repaired(state, set(written) - {"d20"})
    assert printed[0].endswith(f"every readable line; left out {log.name} line {line}")
    assert (tmp_path / f"{log.name}.damaged").read_bytes() == b"\n".join(lines)


def test_two_swapped_log_lines_stop_start_up_and_repair_keeps_the_lines_in_their_written_order(
        tmp_path, monkeypatch):
    written = [f"w{i}" for i in range(20)]
    state, log = killed_with_log(tmp_path, monkeypatch, written)
    lines = log.read_bytes().split(b"\n")
    first = line_holding(lines, b'"name": "w10"')
    second = line_holding(lines, b'"name": "w11"')
    assert second == first + 1
    lines[first - 1], lines[second - 1] = lines[second - 1], lines[first - 1]  # each line intact, out of place
    log.write_bytes(b"\n".join(lines))

    refused(state, log, first, f"out of place: it was written as line {second}")

    printed = repaired(state, set(written) - {"w10"})  # w10 would be applied after w11, the order it never had
    assert printed[0].endswith(f"left out {log.name} line {second}")


def test_a_changed_string_in_the_snapshot_stops_start_up_and_repair_accepts_it_as_it_reads_now(tmp_path):
    written = [f"s{i}" for i in range(30)]
    state = stopped_with(tmp_path, written)
    changed = state.read_bytes().replace(b'"name": "s15"', b'"name": "t15"')
    state.write_bytes(changed)
    with TinyDB(state, access_mode="r") as db:  # still a sound TinyDB file: only the checksum tells
        assert "t15" in {r["name"] for r in db.table(DATASETS).all()}

    before = files(tmp_path)
    for command in (["serve", "--port", "0", "--state", str(state)], ["export", "--state", str(state)]):
        result = run_cli(*command)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            f"dataset-emulator: error: damaged state {state}: it changed after the server wrote it (it does not "
            "match its checksum in state.json.checksum); nothing was changed (`dataset-emulator serve --repair` "
            "accepts it as it reads now and keeps a copy as state.json.damaged)\n")
        assert files(tmp_path) == before

    printed = repaired(state, set(written) - {"s15"} | {"t15"})
    assert re.fullmatch(rf"repaired {re.escape(str(state))}: kept \d+ records, every readable line; "
                        r"state\.json changed after the server wrote it, kept as it reads now", printed[0])
    assert printed[1:] == ["moved aside, not deleted: state.json -> state.json.damaged"]
    assert (tmp_path / "state.json.damaged").read_bytes() == changed
    proc, url = start("--state", str(state))  # the checksum was written anew: a plain start works
    try:
        assert names(url) == set(written) - {"s15"} | {"t15"}
    finally:
        stop(proc)


def test_a_log_of_the_previous_version_loads_and_is_never_appended_to(tmp_path, monkeypatch):
    written = [f"o{i}" for i in range(10)]
    state, log = killed_with_log(tmp_path, monkeypatch, written)
    old = b"".join(line.split(b" ", 2)[2] for line in log.read_bytes().splitlines(keepends=True))
    assert old.startswith(b'{"t":')  # the lines as the previous version wrote them: the entry alone
    log.write_bytes(old)

    proc, url = start("--state", str(state))
    assert names(url) == set(written)
    create(url, "new")
    stop(proc, signal.SIGKILL)
    assert log.read_bytes() == old  # new lines went to a log of their own

    proc, url = start("--state", str(state))
    try:
        assert names(url) == set(written) | {"new"}
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert not list(tmp_path.glob("state.json.log.*"))


def test_a_snapshot_without_a_checksum_file_loads_as_it_is(tmp_path):
    state = tmp_path / "state.json"
    with TinyDB(state) as db:  # a state file made with TinyDB
        db.table(DATASETS).insert({"id": "hand-made-id", "name": "by-hand", "userId": "x"})
    proc, url = start("--state", str(state))
    try:
        assert "by-hand" in names(url)
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert (tmp_path / "state.json.checksum").exists()  # the server's own snapshot has one


# A server that dies (os._exit, no clean-up) at the n-th os.replace of its state file or checksum file: during
# a compaction those are the new checksums taking their name, the snapshot, then the checksum alone.
DYING_SERVER = """
import os, sys
from emulator.cli import main

real_replace, crash_at, seen = os.replace, int(sys.argv[1]), []

def replace(source, target):
    if str(target).endswith(("state.json", "state.json.checksum")):
        seen.append(target)
        if len(seen) == crash_at:
            os._exit(9)
    real_replace(source, target)

os.replace = replace
sys.exit(main(["serve", "--port", "0", "--quiet", "--state", sys.argv[2]]))
"""


@pytest.mark.parametrize("crash_at", [1, 2, 3])
def test_a_crash_at_any_step_of_writing_a_snapshot_leaves_a_state_that_starts_and_loses_nothing(
        tmp_path, monkeypatch, crash_at):
    monkeypatch.setenv("EMULATOR_IDLE_COMPACT_SECONDS", "0.3")
    state = stopped_with(tmp_path, ["a0", "a1"])  # a snapshot and its checksum
    old_snapshot = state.read_bytes()

    dying = subprocess.Popen([sys.executable, "-c", DYING_SERVER, str(crash_at), str(state)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"listening on (http://\S+)", dying.stdout.readline()).group(1)
        create(url, "b0")  # the idle compaction folds it into a new snapshot and dies on the way
        assert dying.wait(timeout=20) == 9
    finally:
        dying.kill()
        dying.communicate()
    assert (state.read_bytes() == old_snapshot) == (crash_at < 3)
    accepted = (tmp_path / "state.json.checksum").read_text().split()
    assert len(accepted) == (1 if crash_at == 1 else 2)  # the old snapshot's, then the new one's too

    proc, url = start("--state", str(state))
    try:
        assert names(url) >= {"a0", "a1", "b0"}
    finally:
        code, err = stop(proc)
    assert code == 0, err
