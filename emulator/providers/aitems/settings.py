"""The provider's settings and the API revisions they switch between (every ASSUMPTION default lives here)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emulator import context

from ..rules import Rule, boolean, number, one_of, whole

DATASET_TYPES = ("user", "item", "interaction")

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"  # ASSUMPTION: what the service sends with its JSON
TRACE_HEADER = "x-ncp-trace-id"
TRACE_ALPHABET, TRACE_LENGTH = "0123456789abcdef", 16  # ASSUMPTION: 16 hex


def trace_id_header() -> list[tuple[str, str]]:
    """Every gateway answer carries a trace id of its own."""
    return [(TRACE_HEADER, context.ids().string(TRACE_ALPHABET, TRACE_LENGTH))]

# Bodies are read with emulator.jsontext: NaN and Infinity are malformed JSON to the Java back end's parser,
# as here. ASSUMPTION: a lone surrogate escape and a number beyond the double range are answered like them.


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

# Services [DOC service-create]: type batch (the default) or interval; a new service is "datasetRequired".
SERVICE_TYPES = ("batch", "interval")
SERVICE_STATUSES = ("scheduled", "scheduledLearning", "learnable", "learning", "deleting", "deleted", "disable",
                    "drafted", "requestLearning", "datasetRequired")
SERVICE_CREATED = "datasetRequired"
# ASSUMPTION: once its three datasets are linked a service waits in "drafted" and then becomes "learnable"
# under the same statusTransition setting as datasets (counting from the link). No source gives the steps.
SERVICE_PENDING, SERVICE_READY = "drafted", "learnable"
# ASSUMPTION: the hpConfig a service reports before any training request set it.
SERVICE_HP_CONFIG = {"is_enabled": False}

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


CONFIG_RULES: dict[str, Rule] = {
    "revision": one_of(*REVISIONS),
    "statusTransition": one_of(*TRANSITIONS),
    "enableAfterReads": whole(0, 10**9),
    "enableAfterSeconds": number(0, 1e9),
    "regions": (lambda v: v is None or (isinstance(v, list) and all(isinstance(r, str) for r in v)),
                "null or a list of strings"),
    "subscribed": boolean(),
}


def current() -> dict[str, Any]:
    """This namespace's settings; a value that is not usable (stored before the platform checked settings, in
    an older state file) falls back to its default instead of failing requests."""
    memo = context.request_memo()  # auth, each field rule and the response all ask: check once a request
    values = memo.get(__name__)
    if values is None:
        config = context.config()
        values = memo[__name__] = {key: config[key] if key in config and usable(config[key]) else default
                                   for key, default, usable in _CHECKS}
    return values


# (setting, default, is the value usable?), paired once rather than looked up per request
_CHECKS = tuple((key, default, CONFIG_RULES[key][0]) for key, default in CONFIG_DEFAULTS.items())


def revision() -> Revision:
    return REVISIONS[current()["revision"]]


def allowed_regions() -> tuple[str, ...]:
    regions = current()["regions"]
    return tuple(regions) if regions else revision().regions
