"""What a real CKAN 2.11.5 answered where the emulator used to differ (each also a conformance scenario).

The expectations below were read off a real CKAN 2.11.5 (`make conformance`); these tests keep them in the
normal suite.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan_support import ADMIN, EDITOR, action, create, error_of

ORG = {"owner_org": "test-org"}
CRASH = {"__type": "Internal Server Error", "message": "Internal Server Error"}


def result_of(response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return response.json()["result"]


@pytest.mark.parametrize("key", ["tags", "extras", "resources", "relationships_as_subject"])
@pytest.mark.parametrize("value, kind", [(None, "NoneType"), ("", "str"), ({}, "dict"), (0, "int")])
def test_a_list_field_that_is_not_a_list_is_an_integrity_error(emulator, key, value, kind):
    response = create(emulator.url("ckan"), {"name": "x-null", **ORG, key: value}, EDITOR)
    assert response.status_code == 400
    assert error_of(response) == {
        "__type": "Integrity Error",
        "message": f"Only lists of dicts can be placed against subschema ('{key}',), not <class '{kind}'>",
        "data": {"name": "x-null", **ORG, key: value, "type": "dataset"}}


@pytest.mark.parametrize("url, fmt", [
    ("http://example.com/feed.xml", "XML"), ("http://example.com/a.xsl", "XSLT"),
    ("http://example.com/a.mp3", "MP3"), ("http://example.com/a.unknownext", ""), ("http://example.com", ""),
])
def test_format_is_guessed_through_the_mimetype_and_named_as_ckan_does(emulator, url, fmt):
    result = result_of(create(emulator.url("ckan"), {"name": "fmt", **ORG, "resources": [{"url": url}]}, EDITOR))
    assert result["resources"][0]["format"] == fmt


def test_a_format_description_is_a_known_spelling(emulator):
    resources = [{"url": "http://example.com/a", "format": "Comma Separated Values File"}]
    result = result_of(create(emulator.url("ckan"), {"name": "fmt", **ORG, "resources": resources}, EDITOR))
    assert result["resources"][0]["format"] == "CSV"


def test_patch_keeps_stored_format_and_size_and_guesses_the_mimetype(emulator):
    base = emulator.url("ckan")
    resources = [{"url": "http://example.com/a.csv", "size": 10, "description": "d", "somekey": "v"}]
    resource_id = result_of(create(base, {"name": "keep", **ORG, "resources": resources}, EDITOR))["resources"][0]["id"]
    patched = result_of(action(base, "package_patch", {"id": "keep", "resources": [
        {"id": resource_id, "url": "http://example.com/b.json"}, {"url": "http://example.com/new.pdf"}]}, EDITOR))
    kept, new = patched["resources"]
    assert (kept["format"], kept["size"], kept["mimetype"], kept["description"], "somekey" in kept) == (
        "CSV", 10, "application/json", None, False)
    assert (new["format"], new["mimetype"]) == ("PDF", "application/pdf")


def test_an_editor_cannot_take_a_dataset_out_of_a_group_they_cannot_read(emulator):
    base = emulator.url("ckan")
    result_of(create(base, {"name": "grouped", **ORG, "groups": [{"name": "test-group"}]}, ADMIN))
    assert [g["name"] for g in result_of(action(base, "package_patch", {"id": "grouped", "groups": []},
                                                EDITOR))["groups"]] == ["test-group"]
    assert result_of(action(base, "package_patch", {"id": "grouped", "groups": []}, ADMIN))["groups"] == []


def test_type_is_kept_on_patch_even_for_a_sysadmin(emulator):
    base = emulator.url("ckan")
    result_of(create(base, {"name": "typed", **ORG, "type": "custom"}, ADMIN))
    assert result_of(action(base, "package_patch", {"id": "typed", "type": "dataset"}, ADMIN))["type"] == "custom"


def test_owner_org_naming_a_group_is_not_found_and_nothing_is_created(emulator):
    base = emulator.url("ckan")
    response = create(base, {"name": "in-a-group", "owner_org": "test-group"}, ADMIN)
    assert (response.status_code, error_of(response)) == (
        404, {"__type": "Not Found Error", "message": "Not found: Organization was not found."})
    assert action(base, "package_show", {"id": "in-a-group"}, ADMIN).status_code == 404


def test_deleted_extras_and_empty_plugin_data_are_left_out(emulator):
    body = {"name": "extras", **ORG, "plugin_data": {},
            "extras": [{"key": "gone", "value": "x", "deleted": "on"}, {"key": "kept", "value": "y"}]}
    result = result_of(create(emulator.url("ckan"), body, ADMIN))
    assert (result["extras"], "plugin_data" in result) == ([{"key": "kept", "value": "y"}], False)


@pytest.mark.parametrize("value, stored", [
    (["a", "b c"], '{a,"b c"}'), ([1, 2], "{1,2}"), ([], "{}"), ([True], "{t}"), ([["a"], ["b"]], "{{a},{b}}"),
    ([None], "{NULL}"), (["NULL", 'q"x'], '{"NULL","q\\"x"}'),
])
def test_an_extras_value_that_is_a_list_is_stored_as_postgresql_prints_an_array(emulator, value, stored):
    body = {"name": "arrays", **ORG, "extras": [{"key": "k", "value": value}]}
    assert result_of(create(emulator.url("ckan"), body, EDITOR))["extras"] == [{"key": "k", "value": stored}]


@pytest.mark.parametrize("action_name, body", [
    ("package_create", {"name": "crash", **ORG, "notes": "a\u0000b"}),
    ("package_create", {"name": "crash\u0000", **ORG}),
    ("package_create", {"name": "crash", **ORG, "extras": [{"key": "k", "value": {"a": 1}}]}),
    ("package_create", {"name": "crash", **ORG, "extras": [{"key": "k", "value": ["a", 1]}]}),
    ("package_create", {"name": "crash", **ORG, "__junk": "x"}),
    ("package_create", {"name": "crash", **ORG, "groups": None}),
    ("package_create", {"name": "crash", **ORG, "resources": [{"url": 42}]}),
    ("package_show", {"id": ["a", "b"]}),
    ("package_show", {"id": 5}),
    ("package_delete", {"id": ["a"]}),
])
def test_ckans_own_crashes_are_reproduced(emulator, action_name, body):
    response = action(emulator.url("ckan"), action_name, body, EDITOR)
    assert (response.status_code, error_of(response)) == (500, CRASH)
    assert action(emulator.url("ckan"), "package_show", {"id": "crash"}, ADMIN).status_code == 404


def test_a_nul_beside_a_validation_error_is_the_validation_error(emulator):
    response = create(emulator.url("ckan"), {"name": "crash", **ORG, "notes": "a\u0000b", "author_email": "bad"},
                      EDITOR)
    assert (response.status_code, error_of(response)["author_email"]) == (409, ["Email bad is not a valid format"])


def test_show_by_name_or_id_needs_id_for_the_auth_check_unless_sysadmin(emulator):
    base = emulator.url("ckan")
    result_of(create(base, {"name": "shown", **ORG}, EDITOR))
    response = action(base, "package_show", {"name_or_id": "shown"}, EDITOR)
    assert (response.status_code, error_of(response)) == (
        409, {"message": "Missing id, can not get Package object", "__type": "Validation Error"})
    assert result_of(action(base, "package_show", {"name_or_id": "shown"}, ADMIN))["name"] == "shown"


def test_deleting_by_name_keeps_group_memberships_deleting_by_id_drops_them(emulator):
    base = emulator.url("ckan")
    by_name = result_of(create(base, {"name": "del-name", **ORG, "groups": [{"name": "test-group"}]}, ADMIN))
    by_id = result_of(create(base, {"name": "del-id", **ORG, "groups": [{"name": "test-group"}]}, ADMIN))
    result_of(action(base, "package_delete", {"id": "del-name"}, ADMIN))
    result_of(action(base, "package_delete", {"id": by_id["id"]}, ADMIN))
    assert len(result_of(action(base, "package_show", {"id": by_name["id"]}, ADMIN))["groups"]) == 1
    assert result_of(action(base, "package_show", {"id": by_id["id"]}, ADMIN))["groups"] == []


def test_the_integrity_error_of_a_patch_echoes_the_patch_body(emulator):
    base = emulator.url("ckan")
    result_of(create(base, {"name": "echo", **ORG}, EDITOR))
    response = action(base, "package_patch", {"id": "echo", "tags": None}, EDITOR)
    assert response.status_code == 400
    assert error_of(response)["data"] == {"id": "echo", "tags": None}


@pytest.mark.parametrize("value, shown", [("t", True), (" Y ", True), ("on", True), ("off", False), (1, True),
                                          ([], False), ({"a": 1}, True)])
def test_include_plugin_data_is_read_as_ckans_asbool(emulator, value, shown):
    base = emulator.url("ckan")
    result_of(create(base, {"name": "plugged", **ORG, "plugin_data": {"p": {"a": 1}}}, ADMIN))
    result = result_of(action(base, "package_show", {"id": "plugged", "include_plugin_data": value}, ADMIN))
    assert ("plugin_data" in result) is shown


@pytest.mark.parametrize("body", [{"id": "anything", "include_plugin_data": "maybe"},
                                  {"id": "anything", "include_plugin_data": ""}])
def test_a_string_asbool_does_not_know_is_ckans_500_even_before_the_lookup(emulator, body):
    response = action(emulator.url("ckan"), "package_show", body, EDITOR)
    assert (response.status_code, error_of(response)) == (500, CRASH)


@pytest.mark.parametrize("body", [{"limit": ""}, {"offset": "  "}])
def test_a_blank_limit_or_offset_is_ckans_500(emulator, body):
    response = action(emulator.url("ckan"), "package_list", body)
    assert (response.status_code, error_of(response)) == (500, CRASH)
