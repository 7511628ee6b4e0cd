"""The provider's settings and the API revisions they switch between (every ASSUMPTION default lives here)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emulator import context

DATASET_TYPES = ("user", "item", "interaction")


@dataclass(frozen=True)
class Revision:
    """What differs between the documentation revisions of the dataset API."""

    name_re: re.Pattern[str]
    regions: tuple[str, ...]
    connected_key: str


REVISIONS: dict[str, Revision] = {
    # The older doc this project was specified from: "_" may lead a name, three regions, singular key.
    "2021": Revision(re.compile(r"[A-Za-z_][A-Za-z0-9_-]{2,19}"), ("KR", "EN", "JP"), "connectedService"),
    "current": Revision(re.compile(r"[A-Za-z][A-Za-z0-9_-]{2,19}"), ("KR",), "connectedServices"),
}

TRANSITIONS = ("immediate", "reads", "seconds")

CONFIG_DEFAULTS: dict[str, Any] = {
    "revision": "2021",
    # ASSUMPTION: the create response says "waiting"; how the dataset then becomes "enable":
    # "immediate" (at its next read), "reads" (after enableAfterReads reads of GET /datasets/<id>),
    # "seconds" (once enableAfterSeconds have passed on the namespace clock since creation).
    "statusTransition": "immediate",
    "enableAfterReads": 1,
    "enableAfterSeconds": 30,
    # None: the revision's regions; a list overrides them.
    "regions": None,
    # False answers every authenticated call with the gateway's "not subscribed" 401 (errorCode 210).
    "subscribed": True,
}


def revision() -> Revision:
    return REVISIONS[context.config()["revision"]]


def allowed_regions() -> tuple[str, ...]:
    regions = context.config().get("regions")
    return tuple(regions) if regions else revision().regions


def check_config(record: dict[str, Any]) -> None:
    """Raise ValueError naming the first unusable setting in a seeded config record."""
    merged = {**CONFIG_DEFAULTS, **record}
    if merged["revision"] not in REVISIONS:
        raise ValueError(f"revision must be one of {sorted(REVISIONS)}")
    if merged["statusTransition"] not in TRANSITIONS:
        raise ValueError(f"statusTransition must be one of {list(TRANSITIONS)}")
    reads = merged["enableAfterReads"]
    if isinstance(reads, bool) or not isinstance(reads, int) or reads < 0:
        raise ValueError("enableAfterReads must be a non-negative integer")
    seconds = merged["enableAfterSeconds"]
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        raise ValueError("enableAfterSeconds must be a non-negative number")
    regions = merged["regions"]
    if regions is not None and (not isinstance(regions, list) or not all(isinstance(r, str) for r in regions)):
        raise ValueError("regions must be null or a list of strings")
    if not isinstance(merged["subscribed"], bool):
        raise ValueError("subscribed must be a boolean")
    unknown = sorted(set(record) - set(CONFIG_DEFAULTS))
    if unknown:
        raise ValueError(f"unknown setting(s) {unknown}; known: {sorted(CONFIG_DEFAULTS)}")
