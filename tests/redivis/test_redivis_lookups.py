"""Finding a dataset by escaped name or reference id goes through derived fields stored on the record.

They must be filled for seeded records, follow a rename, survive snapshots, exports and old state files,
never show in a response, and leave the ID sequence of a fixed ``--id-seed`` as it was.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import redivis
import requests
from redivis.common.exceptions import APIError
from redivis_world import bearer

from emulator.app import create_app
from emulator.config import Settings
from emulator.providers import redivis as redivis_provider
from emulator.providers.redivis import model, versions
from emulator.providers.redivis.lookup import NAME_KEY, REFERENCE_ID
from emulator.pytest_plugin import Emulator, EmulatorError

SEEDED = {"name": "Health Survey (2020)", "ownerName": "demo_user", "publicAccessLevel": "data", "released": True}
DUPLICATE = '[400 invalid_request] A dataset with the name "{name}" already exists'
CREATE = "/redivis/api/v1/users/demo_user/datasets"
ID_SEED = 2024
# The ids a fresh namespace hands out under --id-seed 2024 (as before the derived fields existed).
FIRST_ID, SECOND_ID, THIRD_ID = "fq9w-dp87tfdqy", "9pgq-z6repv46d", "1bd3-qrcb6da6v"


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


def _stored(emulator: Emulator, dataset_id: str) -> dict[str, Any]:
    return next(d for d in emulator.state("redivis", "datasets") if d["id"] == dataset_id)


def test_a_seeded_dataset_without_derived_fields_is_found_and_blocks_duplicates(api, emulator):
    emulator.seed({"redivis": {"datasets": [SEEDED]}})
    [stored] = emulator.state("redivis", "datasets")
    assert (stored[NAME_KEY], stored[REFERENCE_ID]) == ("health_survey_2020", stored["id"][:4])
    assert redivis.user("demo_user").dataset("health survey 2020").get().properties["id"] == stored["id"]
    assert redivis.dataset(f"demo_user.health_survey_2020:{stored['id'][:4]}").exists() is True
    with pytest.raises(APIError) as caught:
        redivis.user("demo_user").dataset("Health-Survey 2020").create()
    assert str(caught.value) == DUPLICATE.format(name="Health-Survey 2020")
    with pytest.raises(EmulatorError, match="already has a dataset named like"):
        emulator.seed({"redivis": {"datasets": [{"name": "health_survey_2020", "ownerName": "demo_user"}]}})
    # Another owner's namespace of names is its own.
    redivis.organization("demo_org").dataset("Health Survey 2020").create()


def test_seeded_derived_fields_are_recomputed_not_trusted(api, emulator):
    emulator.seed({"redivis": {"datasets": [{**SEEDED, "id": "7a2b-c3d4e5f6g", NAME_KEY: "stale",
                                             REFERENCE_ID: "zzzz"}]}})
    [stored] = emulator.state("redivis", "datasets")
    assert (stored[NAME_KEY], stored[REFERENCE_ID]) == ("health_survey_2020", "7a2b")
    assert redivis.dataset("demo_user.stale").exists() is False
    assert redivis.dataset("demo_user.stale:zzzz").exists() is False
    assert redivis.dataset("demo_user.Health Survey 2020").exists() is True
    assert redivis.dataset("demo_user.health_survey_2020:7a2b").exists() is True


def test_a_rename_moves_the_name_look_ups(api, emulator):
    dataset = redivis.user("demo_user").dataset("First Name").create()
    dataset_id, reference_id = dataset.properties["id"], dataset.properties["referenceId"]
    dataset.update(name="Second Name")
    assert _stored(emulator, dataset_id)[NAME_KEY] == "second_name"
    assert redivis.user("demo_user").dataset("first name").exists() is False
    assert redivis.user("demo_user").dataset("second_name").get().properties["id"] == dataset_id
    assert redivis.dataset(f"demo_user.first_name:{reference_id}").exists() is True
    with pytest.raises(APIError) as caught:
        redivis.user("demo_user").dataset("SECOND-NAME").create()
    assert str(caught.value) == DUPLICATE.format(name="SECOND-NAME")
    redivis.user("demo_user").dataset("First Name").create()  # the old name is free again
    # Version writes keep the fields too.
    redivis.user("demo_user").dataset("Second Name").release()
    assert redivis.user("demo_user").dataset("second name").get().properties["currentVersion"]["tag"] == "v1.0"
    assert _stored(emulator, dataset_id)[NAME_KEY] == "second_name"


def test_derived_fields_never_reach_a_response(api, emulator):
    emulator.seed({"redivis": {"datasets": [SEEDED]}})
    created = requests.post(f"{api}/users/demo_user/datasets", headers=bearer(),
                            json={"name": "Shown", "publicAccessLevel": "overview"}).json()
    uri = f"{api}/datasets/demo_user.shown"
    bodies = [
        created,
        requests.get(uri, headers=bearer()).json(),
        requests.patch(uri, headers=bearer(), json={"name": "Shown Again", "labels": ["x"]}).json(),
        requests.post(f"{api}/datasets/demo_user.shown_again/versions/next/release", headers=bearer()).json(),
        requests.post(f"{api}/datasets/demo_user.shown_again/versions", headers=bearer()).json(),
        requests.get(f"{api}/datasets/demo_user.shown_again/versions", headers=bearer()).json(),
        requests.get(f"{api}/datasets/demo_user.shown_again/versions/current", headers=bearer()).json(),
        requests.get(f"{api}/users/demo_user/datasets", headers=bearer()).json(),
        requests.get(f"{api}/users/demo_user/datasets").json(),
        requests.get(f"{api}/datasets/demo_user.health_survey_2020").json(),
    ]
    assert [b.get("kind") for b in bodies] == ["dataset", "dataset", "dataset", "version", "version", "versionList",
                                               "version", "datasetList", "datasetList", "dataset"]
    assert all(NAME_KEY not in _keys(body) for body in bodies)
    # referenceId is a wire field of datasets only, never of versions.
    assert all(REFERENCE_ID not in _keys(b) for b in bodies if b["kind"] in ("version", "versionList"))
    assert all(NAME_KEY in d and REFERENCE_ID in d for d in emulator.state("redivis", "datasets"))


def test_look_ups_follow_a_restored_snapshot(api, emulator):
    dataset = redivis.user("demo_user").dataset("Kept").create()
    emulator.snapshot("before")
    dataset.update(name="Renamed")
    emulator.restore("before")
    assert redivis.user("demo_user").dataset("kept").get().properties["id"] == dataset.properties["id"]
    assert redivis.user("demo_user").dataset("renamed").exists() is False
    with pytest.raises(APIError):
        redivis.user("demo_user").dataset("KEPT").create()
    redivis.user("demo_user").dataset("Renamed").create()


def test_an_export_seeded_elsewhere_is_found_and_blocks_duplicates(api, emulator):
    created = redivis.user("demo_user").dataset("Exported One").create().properties
    export = emulator.state()
    copy = Emulator(emulator.base_url, emulator.namespace + "-lookups")
    copy.seed(export)
    assert copy.state() == export
    base = copy.url("redivis")
    assert requests.get(f"{base}/datasets/demo_user.exported_one", headers=bearer()).json()["id"] == created["id"]
    by_reference = requests.get(f"{base}/datasets/demo_user.x:{created['referenceId']}", headers=bearer())
    assert by_reference.json()["id"] == created["id"]
    duplicate = requests.post(f"{base}/users/demo_user/datasets", headers=bearer(),
                              json={"name": "exported-one", "publicAccessLevel": "none"})
    assert duplicate.status_code == 400


def _legacy_record(dataset_id: str, name: str) -> dict[str, Any]:
    """A dataset as stored before the derived fields existed."""
    return {"id": dataset_id, "ownerKind": "user", "ownerName": "demo_user", "name": name,
            "publicAccessLevel": "none", "createdAt": 1, "updatedAt": 1, **model.DATASET_DEFAULTS,
            "versions": [versions.new_version(0, 1)]}


def test_a_state_file_written_before_the_derived_fields_keeps_working(tmp_path):
    state = tmp_path / "state.json"
    user = {"name": "demo_user", "token": "redivis-edit-token", "scopes": ["public", "data.edit"],
            "fullName": "Demo User", "contactEmail": None, "orcid": None}
    # Its reference id is the first one --id-seed 2024 draws: a create must skip it.
    legacy = _legacy_record(FIRST_ID[:4] + "-aaaaaaaaa", "Old Times")
    state.write_text(json.dumps({"default/redivis/users": {"1": user}, "default/redivis/datasets": {"1": legacy}}))
    app = create_app(Settings(state=state, id_seed=ID_SEED), providers=[redivis_provider.create()])
    try:
        client = app.test_client()
        assert client.get("/redivis/api/v1/datasets/demo_user.old_times", headers=bearer()).status_code == 200
        assert client.get("/redivis/api/v1/datasets/demo_user.x:fq9w", headers=bearer()).status_code == 200
        duplicate = client.post(CREATE, headers=bearer(), json={"name": "OLD-TIMES", "publicAccessLevel": "none"})
        assert duplicate.status_code == 400, duplicate.get_json()
        created = client.post(CREATE, headers=bearer(), json={"name": "New Times", "publicAccessLevel": "none"})
        assert created.get_json()["id"] == SECOND_ID
        assert client.get("/redivis/api/v1/datasets/demo_user.new_times", headers=bearer()).status_code == 200
        # A write brings the old record up to date.
        assert client.patch("/redivis/api/v1/datasets/demo_user.old_times", headers=bearer(),
                            json={"description": "touched"}).status_code == 200
        stored = client.get(f"/_emulator/state/redivis/datasets/{legacy['id']}").get_json()
        assert (stored[NAME_KEY], stored[REFERENCE_ID]) == ("old_times", "fq9w")
    finally:
        app.extensions["emulator"].close()


def test_a_seed_file_dataset_is_found_and_blocks_duplicates(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"redivis": {"datasets": [{"name": "From File", "ownerName": "demo_user"}]}}))
    client = create_app(Settings(state=None, seed_files=[seed]), providers=[redivis_provider.create()]).test_client()
    assert client.get("/redivis/api/v1/datasets/demo_user.from_file", headers=bearer()).status_code == 200
    duplicate = client.post(CREATE, headers=bearer(), json={"name": "from file!", "publicAccessLevel": "none"})
    assert duplicate.status_code == 400


def _fixed_seed_client():
    return create_app(Settings(state=None, id_seed=ID_SEED), providers=[redivis_provider.create()]).test_client()


def test_a_fixed_id_seed_hands_out_the_same_ids():
    client = _fixed_seed_client()
    ids = [client.post(CREATE, headers=bearer(), json={"name": name, "publicAccessLevel": "none"}).get_json()["id"]
           for name in ("A", "B")]
    seeded = client.post("/_emulator/seed", json={"redivis": {"datasets": [{"name": "C", "ownerName": "demo_org"}]}})
    assert seeded.status_code == 200
    assert [d["id"] for d in client.get("/_emulator/state/redivis/datasets").get_json()] == [*ids, THIRD_ID]
    assert ids == [FIRST_ID, SECOND_ID]


@pytest.mark.parametrize(("owner", "taken", "expected"), [
    ("demo_user", FIRST_ID[:4] + "-zzzzzzzzz", SECOND_ID),  # the owner has that referenceId: drawn again
    ("demo_org", FIRST_ID, SECOND_ID),  # another owner has that very id: drawn again
    ("demo_org", FIRST_ID[:4] + "-zzzzzzzzz", FIRST_ID),  # another owner's referenceId is no clash
])
def test_a_taken_reference_id_is_drawn_again(owner, taken, expected):
    client = _fixed_seed_client()
    seeded = client.post("/_emulator/seed", json={"redivis": {"datasets": [{"name": "T", "ownerName": owner,
                                                                            "id": taken}]}})
    assert seeded.status_code == 200, seeded.get_json()
    created = client.post(CREATE, headers=bearer(), json={"name": "New", "publicAccessLevel": "none"})
    assert created.get_json()["id"] == expected
