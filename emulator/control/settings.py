"""Per-namespace settings through ``/_emulator/config``: ID seed, clock, and provider settings.

Body: ``{"seed": 42 | null, "freezeTime": "2026-01-01T00:00:00Z" | "now" | null, "advance": seconds,
"providers": {"<provider>": {<settings merged into its config record>}}}``. Lifecycle progressions
(e.g. a status that advances immediately, after N reads or after T seconds) are provider settings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import ControlError
from ..platform import Platform


def parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise ControlError(f"invalid time {value!r}: use ISO 8601, e.g. 2026-01-01T00:00:00Z") from None
    if parsed.tzinfo is None:
        raise ControlError(f"time {value!r} needs a zone, e.g. a trailing Z")
    return parsed


def apply(platform: Platform, namespace: str, body: Any) -> None:
    if not isinstance(body, dict):
        raise ControlError("config must be a JSON object")
    unknown = set(body) - {"seed", "freezeTime", "advance", "providers"}
    if unknown:
        raise ControlError(f"unknown config key(s) {sorted(unknown)}; known: advance, freezeTime, providers, seed")
    runtime = platform.runtime(namespace)
    providers = body.get("providers", {})
    if not isinstance(providers, dict):
        raise ControlError("'providers' must be an object {<provider>: {settings}}")
    for name, values in providers.items():
        if name not in platform.providers or "config" not in platform.providers[name].collections:
            raise ControlError(f"provider {name!r} has no settings")
        if not isinstance(values, dict):
            raise ControlError(f"settings of {name!r} must be an object")
    if "seed" in body:
        seed = body["seed"]
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ControlError("'seed' must be an integer or null")
        runtime.ids.reseed(seed)
    if "freezeTime" in body:
        value = body["freezeTime"]
        runtime.clock.freeze(None if value is None else runtime.clock.now() if value == "now" else parse_time(value))
    if "advance" in body:
        if isinstance(body["advance"], bool) or not isinstance(body["advance"], int | float):
            raise ControlError("'advance' must be a number of seconds")
        runtime.clock.advance(body["advance"])
    platform.ensure_namespace(namespace)
    for name, values in providers.items():
        table = platform.table(namespace, name, "config")
        platform.seed(namespace, {name: {"config": [{**(table.get() or {}), **values}]}})


def describe(platform: Platform, namespace: str) -> dict:
    runtime = platform.runtime(namespace)
    frozen = runtime.clock.frozen
    return {
        "namespace": namespace,
        "seed": runtime.ids.seed,
        "freezeTime": frozen.isoformat().replace("+00:00", "Z") if frozen else None,
        "offsetSeconds": runtime.clock.offset.total_seconds(),
        "now": runtime.clock.now().isoformat().replace("+00:00", "Z"),
        "providers": {name: platform.config(namespace, name) for name, p in platform.providers.items()
                      if "config" in p.collections},
    }
