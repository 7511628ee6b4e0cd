"""A damaged state never loses data quietly (real server subprocesses, real files).

Only a torn last line of the newest log may be cut. Any other damaged line stops start-up with one line
naming the file and the line, and changes no file; ``serve --repair`` keeps every readable line and
moves the damaged file aside. A compaction that fails is logged and retried, and loses nothing.
"""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

from serve_process import create, files, names, run_cli, start, stop
from tinydb import TinyDB

DATASETS = "default/apify/datasets"


def killed_with_log(tmp_path: Path, monkeypatch, written: list[str]) -> tuple[Path, Path]:
    """A server that acknowledged ``written`` and was killed before folding its log: state file, newest log."""
    monkeypatch.setenv("EMULATOR_IDLE_COMPACT_SECONDS", "0")
    state = tmp_path / "state.json"
    proc, url = start("--state", str(state))
    create(url, *written)
    stop(proc, signal.SIGKILL)
    return state, max(tmp_path.glob("state.json.log.*"), key=lambda p: int(p.suffix[1:]))


def stopped_with(tmp_path: Path, written: list[str]) -> Path:
    """A server that acknowledged ``written`` and stopped (exit 0), folding them into its snapshot: the state file."""
    state = tmp_path / "state.json"
    proc, url = start("--state", str(state))
    create(url, *written)
    code, err = stop(proc)
    assert code == 0, err
    return state


def damage_line(path: Path, marker: bytes) -> int:
    """Turn one byte of the line holding ``marker`` into one that is not UTF-8; its line number."""
    lines = path.read_bytes().split(b"\n")
    number = next(n for n, line in enumerate(lines, 1) if marker in line)
    assert 1 < number < len(lines) - 1, "the damaged line must be in the middle"
    line = lines[number - 1]
    middle = line.index(marker) + len(marker) // 2
    lines[number - 1] = line[:middle] + b"\xff" + line[middle + 1:]
    path.write_bytes(b"\n".join(lines))
    return number


def refused(state: Path, damaged: Path, line: int, reason: str) -> None:
    """Start-up and export both refuse with one line naming the file and the line, changing no file."""
    before = files(state.parent)
    for command in (["serve", "--port", "0", "--state", str(state)], ["export", "--state", str(state)]):
        result = run_cli(*command)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"dataset-emulator: error: damaged state {damaged}, line {line}: {reason}; "
                                        "nothing was changed (`dataset-emulator serve --repair`")
        assert result.stderr.count("\n") == 1
        assert files(state.parent) == before, "a refused start changed a file"


def repaired(state: Path, expected: set[str], then_create: str | None = None) -> list[str]:
    """Start with --repair, find exactly ``expected``, stop with SIGTERM (exit 0); what it printed first."""
    printed: list[str] = []
    proc, url = start("--state", str(state), "--repair", before=printed)
    try:
        assert names(url) == expected
        if then_create:
            create(url, then_create)
    finally:
        code, err = stop(proc)
    assert code == 0, err
    return printed


def test_a_damaged_byte_in_the_middle_of_a_real_log_stops_start_up_and_repair_keeps_every_other_write(
        tmp_path, monkeypatch):
    written = [f"d{i}" for i in range(40)]
    state, log = killed_with_log(tmp_path, monkeypatch, written)  # the writes are in the log, not folded
    line = damage_line(log, b'"name": "d20"')
    damaged_bytes = log.read_bytes()

    refused(state, log, line, "not valid UTF-8")

    printed = repaired(state, set(written) - {"d20"})  # the lines before and after the damage are kept
    assert re.fullmatch(rf"repaired {re.escape(str(state))}: kept \d+ records, every readable line; "
                        rf"left out {log.name} line {line}", printed[0])
    assert printed[1:] == [f"moved aside, not deleted: {log.name} -> {log.name}.damaged"]
    assert (tmp_path / f"{log.name}.damaged").read_bytes() == damaged_bytes
    proc, url = start("--state", str(state))  # repaired for good: a plain start works
    try:
        assert names(url) == set(written) - {"d20"}
    finally:
        stop(proc)


def test_a_damaged_snapshot_line_stops_start_up_and_repair_keeps_the_other_records(tmp_path):
    written = [f"s{i}" for i in range(30)]
    state = stopped_with(tmp_path, written)
    line = damage_line(state, b'"name": "s15"')
    damaged_bytes = state.read_bytes()

    refused(state, state, line, "not valid UTF-8")

    printed = repaired(state, set(written) - {"s15"}, then_create="after-repair")
    assert printed[1] == "moved aside, not deleted: state.json -> state.json.damaged"
    assert (tmp_path / "state.json.damaged").read_bytes() == damaged_bytes
    with TinyDB(state, access_mode="r") as db:
        assert {r["name"] for r in db.table(DATASETS).all()} == set(written) - {"s15"} | {"after-repair"}


def wait_for(condition, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def snapshot_names(state: Path) -> set[str]:
    if not state.exists():
        return set()
    with TinyDB(state, access_mode="r") as db:
        return {r["name"] for r in db.table(DATASETS).all()}


def test_a_failing_compaction_is_retried_loses_nothing_and_sigterm_still_exits_0(tmp_path, monkeypatch):
    monkeypatch.setenv("EMULATOR_IDLE_COMPACT_SECONDS", "0.2")
    state = tmp_path / "state.json"
    blocker = tmp_path / "state.json.tmp"  # where the snapshot is written first: a folder makes it fail, root or not
    blocker.mkdir()
    proc, url = start("--state", str(state))
    try:
        create(url, *(f"a{i}" for i in range(10)))
        time.sleep(1.0)  # the idle compactor has failed at least once by now
        create(url, *(f"b{i}" for i in range(10)))  # writes are still acknowledged
        assert snapshot_names(state) == set()
        blocker.rmdir()
        wait_for(lambda: snapshot_names(state) >= {f"a{i}" for i in range(10)} | {f"b{i}" for i in range(10)})
        blocker.mkdir()  # and failing again when the server stops
        create(url, "c0")
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert "cannot compact the state file" in err and "compacted the state file" in err
    assert "Traceback" not in err
    blocker.rmdir()
    proc, url = start("--state", str(state))
    try:
        assert names(url) >= {f"a{i}" for i in range(10)} | {f"b{i}" for i in range(10)} | {"c0"}
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert "c0" in snapshot_names(state)
