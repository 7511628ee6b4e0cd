"""The version workflow the client drives: release, next version, list versions, unrelease, tables."""

from __future__ import annotations

import pytest
import redivis
import requests
from redivis.common.exceptions import APIError, NotFoundError
from redivis_world import READ_TOKEN, bearer


def test_release_moves_references_to_v1_0(api, as_token):
    dataset = redivis.organization("demo_org").dataset("Releasable").create(public_access_level="data")
    ref_id = dataset.properties["referenceId"]
    dataset.release(release_notes="first")
    props = dataset.properties
    assert props["qualifiedReference"] == f"demo_org.releasable:{ref_id}:v1_0"
    assert props["version"]["tag"] == "v1.0" and props["version"]["isReleased"] is True
    assert props["currentVersion"] == props["version"]
    assert props["nextVersion"] is None
    assert props["url"].endswith("?v=1.0")
    as_token(READ_TOKEN)
    assert redivis.dataset("demo_org.Releasable").exists() is True  # now public and released


def test_next_version_and_version_listing(api):
    dataset = redivis.user("demo_user").dataset("Versioned").create()
    with pytest.raises(redivis.exceptions.ValueError, match="Next version already exists"):
        dataset.create_next_version()
    dataset.release()
    following = dataset.create_next_version()
    assert following.properties["version"]["tag"] == "next"
    assert following.properties["version"]["index"] == 1
    assert following.properties["currentVersion"]["tag"] == "v1.0"
    tags = [v.tag for v in dataset.list_versions()]
    assert tags == ["next", "v1.0"]
    version = dataset.version("v1.0").get()
    assert version.properties["releaseNotes"] is None
    assert version.properties["nextVersion"]["tag"] == "next"
    assert version.properties["previousVersion"] is None
    following.release()
    assert following.properties["version"]["tag"] == "v1.1"


def test_version_errors(api):
    dataset = redivis.user("demo_user").dataset("No Release").create()
    response = requests.post(f"{api}{dataset.uri}/versions", headers=bearer())
    assert response.status_code == 400
    assert response.json()["error_description"] == "A next version already exists for this dataset"
    with pytest.raises(APIError) as caught:
        dataset.unrelease()
    assert str(caught.value) == "[400 invalid_request] This dataset has no released version"
    with pytest.raises(NotFoundError, match='Version "v3.0" not found'):
        dataset.version("v3.0").get()


def test_unrelease_returns_to_next(api):
    dataset = redivis.user("demo_user").dataset("Take Back").create()
    dataset.release()
    dataset.unrelease()
    props = dataset.properties
    assert props["currentVersion"] is None and props["version"]["tag"] == "next"
    assert props["qualifiedReference"].endswith(":next")


def test_tables_of_a_new_dataset(api):
    dataset = redivis.user("demo_user").dataset("Empty").create()
    assert dataset.list_tables() == []
    body = requests.get(f"{api}{dataset.uri}/tables", params={"maxResults": 10}, headers=bearer()).json()
    assert body == {"kind": "tableList", "nextPageToken": None, "results": []}
