"""The real apify-client 3.x, sync and async, against the emulator: every dataset flow of the issue."""

from __future__ import annotations

import re

import pytest
import requests
from apify_client.errors import ApifyApiError, ForbiddenError, InvalidRequestError, UnauthorizedError
from apify_support import (
    DEMO_TOKEN,
    DEMO_USER_ID,
    ID_PATTERN,
    NAME_RULE_MESSAGE,
    OTHER_TOKEN,
    TIMESTAMP_PATTERN,
    Api,
)


@pytest.fixture(params=["sync", "async"])
def api(request, emulator) -> Api:
    return Api(request.param, emulator.url("apify"))


def test_get_or_create_new_then_existing(api, emulator):
    created = api.call(lambda c: c.datasets().get_or_create(name="my-ds"))
    assert re.match(ID_PATTERN, created.id)
    assert created.name == "my-ds" and created.user_id == DEMO_USER_ID
    assert created.item_count == 0 and created.clean_item_count == 0
    assert str(created.console_url) == f"https://console.apify.com/storage/datasets/{created.id}"
    assert str(created.items_public_url) == f"{emulator.url('apify')}/v2/datasets/{created.id}/items"
    assert created.general_access == "FOLLOW_USER_SETTING"
    assert created.created_at == created.modified_at == created.accessed_at

    again = api.call(lambda c: c.datasets().get_or_create(name="my-ds"))
    assert again.id == created.id and again.created_at == created.created_at
    stored = emulator.state("apify", "datasets")
    assert [d["id"] for d in stored if d["name"] == "my-ds"] == [created.id]
    assert re.match(TIMESTAMP_PATTERN, stored[0]["createdAt"])
    statuses = [e["status"] for e in emulator.requests(operation="apify.datasets.create")]
    assert statuses == [201, 200]


def test_get_or_create_with_schema_stores_it(api, emulator):
    schema = {"actorSpecification": 1, "title": "Shop", "fields": {"type": "object"}}
    created = api.call(lambda c: c.datasets().get_or_create(name="with-schema", schema=schema))
    assert created.schema_ == schema
    assert emulator.state("apify", "datasets")[0]["schema"] == schema


def test_unnamed_get_or_create_makes_a_new_dataset_every_time(api, emulator):
    first = api.call(lambda c: c.datasets().get_or_create())
    second = api.call(lambda c: c.datasets().get_or_create())
    assert first.id != second.id and first.name is None and second.name is None
    assert len(emulator.state("apify", "datasets")) == 2


@pytest.mark.parametrize("name", ["-starts-with-hyphen", "ends-", "under_score", "dot.name", "a" * 64, "sp ace"])
def test_invalid_name_is_rejected(api, emulator, name):
    with pytest.raises(InvalidRequestError) as caught:
        api.call(lambda c: c.datasets().get_or_create(name=name))
    assert caught.value.status_code == 400 and caught.value.attempt == 1
    assert caught.value.type == "invalid-value"
    assert str(caught.value) == NAME_RULE_MESSAGE
    assert emulator.state("apify", "datasets") == []


def test_longest_valid_name_is_accepted(api):
    name = "A1" + "b" * 60 + "9"
    assert api.call(lambda c: c.datasets().get_or_create(name=name)).name == name


def test_missing_token(api, emulator):
    with pytest.raises(UnauthorizedError) as caught:
        api.with_token(None).call(lambda c: c.datasets().get_or_create(name="x"))
    assert caught.value.type == "token-not-provided"
    assert str(caught.value) == "Authentication token was not provided"
    assert caught.value.attempt == 1


def test_unknown_token(api, emulator):
    with pytest.raises(UnauthorizedError) as caught:
        api.with_token("apify_api_nope").call(lambda c: c.datasets().get_or_create(name="x"))
    assert caught.value.type == "user-or-token-not-found"
    assert str(caught.value) == "User was not found or authentication token is not valid"
    assert emulator.state("apify", "datasets") == []


def test_get_update_delete(api, emulator):
    created = api.call(lambda c: c.datasets().get_or_create(name="crud"))
    got = api.call(lambda c: c.dataset(created.id).get())
    assert got.id == created.id and got.name == "crud"
    by_own_name = api.call(lambda c: c.dataset("~crud").get())
    by_user_name = api.call(lambda c: c.dataset("demo-user/crud").get())  # the client sends demo-user~crud
    assert by_own_name.id == by_user_name.id == created.id

    emulator.advance(2)
    updated = api.call(lambda c: c.dataset(created.id).update(name="renamed", general_access="RESTRICTED"))
    assert updated.name == "renamed" and updated.general_access == "RESTRICTED"
    assert updated.modified_at > created.modified_at
    assert api.call(lambda c: c.dataset("~crud").get()) is None
    assert api.call(lambda c: c.dataset("~renamed").get()).id == created.id

    assert api.call(lambda c: c.dataset(created.id).delete()) is None
    assert api.call(lambda c: c.dataset(created.id).get()) is None
    assert emulator.state("apify", "datasets") == []
    api.call(lambda c: c.dataset(created.id).delete())  # the client swallows record-not-found


def test_update_rejects_bad_values(api):
    created = api.call(lambda c: c.datasets().get_or_create(name="upd"))
    with pytest.raises(InvalidRequestError) as caught:
        api.call(lambda c: c.dataset(created.id).update(name="bad_name"))
    assert caught.value.type == "invalid-value" and str(caught.value) == NAME_RULE_MESSAGE
    api.call(lambda c: c.datasets().get_or_create(name="taken"))
    with pytest.raises(InvalidRequestError) as caught:
        api.call(lambda c: c.dataset(created.id).update(name="taken"))
    assert caught.value.type == "invalid-value"


def test_missing_dataset_raises_for_writes(api):
    with pytest.raises(ApifyApiError) as caught:
        api.call(lambda c: c.dataset("NoSuchDataset0000").update(name="x"))
    assert caught.value.status_code == 404
    assert caught.value.type == "record-not-found" and str(caught.value) == "Dataset was not found"
    with pytest.raises(ApifyApiError) as caught:
        api.call(lambda c: c.dataset("NoSuchDataset0000").push_items([{"a": 1}]))
    assert caught.value.type == "record-not-found"


def test_push_and_list_items_with_pagination(api, emulator):
    created = api.call(lambda c: c.datasets().get_or_create(name="items"))
    api.call(lambda c: c.dataset(created.id).push_items({"n": 0}))
    api.call(lambda c: c.dataset(created.id).push_items([{"n": i, "#hidden": True} for i in range(1, 25)]))
    api.call(lambda c: c.dataset(created.id).push_items([{}]))

    page = api.call(lambda c: c.dataset(created.id).list_items(offset=5, limit=10))
    assert [item["n"] for item in page.items] == list(range(5, 15))
    assert (page.total, page.offset, page.limit, page.count, page.desc) == (26, 5, 10, 10, False)

    everything = api.call(lambda c: c.dataset(created.id).list_items())
    assert everything.limit == 999999999999 and everything.count == 26 and len(everything.items) == 26

    last = api.call(lambda c: c.dataset(created.id).list_items(desc=True, limit=3, offset=1))
    assert [item.get("n") for item in last.items] == [24, 23, 22] and last.desc is True

    clean = api.call(lambda c: c.dataset(created.id).list_items(clean=True, offset=23))
    assert clean.items == [{"n": 23}, {"n": 24}] and clean.count == 3

    picked = api.call(lambda c: c.dataset(created.id).list_items(fields=["#hidden", "n"], limit=1, offset=1))
    assert picked.items == [{"#hidden": True, "n": 1}] and list(picked.items[0]) == ["#hidden", "n"]
    omitted = api.call(lambda c: c.dataset(created.id).list_items(omit=["#hidden"], limit=1, offset=2))
    assert omitted.items == [{"n": 2}]

    dataset = api.call(lambda c: c.dataset(created.id).get())
    assert dataset.item_count == 26 and dataset.clean_item_count == 25
    assert dataset.modified_at > created.modified_at or dataset.modified_at == created.modified_at
    assert len(emulator.state("apify", "items")) == 26


def test_iterate_items_pages_through_everything(api):
    created = api.call(lambda c: c.datasets().get_or_create(name="iterate"))
    api.call(lambda c: c.dataset(created.id).push_items([{"i": i} for i in range(7)]))

    async def collect(client):
        return [item async for item in client.dataset(created.id).iterate_items(chunk_size=3)]

    def iterate(client):
        if api.flavour == "async":
            return collect(client)
        return list(client.dataset(created.id).iterate_items(chunk_size=3))

    assert [item["i"] for item in api.call(iterate)] == list(range(7))


def test_large_push_is_gzipped_by_the_client_and_decoded(api, emulator):
    created = api.call(lambda c: c.datasets().get_or_create(name="big"))
    rows = [{"i": i, "text": "x" * 100} for i in range(50)]  # well over the client's 1 KiB compression threshold
    api.call(lambda c: c.dataset(created.id).push_items(rows))
    page = api.call(lambda c: c.dataset(created.id).list_items(limit=2, offset=48))
    assert page.items == rows[48:]
    pushes = emulator.requests(operation="apify.dataset.items.push")
    assert pushes[-1]["headers"].get("Content-Encoding") == "gzip" and pushes[-1]["status"] == 201


def test_push_rejects_non_objects(api):
    created = api.call(lambda c: c.datasets().get_or_create(name="strict"))
    with pytest.raises(InvalidRequestError) as caught:
        api.call(lambda c: c.dataset(created.id).push_items([{"ok": 1}, 2]))
    assert caught.value.type == "invalid-request"
    assert str(caught.value) == "Each dataset item must be a JSON object"
    assert api.call(lambda c: c.dataset(created.id).get()).item_count == 0


def test_other_users_dataset_is_forbidden(api, emulator):
    mine = api.call(lambda c: c.datasets().get_or_create(name="private"))
    other = api.with_token(OTHER_TOKEN)
    message = ("Insufficient permissions for the dataset. Make sure you're passing a correct API token and that "
               "it has the required permissions.")
    for action in (lambda c: c.dataset(mine.id).get(),
                   lambda c: c.dataset(mine.id).update(name="stolen"),
                   lambda c: c.dataset(mine.id).delete(),
                   lambda c: c.dataset(mine.id).push_items([{"a": 1}]),
                   lambda c: c.dataset(mine.id).list_items(),
                   lambda c: c.dataset("demo-user/private").get()):
        with pytest.raises(ForbiddenError) as caught:
            other.call(action)
        assert caught.value.type == "insufficient-permissions" and str(caught.value) == message
    # The other user's own namespace of names is separate: the same name makes a different dataset.
    theirs = other.call(lambda c: c.datasets().get_or_create(name="private"))
    assert theirs.id != mine.id and theirs.user_id != mine.user_id
    assert other.call(lambda c: c.dataset("~private").get()).id == theirs.id


def test_general_access_opens_reads_to_others(api):
    mine = api.call(lambda c: c.datasets().get_or_create(name="shared"))
    api.call(lambda c: c.dataset(mine.id).push_items({"a": 1}))
    other = api.with_token(OTHER_TOKEN)
    api.call(lambda c: c.dataset(mine.id).update(general_access="ANYONE_WITH_ID_CAN_READ"))
    assert other.call(lambda c: c.dataset(mine.id).get()).id == mine.id
    assert other.call(lambda c: c.dataset(mine.id).list_items()).items == [{"a": 1}]
    with pytest.raises(ForbiddenError):
        other.call(lambda c: c.dataset("demo-user/shared").get())
    api.call(lambda c: c.dataset(mine.id).update(general_access="ANYONE_WITH_NAME_CAN_READ"))
    assert other.call(lambda c: c.dataset("demo-user/shared").get()).id == mine.id
    with pytest.raises(ForbiddenError):
        other.call(lambda c: c.dataset(mine.id).push_items({"b": 2}))


def test_signed_public_items_url_works_without_token(api, emulator):
    mine = api.call(lambda c: c.datasets().get_or_create(name="signed"))
    api.call(lambda c: c.dataset(mine.id).push_items([{"a": 1}, {"a": 2}]))
    url = api.call(lambda c: c.dataset(mine.id).create_items_public_url(limit=1))
    assert url.startswith(f"{emulator.url('apify')}/v2/datasets/{mine.id}/items?") and "signature=" in url
    response = requests.get(url, timeout=5)
    assert response.status_code == 200 and response.json() == [{"a": 1}]
    unsigned = requests.get(f"{emulator.url('apify')}/v2/datasets/{mine.id}/items", timeout=5)
    assert unsigned.status_code == 401 and unsigned.json()["error"]["type"] == "token-not-provided"
    forged = requests.get(url.replace("signature=", "signature=x"), timeout=5)
    assert forged.status_code == 401


def test_statistics_and_list(api, emulator):
    named = api.call(lambda c: c.datasets().get_or_create(name="listed"))
    unnamed = api.call(lambda c: c.datasets().get_or_create())
    stats = api.call(lambda c: c.dataset(named.id).get_statistics())
    assert stats.field_statistics is None

    listing = api.call(lambda c: c.datasets().list())
    assert [d.id for d in listing.items] == [named.id]
    assert listing.total == 1 and listing.count == 1 and listing.items[0].username == "demo-user"
    assert api.call(lambda c: c.datasets().list(offset=1)).items == []
    # Unnamed datasets are listed only once they hold an item (apify-docs issue #1275).
    api.call(lambda c: c.dataset(unnamed.id).push_items({"a": 1}))
    response = requests.get(f"{emulator.url('apify')}/v2/datasets", timeout=5,
                            params={"unnamed": "1", "desc": "1", "token": DEMO_TOKEN})
    listing = response.json()["data"]
    assert [d["id"] for d in listing["items"]] == [unnamed.id, named.id]
    assert listing["items"][0]["name"] is None and listing["unnamed"] is True and listing["desc"] is True
