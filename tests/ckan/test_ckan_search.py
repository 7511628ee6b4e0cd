"""package_search, organization_show/group_show and dataset_purge through the real ckanapi client."""

from __future__ import annotations

import json
import subprocess
import sys

import ckanapi
import pytest
from ckan_support import ADMIN, EDITOR, JOE, TEST_ORG_ID, action, error_of
from ckanapi.errors import CKANAPIError, NotAuthorized, NotFound, SearchQueryError, ValidationError


def ckan(emulator, token: str | None = EDITOR) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(emulator.url("ckan"), apikey=token)


@pytest.fixture
def world(emulator):
    """An org with public, private and draft datasets, resources with formats, tags and a group."""
    emulator.seed({"ckan": {"organizations": [{"name": "other-org", "title": "Other Org"}]}})
    editor, admin = ckan(emulator), ckan(emulator, ADMIN)
    editor.action.package_create(name="river-floods", title="River floods", owner_org="test-org",
                                 notes="Flooding events per river", tags=[{"name": "water"}, {"name": "economy"}],
                                 resources=[{"url": "http://example.com/floods.csv"},
                                            {"url": "http://example.com/floods.json"}])
    editor.action.package_create(name="budget", title="City budget", owner_org="test-org", private=True,
                                 tags=[{"name": "economy"}], resources=[{"url": "http://example.com/b.xlsx"}])
    admin.action.package_create(name="roads", title="Road works", owner_org="other-org", license_id="cc-by",
                                groups=[{"name": "test-group"}], tags=[{"name": "transport"}],
                                resources=[{"url": "http://example.com/roads.csv"}])
    admin.action.package_create(name="half-done", owner_org="test-org", state="draft", notes="water levels")
    return emulator


def names(result: dict) -> list[str]:
    return [p["name"] for p in result["results"]]


def test_workflow_search_show_and_purge(world):
    anonymous, editor, admin = ckan(world, None), ckan(world), ckan(world, ADMIN)
    everything = anonymous.action.package_search()
    assert list(everything) == ["count", "facets", "results", "sort", "search_facets"]
    assert everything["count"] == 2 and everything["sort"] == "score desc, metadata_modified desc"
    assert names(everything) == ["roads", "river-floods"]  # newest change first
    assert everything["results"][0] == anonymous.action.package_show(id="roads")
    # Free text (stemmed words over name, title, notes, tags...), then fielded filters.
    assert names(anonymous.action.package_search(q="flood")) == ["river-floods"]
    assert names(editor.action.package_search(q="economy", include_private=True)) == ["budget", "river-floods"]
    assert names(anonymous.action.package_search(q="economy", include_private=True)) == ["river-floods"]
    assert names(anonymous.action.package_search(fq='tags:economy +res_format:"CSV"')) == ["river-floods"]
    assert names(anonymous.action.package_search(fq="organization:other-org")) == ["roads"]
    assert names(editor.action.package_search(fq="private:true", include_private=True)) == ["budget"]
    assert names(anonymous.action.package_search(fq="name:ro*")) == ["roads"]
    # Drafts: only with include_drafts, and only to members of the org (permission labels) or a sysadmin.
    assert "half-done" not in names(admin.action.package_search(include_private=True))
    assert "half-done" in names(editor.action.package_search(include_drafts=True))
    assert "half-done" not in names(ckan(world, JOE).action.package_search(include_drafts=True))
    # Sorting and paging.
    page = admin.action.package_search(sort="name asc", rows=2, start=1, include_private=True)
    assert (page["count"], names(page), page["sort"]) == (3, ["river-floods", "roads"], "name asc")
    # Facets: counts per value, search_facets sorted by display name, descending.
    faceted = editor.action.package_search(include_private=True, **{
        "facet.field": json.dumps(["tags", "organization", "res_format", "license_id"]), "facet.limit": 2})
    assert faceted["facets"]["tags"] == {"economy": 2, "transport": 1}
    assert faceted["facets"]["res_format"] == {"CSV": 2, "JSON": 1}
    assert faceted["search_facets"]["organization"] == {"title": "organization", "items": [
        {"name": "test-org", "display_name": "Test Org", "count": 2},
        {"name": "other-org", "display_name": "Other Org", "count": 1}]}
    assert faceted["search_facets"]["license_id"]["items"] == [
        {"name": "cc-by", "display_name": "Creative Commons Attribution", "count": 1}]
    assert anonymous.action.package_search(rows=0, **{"facet.field": ["tags"], "facet.mincount": 2})["facets"] \
        == {"tags": {}}
    # Organizations and groups, with their datasets as a member and as anyone.
    org = editor.action.organization_show(id="test-org", include_datasets=True)
    assert org["package_count"] == 2 and [p["name"] for p in org["packages"]] == ["budget", "river-floods"]
    assert "resources" not in org["packages"][0] and org["packages"][0]["relationships_as_object"] == []
    assert [(u["name"], u["capacity"]) for u in org["users"]] == [("ed", "editor")]
    assert anonymous.action.organization_show(id=TEST_ORG_ID)["package_count"] == 1
    group = anonymous.action.group_show(id="test-group", include_datasets=True, include_users=False)
    assert (group["package_count"], [p["name"] for p in group["packages"]]) == (1, ["roads"])
    assert "users" not in group
    # Purge: gone for good, even by id.
    roads_id = anonymous.action.package_show(id="roads")["id"]
    with pytest.raises(NotAuthorized):
        editor.action.dataset_purge(id="roads")
    assert admin.action.dataset_purge(id="roads") is None
    with pytest.raises(NotFound):
        admin.action.package_show(id=roads_id)
    assert anonymous.action.package_search()["count"] == 1


def test_ckanapi_search_command_pages_through_every_dataset(world):
    """``ckanapi search datasets`` pages with start/rows until a page comes back empty."""
    command = [sys.executable, "-c", "import sys; from ckanapi.cli.main import main; sys.exit(main())",
               "search", "datasets", "q=*:*", "-r", world.url("ckan")]
    out = subprocess.run(command, capture_output=True, timeout=60, check=True).stdout
    assert sorted(json.loads(line)["name"] for line in out.splitlines()) == ["river-floods", "roads"]


def test_search_parameter_errors_in_ckans_envelope(emulator):
    base = emulator.url("ckan")
    response = action(base, "package_search", {"rows": "abc", "start": "x", "facet.field": "abc"})
    assert response.status_code == 409
    assert error_of(response) == {"facet.field": ["Could not parse as valid JSON", "Not a list"],
                                  "rows": ["Invalid integer", "Please enter an integer value"],
                                  "start": ["Invalid integer"], "__type": "Validation Error"}
    assert error_of(action(base, "package_search", {"rows": -1, "facet.mincount": -1})) == {
        "facet.mincount": ["Must be a natural number"], "rows": ["Must be a natural number"],
        "__type": "Validation Error"}
    assert error_of(action(base, "package_search", {"facet.field": [1]}))["facet.field"] == ["Not a string: 1"]
    response = action(base, "package_search", {"limit": 3})
    assert response.status_code == 400
    assert error_of(response) == {"__type": "Search Query Error",
                                  "message": "Search Query is invalid: \"Invalid search parameters: ['limit']\""}
    assert error_of(action(base, "package_search", {"sort": "name"}))["message"] == \
        "Search Query is invalid: 'Invalid \"sort\" parameter'"
    response = action(base, "package_search", {"q": "{!lucene}x"})
    assert (response.status_code, error_of(response)) == (409, {
        "__type": "Search Error", "message": "Search error: \"Local parameters are not supported in param 'q'.\""})
    assert error_of(action(base, "package_search", {"fq": "name:(unclosed"}))["__type"] == "Search Error"
    with pytest.raises(SearchQueryError):
        ckan(emulator).action.package_search(offset=1)
    with pytest.raises(ValidationError):
        ckan(emulator).action.package_search(rows="many")
    # rows over ckan.search.rows_max is lowered, not refused.
    assert ckan(emulator).action.package_search(rows=5000)["results"] == []


def test_organization_and_group_show_errors(emulator):
    base = emulator.url("ckan")
    response = action(base, "organization_show", {})
    assert (response.status_code, error_of(response)) == (409, {"id": ["Missing value"], "__type": "Validation Error"})
    for name, ref in (("organization_show", "test-group"), ("group_show", "test-org"), ("group_show", "nope")):
        response = action(base, name, {"id": ref})
        assert (response.status_code, error_of(response)) == (404, {"__type": "Not Found Error",
                                                                    "message": "Not found"})
    response = action(base, "organization_show", {"id": "test-org", "include_users": "maybe"})
    assert error_of(response) == {"message": "Parameter is not an bool", "__type": "Validation Error"}
    response = action(base, "organization_show", {"id": "test-org", "include_datasets": "maybe"})
    assert (response.status_code, error_of(response)["__type"]) == (500, "Internal Server Error")  # as CKAN
    shown = ckan(emulator, None).action.organization_show(
        id="test-org", include_users=False, include_extras=False, include_tags=False, include_groups=False,
        include_dataset_count=False, include_member_count=True)
    assert list(shown) == ["approval_status", "created", "description", "display_name", "id",
                           "image_display_url", "image_url", "is_organization", "member_count", "name",
                           "num_followers", "state", "title", "type"]


def test_dataset_purge_errors(emulator):
    base = emulator.url("ckan")
    ckan(emulator).action.package_create(name="keep-me", owner_org="test-org")
    response = action(base, "dataset_purge", {})
    assert (response.status_code, error_of(response)) == (409, {"id": ["Missing value"], "__type": "Validation Error"})
    response = action(base, "dataset_purge", {"id": "nope"}, JOE)
    assert (response.status_code, error_of(response)["message"]) == (404, "Not found: Dataset was not found")
    response = action(base, "dataset_purge", {"id": "keep-me"}, EDITOR)
    assert (response.status_code, error_of(response)) == (403, {"__type": "Authorization Error",
                                                                "message": "Access denied"})
    with pytest.raises(CKANAPIError):
        ckan(emulator, ADMIN).action.dataset_purge(id=["keep-me"])  # a list reference is CKAN's 500
    assert ckan(emulator, None).action.package_show(id="keep-me")["name"] == "keep-me"


@pytest.mark.parametrize("params, expected", [
    ({"q": "river floods"}, ["river-floods"]),  # plain words: dismax, both of two words must match
    ({"q": "river budget"}, []),
    ({"q": "flooding river economy"}, ["river-floods"]),  # 3 words: all but one must match (mm 2<-1)
    ({"q": "+economy -river", "include_private": True}, ["budget"]),
    ({"q": "name:roads"}, ["roads"]),  # a field in q: Lucene syntax
    ({"q": "notes:flood"}, ["river-floods"]),  # text fields are stemmed
    ({"fq": "tags:economy OR tags:transport"}, ["roads", "river-floods"]),
    ({"fq": "-tags:economy"}, ["roads"]),
    ({"fq": 'title:"river floods"'}, ["river-floods"]),
    ({"fq": 'title:"floods river"'}, []),
    ({"fq": "res_format:(JSON OR XLSX)", "include_private": True}, ["budget", "river-floods"]),
    ({"fq": "organization:test-org AND NOT private:true", "include_private": True}, ["river-floods"]),
    ({"fq": "num_resources:[2 TO *]"}, ["river-floods"]),
])
def test_query_language(world, params, expected):
    assert names(ckan(world).action.package_search(**params)) == expected
