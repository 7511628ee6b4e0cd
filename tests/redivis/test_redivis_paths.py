"""Raw-path reference resolution (waitress and werkzeug's test client) and concurrent creates."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests
from redivis_world import bearer

from emulator.app import create_app
from emulator.config import Settings
from emulator.providers import redivis as redivis_provider


def test_encoded_slash_and_unicode_names_over_the_werkzeug_test_client():
    app = create_app(Settings(state=None), providers=[redivis_provider.create()])
    client = app.test_client()
    for name, escaped in (("a/b", "a_b"), ("Look\u2013Alike", "look_alike"), ("Medicare 20% [2006-2018]",
                                                                               "medicare_20_2006_2018")):
        created = client.post("/redivis/api/v1/users/demo_user/datasets", headers=bearer(),
                              json={"name": name, "publicAccessLevel": "none", "description": None})
        assert created.status_code == 200, created.get_json()
        assert created.get_json()["scopedReference"].startswith(f"{escaped}:")
        encoded = requests.utils.quote(f"demo_user.{name}", safe="")
        got = client.get(f"/redivis/api/v1/datasets/{encoded}", headers=bearer())
        assert got.status_code == 200 and got.get_json()["name"] == name
        assert client.get(f"/redivis/api/v1/datasets/{encoded}/tables", headers=bearer()).status_code == 200
    # "a%2Fb/tables" is the dataset's tables; a decoded "a/b" would have been a route miss.
    assert client.get("/redivis/api/v1/datasets/demo_user.a/b", headers=bearer()).status_code == 404


def test_parallel_creates_of_one_name_yield_one_dataset(api, emulator):
    def create(_: int) -> int:
        return requests.post(f"{api}/users/demo_user/datasets", headers=bearer(),
                             json={"name": "Race", "publicAccessLevel": "none"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(create, range(8)))
    assert statuses == [200] + [400] * 7
    assert len(emulator.state("redivis", "datasets")) == 1
