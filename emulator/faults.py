"""Fault injection: rules that make a provider misbehave on purpose, per namespace.

A rule matches a namespace (always: faults never leak), optionally a provider and an operation, and acts:

- ``{"type": "status", "status": 503}`` — the provider's own error body for that status
  (429 adds ``Retry-After``, ``retryAfter`` seconds, default 1);
- ``{"type": "latency", "ms": 250}`` or ``{"type": "latency", "distribution": "uniform", "min": 50, "max": 500}``
  or ``{"distribution": "lognormal", "median": 100, "sigma": 0.5}`` — delay, then answer normally;
- ``{"type": "drop"}`` — the connection is reset without an answer;
- ``{"type": "empty"}`` — 200 with an empty body; ``{"type": "malformed"}`` — 200 with truncated JSON;
- ``{"type": "rate-limit", "rate": r, "burst": b}`` — a token bucket (defaults: the provider's published
  limit); over it, the provider's own 429.

``times`` limits a rule to the next N matching calls; ``probability`` (with ``seed``) applies it at random.
"""

from __future__ import annotations

import itertools
import math
import random
import threading
import time
from typing import Any

from .errors import ControlError

ACTIONS = {"status", "latency", "drop", "empty", "malformed", "rate-limit"}
DISTRIBUTIONS = {"fixed", "uniform", "lognormal"}


#: The longest a fault makes anyone wait: a delay (ms), and a Retry-After (s). A worker thread that sleeps is a
#: thread no other client gets; a minute is longer than any client timeout worth testing.
MAX_DELAY_MS = 60_000
MAX_RETRY_AFTER = 60
MAX_SIGMA = 10


def _number(action: dict, key: str, default: float | None = None, low: float = 0,
            high: float = math.inf) -> float:
    value = action.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        within = f">= {low}" if high == math.inf else f"from {low} to {high}"
        raise ControlError(f"fault {action.get('type')!r} needs {key!r} as a number {within}")
    return float(value)


def validate(rule: Any, providers: dict) -> dict:
    """Check a rule from the control API and return it normalised."""
    if not isinstance(rule, dict):
        raise ControlError("a fault rule must be a JSON object")
    action = rule.get("action", {k: v for k, v in rule.items() if k not in
                                 {"provider", "operation", "times", "probability", "seed"}})
    if not isinstance(action, dict) or not isinstance(action.get("type"), str) or action["type"] not in ACTIONS:
        raise ControlError(f"fault action 'type' must be one of {sorted(ACTIONS)}")
    provider = rule.get("provider")
    if provider is not None and (not isinstance(provider, str) or provider not in providers):
        raise ControlError(f"unknown provider {provider!r}; known: {sorted(providers)}")
    operation = rule.get("operation")
    if operation is not None and not isinstance(operation, str):
        raise ControlError("'operation' must be a string such as 'apify.datasets.create'")
    kind = action["type"]
    if kind == "status":
        status = action.get("status")
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise ControlError("fault 'status' needs 'status' between 400 and 599")
        if status == 429:
            _number(action, "retryAfter", 1, high=MAX_RETRY_AFTER)
    elif kind == "latency":
        distribution = action.get("distribution", "fixed")
        if distribution not in DISTRIBUTIONS:
            raise ControlError(f"latency 'distribution' must be one of {sorted(DISTRIBUTIONS)}")
        if distribution == "fixed":
            _number(action, "ms", high=MAX_DELAY_MS)
        elif distribution == "uniform":
            if _number(action, "max", high=MAX_DELAY_MS) < _number(action, "min", high=MAX_DELAY_MS):
                raise ControlError("latency 'max' must be >= 'min'")
        else:  # a lognormal sample is cut at MAX_DELAY_MS (see delay_of)
            _number(action, "median", high=MAX_DELAY_MS)
            _number(action, "sigma", high=MAX_SIGMA)
    elif kind == "rate-limit":
        if provider is None:
            raise ControlError("a 'rate-limit' fault needs a 'provider'")
        limit = getattr(providers[provider], "rate_limit", None)
        if limit is None and ("rate" not in action or "burst" not in action):
            raise ControlError(f"{provider} publishes no rate limit: give 'rate' and 'burst'")
        _number(action, "rate", limit and limit[0], low=0.001, high=1e9)
        _number(action, "burst", limit and limit[1], low=1, high=1e9)
    times = rule.get("times")
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise ControlError("'times' must be a whole number >= 1")
    probability = rule.get("probability", 1)  # NaN fails the range check too
    if isinstance(probability, bool) or not isinstance(probability, int | float) or not 0 <= probability <= 1:
        raise ControlError("'probability' must be a number from 0 to 1")
    seed = rule.get("seed")
    if seed is not None and not isinstance(seed, int):
        raise ControlError("'seed' must be an integer")
    return {"provider": provider, "operation": operation, "action": action, "times": times,
            "probability": probability, "seed": seed}


class _Rule:
    def __init__(self, rule_id: str, namespace: str, spec: dict, providers: dict) -> None:
        self.id, self.namespace, self.spec = rule_id, namespace, spec
        self.remaining = spec["times"]
        self.rng = random.Random(spec["seed"])
        self.applied = 0
        action = spec["action"]
        if action["type"] == "rate-limit":
            default = getattr(providers[spec["provider"]], "rate_limit", None) or (None, None)
            self.rate = float(action.get("rate", default[0]))
            self.burst = float(action.get("burst", default[1]))
            self.tokens, self.stamp = self.burst, time.monotonic()

    def matches(self, namespace: str, provider: str, operation: str) -> bool:
        spec = self.spec
        return (namespace == self.namespace and spec["provider"] in (None, provider)
                and spec["operation"] in (None, operation))

    def take_token(self) -> float:
        """Spend one token; returns 0, or the seconds until one is available."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate

    def describe(self) -> dict:
        return {"id": self.id, "namespace": self.namespace, **self.spec,
                "remaining": self.remaining, "applied": self.applied}


class Faults:
    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, namespace: str, spec: dict, providers: dict) -> dict:
        with self._lock:
            rule = _Rule(f"fault-{next(self._ids)}", namespace, spec, providers)
            self._rules.append(rule)
            return rule.describe()

    def list(self, namespace: str | None = None) -> list[dict]:
        with self._lock:
            return [r.describe() for r in self._rules if namespace in (None, r.namespace)]

    def remove(self, namespace: str, rule_id: str | None = None) -> int:
        with self._lock:
            keep = [r for r in self._rules if not (r.namespace == namespace and rule_id in (None, r.id))]
            removed = len(self._rules) - len(keep)
            self._rules = keep
            return removed

    def pick(self, namespace: str, provider: str, operation: str) -> tuple[dict, float] | None:
        """The action to apply to this call, if any, with its wait (rate limit) or delay (latency) in seconds."""
        if not self._rules:  # the usual case, checked without the lock
            return None
        with self._lock:
            for rule in self._rules:
                if not rule.matches(namespace, provider, operation):
                    continue
                action = rule.spec["action"]
                if action["type"] == "rate-limit":
                    wait = rule.take_token()
                    if wait:
                        rule.applied += 1
                        return action, wait
                    continue
                if rule.spec["probability"] < 1 and rule.rng.random() >= rule.spec["probability"]:
                    continue
                rule.applied += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        self._rules.remove(rule)
                return action, delay_of(action, rule.rng)
        return None


def delay_of(action: dict, rng: random.Random) -> float:
    if action["type"] != "latency":
        return 0.0
    distribution = action.get("distribution", "fixed")
    if distribution == "fixed":
        return action["ms"] / 1000
    if distribution == "uniform":
        return rng.uniform(action["min"], action["max"]) / 1000
    return min(rng.lognormvariate(0, action["sigma"]) * action["median"], MAX_DELAY_MS) / 1000
