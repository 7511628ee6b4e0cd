"""Creating datasets with the real client: users, organizations, the ambiguous-owner probe, and references."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import redivis
import requests
from redivis.common.exceptions import APIError
from redivis_world import EDIT_TOKEN

ID_RE = re.compile(r"^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{9}$")
GET_KEYS = [
    "kind", "id", "qualifiedReference", "scopedReference", "referenceId", "name", "url", "uri", "doi", "owner",
    "createdAt", "updatedAt", "accessLevel", "publicAccessLevel", "description", "tableCount", "numBytes",
    "totalNumBytes", "totalActiveTabularBytes", "totalInactiveTabularBytes", "totalRawFileBytes",
    "temporalPrecision", "temporalRange", "geoBBox", "sampleConfiguration", "labels", "methodologyMarkdown",
    "usageMarkdown", "links", "customDocumentationSections", "tags", "version", "currentVersion", "nextVersion",
]


def test_user_create_returns_the_get_representation(api, emulator):
    dataset = redivis.user("demo_user").dataset("My Dataset").create(description="A first dataset")
    props = dataset.properties
    assert list(props) == GET_KEYS
    assert ID_RE.match(props["id"])
    ref_id = props["id"][:4]
    assert props["referenceId"] == ref_id
    assert props["qualifiedReference"] == f"demo_user.my_dataset:{ref_id}:next"
    assert props["scopedReference"] == f"my_dataset:{ref_id}:next"
    assert props["uri"] == f"/datasets/demo_user.my_dataset:{ref_id}:next"
    assert props["url"] == f"https://redivis.com/datasets/{props['id']}?v=next"
    assert props["owner"] == {"kind": "user", "name": "demo_user", "fullName": "Demo User",
                              "contactEmail": "demo@example.com", "orcid": None}
    assert isinstance(props["createdAt"], int) and props["createdAt"] == props["updatedAt"]
    assert props["createdAt"] > 1_600_000_000_000
    assert (props["accessLevel"], props["publicAccessLevel"]) == ("edit", "none")
    assert props["description"] == "A first dataset"
    assert props["currentVersion"] is None
    assert props["version"] == props["nextVersion"] == {
        "kind": "version", "tag": "next", "index": 0, "label": None,
        "url": f"https://redivis.com/datasets/{props['id']}?v=next",
        "datasetUri": f"/datasets/demo_user.my_dataset:{ref_id}:next",
        "uri": f"/datasets/demo_user.my_dataset:{ref_id}/versions/next", "isReleased": False, "isDeleted": False}
    assert dataset.uri == props["uri"]
    [stored] = emulator.state("redivis", "datasets")
    assert (stored["id"], stored["ownerKind"], stored["ownerName"], stored["name"]) == (
        props["id"], "user", "demo_user", "My Dataset")


def test_create_answers_200_json_with_charset(api):
    response = requests.post(f"{api}/users/demo_user/datasets", headers={"Authorization": f"Bearer {EDIT_TOKEN}"},
                             json={"name": "Raw", "publicAccessLevel": "data", "description": None, "extra": 1})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["publicAccessLevel"] == "data"


def test_create_without_a_description_key_answers_like_a_null_one(api, emulator):
    headers = {"Authorization": f"Bearer {EDIT_TOKEN}"}
    answers = [requests.post(f"{api}/users/demo_user/datasets", headers=headers, json=body).json()
               for body in ({"name": "Bare", "publicAccessLevel": "none"},
                            {"name": "Nulled", "publicAccessLevel": "none", "description": None})]
    assert [list(answer) for answer in answers] == [GET_KEYS, GET_KEYS]
    assert [answer["description"] for answer in answers] == [None, None]
    bare, nulled = emulator.state("redivis", "datasets")
    assert (bare["description"], list(bare)) == (nulled["description"], list(nulled)) == (None, list(nulled))


def test_organization_create_by_an_admin(api):
    props = redivis.organization("demo_org").dataset("Survey 2024", ).create(public_access_level="sample").properties
    assert props["owner"] == {"kind": "organization", "name": "demo_org", "fullName": "Demo Organization",
                              "ror": None}
    assert props["qualifiedReference"] == f"demo_org.survey_2024:{props['referenceId']}:next"
    assert props["publicAccessLevel"] == "sample"


def test_owner_name_is_case_insensitive_and_lower_cased_in_references(api):
    props = redivis.user("DEMO_USER").dataset("Census").create().properties
    assert props["owner"]["name"] == "demo_user"
    assert props["qualifiedReference"].startswith("demo_user.census:")


@pytest.mark.parametrize(("owner", "kind"), [("demo_user", "user"), ("demo_org", "organization")])
def test_ambiguous_owner_is_probed_through_the_organization_list(api, owner, kind):
    dataset = redivis.dataset(f"{owner}.Probe Me")
    dataset.create()
    assert dataset.properties["owner"]["kind"] == kind
    assert (dataset.user is None) == (kind == "organization")
    assert (dataset.organization is None) == (kind == "user")


def test_reference_from_create_response_resolves_through_get_and_head(api):
    created = redivis.user("demo_user").dataset("Resolve Me").create().properties
    headers = {"Authorization": f"Bearer {EDIT_TOKEN}"}
    for reference in (created["qualifiedReference"], quote(created["qualifiedReference"], safe=""),
                      "demo_user.Resolve%20Me", f"demo_user.whatever:{created['referenceId']}",
                      f"Demo_User.resolve_me:{created['referenceId']}:next"):
        got = requests.get(f"{api}/datasets/{reference}", headers=headers)
        assert got.status_code == 200, reference
        assert got.json()["id"] == created["id"]
        head = requests.head(f"{api}/datasets/{reference}", headers=headers)
        assert (head.status_code, head.content) == (200, b"")
    assert requests.get(api + created["uri"], headers=headers).json() == created
    by_name = redivis.dataset("demo_user.Resolve Me")
    assert by_name.exists() is True
    assert by_name.get().properties["id"] == created["id"]


def test_name_with_a_slash_resolves_through_the_encoded_path(api):
    dataset = redivis.user("demo_user").dataset("Income/Tax 2020").create()
    assert dataset.properties["qualifiedReference"].startswith("demo_user.income_tax_2020:")
    again = redivis.user("demo_user").dataset("Income/Tax 2020")
    assert again.uri == "/datasets/demo_user.Income%2FTax%202020"
    assert again.exists() is True
    assert again.get().properties["id"] == dataset.properties["id"]


@pytest.mark.parametrize("second", ["my_dataset", "MY-DATASET", "my  dataset!"])
def test_duplicate_escaped_name_is_a_400(api, second):
    redivis.user("demo_user").dataset("My Dataset").create()
    with pytest.raises(APIError) as caught:
        redivis.user("demo_user").dataset(second).create()
    assert type(caught.value) is APIError
    assert caught.value.status_code == 400
    assert str(caught.value) == f'[400 invalid_request] A dataset with the name "{second}" already exists'


def test_names_differing_beyond_escaping_do_not_collide(api):
    redivis.user("demo_user").dataset("My Dataset").create()
    redivis.user("demo_user").dataset("MyDataset").create()
    redivis.organization("demo_org").dataset("My Dataset").create()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"public_access_level": "edit"},
     "publicAccessLevel must be one of: none, overview, metadata, sample, data"),
    ({"description": "x" * 257}, "description must be a string of at most 256 characters"),
])
def test_invalid_fields_are_400_through_the_client(api, kwargs, message):
    with pytest.raises(APIError) as caught:
        redivis.user("demo_user").dataset("Valid Name").create(**kwargs)
    assert str(caught.value) == f"[400 invalid_request] {message}"


def test_name_without_letters_or_digits_is_400(api):
    with pytest.raises(APIError) as caught:
        redivis.user("demo_user").dataset("!!! ---").create()
    assert str(caught.value) == "[400 invalid_request] name must contain at least one letter or digit"


def test_description_of_256_characters_is_accepted(api):
    props = redivis.user("demo_user").dataset("Long").create(description="y" * 256).properties
    assert props["description"] == "y" * 256


@pytest.mark.parametrize(("body", "message"), [
    (b"{not json", "Request body must be valid JSON"),
    (b"[1, 2]", "Request body must be valid JSON"),
    (b"", "Request body must be valid JSON"),
    (b'{"publicAccessLevel": "none"}', "name is required and must be a string"),
    (b'{"name": 7, "publicAccessLevel": "none"}', "name is required and must be a string"),
    (b'{"name": null, "publicAccessLevel": "none"}', "name is required and must be a string"),
    (b'{"name": "ok"}', "publicAccessLevel must be one of: none, overview, metadata, sample, data"),
    (b'{"name": "ok", "publicAccessLevel": "none", "description": 5}',
     "description must be a string of at most 256 characters"),
    (b'{"publicAccessLevel": "bad", "description": 5}', "name is required and must be a string"),
])
def test_body_validation_over_raw_http(api, body, message):
    response = requests.post(f"{api}/organizations/demo_org/datasets", data=body,
                             headers={"Authorization": f"Bearer {EDIT_TOKEN}", "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request", "error_description": message, "status": 400}
