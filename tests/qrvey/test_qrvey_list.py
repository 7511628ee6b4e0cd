"""Get All Datasets: {"Items", "Count"}, limit (default 10), CONTAINS / EQUAL filters, one app at a time."""

from __future__ import annotations

import pytest
from qrvey_world import USER, assert_qrvey_error, validation


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["Items", "Count"]
    assert body["Count"] == len(body["Items"])
    return [item["name"] for item in body["Items"]]


def test_empty_app_lists_nothing_with_or_without_a_body(qrvey):
    assert qrvey.post("/qollect/dataset/all", {}).json() == {"Items": [], "Count": 0}
    no_body = qrvey.http.post(qrvey.app_url("/qollect/dataset/all"), timeout=10)
    assert no_body.status_code == 200
    assert no_body.json() == {"Items": [], "Count": 0}


def test_items_are_full_datasets_in_creation_order(qrvey):
    created = [qrvey.create_from_connection(f"ds {i}") for i in range(3)]
    body = qrvey.post("/qollect/dataset/all", {}).json()
    assert body == {"Items": created, "Count": 3}


def test_default_limit_is_ten_and_limit_is_honoured(qrvey):
    for i in range(12):
        qrvey.create_from_connection(f"ds {i:02d}")

    assert names(qrvey.post("/qollect/dataset/all", {})) == [f"ds {i:02d}" for i in range(10)]
    assert names(qrvey.post("/qollect/dataset/all", {"limit": 2})) == ["ds 00", "ds 01"]
    assert len(names(qrvey.post("/qollect/dataset/all", {"limit": 50}))) == 12
    assert len(names(qrvey.post("/qollect/dataset/all", {"limit": None, "filters": None}))) == 10


def test_contains_filter_on_search_as_qrvey_demo_app_sends_it(qrvey):
    for name in ("Sales Orders", "Customers", "Orders Archive", "orders-2024"):
        qrvey.create_from_connection(name)
    body = {"limit": 10, "filters": [{"filterType": "CONTAINS", "column": "search", "value": "orders"}],
            "warning": False}

    assert names(qrvey.post("/qollect/dataset/all", body)) == ["Sales Orders", "Orders Archive", "orders-2024"]
    assert names(qrvey.post("/qollect/dataset/all", {**body, "limit": 1})) == ["Sales Orders"]
    body["filters"][0]["value"] = "nothing like it"
    assert names(qrvey.post("/qollect/dataset/all", body)) == []


def test_filters_combine_and_equal_matches_whole_values(qrvey):
    for name in ("Orders", "Orders copy"):
        qrvey.create_from_connection(name)
    equal = {"filters": [{"filterType": "EQUAL", "column": "name", "value": "orders"}]}
    assert names(qrvey.post("/qollect/dataset/all", equal)) == ["Orders"]
    both = {"filters": [{"filterType": "CONTAINS", "column": "search", "value": "orders"},
                        {"filterType": "EQUAL", "column": "status", "value": "DRAFT"}]}
    assert names(qrvey.post("/qollect/dataset/all", both)) == ["Orders", "Orders copy"]


def test_listing_is_scoped_to_the_app(qrvey, emulator):
    emulator.seed({"qrvey": {"apps": [{"appId": "secondApp", "userId": USER}]}})
    qrvey.create_from_connection("mine")
    assert names(qrvey.post("/qollect/dataset/all", {}, app="secondApp")) == []
    assert names(qrvey.post("/qollect/dataset/all", {})) == ["mine"]


def test_deleted_datasets_leave_the_list(qrvey):
    keep, gone = qrvey.create_from_connection("keep"), qrvey.create_from_connection("gone")
    qrvey.delete(f"/qollect/dataset/{gone['datasetId']}")
    assert names(qrvey.post("/qollect/dataset/all", {})) == [keep["name"]]


BAD = [
    ({"limit": 0}, "ValidationError: limit must be an integer greater than 0"),
    ({"limit": "5"}, "ValidationError: limit must be an integer greater than 0"),
    ({"limit": True}, "ValidationError: limit must be an integer greater than 0"),
    ({"limit": 2.5}, "ValidationError: limit must be an integer greater than 0"),
    ({"filters": {"column": "search"}}, "ValidationError: filters must be an array of filter objects"),
    ({"filters": ["search"]}, "ValidationError: filters must be an array of filter objects"),
    ({"filters": [{"column": "search", "value": "x"}]}, validation("filterType")),
    ({"filters": [{"filterType": "LIKE", "column": "search", "value": "x"}]},
     "ValidationError: filterType must be one of CONTAINS, EQUAL"),
    ({"filters": [{"filterType": "CONTAINS", "value": "x"}]}, validation("column")),
    ({"filters": [{"filterType": "CONTAINS", "column": "search"}]}, validation("value")),
    ([], validation("body")),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_bad_list_bodies(qrvey, body, message):
    assert_qrvey_error(qrvey.post("/qollect/dataset/all", body), 400, message)
