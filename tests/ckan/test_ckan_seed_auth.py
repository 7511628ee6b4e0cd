"""Seeded users, organizations, groups, packages and the ckan.auth settings, driven through ckanapi."""

from __future__ import annotations

import re

import ckanapi
import pytest
from ckan_support import ADMIN
from ckanapi.errors import NotAuthorized

from emulator.pytest_plugin import EmulatorError

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def seed_team(emulator):
    emulator.seed({"ckan": {
        "users": [{"name": "ann", "apikey": "ann-token"}, {"name": "mem", "apikey": "mem-token"}],
        "organizations": [{"name": "team", "title": "Team", "users": [{"name": "ann", "capacity": "admin"},
                                                                        {"name": "mem", "capacity": "member"}]}],
        "groups": [{"name": "team-group", "users": [{"name": "ann", "capacity": "member"}]}],
    }})


def test_prepare_seed_fills_ids_and_created(emulator):
    seed_team(emulator)
    users = {u["name"]: u for u in emulator.state("ckan", "users")}
    assert UUID.match(users["ann"]["id"]) and users["ann"]["sysadmin"] is False
    org = next(o for o in emulator.state("ckan", "organizations") if o["name"] == "team")
    assert UUID.match(org["id"]) and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", org["created"])


def test_seeded_org_admin_creates_and_member_cannot(emulator):
    seed_team(emulator)
    ann = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ann-token")
    result = ann.action.package_create(name="team-ds", owner_org="team", groups=[{"name": "team-group"}])
    assert result["organization"]["title"] == "Team" and result["groups"][0]["name"] == "team-group"
    assert result["groups"][0]["display_name"] == "team-group"
    with pytest.raises(NotAuthorized) as info:
        ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="mem-token").action.package_create(name="m", owner_org="team")
    assert info.value.extra_msg["message"] == "Access denied: User mem not authorized to create packages"


def test_bad_seed_is_refused(emulator):
    with pytest.raises(EmulatorError, match="capacity"):
        emulator.seed({"ckan": {"organizations": [{"name": "o", "users": [{"name": "x", "capacity": "owner"}]}]}})
    with pytest.raises(EmulatorError, match="name"):
        emulator.seed({"ckan": {"users": [{"apikey": "t"}]}})


def test_seeded_package_is_served_in_wire_shape(emulator):
    emulator.seed({"ckan": {"packages": [{"name": "seeded", "owner_org": "80f5e259-b11f-4b54-880b-35745e6d6a96",
                                          "tags": [{"name": "alpha"}], "extras": [{"key": "k", "value": "v"}]}]}})
    client = ckanapi.RemoteCKAN(emulator.url("ckan"))
    shown = client.action.package_show(id="seeded")
    assert shown["organization"]["name"] == "test-org"
    assert shown["extras"] == [{"key": "k", "value": "v"}]
    assert shown["tags"][0]["name"] == "alpha" and UUID.match(shown["tags"][0]["id"])
    assert client.action.package_list() == ["seeded"]


def test_anonymous_may_create_when_all_three_settings_allow(emulator):
    settings = {"ckan.auth.anon_create_dataset": True, "ckan.auth.create_unowned_dataset": True,
                "ckan.auth.create_dataset_if_not_in_organization": True}
    emulator.seed({"ckan": {"config": [settings]}})
    anonymous = ckanapi.RemoteCKAN(emulator.url("ckan"))
    result = anonymous.action.package_create(name="anon-ds")
    assert (result["creator_user_id"], result["owner_org"]) == (None, None)
    with pytest.raises(NotAuthorized) as info:
        anonymous.action.package_create(name="anon-grp", groups=[{"name": "test-group"}])
    assert info.value.extra_msg["message"] == "Access denied: User  not authorized to edit these groups"


def test_if_not_in_organization_false_denies_users_without_org(emulator):
    emulator.seed({"ckan": {"config": [{"ckan.auth.create_unowned_dataset": True,
                                        "ckan.auth.create_dataset_if_not_in_organization": False}]}})
    with pytest.raises(NotAuthorized):
        ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ckan-joe-token").action.package_create(name="j")
    editor = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ckan-editor-token")
    assert editor.action.package_create(name="e-unowned")["owner_org"] is None


def test_private_dataset_visibility(emulator):
    admin = ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=ADMIN)
    created = admin.action.package_create(name="secret", owner_org="test-org", private=True)
    assert ckanapi.RemoteCKAN(emulator.url("ckan"), apikey="ckan-editor-token").action.package_show(
        id="secret")["id"] == created["id"]
    with pytest.raises(NotAuthorized) as info:
        ckanapi.RemoteCKAN(emulator.url("ckan")).action.package_show(id="secret")
    assert info.value.extra_msg["message"] == f"Access denied: User  not authorized to read package {created['id']}"
