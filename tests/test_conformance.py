"""The conformance harness, emulator against emulator: `dataset-emulator verify` over real HTTP.

Two in-thread servers with different id sequences must come out identical after normalisation; a server
that behaves differently must make `verify` exit 1 and show the difference.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from aitems.aitems_signer import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, make_signature

from emulator.app import create_app
from emulator.cli import main
from emulator.config import Settings
from emulator.conformance import scenarios
from emulator.conformance.normalise import Normaliser
from emulator.conformance.signing import ncp_signature_v2
from emulator.server import BackgroundServer

UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@contextmanager
def other_emulator(id_seed: int, seed: dict | None = None) -> Iterator[str]:
    """A second emulator, as the "server under test": its own ids, and optionally its own settings."""
    server = BackgroundServer(port=0, threads=2)
    app = create_app(Settings(state=None, port=server.port, threads=2, id_seed=id_seed))
    if seed:
        app.extensions["emulator"].seed("default", seed)
    server.start(app)
    try:
        yield server.url
    finally:
        server.stop()
        app.extensions["emulator"].close()


@pytest.mark.parametrize("provider, at_least", [("ckan", 150), ("apify", 15), ("redivis", 10), ("qrvey", 10),
                                                    ("aitems", 25)])
def test_every_scenario_is_identical_between_two_emulators(provider, at_least, tmp_path, capsys):
    report = tmp_path / "report.json"
    with other_emulator(id_seed=7) as url:
        status = main(["verify", provider, "--against", f"{url}/{provider}", "--json", str(report)])
    out = capsys.readouterr().out
    results = json.loads(report.read_text())
    assert results["scenarios"] >= at_least
    assert [r["name"] for r in results["results"] if r["verdict"] != "identical"] == []
    assert status == 0
    assert f"{results['scenarios']} scenarios: {results['scenarios']} identical" in out
    # Not only errors: many scenarios reach the provider's success path.
    succeeded = [r for r in results["results"] if any(200 <= server < 300 for server, _ in r["statuses"])]
    assert len(succeeded) >= results["scenarios"] / 3


def test_a_server_that_answers_differently_fails_with_a_diff(tmp_path, capsys):
    unowned_allowed = {"ckan": {"config": [{"ckan.auth.create_unowned_dataset": True}]}}
    with other_emulator(id_seed=7, seed=unowned_allowed) as url:
        status = main(["verify", "ckan", "--against", f"{url}/ckan", "--only", "no owner_org"])
    out = capsys.readouterr().out
    assert status == 1
    assert "differs    editor, no owner_org" in out
    assert "server 200 'application/json;charset=utf-8', emulator 409" in out
    assert '-  "author": null,' in out  # the server's side of the short diff


def test_dry_run_lists_the_requests_and_sends_nothing(capsys):
    # Nothing listens on the discard port: a dry run must not try.
    status = main(["verify", "ckan", "--against", "http://127.0.0.1:9", "--dry-run", "--only", "callback makes",
                   "--token", "ed=secret-ed-token"])
    out = capsys.readouterr().out
    assert status == 0
    assert "POST http://127.0.0.1:9/api/3/action/package_create as ed" in out
    assert '"callback": "cb"' in out
    assert "secret-ed-token" not in out
    assert out.rstrip().endswith("1 scenarios; nothing sent")


def test_an_unreachable_server_is_an_error_not_a_verdict(capsys):
    assert main(["verify", "ckan", "--against", "http://127.0.0.1:9", "--only", "API root"]) == 2
    assert "the server does not answer" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["verify", "nope", "--against", "http://127.0.0.1:9"], "no scenarios for provider 'nope'"),
    (["verify", "ckan", "--against", "http://127.0.0.1:9", "--token", "ed"], "--token wants NAME=VALUE"),
])
def test_bad_arguments_exit_2(args, message, capsys):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_the_normaliser_numbers_ids_by_first_appearance_and_hides_times_and_base():
    first = Normaliser("http://a.example/ckan", (UUID,))
    second = Normaliser("http://127.0.0.1:5055", (UUID,))
    one = ('{"help": "http://a.example/ckan/api/3/x", "id": "00000000-0000-4000-8000-000000000001", '
           '"org": "00000000-0000-4000-8000-000000000002", "again": "00000000-0000-4000-8000-000000000001", '
           '"at": "2026-01-01T00:00:00.123456"}')
    other = ('{"help": "http://127.0.0.1:5055/api/3/x", "id": "6b0c6d5e-1111-4aaa-8bbb-0123456789ab", '
             '"org": "c0ffee00-2222-4ccc-9ddd-0123456789ab", "again": "6b0c6d5e-1111-4aaa-8bbb-0123456789ab", '
             '"at": "2031-12-31T23:59:59Z"}')
    assert first.text(one) == second.text(other) == (
        '{"help": "<base>/api/3/x", "id": "<id:1>", "org": "<id:2>", "again": "<id:1>", "at": "<time>"}')


def test_every_provider_with_scenarios_loads_and_names_them_uniquely():
    assert "ckan" in scenarios.providers()
    for provider in scenarios.providers():
        setup, loaded = scenarios.load(provider)
        assert loaded, provider
        assert len({s.name for s in loaded}) == len(loaded)
        assert setup.cleanup_steps, provider  # what a scenario creates on a real account is removed again


def test_signed_scenarios_clean_up_what_they_create(capsys):
    with other_emulator(id_seed=7) as url:
        status = main(["verify", "aitems", "--against", f"{url}/aitems", "--only", "create then list"])
        left = requests.get(f"{url}/_emulator/state/aitems/datasets", timeout=10).json()
    assert status == 0
    assert "identical  create then list" in capsys.readouterr().out
    assert left == []  # the default world has no dataset: the one the scenario created was deleted again


def test_the_signature_uses_the_secret_token_so_a_wrong_secret_differs(capsys):
    with other_emulator(id_seed=7) as url:
        status = main(["verify", "aitems", "--against", f"{url}/aitems", "--only", "create then get",
                       "--token", "secret_key=not-the-secret"])
    out = capsys.readouterr().out
    assert status == 1
    assert "differs    create then get" in out
    assert "POST /api/v1/datasets as access_key: server 401" in out
    assert '"details": "Invalid authentication information."' in out


def test_dry_run_of_a_signed_provider_prints_no_key(capsys):
    status = main(["verify", "aitems", "--against", "http://127.0.0.1:9", "--dry-run",
                   "--token", "access_key=MYACCESSKEY", "--token", "secret_key=MYSECRETKEY"])
    out = capsys.readouterr().out
    assert status == 0
    assert "GET http://127.0.0.1:9/api/v1/datasets as access_key" in out
    for secret in ("MYACCESSKEY", "MYSECRETKEY", "DEMOACCESSKEY0000001", "demo-secret-key"):
        assert secret not in out


def test_ncp_signature_v2_matches_ncps_sample_and_keeps_the_steps_own_headers():
    keys = {"access_key": DEMO_ACCESS_KEY, "secret_key": DEMO_SECRET_KEY}
    headers = ncp_signature_v2("GET", "/api/v1/datasets?limit=5", {"x-ncp-apigw-timestamp": "1600000000000"}, keys)
    assert headers == {
        "x-ncp-apigw-timestamp": "1600000000000", "x-ncp-iam-access-key": DEMO_ACCESS_KEY,
        "x-ncp-apigw-signature-v2": make_signature(DEMO_SECRET_KEY, "GET", "/api/v1/datasets?limit=5",
                                                   "1600000000000", DEMO_ACCESS_KEY),
    }
    wrong = ncp_signature_v2("GET", "/api/v1/datasets", {"X-NCP-APIGW-SIGNATURE-V2": "bad"}, keys)
    assert wrong["X-NCP-APIGW-SIGNATURE-V2"] == "bad" and "x-ncp-apigw-signature-v2" not in wrong


@pytest.mark.parametrize("auth, message", [
    ({"scheme": "basic"}, "auth scheme 'basic' is not one of ncp-signature-v2"),
    ({"scheme": "ncp-signature-v2", "access_key": "a"}, "names the tokens access_key, secret_key"),
])
def test_a_setup_with_a_bad_auth_is_refused(auth, message):
    with pytest.raises(scenarios.ScenarioError, match=message):
        scenarios._setup("x", {"auth": auth, "emulator_tokens": {}, "id_patterns": []})
