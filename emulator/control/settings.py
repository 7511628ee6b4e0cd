"""Per-namespace settings through ``/_emulator/config``: ID seed, clock, and provider settings.

Body: ``{"seed": 42 | null, "freezeTime": "2026-01-01T00:00:00Z" | "now" | null, "advance": seconds,
"providers": {"<provider>": {<settings merged into its config record>}}}``. Lifecycle progressions
(e.g. a status that advances immediately, after N reads or after T seconds) are provider settings.
Every key is checked before any is applied: a refused call changes nothing.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from ..errors import ControlError
from ..platform import Platform
from ..providers import rules
from ..runtime import EARLIEST, LATEST, Clock, Runtime


def parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise ControlError(f"invalid time {value!r}: use ISO 8601, e.g. 2026-01-01T00:00:00Z") from None
    if parsed.tzinfo is None:
        raise ControlError(f"time {value!r} needs a zone, e.g. a trailing Z")
    if not EARLIEST <= parsed <= LATEST:
        raise ControlError(f"time {value!r} is outside {EARLIEST.year}-{LATEST.year}")
    return parsed


def _moved(clock: Clock, body: dict[str, Any]) -> Clock:
    """The namespace clock as the body sets it, on a copy (the real one changes only once all is checked)."""
    clock = copy.copy(clock)
    try:
        if "freezeTime" in body:
            value = body["freezeTime"]
            clock.freeze(None if value is None else clock.now() if value == "now" else parse_time(value))
        if "advance" in body:
            seconds = body["advance"]
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise ControlError("'advance' must be a number of seconds")
            clock.advance(seconds)
    except ValueError as exc:
        raise ControlError(str(exc)) from None
    return clock


def advance(runtime: Runtime, seconds: float) -> None:
    try:
        runtime.clock.advance(seconds)
    except ValueError as exc:
        raise ControlError(str(exc)) from None


def apply(platform: Platform, namespace: str, body: Any) -> None:
    if not isinstance(body, dict):
        raise ControlError("config must be a JSON object")
    unknown = set(body) - {"seed", "freezeTime", "advance", "providers"}
    if unknown:
        raise ControlError(f"unknown config key(s) {sorted(unknown)}; known: advance, freezeTime, providers, seed")
    providers = body.get("providers", {})
    if not isinstance(providers, dict):
        raise ControlError("'providers' must be an object {<provider>: {settings}}")
    for name, values in providers.items():
        if name not in platform.providers or "config" not in platform.providers[name].collections:
            raise ControlError(f"provider {name!r} has no settings")
        if not isinstance(values, dict):
            raise ControlError(f"settings of {name!r} must be an object")
        problem = rules.problem(platform.providers[name].config_rules, values)
        if problem:
            raise ControlError(f"settings of {name!r}: {problem}")
    seed = body.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ControlError("'seed' must be an integer or null")
    runtime = platform.runtime(namespace)
    clock = _moved(runtime.clock, body)
    platform.ensure_namespace(namespace)
    if providers:  # one seed: all providers' settings or none
        platform.seed(namespace, {name: {"config": [{**platform.config_record(namespace, name), **values}]}
                                  for name, values in providers.items()})
    if "seed" in body:
        runtime.ids.reseed(seed)
    runtime.clock.frozen, runtime.clock.offset = clock.frozen, clock.offset


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
