"""The real ``ckanapi`` client against the emulator: every outcome a client sees for package_create."""

from __future__ import annotations

import io
import re

import ckanapi
import pytest
from ckan_support import ADMIN, EDITOR, JOE, TEST_GROUP_ID, TEST_ORG_ID
from ckanapi.errors import CKANAPIError, NotAuthorized, NotFound, ValidationError

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")
RESULT_KEYS = ["author", "author_email", "creator_user_id", "id", "isopen", "license_id", "license_title",
               "maintainer", "maintainer_email", "metadata_created", "metadata_modified", "name", "notes",
               "num_resources", "num_tags", "organization", "owner_org", "private", "state", "title", "type", "url",
               "version", "resources", "tags", "extras", "groups", "relationships_as_subject",
               "relationships_as_object"]
ORG_KEYS = ["id", "name", "title", "type", "description", "image_url", "created", "is_organization",
            "approval_status", "state"]


def ckan(emulator, token: str | None = EDITOR) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=token)


def test_editor_creates_dataset_with_full_result_shape(emulator):
    result = ckan(emulator).action.package_create(name="my-data", owner_org="test-org", notes="n")

    assert list(result) == RESULT_KEYS
    assert UUID.match(result["id"])
    assert result["creator_user_id"] == "0c2a7f3e-8b6d-4e1a-b9c4-2f5d6e7a8b02"
    assert STAMP.match(result["metadata_created"]) and STAMP.match(result["metadata_modified"])
    assert result["metadata_modified"] > result["metadata_created"]
    assert list(result["organization"]) == ORG_KEYS
    assert result["organization"]["name"] == "test-org"
    assert result["owner_org"] == TEST_ORG_ID
    assert (result["name"], result["title"], result["notes"], result["state"], result["type"]) == \
        ("my-data", "my-data", "n", "active", "dataset")
    assert (result["private"], result["isopen"], result["license_title"]) == (False, False, None)
    assert result["resources"] == result["tags"] == result["extras"] == result["groups"] == []
    stored = emulator.state("ckan", "packages")
    assert [p["id"] for p in stored] == [result["id"]]


def test_full_dataset_round_trips_through_package_show(emulator):
    client = ckan(emulator, ADMIN)
    created = client.action.package_create(
        name="full-ds", title="  Full DS  ", license_id="cc-by", private="true", owner_org="test-org",
        tags=[{"name": "health care"}, {"name": "economy"}], extras=[{"key": "spatial", "value": "x"},
                                                                    {"key": "a-extra", "value": "1"}],
        groups=[{"name": "test-group"}], unknown_top="dropped",
        resources=[{"url": "http://example.com/data.csv", "name": "Data"},
                   {"url": "example.com/x", "description": "d", "format": "json", "somekey": "v"}])

    assert created["title"] == "Full DS"
    assert (created["license_title"], created["isopen"]) == ("Creative Commons Attribution", True)
    assert created["license_url"] == "http://www.opendefinition.org/licenses/cc-by"
    assert created["private"] is True and "unknown_top" not in created
    assert list(created)[-6:] == ["extras", "groups", "resources", "tags", "relationships_as_subject",
                                  "relationships_as_object"]
    assert created["extras"] == [{"key": "a-extra", "value": "1"}, {"key": "spatial", "value": "x"}]
    assert [t["name"] for t in created["tags"]] == ["economy", "health care"]
    assert list(created["tags"][0]) == ["display_name", "id", "name", "state", "vocabulary_id"]
    assert created["groups"] == [{"description": "", "display_name": "Test Group", "id": TEST_GROUP_ID,
                                  "image_display_url": "", "name": "test-group", "title": "Test Group"}]
    first, second = created["resources"]
    assert list(first) == sorted(first)
    assert (first["format"], first["position"], first["hash"], first["package_id"]) == \
        ("CSV", 0, "", created["id"])
    assert (second["format"], second["url"], second["somekey"]) == ("JSON", "http://example.com/x", "v")

    assert client.action.package_show(id=created["id"]) == created
    assert client.action.package_show(id="full-ds") == created


def test_tag_ids_are_global_per_name(emulator):
    client = ckan(emulator)
    one = client.action.package_create(name="one", owner_org="test-org", tags=[{"name": "shared"}])
    two = client.action.package_create(name="two", owner_org="test-org", tag_string="shared, other")
    assert one["tags"][0]["id"] == next(t["id"] for t in two["tags"] if t["name"] == "shared")
    assert [t["name"] for t in two["tags"]] == ["other", "shared"]


def test_duplicate_name_is_validation_error(emulator):
    client = ckan(emulator)
    client.action.package_create(name="dup", owner_org="test-org")
    with pytest.raises(ValidationError) as info:
        client.action.package_create(name="dup", owner_org="test-org")
    assert info.value.error_dict == {"name": ["That URL is already in use."], "__type": "Validation Error"}


@pytest.mark.parametrize("token", [None, "no-such-token"])
def test_anonymous_and_unknown_token_are_not_authorized(emulator, token):
    with pytest.raises(NotAuthorized) as info:
        ckan(emulator, token).action.package_create(name="anon", owner_org="test-org")
    assert info.value.extra_msg == {"__type": "Authorization Error",
                                    "message": "Access denied: User  not authorized to create packages"}


def test_user_without_organization_is_not_authorized(emulator):
    with pytest.raises(NotAuthorized) as info:
        ckan(emulator, JOE).action.package_create(name="joes", owner_org="test-org")
    assert info.value.extra_msg["message"] == "Access denied: User joe not authorized to create packages"


def test_editor_with_unknown_org_is_not_authorized(emulator):
    with pytest.raises(NotAuthorized) as info:
        ckan(emulator).action.package_create(name="x1", owner_org="nope-org")
    assert info.value.extra_msg["message"] == \
        "Access denied: User ed not authorized to add dataset to this organization"


def test_editor_outside_group_is_not_authorized(emulator):
    with pytest.raises(NotAuthorized) as info:
        ckan(emulator).action.package_create(name="x1", owner_org="test-org", groups=[{"name": "test-group"}])
    assert info.value.extra_msg["message"] == "Access denied: User ed not authorized to edit these groups"


def test_unknown_group_is_not_found(emulator):
    with pytest.raises(NotFound) as info:
        ckan(emulator).action.package_create(name="x1", owner_org="test-org", groups=[{"name": "no-such-group"}])
    assert info.value.args == ("Group was not found.",)


def test_editor_without_org_gets_validation_error(emulator):
    with pytest.raises(ValidationError) as info:
        ckan(emulator).action.package_create(name="x1")
    assert info.value.error_dict == {"owner_org": ["An organization must be provided"],
                                     "__type": "Validation Error"}


def test_sysadmin_with_unknown_org_gets_validation_error(emulator):
    with pytest.raises(ValidationError) as info:
        ckan(emulator, ADMIN).action.package_create(name="x1", owner_org="nope-org")
    assert info.value.error_dict == {"owner_org": ["Organization does not exist"], "__type": "Validation Error"}


def test_list_of_strings_for_tags_is_integrity_error(emulator):
    with pytest.raises(CKANAPIError) as info:
        ckan(emulator).action.package_create(name="ok-name-1", owner_org="test-org", tags=["a", "b"])
    text = str(info.value)
    assert "400" in text and "Integrity Error" in text
    assert "Only lists of dicts can be placed against subschema (\\'tags\\',), not <class \\'list\\'>" in text


def test_unknown_action_and_numeric_private_are_api_errors(emulator):
    client = ckan(emulator)
    with pytest.raises(CKANAPIError) as info:
        client.call_action("package_createx", {})
    assert '400, \'"Bad request - Action name not known: package_createx"\'' in str(info.value)
    with pytest.raises(CKANAPIError) as info:
        client.action.package_create(name="priv", owner_org="test-org", private=1)
    assert "500" in str(info.value) and "Internal Server Error" in str(info.value)
    assert client.action.package_list() == []


def test_delete_then_reuse_the_name(emulator):
    client = ckan(emulator)
    first = client.action.package_create(name="reused", owner_org="test-org")
    assert client.action.package_delete(id="reused") is None
    deleted = client.action.package_show(id=first["id"])
    assert (deleted["state"], deleted["name"]) == ("deleted", "reused")

    second = client.action.package_create(name="reused", owner_org="test-org")
    assert second["id"] != first["id"]
    assert client.action.package_show(id="reused")["id"] == second["id"]
    assert client.action.package_show(id=first["id"])["name"] == first["id"]


def test_deleted_dataset_is_hidden_from_others_and_restored_by_patch(emulator):
    client = ckan(emulator)
    created = client.action.package_create(name="restore-me", owner_org="test-org", notes="keep")
    client.action.package_delete(id=created["id"])
    with pytest.raises(NotAuthorized) as info:
        ckan(emulator, JOE).action.package_show(id="restore-me")
    assert info.value.extra_msg["message"] == \
        f"Access denied: User joe not authorized to read package {created['id']}"

    restored = client.action.package_patch(id=created["id"], state="active")
    assert (restored["id"], restored["name"], restored["state"], restored["notes"]) == \
        (created["id"], "restore-me", "active", "keep")
    assert restored["metadata_created"] == created["metadata_created"]
    assert ckan(emulator, JOE).action.package_show(id="restore-me")["state"] == "active"


def test_patch_changes_only_given_fields(emulator):
    client = ckan(emulator)
    created = client.action.package_create(name="patchy", owner_org="test-org", resources=[{"url": "a.csv"}],
                                           tags=[{"name": "keep"}])
    patched = client.action.package_patch(id="patchy", title="New title")
    assert patched["title"] == "New title"
    assert patched["resources"][0]["id"] == created["resources"][0]["id"]
    assert [t["id"] for t in patched["tags"]] == [t["id"] for t in created["tags"]]
    with pytest.raises(NotAuthorized):
        ckan(emulator, JOE).action.package_patch(id="patchy", title="x")


def test_package_list_pages_names_of_public_active_datasets(emulator):
    client = ckan(emulator)
    for name in ("cc", "aa", "bb", "dd"):
        client.action.package_create(name=name, owner_org="test-org")
    client.action.package_create(name="hidden", owner_org="test-org", private=True)
    client.action.package_delete(id="dd")
    assert client.action.package_list() == ["aa", "bb", "cc"]
    assert client.action.package_list(limit=1, offset=1) == ["bb"]
    with pytest.raises(ValidationError) as info:
        client.action.package_list(limit=-1, offset="x")
    assert info.value.error_dict == {"limit": ["Must be a natural number"], "offset": ["Invalid integer"],
                                     "__type": "Validation Error"}


def test_show_and_delete_errors(emulator):
    client = ckan(emulator)
    with pytest.raises(NotFound):
        client.action.package_show(id="nothing-here")
    with pytest.raises(ValidationError) as info:
        client.action.package_show()
    assert info.value.error_dict == {"name_or_id": ["Missing value"], "__type": "Validation Error"}
    with pytest.raises(ValidationError) as info:
        client.action.package_delete()
    assert info.value.error_dict == {"id": ["Missing value"], "__type": "Validation Error"}
    created = client.action.package_create(name="mine", owner_org="test-org")
    with pytest.raises(NotAuthorized) as info:
        ckan(emulator, JOE).action.package_delete(id="mine")
    assert info.value.extra_msg["message"] == f"Access denied: User joe not authorized to edit package {created['id']}"


def test_multipart_create_with_a_file(emulator):
    upload = io.BytesIO(b"a,b\n1,2\n")
    result = ckan(emulator).action.package_create(name="with-file", owner_org="test-org", private="true",
                                                   notes="from form", upload=upload)
    assert (result["name"], result["private"], result["notes"]) == ("with-file", True, "from form")
    assert "upload" not in result


def test_get_only_client_reads_with_query_parameters(emulator):
    ckan(emulator).action.package_create(name="readable", owner_org="test-org")
    reader = ckanapi.RemoteCKAN(emulator.url("ckan"), get_only=True)
    assert reader.action.package_show(id="readable")["name"] == "readable"
    assert reader.action.package_list() == ["readable"]


def test_unowned_dataset_when_config_allows_it(emulator):
    emulator.seed({"ckan": {"config": [{"ckan.auth.create_unowned_dataset": True}]}})
    result = ckan(emulator, JOE).action.package_create(name="joes-own")
    assert (result["organization"], result["owner_org"]) == (None, None)
    with pytest.raises(ValidationError) as info:
        ckan(emulator, JOE).action.package_create(name="joes-private", private=True)
    assert info.value.error_dict == {"private": ["Datasets with no organization can't be private."],
                                     "__type": "Validation Error"}
    with pytest.raises(NotAuthorized):
        ckan(emulator, None).action.package_create(name="anon-own")
    with pytest.raises(NotAuthorized) as info:
        ckan(emulator, JOE).action.package_create(name="joes-org", owner_org="test-org")
    assert info.value.extra_msg["message"].endswith("not authorized to add dataset to this organization")
