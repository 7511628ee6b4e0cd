"""Latency as a test suite feels it: one keep-alive connection, one request after another."""

from __future__ import annotations

import json
import statistics
import time

from .loadgen import Connection
from .scenarios import builder, http
from .targets import Target

APIFY_AUTH = {"Authorization": "Bearer apify_api_demo_token"}
ITEMS = [{"url": f"https://example.com/{n}", "title": f"Item {n}", "price": n * 1.5} for n in range(10)]


def creates(target: Target, scenario: str, count: int, run: str) -> list[float]:
    """Milliseconds of each of ``count`` sequential creates (after 20 unmeasured ones)."""
    make = builder(scenario, {"run": run}, 0)
    conn = Connection(target.host, target.port)
    out = []
    try:
        for i in range(count + 20):
            data = make(i)
            sent = time.perf_counter()
            status, body = conn.request(data)
            took = time.perf_counter() - sent
            if not 200 <= status < 300:
                raise RuntimeError(f"{target.name} {scenario}: {status} {body[:200]!r}")
            if i >= 20:
                out.append(took * 1e3)
    finally:
        conn.close()
    return out


def per_test(target: Target, count: int, run: str) -> list[float]:
    """Milliseconds of each of ``count`` Apify test bodies: create, push 10 items, list them, read the dataset."""
    conn = Connection(target.host, target.port)
    host = "127.0.0.1"
    out = []

    def ok(data: bytes) -> bytes:
        status, body = conn.request(data)
        if not 200 <= status < 300:
            raise RuntimeError(f"{target.name} per-test sequence: {status} {body[:200]!r}")
        return body

    try:
        for i in range(count + 5):
            sent = time.perf_counter()
            created = ok(http("POST", f"/apify/v2/datasets?name=seq{run}x{i}", host, APIFY_AUTH))
            dataset = f"/apify/v2/datasets/{json.loads(created)['data']['id']}"
            ok(http("POST", f"{dataset}/items", host, APIFY_AUTH, ITEMS))
            ok(http("GET", f"{dataset}/items", host, APIFY_AUTH))
            ok(http("GET", dataset, host, APIFY_AUTH))
            if i >= 5:
                out.append((time.perf_counter() - sent) * 1e3)
    finally:
        conn.close()
    return out


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    at = lambda q: ordered[min(len(ordered) - 1, int(len(ordered) * q))]  # noqa: E731
    return {"p50": statistics.median(ordered), "p90": at(0.90), "p99": at(0.99)}
