"""exists / get / update / delete through the real client, and visibility for other callers."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest
import redivis
import requests
from redivis.common.exceptions import APIError, AuthorizationError, NotFoundError
from redivis_world import READ_TOKEN, bearer

PUBLIC_RELEASED = {"id": "7a2b-c3d4e5f6g", "name": "Open Data", "ownerName": "demo_org",
                   "publicAccessLevel": "data", "released": True, "description": "Public and released"}
PRIVATE_RELEASED = {"id": "8h9j-k0m1n2p3q", "name": "Closed Data", "ownerName": "demo_user",
                    "publicAccessLevel": "none", "released": True}


def test_exists_get_delete_round_trip(api, emulator):
    created = redivis.user("demo_user").dataset("Round Trip").create()
    handle = redivis.user("demo_user").dataset("Round Trip")
    assert handle.exists() is True
    assert handle.get().properties == created.properties
    assert handle.qualified_reference == created.properties["qualifiedReference"]
    assert handle.delete() is None
    assert handle.exists() is False
    assert created.exists() is False
    assert emulator.state("redivis", "datasets") == []
    with pytest.raises(NotFoundError) as caught:
        redivis.user("demo_user").dataset("Round Trip").get()
    assert str(caught.value) == 'Dataset "demo_user.Round Trip" not found'
    with pytest.raises(NotFoundError) as caught:
        handle.get()  # get() moved the handle onto the qualified reference
    assert str(caught.value) == f'Dataset "{created.properties["qualifiedReference"]}" not found'


def test_unknown_dataset(api):
    handle = redivis.dataset("demo_user.Nothing Here")
    assert handle.exists() is False
    with pytest.raises(NotFoundError):
        handle.delete()
    with pytest.raises(NotFoundError, match='Dataset "demo_org.nothing_here" not found'):
        redivis.organization("demo_org").dataset("nothing_here").get()


def test_delete_answers_text_ok(api):
    created = redivis.user("demo_user").dataset("Delete Me").create().properties
    response = requests.delete(api + created["uri"], headers=bearer())
    assert response.status_code == 200
    assert response.text == "OK"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_head_error_is_in_the_payload_header(api):
    response = requests.head(f"{api}/datasets/demo_user.missing", headers=bearer())
    assert response.status_code == 404
    assert response.content == b""
    assert json.loads(unquote(response.headers["X-Redivis-Error-Payload"])) == {
        "error": "not_found", "error_description": 'Dataset "demo_user.missing" not found', "status": 404}
    assert "%22" in response.headers["X-Redivis-Error-Payload"]  # percent-encoded, not raw JSON


def test_head_with_bad_token_carries_401_payload(api):
    response = requests.head(f"{api}/datasets/demo_user.missing", headers=bearer("bad"))
    assert response.status_code == 401
    assert json.loads(unquote(response.headers["X-Redivis-Error-Payload"]))["error"] == "invalid_token"


def test_update_through_the_client(api, emulator):
    dataset = redivis.user("demo_user").dataset("Before").create()
    old_uri = dataset.uri
    dataset.update(name="After Rename", public_access_level="metadata", description="new text",
                   methodology_markdown="# Method", labels=["a", "b"], labels_to_add=["c"], labels_to_remove=["a"],
                   tags=["india"], tags_to_add=[{"name": "census"}])
    props = dataset.properties
    assert props["name"] == "After Rename"
    assert props["qualifiedReference"] == f"demo_user.after_rename:{props['referenceId']}:next"
    assert dataset.uri == props["uri"] != old_uri
    assert (props["publicAccessLevel"], props["description"], props["methodologyMarkdown"]) == (
        "metadata", "new text", "# Method")
    assert props["labels"] == ["b", "c"]
    assert props["tags"] == [{"name": "india"}, {"name": "census"}]
    assert props["updatedAt"] >= props["createdAt"]
    assert redivis.user("demo_user").dataset("Before").exists() is False
    # The referenceId is persistent: a reference through it survives the rename.
    assert redivis.dataset(f"demo_user.before:{props['referenceId']}").exists() is True
    dataset.update(description="")
    assert dataset.properties["description"] == ""


def test_update_validation_and_duplicates(api):
    redivis.user("demo_user").dataset("Taken").create()
    dataset = redivis.user("demo_user").dataset("Other").create()
    with pytest.raises(APIError) as caught:
        dataset.update(name="TAKEN")
    assert str(caught.value) == '[400 invalid_request] A dataset with the name "TAKEN" already exists'
    with pytest.raises(APIError) as caught:
        dataset.update(public_access_level="everyone")
    assert str(caught.value) == ("[400 invalid_request] publicAccessLevel must be one of: none, overview, metadata, "
                                 "sample, data")
    with pytest.raises(APIError) as caught:
        dataset.update(labels="not-a-list")
    assert str(caught.value) == "[400 invalid_request] labels must be a list of strings"
    dataset.update(name="other")  # renaming onto its own escaped name is no conflict
    assert dataset.properties["name"] == "other"


def test_update_accepts_post_like_the_docs(api):
    created = redivis.user("demo_user").dataset("Posted").create().properties
    response = requests.post(api + created["uri"], headers=bearer(), json={"description": "via POST"})
    assert response.status_code == 200
    assert response.json()["description"] == "via POST"


def test_other_callers_see_public_released_datasets_only(api, emulator, as_token):
    emulator.seed({"redivis": {"datasets": [PUBLIC_RELEASED, PRIVATE_RELEASED]}})
    as_token(READ_TOKEN)
    public = redivis.dataset("demo_org.Open Data").get().properties
    assert public["qualifiedReference"] == "demo_org.open_data:7a2b:v1_0"
    assert public["url"] == "https://redivis.com/datasets/7a2b-c3d4e5f6g?v=1.0"
    assert public["accessLevel"] == "data"
    assert "labels" not in public and "nextVersion" not in public
    assert public["version"]["tag"] == "v1.0" and public["currentVersion"] == public["version"]
    assert redivis.dataset("demo_user.Closed Data").exists() is False
    with pytest.raises(AuthorizationError) as caught:
        redivis.dataset("demo_org.Open Data").update(description="mine now")
    assert str(caught.value) == "[403 insufficient_scope] Your access token must have the following scope: data.edit"


def test_editor_rights_are_checked_after_visibility(api, emulator, as_token):
    emulator.seed({"redivis": {"users": [{"name": "outsider", "token": "o-token", "scopes": ["public", "data.edit"]}],
                               "datasets": [PUBLIC_RELEASED, PRIVATE_RELEASED]}})
    as_token("o-token")
    with pytest.raises(AuthorizationError) as caught:
        redivis.dataset("demo_org.Open Data").delete()
    assert str(caught.value) == "[403 forbidden] Not authorized"
    with pytest.raises(NotFoundError):
        redivis.dataset("demo_user.Closed Data").delete()
    assert len(emulator.state("redivis", "datasets")) == 2


def test_anonymous_reads_public_content_only(api, emulator):
    emulator.seed({"redivis": {"datasets": [PUBLIC_RELEASED, PRIVATE_RELEASED]}})
    assert requests.get(f"{api}/datasets/demo_org.open_data").status_code == 200
    hidden = requests.get(f"{api}/datasets/demo_user.closed_data")
    assert hidden.status_code == 404
    assert hidden.json()["error"] == "not_found"


def test_unreleased_next_version_is_hidden_from_non_editors(api, emulator, as_token):
    redivis.organization("demo_org").dataset("Draft").create(public_access_level="data")
    as_token(READ_TOKEN)
    assert redivis.dataset("demo_org.Draft").exists() is False
    assert redivis.dataset("demo_org.Draft:next").exists() is False


def test_version_tags_in_references(api, emulator):
    emulator.seed({"redivis": {"datasets": [PRIVATE_RELEASED]}})
    owner = redivis.user("demo_user")
    for reference in ("closed_data:v1_0", "Closed Data:v1.0", "closed_data:current", "x:8h9j:sample:v1_0"):
        assert owner.dataset(reference).exists() is True, reference
    for reference in ("closed_data:v2_0", "closed_data:next", "closed_data:9999"):
        assert owner.dataset(reference).exists() is False, reference
    assert requests.head(f"{api}/datasets/demo_user.closed_data:zz:yy", headers=bearer()).status_code == 404


def test_unknown_routes_and_methods_answer_in_the_envelope(api):
    response = requests.get(f"{api}/nothing/here", headers=bearer())
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "error_description": "Route GET /api/v1/nothing/here not found",
                               "status": 404}
    response = requests.put(f"{api}/datasets/demo_user.x", headers=bearer())
    assert response.status_code == 405
    assert response.json() == {"error": "method_not_allowed",
                               "error_description": "Method PUT is not allowed for /api/v1/datasets/demo_user.x",
                               "status": 405}
    response = requests.delete(f"{api}/users/demo_user/datasets", headers=bearer())
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    response = requests.get(f"{api}/datasets/demo_user.x/variables", headers=bearer())
    assert response.status_code == 404
    assert response.json()["error_description"] == "Route GET /api/v1/datasets/demo_user.x/variables not found"
    assert requests.get(f"{api}/users/me", headers=bearer()).status_code == 200  # still serving
