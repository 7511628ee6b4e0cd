"""Who may use the control API: loopback only by default, and the control token when one is set."""

from __future__ import annotations

import requests
from serve_process import serving

from emulator.app import create_app
from emulator.config import Settings
from emulator.control.guard import is_loopback


def test_remote_callers_are_refused_unless_allowed():
    remote = {"REMOTE_ADDR": "192.0.2.10"}
    closed = create_app(Settings(state=None)).test_client()
    refused = closed.get("/_emulator/state", environ_base=remote)
    assert refused.status_code == 403 and "loopback callers only" in refused.json["error"]
    # Provider routes stay open to everyone: that is what the emulator is for.
    assert closed.get("/ckan/api/3", environ_base=remote).status_code != 403
    opened = create_app(Settings(state=None, control_remote=True)).test_client()
    assert opened.get("/_emulator/health", environ_base=remote).status_code == 200


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("127.3.4.5") and is_loopback("::1")
    assert not is_loopback("192.0.2.1") and not is_loopback(None) and not is_loopback("garbage")


def test_control_token_is_required_when_set():
    with serving("--in-memory", "--control-token", "s3cret") as url:
        missing = requests.get(f"{url}/_emulator/state")
        assert missing.status_code == 401 and "X-Emulator-Token" in missing.json()["error"]
        assert requests.get(f"{url}/_emulator/state", headers={"X-Emulator-Token": "wrong"}).status_code == 401
        assert requests.get(f"{url}/_emulator/state", headers={"X-Emulator-Token": "s3cret"}).status_code == 200
        assert requests.get(f"{url}/_emulator/health?token=s3cret").status_code == 200
