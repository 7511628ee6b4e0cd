"""Control API and namespaces, on a provider-agnostic dummy provider over real HTTP."""

from __future__ import annotations

import pytest
import requests


@pytest.fixture
def base(dummy_base):
    return dummy_base


def test_health_and_providers(base):
    assert requests.get(f"{base}/_emulator/health").json() == {"status": "ok"}
    assert requests.get(f"{base}/_emulator/providers").json() == {
        "providers": [{"name": "dummy", "prefix": "/dummy", "clientPath": "/dummy",
                       "collections": ["things", "config"]}]}


def test_namespaces_are_isolated(base):
    created = requests.post(f"{base}/_ns/iso-a/dummy/things", json={"name": "a"}).json()
    assert requests.get(f"{base}/_ns/iso-a/dummy/things/{created['id']}").status_code == 200
    other = requests.get(f"{base}/_ns/iso-b/dummy/things/{created['id']}")
    assert other.status_code == 404
    assert other.json() == {"dummyError": {"status": 404, "message": "no such thing"}}
    assert requests.get(f"{base}/_emulator/state?namespace=iso-b").json() == {"dummy": {"things": [], "config": []}}
    assert "iso-a" in requests.get(f"{base}/_emulator/namespaces").json()["namespaces"]


def test_base_url_names_the_namespace(base):
    created = requests.post(f"{base}/_ns/urls/dummy/things", json={"name": "a"}).json()
    shown = requests.get(f"{base}/_ns/urls/dummy/things/{created['id']}").json()
    assert shown["base"] == f"{base}/_ns/urls/dummy"


def test_unknown_routes_and_methods_answer_in_the_provider_envelope(base):
    missing = requests.get(f"{base}/_ns/env/dummy/nowhere")
    assert missing.status_code == 404 and missing.json()["dummyError"]["status"] == 404
    wrong = requests.delete(f"{base}/_ns/env/dummy/things")
    assert wrong.status_code == 405 and wrong.json()["dummyError"]["status"] == 405


def test_invalid_namespace_name_is_rejected(base):
    response = requests.get(f"{base}/_ns/bad%20name/dummy/things/x")
    assert response.status_code == 404
    assert "invalid namespace" in response.json()["dummyError"]["message"]
    control = requests.get(f"{base}/_emulator/state?namespace=..")
    assert control.status_code == 400 and "invalid namespace" in control.json()["error"]


def test_seed_state_round_trip(base):
    export = {"dummy": {"things": [{"id": "t1", "name": "one"}, {"id": "t2", "name": "two"}],
                        "config": [{"greeting": "hi"}]}}
    seeded = requests.post(f"{base}/_emulator/seed?namespace=rt-1", json=export)
    assert seeded.json() == {"namespace": "rt-1", "seeded": {"dummy": {"things": 2, "config": 1}}}
    state = requests.get(f"{base}/_emulator/state?namespace=rt-1").json()
    assert state == export
    requests.post(f"{base}/_emulator/seed?namespace=rt-2", json=state)
    assert requests.get(f"{base}/_emulator/state?namespace=rt-2").json() == export
    assert requests.get(f"{base}/_ns/rt-2/dummy/things/t1").json()["greeting"] == "hi"  # config record applies


def test_state_of_one_collection_and_record(base):
    requests.post(f"{base}/_emulator/seed?namespace=one", json={"dummy": {"things": [{"id": "k", "name": "n"}]}})
    assert requests.get(f"{base}/_emulator/state/dummy/things?namespace=one").json() == [{"id": "k", "name": "n"}]
    assert requests.get(f"{base}/_emulator/state/dummy/things/k?namespace=one").json() == {"id": "k", "name": "n"}
    missing = requests.get(f"{base}/_emulator/state/dummy/things/nope?namespace=one")
    assert missing.status_code == 404 and missing.json() == {"error": "no record 'nope' in dummy.things"}


@pytest.mark.parametrize(("body", "message"), [
    ("not json", "request body is not valid JSON"),
    ([], 'seed must be a JSON object {"<provider>": {"<collection>": [records]}}'),
    ({"nope": {}}, "unknown provider 'nope'; known: ['dummy']"),
    ({"dummy": []}, "seed for 'dummy' must be an object of collections"),
    ({"dummy": {"widgets": []}}, "unknown collection dummy.widgets; known: ['config', 'things']"),
    ({"dummy": {"things": {"id": 1}}}, "dummy.things must be a list of objects"),
    ({"dummy": {"things": [{"name": "no id"}]}}, 'dummy.things[0] {"name": "no id"}: lacks key field(s) [\'id\']'),
    ({"dummy": {"things": [{"id": "x"}]}}, 'dummy.things[0] {"id": "x"}: a thing needs a name'),
])
def test_bad_seeds_get_a_400_that_says_why(base, body, message):
    raw = isinstance(body, str)
    kwargs = {"data": body, "headers": {"Content-Type": "application/json"}} if raw else {"json": body}
    response = requests.post(f"{base}/_emulator/seed?namespace=bad", **kwargs)
    assert response.status_code == 400
    assert response.json()["error"].startswith(message)
    assert requests.get(f"{base}/_emulator/health").status_code == 200


def test_a_rejected_seed_writes_nothing(base):
    ns = "atomic-seed"
    requests.post(f"{base}/_emulator/seed?namespace={ns}", json={"dummy": {"things": [{"id": "old", "name": "o"}]}})
    bad = {"dummy": {"things": [{"id": "new", "name": "n"}, {"id": "old", "name": "changed"}, {"id": "x"}]}}
    assert requests.post(f"{base}/_emulator/seed?namespace={ns}", json=bad).status_code == 400
    assert requests.get(f"{base}/_emulator/state/dummy/things?namespace={ns}").json() == [{"id": "old", "name": "o"}]


def test_reset_one_namespace_leaves_the_others(base):
    for ns in ("keep", "wipe"):
        requests.post(f"{base}/_emulator/seed?namespace={ns}", json={"dummy": {"things": [{"id": "a", "name": "x"}]}})
    assert requests.post(f"{base}/_emulator/reset?namespace=wipe").status_code == 200
    assert requests.get(f"{base}/_emulator/state/dummy/things?namespace=wipe").json() == []
    assert len(requests.get(f"{base}/_emulator/state/dummy/things?namespace=keep").json()) == 1


def test_reset_of_an_unknown_provider_is_a_400(base):
    response = requests.post(f"{base}/_emulator/reset?namespace=x&provider=nope")
    assert response.status_code == 400 and response.json()["error"].startswith("unknown provider 'nope'")


def test_unknown_control_route_is_a_json_404(base):
    response = requests.get(f"{base}/_emulator/nothing-here")
    assert response.status_code == 404 and "error" in response.json()


def test_concurrent_first_requests_to_a_namespace_all_see_its_default_world(emulator):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    barrier = Barrier(16)

    def first_look(i: int) -> int:
        barrier.wait()  # the demo user's token works only once the world is in the namespace
        url = f"{emulator.base_url}/_ns/{emulator.namespace}-fresh/apify/v2/datasets?token=apify_api_demo_token"
        return requests.get(url, timeout=10).status_code

    with ThreadPoolExecutor(16) as pool:
        assert set(pool.map(first_look, range(16))) == {200}
