"""What a provider setting or a stored field may hold.

A rule is ``(is a value usable?, what a usable value looks like)``. Providers declare their settings' rules in
``Provider.config_rules``: the platform checks every settings record (seeded, or set through
``/_emulator/config``) against them before storing it, so a request never meets a setting it cannot use.
Seed preparers check the fields of a seeded record with ``field_problem`` the same way.
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


def listed(each: Rule, nullable: bool = False) -> Rule:
    usable, shape = each
    return (lambda v: (nullable and v is None) or (isinstance(v, list) and all(usable(i) for i in v)),
            ("null or " if nullable else "") + f"a list, each {shape}")


def mapping(nullable: bool = False) -> Rule:
    return (lambda v: (nullable and v is None) or isinstance(v, dict), ("null or " if nullable else "") + "an object")


def field_problem(rules: dict[str, Rule], record: dict[str, Any]) -> str | None:
    """The first field of ``record`` that breaks its rule, said; fields without a rule are not checked."""
    for key, (usable, shape) in rules.items():
        if key in record and not usable(record[key]):
            return f"{key} must be {shape}, not {record[key]!r}"[:300]
    return None


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
