"""409 Validation Error bodies: CKAN's exact messages and error-dict key order."""

from __future__ import annotations

import pytest
from ckan_support import ADMIN, EDITOR, create, error_of

ORG = {"owner_org": "test-org"}


def errors(emulator, body, token=EDITOR):
    response = create(emulator.url("ckan"), body, token)
    assert response.status_code == 409, response.text
    error = error_of(response)
    assert list(error)[-1] == "__type" and error.pop("__type") == "Validation Error"
    return error


@pytest.mark.parametrize(("name", "messages"), [
    (None, ["Missing value"]),
    ("", ["Missing value"]),
    ("new", ["That name cannot be used"]),
    ("a", ["Must be at least 2 characters long", 'Name "a" length is less than minimum 2']),
    ("x" * 101, ["Name must be a maximum of 100 characters long",
                 f'Name "{"x" * 101}" length is more than maximum 100']),
    ("seanH", ["Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"]),
    ("sean h", ["Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"]),
    ("caf\u00e9", ["Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"]),
])
def test_name_messages(emulator, name, messages):
    assert errors(emulator, {"name": name, **ORG}) == {"name": messages}


def test_numeric_name_is_coerced_to_text(emulator):
    response = create(emulator.url("ckan"), {"name": 123, **ORG})
    assert response.status_code == 200 and response.json()["result"]["name"] == "123"


def test_taken_name_message_sits_beside_other_errors(emulator):
    assert create(emulator.url("ckan"), {"name": "taken", **ORG}).status_code == 200
    assert errors(emulator, {"name": "taken", "author_email": "bad", **ORG}) == {
        "author_email": ["Email bad is not a valid format"], "name": ["That URL is already in use."]}


def test_plain_keys_alphabetical_then_lists_then_type(emulator):
    response = create(emulator.url("ckan"), {
        "name": "a", "version": "v" * 101, "maintainer_email": " also bad@x ", "author_email": "bad",
        "tags": [{"name": "ok"}, {"name": "a"}], "extras": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}],
        "resources": [{"size": "x"}], **ORG}, EDITOR)
    error = error_of(response)
    assert list(error) == ["author_email", "extras_validation", "maintainer_email", "name", "version",
                           "resources", "tags", "__type"]
    assert error["maintainer_email"] == ["Email also bad@x is not a valid format"]
    assert error["version"] == ["Version must be a maximum of 100 characters long"]
    assert error["extras_validation"] == ['Duplicate key "k"']


@pytest.mark.parametrize("email", ["..test...test..@example.com", "test @example.com", "test@ example.com",
                                   "test..test@example.com", "test.test...@example.com", "...test@example.com"])
def test_invalid_emails(emulator, email):
    assert errors(emulator, {"name": "mail-ds", "author_email": email, **ORG}) == {
        "author_email": [f"Email {email.strip()} is not a valid format"]}


def test_valid_email_is_stripped(emulator):
    response = create(emulator.url("ckan"), {"name": "mail-ok", "maintainer_email": "  a.b+c@example.com ", **ORG})
    assert response.json()["result"]["maintainer_email"] == "a.b+c@example.com"


def test_private_without_org_when_unowned_allowed(emulator):
    emulator.seed({"ckan": {"config": [{"ckan.auth.create_unowned_dataset": True}]}})
    assert errors(emulator, {"name": "p-ds", "private": True, "owner_org": ""}) == {
        "private": ["Datasets with no organization can't be private."]}


def test_org_missing_and_private_reported_together(emulator):
    assert errors(emulator, {"name": "p-ds", "private": "yes"}, ADMIN) == {
        "owner_org": ["An organization must be provided"],
        "private": ["Datasets with no organization can't be private."]}


def test_tag_messages_are_flattened_strings(emulator):
    body = {"name": "tags-ds", "tags": [{"name": "ok"}, {"name": "a"}, {"name": "bad/tag"}, {"name": "t" * 101},
                                        {}, {"vocabulary_id": "v", "name": "fine"}], **ORG}
    assert errors(emulator, body) == {"tags": [
        'Tag "a" length is less than minimum 2',
        'Tag "bad/tag" can only contain alphanumeric characters, spaces (" "), hyphens ("-"), underscores ("_") '
        'or dots (".")',
        f'Tag "{"t" * 101}" length is more than maximum 100',
        {"vocabulary_id": ["Tag vocabulary was not found."]}]}


def test_tag_string_reports_only_first_bad_tag(emulator):
    assert errors(emulator, {"name": "ts-ds", "tag_string": "good, x, y", **ORG}) == {
        "tag_string": ['Tag "x" length is less than minimum 2']}


def test_extras_messages(emulator):
    body = {"name": "ex-ds", "extras": [{"key": "name", "value": "1"}, {"value": "x"}, {"key": "z"}], **ORG}
    assert errors(emulator, body) == {"extras": [{"key": ["There is a schema field with the same name"]},
                                                 {"key": ["Missing value"]}, {"value": ["Missing value"]}]}


def test_non_sysadmin_may_not_set_ids(emulator):
    body = {"name": "id-ds", "id": "x", "extras": [{"key": "k", "value": "v", "id": "y"}], **ORG}
    response = create(emulator.url("ckan"), body, EDITOR)
    error = error_of(response)
    assert list(error) == ["id", "extras", "__type"]
    assert error["id"] == ["The input field id was not expected."]
    assert error["extras"] == [{"id": ["The input field id was not expected."]}]


def test_sysadmin_id_rules(emulator):
    chosen = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    assert errors(emulator, {"name": "id-ds", "id": "not-a-uuid", **ORG}, ADMIN) == {"id": ["Invalid id provided"]}
    created = create(emulator.url("ckan"), {"name": "id-ds", "id": chosen, **ORG}, ADMIN)
    assert created.json()["result"]["id"] == chosen
    assert errors(emulator, {"name": "id-ds2", "id": chosen, **ORG}, ADMIN) == {"id": ["Dataset id already exists"]}


def test_resource_messages_keep_placeholders(emulator):
    body = {"name": "res-ds", "resources": [{"url": "ok"}, {"created": "bad", "id": "nope", "size": "1.5"}], **ORG}
    assert errors(emulator, body) == {"resources": [
        {}, {"created": ["Date format incorrect"], "id": ["Invalid id provided"], "size": ["Invalid integer"]}]}


def test_resource_id_already_used_by_another_dataset(emulator):
    rid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    assert create(emulator.url("ckan"), {"name": "r1", "resources": [{"id": rid}], **ORG}).status_code == 200
    assert errors(emulator, {"name": "r2", "resources": [{"id": rid}], **ORG}) == {
        "resources": [{"id": ["Resource id already exists."]}]}


def test_relationship_type_and_junk(emulator):
    assert errors(emulator, {"name": "rel-ds", "relationships_as_object": [{"type": "bogus"}], **ORG}) == {
        "relationships_as_object": [{"type": [
            "Value must be one of ['depends_on', 'dependency_of', 'derives_from', 'has_derivation', 'links_to', "
            "'linked_from', 'child_of', 'parent_of']"]}]}
    assert errors(emulator, {"name": "junk-ds", "foo": [{"a": 1}], **ORG}) == {
        "__junk": ["The input field [('foo', 0, 'a')] was not expected."]}


def test_resources_formats_urls_and_extras(emulator):
    body = {"name": "fmt-ds", "resources": [
        {"url": "http://example.com/data.csv"}, {"url": "http://example.com/a.zip", "size": "12"},
        {"url": "http://example.com"}, {}, {"url": "x.unknownext", "format": "plain text"},
        {"format": "text/csv", "extras": {"dropped": 1}, "alt_url": "alt", "created": "2024-01-02T03:04:05.5"}],
        **ORG}
    result = create(emulator.url("ckan"), body).json()["result"]
    resources = result["resources"]
    assert result["num_resources"] == 5
    assert [r["format"] for r in resources] == ["CSV", "ZIP", "", "plain text", "CSV"]
    assert [r["position"] for r in resources] == [0, 1, 2, 3, 4]
    assert resources[1]["size"] == 12
    assert resources[3]["url"] == "http://x.unknownext"
    assert (resources[4]["url"], resources[4]["alt_url"], resources[4]["created"]) == \
        ("", "alt", "2024-01-02T03:04:05.500000")
    assert "extras" not in resources[4] and "dropped" not in resources[4]


def test_sysadmin_only_fields(emulator):
    base = {"state": "draft", "plugin_data": {"p": {"k": 1}}, "creator_user_id": "forged",
            "metadata_created": "2000-01-01T00:00:00", **ORG}
    by_editor = create(emulator.url("ckan"), {"name": "ed-ds", **base}, EDITOR).json()["result"]
    assert by_editor["state"] == "active" and "plugin_data" not in by_editor
    assert by_editor["creator_user_id"] != "forged" and not by_editor["metadata_created"].startswith("2000")
    by_admin = create(emulator.url("ckan"), {"name": "ad-ds", "type": "custom", **base}, ADMIN).json()["result"]
    assert (by_admin["state"], by_admin["type"], by_admin["plugin_data"]) == ("draft", "custom", {"p": {"k": 1}})
    assert list(by_admin).index("plugin_data") == list(by_admin).index("owner_org") + 1


def test_columns_of_a_dataset_dict_are_alphabetical_with_every_optional_key(emulator):
    body = {"name": "all-keys", "license_id": "cc-by", "plugin_data": {"p": {}}, "tags": [{"name": "t1"}], **ORG}
    result = create(emulator.url("ckan"), body, ADMIN).json()["result"]
    keys = list(result)
    columns = keys[:keys.index("tags")]
    assert {"license_url", "plugin_data", "isopen", "license_title"} <= set(columns)
    assert columns == sorted(columns)
    assert keys[len(columns):] == ["tags", "resources", "extras", "groups", "relationships_as_subject",
                                   "relationships_as_object"]


def test_sysadmin_unknown_group_is_dropped(emulator):
    result = create(emulator.url("ckan"), {"name": "grp-ds", "groups": [{"name": "no-such-group"}], **ORG}, ADMIN)
    assert result.status_code == 200 and result.json()["result"]["groups"] == []


def test_extras_null_value_not_stored_and_license_register(emulator):
    result = create(emulator.url("ckan"), {"name": "lic-ds", "license_id": "not-a-license",
                                           "extras": [{"key": "gone", "value": None}, {"key": "k", "value": "v"}],
                                           **ORG}).json()["result"]
    assert result["extras"] == [{"key": "k", "value": "v"}]
    assert (result["license_title"], result["isopen"], "license_url" in result) == ("not-a-license", False, False)


def test_extras_keys_that_are_lists_or_objects_crash_as_in_ckan(emulator):
    # Real CKAN 2.11.5 puts each key in a set (duplicate_extras_key): an unhashable key is its 500.
    for key in ({}, ["a"]):
        response = create(emulator.url("ckan"), {"name": "odd-keys", **ORG, "extras": [{"key": key, "value": "v"}]},
                          EDITOR)
        assert (response.status_code, response.json()["error"]) == (
            500, {"__type": "Internal Server Error", "message": "Internal Server Error"})


def test_a_validators_note_comes_before_its_own_message(emulator):
    emulator.seed({"ckan": {"packages": [{"name": "t", "owner_org": None}]}})
    assert errors(emulator, {"name": "t", **ORG}) == {"name": [
        "Must be at least 2 characters long", "That URL is already in use.",
        'Name "t" length is less than minimum 2']}
