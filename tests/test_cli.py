"""The standalone server: flags, clear start-up errors, persistence across restarts, export."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import requests
from serve_process import serving

SEED = {"ckan": {"users": [{"name": "seeded", "apikey": "seeded-token", "sysadmin": False,
                            "id": "11111111-2222-4333-8444-555555555555"}]}}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emulator", *args], capture_output=True, text=True, timeout=30)


def test_port_zero_picks_a_free_port_and_prints_the_url(tmp_path):
    with serving("--state", str(tmp_path / "s.json")) as url:
        assert requests.get(f"{url}/_emulator/health").json() == {"status": "ok"}
        assert requests.get(f"{url}/_emulator/state/ckan/users").json()[0]["name"] == "admin"


def test_state_survives_a_restart(tmp_path):
    state = tmp_path / "s.json"
    with serving("--state", str(state)) as url:
        assert requests.post(f"{url}/_emulator/seed?namespace=kept", json=SEED).status_code == 200
    with serving("--state", str(state)) as url:
        users = requests.get(f"{url}/_emulator/state/ckan/users?namespace=kept").json()
        assert "seeded" in [u["name"] for u in users]


def test_seed_file_and_no_default_world(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))
    with serving("--in-memory", "--no-default-world", "--seed", str(seed)) as url:
        users = requests.get(f"{url}/_emulator/state/ckan/users").json()
        assert [u["name"] for u in users] == ["seeded"]


def test_export_prints_the_state_in_seed_format(tmp_path):
    state = tmp_path / "s.json"
    with serving("--state", str(state)) as url:
        requests.post(f"{url}/_emulator/seed", json=SEED)
    result = run_cli("export", "--state", str(state))
    assert result.returncode == 0, result.stderr
    assert "seeded" in [u["name"] for u in json.loads(result.stdout)["ckan"]["users"]]


def test_bad_flag_is_a_one_line_error():
    result = run_cli("serve", "--bogus")
    assert result.returncode == 2 and "unrecognized arguments: --bogus" in result.stderr


def test_unreadable_seed_file(tmp_path):
    result = run_cli("serve", "--port", "0", "--in-memory", "--seed", str(tmp_path / "missing.json"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"dataset-emulator: error: cannot read seed file {tmp_path / 'missing.json'}"


def test_invalid_seed_content(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text('{"nope": {}}')
    result = run_cli("serve", "--port", "0", "--in-memory", "--seed", str(seed))
    assert result.returncode == 2 and "unknown provider 'nope'" in result.stderr


def test_port_in_use():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--in-memory")
    assert result.returncode == 2
    assert result.stderr.startswith(f"dataset-emulator: error: cannot listen on 127.0.0.1:{port}")


def test_invalid_state_file(tmp_path):
    state = tmp_path / "s.json"
    state.write_text("this is not json")
    result = run_cli("serve", "--port", "0", "--state", str(state))
    assert result.returncode == 2 and f"damaged state {state}, line 1: not valid JSON" in result.stderr
    assert state.read_text() == "this is not json"


def test_second_server_on_the_same_state_file_exits(tmp_path):
    state = tmp_path / "s.json"
    with serving("--state", str(state)):
        result = run_cli("serve", "--port", "0", "--state", str(state))
    assert result.returncode == 2 and "is in use by another running emulator" in result.stderr
