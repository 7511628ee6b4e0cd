"""Beyond create with the real ``ckanapi``: resources (JSON and uploaded files), downloads, package_update."""

from __future__ import annotations

import io

import ckanapi
import pytest
import requests
from ckan_support import ADMIN, EDITOR, JOE, action, error_of
from ckanapi.errors import NotAuthorized, NotFound, ValidationError


def ckan(emulator, token: str | None = EDITOR) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=token)


def test_workflow_create_upload_download_update_delete(emulator, tmp_path):
    client = ckan(emulator)
    dataset = client.action.package_create(name="flow", owner_org="test-org", notes="first")
    path = tmp_path / "Rainfall Data (2024).CSV"
    path.write_bytes(b"day,mm\n1,3\n")

    with path.open("rb") as upload:
        resource = client.action.resource_create(package_id="flow", name="Rain", upload=upload)

    prefix = f"{emulator.url('ckan')}/dataset/{dataset['id']}/resource/{resource['id']}/download/"
    assert resource["url"] == prefix + "rainfall-data-2024.csv"
    assert (resource["url_type"], resource["size"], resource["mimetype"], resource["format"]) == \
        ("upload", 11, "text/csv", "CSV")
    assert resource["last_modified"] and resource["position"] == 0
    downloaded = requests.get(resource["url"], timeout=10)
    assert downloaded.status_code == 200
    assert downloaded.content == b"day,mm\n1,3\n"
    assert downloaded.headers["Content-Type"] == "text/csv"
    assert downloaded.headers["Content-Disposition"] == "inline; filename=rainfall-data-2024.csv"
    assert client.action.resource_show(id=resource["id"]) == resource

    linked = client.action.resource_create(package_id=dataset["id"], url="http://example.com/x.json")
    assert (linked["format"], linked["mimetype"], linked["position"], linked["url_type"]) == \
        ("JSON", "application/json", 1, None)
    redirected = requests.get(f"{prefix[:-len('download/')]}".replace(resource["id"], linked["id"]) + "download",
                              allow_redirects=False, timeout=10)
    assert (redirected.status_code, redirected.headers["Location"]) == (302, "http://example.com/x.json")

    patched = client.action.resource_patch(id=resource["id"], description="daily")
    assert (patched["description"], patched["url"], patched["size"]) == ("daily", resource["url"], 11)
    replaced = client.action.resource_update(id=linked["id"], url="http://example.com/y.csv")
    assert (replaced["format"], replaced["name"]) == ("JSON", None)  # format kept, name cleared

    updated = client.action.package_update(id="flow", title="Flow")
    assert (updated["title"], updated["notes"], updated["resources"]) == ("Flow", None, [])
    with pytest.raises(NotFound):
        client.action.resource_show(id=resource["id"])
    assert requests.get(resource["url"], timeout=10).status_code == 404


def test_second_upload_replaces_the_file_and_its_size(emulator, tmp_path):
    client = ckan(emulator)
    client.action.package_create(name="replace", owner_org="test-org")
    first, second = tmp_path / "a.csv", tmp_path / "b.txt"
    first.write_bytes(b"1,2\n")
    second.write_bytes(b"hello world")
    with first.open("rb") as f:
        resource = client.action.resource_create(package_id="replace", upload=f)
    with second.open("rb") as f:
        again = client.action.resource_update(id=resource["id"], upload=f)
    assert (again["size"], again["mimetype"], again["url"].rsplit("/", 1)[1]) == (11, "text/plain", "b.txt")
    assert requests.get(again["url"], timeout=10).content == b"hello world"


def test_resource_errors_in_ckans_envelope(emulator):
    base = emulator.url("ckan")
    ckan(emulator).action.package_create(name="errs", owner_org="test-org", private=True)
    resource = ckan(emulator).action.resource_create(package_id="errs", url="http://example.com/a")
    cases = [
        ("resource_create", {}, EDITOR, 409, {"package_id": ["Missing value"], "__type": "Validation Error"}),
        ("resource_create", {"package_id": "nope"}, EDITOR, 404, {"__type": "Not Found Error", "message": "Not found"}),
        ("resource_create", {"package_id": "errs", "size": "x"}, EDITOR, 409,
         {"size": ["Invalid integer"], "__type": "Validation Error"}),
        ("resource_show", {}, None, 409, {"id": ["Missing value"], "__type": "Validation Error"}),
        ("resource_show", {"id": "nope"}, None, 404, {"__type": "Not Found Error", "message": "Not found"}),
        ("resource_show", {"id": resource["id"]}, JOE, 403, {
            "__type": "Authorization Error",
            "message": f"Access denied: User joe not authorized to read resource {resource['id']}"}),
        ("resource_update", {"id": "nope"}, EDITOR, 404,
         {"__type": "Not Found Error", "message": "Not found: Resource was not found."}),
        ("resource_update", {"id": resource["id"]}, JOE, 403, {
            "__type": "Authorization Error",
            "message": f"Access denied: User joe not authorized to edit resource {resource['id']}"}),
        ("resource_patch", {}, EDITOR, 409,
         {"message": "Missing id, can not get Resource object", "__type": "Validation Error"}),
        ("resource_delete", {"id": resource["id"]}, None, 403, {
            "__type": "Authorization Error",
            "message": f"Access denied: User  not authorized to delete resource {resource['id']}"}),
        ("package_update", {}, EDITOR, 409, {"id": "Missing value", "__type": "Validation Error"}),
        ("package_update", {"id": "nope"}, EDITOR, 404,
         {"__type": "Not Found Error", "message": "Not found: Package was not found."}),
    ]
    for name, body, token, status, error in cases:
        response = action(base, name, body, token)
        assert (response.status_code, error_of(response)) == (status, error), name
    assert ckan(emulator).action.resource_show(id=resource["id"])["url"] == "http://example.com/a"


def test_an_upload_over_max_resource_size_is_refused_and_nothing_is_kept(emulator, tmp_path):
    emulator.seed({"ckan": {"config": [{"ckan.max_resource_size": 1}]}})
    client = ckan(emulator, ADMIN)
    client.action.package_create(name="big", owner_org="test-org")
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * (2**20 + 1))
    with path.open("rb") as upload, pytest.raises(ValidationError) as raised:
        client.action.resource_create(package_id="big", upload=upload)
    assert raised.value.error_dict == {"upload": ["File upload too large"], "__type": "Validation Error"}
    assert client.action.package_show(id="big")["resources"] == []


def test_download_of_a_private_dataset_needs_read_access(emulator, tmp_path):
    client = ckan(emulator)
    client.action.package_create(name="secret", owner_org="test-org", private=True)
    path = tmp_path / "s.txt"
    path.write_bytes(b"s")
    with path.open("rb") as upload:
        resource = client.action.resource_create(package_id="secret", upload=upload)
    assert requests.get(resource["url"], timeout=10).status_code == 403
    assert requests.get(resource["url"], headers={"Authorization": EDITOR}, timeout=10).content == b"s"
    with pytest.raises(NotAuthorized):
        ckan(emulator, JOE).action.resource_delete(id=resource["id"])


def test_mimetype_guess_none_guesses_no_mimetype_and_still_the_format(emulator):
    emulator.configure(providers={"ckan": {"ckan.mimetype_guess": "none"}})
    client = ckan(emulator)
    client.action.package_create(name="unguessed", owner_org="test-org")
    linked = client.action.resource_create(package_id="unguessed", url="http://example.com/x.json")
    uploaded = client.action.resource_create(package_id="unguessed", upload=("notes.txt", io.BytesIO(b"hello")))
    assert (linked["format"], linked["mimetype"]) == ("JSON", None)
    assert (uploaded["format"], uploaded["mimetype"], uploaded["size"]) == ("TXT", None, 5)
