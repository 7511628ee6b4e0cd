"""What a ckanapi user reads to find its ids: status, organizations, groups, tags."""

from __future__ import annotations

import ckanapi
import pytest
from ckan_support import ADMIN, EDITOR, JOE, TEST_ORG_ID, action, error_of
from ckanapi.errors import NotFound, ValidationError


def ckan(emulator, token: str | None = EDITOR) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=token)


def test_status_show_names_the_version_and_site(emulator):
    status = ckan(emulator, None).action.status_show()
    assert status["ckan_version"] == "2.11.5"
    assert status["site_url"] == emulator.url("ckan")
    assert list(status) == ["site_title", "site_description", "site_url", "error_emails_to", "locale_default",
                            "extensions", "ckan_version"]


def test_organization_list_for_user_picks_the_owner_org(emulator):
    orgs = ckan(emulator).action.organization_list_for_user()
    assert [(o["name"], o["id"], o["capacity"]) for o in orgs] == [("test-org", TEST_ORG_ID, "editor")]
    assert ckan(emulator, JOE).action.organization_list_for_user() == []
    assert ckan(emulator, None).action.organization_list_for_user() == []
    assert [o["capacity"] for o in ckan(emulator, ADMIN).action.organization_list_for_user()] == ["admin"]
    assert ckan(emulator).action.organization_list_for_user(permission="admin") == []
    with pytest.raises(NotFound):
        ckan(emulator, ADMIN).action.organization_list_for_user(id="nobody")


def test_lists_with_counts_sorting_and_paging(emulator):
    orgs = [{"name": "a-org", "title": "Zeta"}, {"name": "b-org", "title": "Alpha"}]
    emulator.seed({"ckan": {"organizations": orgs}})
    client = ckan(emulator, ADMIN)
    client.action.package_create(name="public-one", owner_org="b-org")
    client.action.package_create(name="private-one", owner_org="b-org", private=True)
    assert client.action.organization_list() == ["b-org", "test-org", "a-org"]  # by title
    assert client.action.organization_list(sort="name desc", limit=2) == ["test-org", "b-org"]
    rows = client.action.organization_list(all_fields=True, q="org", sort="package_count")
    # Each listed organization is an organization_show by the caller: a sysadmin's count has the private one.
    assert [(r["name"], r["package_count"]) for r in rows][0] == ("b-org", 2)
    assert [r["package_count"] for r in ckan(emulator, None).action.organization_list(all_fields=True, q="b-org")] \
        == [1]
    assert client.action.group_list() == ["test-group"]
    with pytest.raises(ValidationError) as raised:
        client.action.organization_list(limit="x")
    assert raised.value.error_dict == {"limit": ["Invalid integer"], "__type": "Validation Error"}


def test_tag_list_lists_tags_in_use(emulator):
    ckan(emulator).action.package_create(name="tagged", owner_org="test-org", tags=[{"name": "rain"},
                                                                                    {"name": "snow"}])
    assert ckan(emulator, None).action.tag_list() == ["rain", "snow"]
    assert ckan(emulator, None).action.tag_list(query="ai") == ["rain"]
    assert [list(t) for t in ckan(emulator, None).action.tag_list(all_fields=True)][0] == \
        ["id", "name", "vocabulary_id", "display_name"]


def test_list_errors_in_ckans_envelope(emulator):
    response = action(emulator.url("ckan"), "organization_list", {"offset": -1})
    assert (response.status_code, error_of(response)) == (
        409, {"offset": ["Must be a natural number"], "__type": "Validation Error"})
