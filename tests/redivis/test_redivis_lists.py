"""Listing a user's and an organization's datasets, pagination, and the organization existence probe."""

from __future__ import annotations

import redivis
import requests
from redivis_world import READ_TOKEN, bearer


def _seed_many(emulator, owner: str, count: int, **extra) -> None:
    emulator.seed({"redivis": {"datasets": [{"name": f"Dataset {n:03d}", "ownerName": owner, **extra}
                                            for n in range(count)]}})


def test_user_list_pages_through_the_client(api, emulator):
    _seed_many(emulator, "demo_user", 120)
    datasets = redivis.user("demo_user").list_datasets()
    assert len(datasets) == 120  # two pages of 100 and 20
    ids = [d.properties["id"] for d in datasets]
    assert ids == sorted(ids) and len(set(ids)) == 120
    assert len({i[:4] for i in ids}) == 120  # referenceIds are unique per owner
    first = datasets[0]
    assert first.qualified_reference == first.properties["qualifiedReference"]
    assert first.properties["accessLevel"] == "edit" and first.properties["labels"] == []
    assert "version" not in first.properties  # the list representation stops before the "get" fields
    assert [d.properties["id"] for d in redivis.user("demo_user").list_datasets(max_results=3)] == ids[:3]


def test_page_tokens_over_raw_http(api, emulator):
    _seed_many(emulator, "demo_user", 5)
    first = requests.get(f"{api}/users/demo_user/datasets", params={"maxResults": 2}, headers=bearer()).json()
    assert list(first) == ["kind", "nextPageToken", "results"]
    assert first["kind"] == "datasetList"
    assert first["nextPageToken"] == first["results"][-1]["id"]
    second = requests.get(f"{api}/users/demo_user/datasets", headers=bearer(),
                          params={"maxResults": 2, "pageToken": first["nextPageToken"]}).json()
    third = requests.get(f"{api}/users/demo_user/datasets", headers=bearer(),
                         params={"maxResults": 2, "pageToken": second["nextPageToken"]}).json()
    assert third["nextPageToken"] is None and len(third["results"]) == 1
    ids = [d["id"] for page in (first, second, third) for d in page["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 5
    exact = requests.get(f"{api}/users/demo_user/datasets", params={"maxResults": 5}, headers=bearer()).json()
    assert exact["nextPageToken"] is None and len(exact["results"]) == 5


def test_empty_list_keeps_next_page_token(api):
    body = requests.get(f"{api}/users/demo_user/datasets", headers=bearer()).json()
    assert body == {"kind": "datasetList", "nextPageToken": None, "results": []}
    assert redivis.user("demo_user").list_datasets() == []


def test_bad_max_results_is_400(api):
    for value in ("0", "-1", "ten"):
        response = requests.get(f"{api}/users/demo_user/datasets", params={"maxResults": value}, headers=bearer())
        assert response.status_code == 400
        assert response.json() == {"error": "invalid_request",
                                   "error_description": "maxResults must be a positive integer", "status": 400}


def test_lists_are_per_owner(api):
    redivis.user("demo_user").dataset("Mine").create()
    redivis.organization("demo_org").dataset("Ours").create()
    assert [d.name for d in redivis.user("demo_user").list_datasets()] == ["Mine"]
    assert [d.name for d in redivis.organization("demo_org").list_datasets()] == ["Ours"]


def test_organization_list_filters_by_labels(api):
    org = redivis.organization("demo_org")
    org.dataset("Health").create().update(labels=["health", "public"])
    org.dataset("Money").create().update(labels=["finance"])
    org.dataset("Plain").create()
    assert sorted(d.name for d in org.list_datasets(labels=["health"])) == ["Health"]
    assert sorted(d.name for d in org.list_datasets(labels=["health", "finance"])) == ["Health", "Money"]
    assert len(org.list_datasets()) == 3


def test_organization_list_404s_for_non_organizations(api):
    for name in ("demo_user", "ghost"):
        response = requests.get(f"{api}/organizations/{name}/datasets", params={"maxResults": 1}, headers=bearer())
        assert response.status_code == 404
        assert response.json() == {"error": "not_found", "error_description": f'Organization "{name}" not found',
                                   "status": 404}
    missing_user = requests.get(f"{api}/users/ghost/datasets", headers=bearer())
    assert missing_user.json()["error_description"] == 'User "ghost" not found'
    assert redivis.organization("demo_org").exists() is True
    assert redivis.organization("demo_user").exists() is False


def test_head_organization_list_is_the_r_clients_existence_check(api):
    assert requests.head(f"{api}/organizations/demo_org/datasets?maxResults=1", headers=bearer()).status_code == 200
    missing = requests.head(f"{api}/organizations/nope/datasets?maxResults=1", headers=bearer())
    assert missing.status_code == 404 and "X-Redivis-Error-Payload" in missing.headers


def test_non_editors_list_public_released_datasets_only(api, emulator, as_token):
    emulator.seed({"redivis": {"datasets": [
        {"name": "Public Out", "ownerName": "demo_org", "publicAccessLevel": "overview", "released": True},
        {"name": "Public Draft", "ownerName": "demo_org", "publicAccessLevel": "data"},
        {"name": "Private Out", "ownerName": "demo_org", "publicAccessLevel": "none", "released": True}]}})
    as_token(READ_TOKEN)
    [visible] = redivis.organization("demo_org").list_datasets()
    assert visible.name == "Public Out"
    assert visible.properties["accessLevel"] == "overview" and "labels" not in visible.properties
    assert visible.properties["qualifiedReference"].endswith(":v1_0")
