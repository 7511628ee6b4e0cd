"""Memory and scale through the control API: seeded vs. loaded RSS, read-only namespaces, a big Redivis owner."""

from __future__ import annotations

import json
import random
import string
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from .loadgen import Connection
from .peers import Peer
from .scenarios import http
from .sequential import APIFY_AUTH
from .targets import Target

REDIVIS_ID = "0123456789abcdefghjkmnpqrstvwxyz"  # Redivis ids: 0-9 and a-z without i, l, o, u
APIFY_ID = string.ascii_letters + string.digits
CHUNK = 5000  # records per seed call


def _call(target: Target, method: str, path: str, body: object = None, headers: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{target.url}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=300) as resp:
        return json.loads(resp.read() or b"{}")


def _template(target: Target, provider: str, collection: str, create: tuple[str, dict | None, dict]) -> dict:
    """One record made through the provider's own API, as the control API exports it."""
    path, body, headers = create
    _call(target, "POST", path, body, headers)
    records = _call(target, "GET", "/_emulator/state")[provider][collection]
    return next(r for r in records if r.get("name") == "template")


def apify_datasets(target: Target, count: int) -> Iterator[dict]:
    template = _template(target, "apify", "datasets", ("/apify/v2/datasets?name=template", None, APIFY_AUTH))
    rng = random.Random(7)
    for n in range(count):
        yield {**template, "id": "".join(rng.choices(APIFY_ID, k=17)), "name": f"seeded-{n}"}


def redivis_datasets(target: Target, count: int) -> Iterator[dict]:
    template = _template(target, "redivis", "datasets", (
        "/redivis/api/v1/users/demo_user/datasets", {"name": "template", "publicAccessLevel": "none"},
        {"Authorization": "Bearer redivis-edit-token"}))
    derived = {"escapedName", "referenceId"}  # the emulator derives these from id and name
    base = {k: v for k, v in template.items() if k not in derived}
    rng = random.Random(7)
    for n in range(count):
        dataset_id = "".join(rng.choices(REDIVIS_ID, k=4)) + "-" + "".join(rng.choices(REDIVIS_ID, k=9))
        yield {**base, "id": dataset_id, "name": f"seeded {n}"}


def seed(target: Target, provider: str, collection: str, records: Iterator[dict]) -> int:
    """Seed the default namespace through ``POST /_emulator/seed``, CHUNK records a call."""
    done, chunk = 0, []
    for record in records:
        chunk.append(record)
        if len(chunk) == CHUNK:
            done += _seed_chunk(target, provider, collection, chunk)
            chunk = []
    if chunk:
        done += _seed_chunk(target, provider, collection, chunk)
    return done


def _seed_chunk(target: Target, provider: str, collection: str, chunk: list[dict]) -> int:
    answer = _call(target, "POST", "/_emulator/seed", {provider: {collection: chunk}})
    return answer["seeded"][provider][collection]


def _read_namespaces(target: Target, names: list[str]) -> None:
    """One Apify list in each namespace, which makes it (as a test's first request does)."""
    conn = Connection(target.host, target.port)
    try:
        for ns in names:
            status, body = conn.request(http("GET", f"/_ns/{ns}/apify/v2/datasets", "127.0.0.1", APIFY_AUTH))
            if status != 200:
                raise RuntimeError(f"namespace read: {status} {body[:200]!r}")
    finally:
        conn.close()


def namespace_kb(target: Target, count: int) -> float:
    """RSS growth per namespace that only reads the world (an Apify list), in KB, over ``count`` namespaces."""
    _read_namespaces(target, [f"warm{n}" for n in range(50)])  # they warm caches and allocator arenas
    before = target.rss_mb()
    _read_namespaces(target, [f"ro{n}" for n in range(count)])
    return (target.rss_mb() - before) * 1024 / count


def restart_namespace_kb(durable: Peer, work: Path, count: int) -> float:
    """RSS growth per namespace after a durable restart, in KB: a server restarted on a state holding ``count``
    namespaces that each did one Apify list, against the same restart of a state holding none of them."""
    rss = []
    for made in (0, count):
        folder = work / f"restart-{made}"
        server = durable.start(folder)
        _read_namespaces(server, [f"warm{n}" for n in range(50)] + [f"ro{n}" for n in range(made)])
        server.stop()
        server = durable.start(folder)
        rss.append(server.rss_mb())
        server.stop()
    return (rss[1] - rss[0]) * 1024 / count
