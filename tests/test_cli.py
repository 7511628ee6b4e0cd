"""The standalone server: flags, clear start-up errors, persistence across restarts, export."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import requests
from serve_process import serving, start, stop

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


def test_in_memory_keeps_nothing_and_the_environment_sets_no_flag(tmp_path):
    """Only the control token comes from the environment (EMULATOR_CONTROL_TOKEN): variables of other names
    change neither --in-memory nor the server's own URL."""
    proc, url = start("--in-memory", env={"EMULATOR_STATE": str(tmp_path / "s.json"),
                                          "EMULATOR_PUBLIC_URL": "http://elsewhere.example"})
    try:
        created = requests.post(f"{url}/apify/v2/datasets?name=nowhere", timeout=10,
                                headers={"Authorization": "Bearer apify_api_demo_token"})
        assert created.status_code == 201 and created.headers["Location"].startswith(f"{url}/apify/")
    finally:
        assert stop(proc)[0] == 0
    assert list(tmp_path.iterdir()) == []


def test_export_prints_the_state_in_seed_format(tmp_path):
    state = tmp_path / "s.json"
    with serving("--state", str(state)) as url:
        requests.post(f"{url}/_emulator/seed", json=SEED)
    result = run_cli("export", "--state", str(state))
    assert result.returncode == 0, result.stderr
    assert "seeded" in [u["name"] for u in json.loads(result.stdout)["ckan"]["users"]]
    missing = run_cli("export", "--state", str(state), "--namespace", "nope")
    assert missing.returncode == 2 and missing.stderr == f"dataset-emulator: error: {state}: unknown namespace 'nope'\n"


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


def test_a_seed_file_is_part_of_the_world_of_every_namespace(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))
    with serving("--in-memory", "--seed", str(seed)) as url:
        assert requests.get(f"{url}/_ns/later/ckan/api/action/package_list").json()["success"] is True
        users = [u["name"] for u in requests.get(f"{url}/_emulator/state/ckan/users?namespace=later").json()]
        assert "seeded" in users and "admin" in users


def test_serve_writes_one_access_log_line_per_request_and_quiet_turns_it_off(tmp_path):
    from serve_process import start

    proc, url = start("--in-memory", quiet=False)
    try:
        requests.post(f"{url}/_ns/logged/ckan/api/action/package_create", json={"name": "x"}, timeout=10)
        requests.get(f"{url}/_emulator/state?namespace=logged", timeout=10)
        requests.get(f"{url}/ckan/x%0A2026-01-01T00:00:00.000Z%20forged", timeout=10)  # no line of its own
        first, second, third = (proc.stdout.readline().split() for _ in range(3))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert first[1:6] == ["logged", "ckan.package_create", "POST", "/ckan/api/action/package_create", "403"]
    assert first[0].endswith("Z") and first[6].endswith("ms") and float(first[6][:-2]) >= 0
    assert second[1:6] == ["logged", "control", "GET", "/_emulator/state", "200"]
    assert third[4:6] == ["/ckan/x%0A2026-01-01T00:00:00.000Z%20forged", "404"]
    proc, url = start("--in-memory", quiet=True)
    try:
        requests.get(f"{url}/_emulator/health", timeout=10)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.stdout.read() == ""


def test_export_from_a_running_server(tmp_path):
    with serving("--state", str(tmp_path / "s.json")) as url:
        requests.post(f"{url}/_emulator/seed?namespace=live", json=SEED)
        result = run_cli("export", "--url", url, "--namespace", "live")
        assert result.returncode == 0, result.stderr
        assert "seeded" in [u["name"] for u in json.loads(result.stdout)["ckan"]["users"]]
        missing = run_cli("export", "--url", url, "--namespace", "nope")
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr == f"dataset-emulator: error: {url}: unknown namespace 'nope'\n"


def test_export_from_a_server_that_needs_the_control_token(tmp_path, monkeypatch):
    with serving("--in-memory", "--control-token", "s3cret") as url:
        requests.post(f"{url}/_emulator/seed?namespace=locked", json=SEED, headers={"X-Emulator-Token": "s3cret"})
        refused = run_cli("export", "--url", url, "--namespace", "locked")
        given = run_cli("export", "--url", url, "--namespace", "locked", "--token", "s3cret")
        monkeypatch.setenv("EMULATOR_CONTROL_TOKEN", "s3cret")
        from_env = run_cli("export", "--url", url, "--namespace", "locked")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (f"dataset-emulator: error: {url}: the control API needs the control token in the "
                              "X-Emulator-Token header\n")
    for result in (given, from_env):
        assert result.returncode == 0, result.stderr
        assert "seeded" in [u["name"] for u in json.loads(result.stdout)["ckan"]["users"]]
