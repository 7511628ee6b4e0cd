"""Auth order on create: 401 invalid_token -> 403 insufficient_scope -> 404 owner -> 403 forbidden."""

from __future__ import annotations

import pytest
import redivis
import requests
from redivis.common.exceptions import APIError, AuthorizationError, NotFoundError
from redivis_world import READ_TOKEN, bearer

OUTSIDER = {"name": "outsider", "token": "outsider-edit-token", "scopes": ["public", "data.edit"]}


def test_unknown_token_is_401_invalid_token(api, as_token):
    as_token("no-such-token")
    with pytest.raises(APIError) as caught:
        redivis.user("demo_user").dataset("X").create()
    assert type(caught.value) is APIError
    assert caught.value.status_code == 401
    assert str(caught.value) == "[401 invalid_token] Must provide a valid Authorization token"


@pytest.mark.parametrize("header", [None, "Bearer", "Basic cmVkaXZpcw==", "Bearer wrong"])
def test_missing_or_malformed_authorization_is_401_over_raw_http(api, header):
    headers = {"Authorization": header} if header is not None else {}
    response = requests.post(f"{api}/users/demo_user/datasets", headers=headers,
                             json={"name": "X", "publicAccessLevel": "none"})
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_token",
                               "error_description": "Must provide a valid Authorization token", "status": 401}


def test_token_without_data_edit_is_403_insufficient_scope(api, as_token):
    as_token(READ_TOKEN)
    with pytest.raises(AuthorizationError) as caught:
        redivis.user("reader").dataset("Mine").create()
    assert caught.value.message == "insufficient_scope"
    assert str(caught.value) == ("[403 insufficient_scope] Your access token must have the following scope: "
                                 "data.edit")


def test_insufficient_scope_body_names_the_scope(api):
    response = requests.post(f"{api}/users/reader/datasets", headers=bearer(READ_TOKEN),
                             json={"name": "X", "publicAccessLevel": "none"})
    assert response.status_code == 403
    assert response.json() == {"error": "insufficient_scope",
                               "error_description": "Your access token must have the following scope: data.edit",
                               "scope": "data.edit", "status": 403}


def test_scope_is_checked_before_the_owner_exists(api, as_token):
    as_token(READ_TOKEN)
    with pytest.raises(AuthorizationError, match="insufficient_scope"):
        redivis.user("ghost").dataset("X").create()


def test_unknown_user_is_404(api):
    with pytest.raises(NotFoundError) as caught:
        redivis.user("ghost").dataset("X").create()
    assert str(caught.value) == 'User "ghost" not found'
    assert (caught.value.status_code, caught.value.message) == (404, "not_found")


def test_unknown_organization_is_404(api):
    with pytest.raises(NotFoundError) as caught:
        redivis.organization("ghost_org").dataset("X").create()
    assert str(caught.value) == 'Organization "ghost_org" not found'


def test_ambiguous_unknown_owner_falls_back_to_user_and_404s(api):
    with pytest.raises(NotFoundError) as caught:
        redivis.dataset("ghost.X").create()
    assert str(caught.value) == 'User "ghost" not found'


def test_another_users_namespace_is_403_forbidden(api, emulator, as_token):
    emulator.seed({"redivis": {"users": [OUTSIDER]}})
    as_token(OUTSIDER["token"])
    with pytest.raises(AuthorizationError) as caught:
        redivis.user("demo_user").dataset("X").create()
    assert str(caught.value) == "[403 forbidden] Not authorized"
    assert emulator.state("redivis", "datasets") == []


def test_non_admin_of_organization_is_403_forbidden(api, emulator, as_token):
    emulator.seed({"redivis": {"users": [OUTSIDER]}})
    as_token(OUTSIDER["token"])
    with pytest.raises(AuthorizationError) as caught:
        redivis.organization("demo_org").dataset("X").create()
    assert str(caught.value) == "[403 forbidden] Not authorized"


def test_seeded_admin_may_create_for_the_organization(api, emulator, as_token):
    emulator.seed({"redivis": {"users": [OUTSIDER],
                               "organizations": [{"name": "lab", "fullName": "The Lab", "admins": ["OUTSIDER"]}]}})
    as_token(OUTSIDER["token"])
    props = redivis.organization("lab").dataset("Results").create().properties
    assert props["owner"] == {"kind": "organization", "name": "lab", "fullName": "The Lab", "ror": None}


def test_auth_precedes_body_validation(api, as_token):
    as_token("bad-token")
    response = requests.post(f"{api}/users/demo_user/datasets", data=b"{not json", headers=bearer("bad-token"))
    assert response.status_code == 401


def test_current_user(api, as_token):
    me = redivis.current_user()
    assert me.name == "demo_user"
    assert me.properties["kind"] == "user"
    assert me.properties["fullName"] == "Demo User"
    as_token(READ_TOKEN)
    assert redivis.current_user().name == "reader"


def test_current_user_without_token_is_401_over_raw_http(api):
    response = requests.get(f"{api}/users/me")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_seed_rejects_bad_records(emulator):
    from emulator.pytest_plugin import EmulatorError

    with pytest.raises(EmulatorError, match="needs a token"):
        emulator.seed({"redivis": {"users": [{"name": "x"}]}})
    with pytest.raises(EmulatorError, match="neither a seeded user nor an organization"):
        emulator.seed({"redivis": {"datasets": [{"name": "D", "ownerName": "nobody"}]}})
    emulator.seed({"redivis": {"datasets": [{"name": "Twin", "ownerName": "demo_user"}]}})
    with pytest.raises(EmulatorError, match="already has a dataset named like"):
        emulator.seed({"redivis": {"datasets": [{"name": "twin!", "ownerName": "demo_user"}]}})
    with pytest.raises(EmulatorError, match="letters, digits and underscores"):
        emulator.seed({"redivis": {"organizations": [{"name": "bad name"}]}})
