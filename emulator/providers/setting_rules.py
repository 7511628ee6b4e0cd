"""What a provider setting may hold: rules a provider declares in ``Provider.config_rules``.

A rule is ``(is a value usable?, what a usable value looks like)``. The platform checks every settings record
(seeded, or set through ``/_emulator/config``) against them before storing it, so a request never meets a
setting it cannot use.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Rule = tuple[Callable[[Any], bool], str]


def boolean() -> Rule:
    return (lambda v: isinstance(v, bool), "a boolean")


def whole(low: int, high: int) -> Rule:
    return (lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high,
            f"a whole number from {low} to {high}")


def number(low: float, high: float) -> Rule:
    return (lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and low <= v <= high,
            f"a number from {low:g} to {high:g}")


def one_of(*values: str) -> Rule:
    return (lambda v: isinstance(v, str) and v in values, f"one of {list(values)}")


def text(nullable: bool = False, empty: bool = True) -> Rule:
    shape = ("null or " if nullable else "") + ("a string" if empty else "a non-empty string")
    return (lambda v: (nullable and v is None) or (isinstance(v, str) and (empty or v != "")), shape)


def problem(rules: dict[str, Rule], record: dict[str, Any]) -> str | None:
    """What is wrong with a settings record, or None: an unknown setting, or the first unusable value."""
    unknown = sorted(set(record) - set(rules))
    if unknown:
        return f"unknown setting(s) {unknown}; known: {sorted(rules)}"
    for key, value in record.items():
        usable, shape = rules[key]
        if not usable(value):
            return f"{key} must be {shape}, not {value!r}"[:300]
    return None
