"""Journal, faults, determinism, lifecycle settings and snapshots, on the provider-agnostic dummy."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from emulator.pytest_plugin import Emulator


@pytest.fixture
def emu(dummy_base):
    handle = Emulator(dummy_base, f"ctl-{uuid.uuid4().hex[:12]}")
    handle.reset()  # creates it, as the plugin's fixture does: reads never create a namespace
    return handle


def create(emu: Emulator, name: str, **headers) -> requests.Response:
    return requests.post(f"{emu.url('dummy')}/things?x=1", json={"name": name}, headers=headers)


def test_journal_records_requests_with_secrets_masked(emu):
    create(emu, "a", Authorization="secret-token", Cookie="session=s", **{"X-Dummy-Key": "k", "X-Other": "seen"})
    requests.get(f"{emu.url('dummy')}/things/nope?token=secret")
    first, second = emu.requests()
    assert first["operation"] == "dummy.things.create" and first["status"] == 201
    assert first["method"] == "POST" and first["path"] == "/dummy/things" and first["query"] == {"x": "1"}
    assert first["headers"]["Authorization"] == "***" and first["headers"]["Cookie"] == "***"
    assert first["headers"]["X-Dummy-Key"] == "***"  # masked because the dummy provider declares it
    assert first["headers"]["X-Other"] == "seen" and first["body"] == {"name": "a"}
    assert first["responseBody"]["name"] == "a" and first["latencyMs"] >= 0
    assert second["operation"] == "dummy.show" and second["status"] == 404
    assert second["query"] == {"token": "***"}
    assert second["errors"] == {"dummyError": {"status": 404, "message": "no such thing"}}


def test_journal_filters_and_clear(emu):
    create(emu, "a")
    create(emu, "b")
    requests.get(f"{emu.url('dummy')}/things/none")
    assert len(emu.requests(operation="dummy.things.create")) == 2
    assert len(emu.requests(status=404)) == 1
    assert [e["body"]["name"] for e in emu.requests(operation="dummy.things.create", limit=1)] == ["b"]
    assert emu.requests(operation="dummy.things.create", limit=0) == []
    since = emu.requests()[0]["id"]
    assert [e["body"]["name"] for e in emu.requests(since=str(since)) if e["body"]] == ["b"]
    emu.clear_requests()
    assert emu.requests() == []


def test_journal_is_a_bounded_ring(emu):
    for i in range(60):  # the dummy server keeps 50 per namespace
        create(emu, f"n{i}")
    kept = emu.requests()
    assert len(kept) == 50 and kept[-1]["body"] == {"name": "n59"} and kept[0]["body"] == {"name": "n10"}


def test_journal_and_faults_stay_in_their_namespace(dummy_base):
    one, two = Emulator(dummy_base, f"iso1-{time.time_ns()}"), Emulator(dummy_base, f"iso2-{time.time_ns()}")
    one.fault("status", status=503)
    assert create(one, "x").status_code == 503
    assert create(two, "y").status_code == 201
    assert [e["status"] for e in one.requests()] == [503]
    assert [e["status"] for e in two.requests()] == [201]
    assert two.faults() == []


def test_assert_called_passes_and_explains_failures(emu):
    create(emu, "alpha")
    assert len(emu.assert_called("dummy.things.create", times=1, json_contains={"name": "alpha"})) == 1
    with pytest.raises(AssertionError) as failure:
        emu.assert_called("dummy.things.create", json_contains={"name": "beta"})
    message = str(failure.value)
    assert "0 matched among 1 recorded" in message
    assert "body['name'] is 'alpha', not 'beta'" in message


def test_status_fault_uses_the_provider_envelope_for_next_n_calls(emu):
    emu.fault("status", status=500, operation="dummy.things.create", times=2)
    answers = [create(emu, "x") for _ in range(3)]
    assert [r.status_code for r in answers] == [500, 500, 201]
    assert answers[0].json() == {"dummyError": {"status": 500, "message": None}}
    assert emu.faults() == []  # used up
    assert [e.get("fault") for e in emu.requests()] == ["status", "status", None]


def test_429_fault_carries_retry_after(emu):
    emu.fault("status", status=429, retryAfter=3, times=1)
    response = create(emu, "x")
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"


def test_latency_fault_delays_the_answer(emu):
    emu.fault("latency", ms=300, times=1)
    began = time.perf_counter()
    assert create(emu, "x").status_code == 201
    assert time.perf_counter() - began >= 0.3
    assert emu.requests()[0]["latencyMs"] >= 300


def test_drop_empty_and_malformed_faults(emu):
    emu.fault("drop", times=1)
    with pytest.raises(requests.ConnectionError):
        create(emu, "x")
    emu.fault("empty", times=1)
    empty = create(emu, "x")
    assert empty.status_code == 200 and empty.content == b""
    emu.fault("malformed", times=1)
    with pytest.raises(ValueError):
        create(emu, "x").json()
    assert create(emu, "x").status_code == 201  # and the server keeps serving


def test_probability_with_a_seed_is_repeatable(dummy_base):
    outcomes = []
    for run in range(2):
        emu = Emulator(dummy_base, f"prob{run}-{time.time_ns()}")
        emu.fault("status", status=503, probability=0.5, seed=7)
        outcomes.append([create(emu, "x").status_code for _ in range(12)])
    assert outcomes[0] == outcomes[1]
    assert {503, 201} == set(outcomes[0])


def test_rate_limit_mode_is_a_token_bucket(emu):
    emu.fault("rate-limit", provider="dummy", rate=1, burst=3)
    statuses = [create(emu, "x").status_code for _ in range(5)]
    assert statuses[:3] == [201, 201, 201] and statuses[3:] == [429, 429]
    limited = create(emu, "x")
    assert limited.headers["Retry-After"] == "1"


def test_fault_rules_list_and_delete(emu):
    rule = emu.fault("status", status=503)
    assert [f["id"] for f in emu.faults()] == [rule["id"]]
    assert requests.delete(f"{emu.base_url}/_emulator/faults/{rule['id']}?namespace={emu.namespace}").ok
    assert emu.faults() == []
    missing = requests.delete(f"{emu.base_url}/_emulator/faults/{rule['id']}?namespace={emu.namespace}")
    assert missing.status_code == 404


NAN_REFUSED = "request body is not valid JSON: NaN is not a JSON value"
INFINITY_REFUSED = "request body is not valid JSON: Infinity is not a JSON value"


@pytest.mark.parametrize(("rule", "message"), [
    ({"action": {"type": "explode"}}, "fault action 'type' must be one of"),
    ({"action": {"type": "status", "status": 200}}, "fault 'status' needs 'status' between 400 and 599"),
    ({"action": {"type": "latency"}}, "fault 'latency' needs 'ms' as a number from 0 to 60000"),
    # Every delay and Retry-After is bounded, and NaN/Infinity are no numbers (no JSON even): none parks a worker
    # for days.
    ({"action": {"type": "latency", "ms": 10**9}}, "fault 'latency' needs 'ms' as a number from 0 to 60000"),
    ({"action": {"type": "latency", "ms": float("nan")}}, NAN_REFUSED),
    ({"action": {"type": "latency", "distribution": "uniform", "min": 0, "max": float("inf")}}, INFINITY_REFUSED),
    ({"action": {"type": "latency", "distribution": "lognormal", "median": 10, "sigma": float("nan")}}, NAN_REFUSED),
    ({"action": {"type": "status", "status": 429, "retryAfter": 1e9}},
     "fault 'status' needs 'retryAfter' as a number from 0 to 60"),
    ({"action": {"type": "rate-limit", "rate": float("nan"), "burst": 1}, "provider": "dummy"}, NAN_REFUSED),
    ({"action": {"type": "latency", "distribution": "uniform", "min": 5, "max": 1}}, "latency 'max' must be >= 'min'"),
    ({"action": {"type": "rate-limit"}}, "a 'rate-limit' fault needs a 'provider'"),
    ({"action": {"type": "rate-limit"}, "provider": "dummy"}, "dummy publishes no rate limit"),
    ({"action": {"type": "drop"}, "times": 0}, "'times' must be a whole number >= 1"),
    ({"action": {"type": "drop"}, "probability": 2}, "'probability' must be a number from 0 to 1"),
    ({"action": {"type": "drop"}, "probability": float("nan")}, NAN_REFUSED),
    ({"action": {"type": "drop"}, "provider": "nope"}, "unknown provider 'nope'"),
])
def test_bad_fault_rules_are_400s(emu, rule, message):
    # json.dumps writes NaN and Infinity literals, as a JavaScript-minded client might; requests' json= would not.
    response = requests.post(f"{emu.base_url}/_emulator/faults?namespace={emu.namespace}", data=json.dumps(rule),
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["error"].startswith(message)
    assert emu.faults() == []


def test_seed_and_frozen_clock_give_identical_bytes(dummy_base):
    bodies = []
    for run in range(2):
        emu = Emulator(dummy_base, f"det{run}-{time.time_ns()}")
        emu.configure(seed=1234, freezeTime="2026-05-01T12:00:00Z")
        bodies.append([create(emu, f"n{i}").content for i in range(3)])
    assert bodies[0] == bodies[1]
    assert b'"at":"2026-05-01T12:00:00+00:00"' in bodies[0][0]


def test_advance_moves_the_frozen_clock(emu):
    emu.configure(freezeTime="2026-05-01T12:00:00Z")
    emu.advance(90)
    assert create(emu, "x").json()["at"] == "2026-05-01T12:01:30+00:00"
    assert emu.configure()["offsetSeconds"] == 90


def test_provider_settings_through_config(emu):
    described = emu.configure(providers={"dummy": {"greeting": "hej"}})
    assert described["providers"]["dummy"] == {"greeting": "hej"}
    thing = create(emu, "x").json()
    assert requests.get(f"{emu.url('dummy')}/things/{thing['id']}").json()["greeting"] == "hej"


@pytest.mark.parametrize(("body", "message"), [
    ({"colour": 1}, "unknown config key(s) ['colour']"),
    ({"seed": "x"}, "'seed' must be an integer or null"),
    ({"freezeTime": "yesterday"}, "invalid time 'yesterday'"),
    ({"freezeTime": "2026-01-01T00:00:00"}, "time '2026-01-01T00:00:00' needs a zone"),
    ({"providers": {"nope": {}}}, "provider 'nope' has no settings"),
])
def test_bad_config_is_a_400(emu, body, message):
    response = requests.post(f"{emu.base_url}/_emulator/config?namespace={emu.namespace}", json=body)
    assert response.status_code == 400 and response.json()["error"].startswith(message)


def test_snapshot_and_restore(emu):
    create(emu, "kept")
    emu.snapshot("base")
    create(emu, "later")
    assert len(emu.state("dummy", "things")) == 2
    emu.restore("base")
    assert [t["name"] for t in emu.state("dummy", "things")] == ["kept"]
    missing = requests.post(f"{emu.base_url}/_emulator/restore?namespace={emu.namespace}", json={"name": "nope"})
    assert missing.status_code == 404
